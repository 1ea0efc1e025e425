//! Files and limits where the error table (`errors/files.toml`) cannot reach:
//! FIFOs and devices, inputs over 64 MB, templates that blow up (within 5 s),
//! the page cap, permission bits and links kept, no temporary file left behind,
//! memory exhaustion, the files a render reads, and the help of every command.
//!
//! Each failing run must print exactly the expected Vietnamese message at the
//! expected place, exit with 1, and leave its folder as it was.

use crate::common::*;
use std::collections::BTreeMap;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long a run may take before it is killed and the test fails: a guard
/// against a hang, far above any real run (speed is measured by benchmarks).
const HANG: Duration = Duration::from_secs(120);

/// What a run printed.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Run `cmd` (already given its arguments and folder), killed past [`HANG`],
/// which fails the test.
fn run_cmd(mut cmd: Command) -> Run {
    let start = Instant::now();
    let mut child = cmd
        .env("CI", "1")
        .env_remove("BAOCAO_TIMINGS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run baocao");
    loop {
        if child.try_wait().expect("wait for baocao").is_some() {
            break;
        }
        if start.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            panic!("baocao ran longer than {HANG:?}: {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().expect("output of baocao");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).to_string(),
        stderr: String::from_utf8_lossy(&out.stderr).to_string(),
    }
}

/// `baocao args…` in `dir`.
fn baocao(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = bin();
    cmd.current_dir(dir).args(args);
    run_cmd(cmd)
}

/// `baocao args…` in `dir` through `bash -c "prelude; exec baocao args…"`.
fn baocao_under(dir: &Path, prelude: &str, args: &[&str]) -> Run {
    let mut cmd = Command::new("bash");
    cmd.current_dir(dir)
        .arg("-c")
        .arg(format!("{prelude}; exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_baocao"))
        .args(args);
    run_cmd(cmd)
}

/// A fresh folder with the small report (`bao-cao.toml`, `mau.md.hbs`).
fn small_report(tag: &str) -> PathBuf {
    let dir = scratch(tag);
    put(&dir, "bao-cao.toml", SMALL_DATA);
    put(&dir, "mau.md.hbs", SMALL_TEMPLATE);
    dir
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "mkfifo {} failed (coreutils)", path.display());
}

/// Every entry below `dir`: a file's bytes, a folder, a link's target, or the
/// kind of anything else (a FIFO).
fn tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    fn walk(root: &Path, d: &Path, out: &mut BTreeMap<PathBuf, String>) {
        for e in std::fs::read_dir(d).expect("read folder").flatten() {
            let p = e.path();
            let rel = p.strip_prefix(root).expect("below root").to_path_buf();
            let m = std::fs::symlink_metadata(&p).expect("metadata");
            let t = m.file_type();
            let what = if t.is_symlink() {
                format!("link to {}", std::fs::read_link(&p).unwrap().display())
            } else if t.is_dir() {
                walk(root, &p, out);
                "folder".to_string()
            } else if t.is_fifo() {
                "fifo".to_string()
            } else {
                let bytes = std::fs::read(&p).expect("read file");
                format!(
                    "{} bytes, mode {:o}, {:x?}",
                    bytes.len(),
                    m.mode(),
                    &bytes[..bytes.len().min(64)]
                ) + &format!(" sum {}", bytes.iter().map(|&b| u64::from(b)).sum::<u64>())
            };
            out.insert(rel, what);
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A run that failed as expected: exit code 1, exactly `stderr`, folder unchanged.
fn assert_refused(dir: &Path, args: &[&str], stderr: &str) {
    let before = tree(dir);
    let run = baocao(dir, args);
    assert_eq!(run.code, Some(1), "baocao {args:?}: {}", run.stderr);
    assert_eq!(run.stderr, stderr, "baocao {args:?}");
    assert_eq!(tree(dir), before, "baocao {args:?} changed its folder");
}

// ---------------------------------------------------------------------------
// Only regular files are read, at once

const NOT_REGULAR: &str = "đây không phải tệp thường mà là thiết bị, FIFO hay socket";

#[test]
fn a_fifo_as_data_file_fails_at_once() {
    let dir = small_report("files-fifo-data");
    mkfifo(&dir.join("ong.toml"));
    assert_refused(
        &dir,
        &["render", "ong.toml", "-o", "ra.pdf"],
        &format!("lỗi: không đọc được tệp dữ liệu: {NOT_REGULAR}\n  ──▶ ong.toml\n"),
    );
    // A folder of reports skips it without reading it.
    let run = baocao(&dir, &["kiem-tra", "."]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

/// The small report's template, a partial and a user profile, each in turn
/// made unreadable by `spoil`, are refused with `reason` at the place that
/// names them. `partial_line` is the template's third line, which calls the
/// partial `dau`.
fn template_partial_and_profile_refused(
    tag: &str,
    spoil: &dyn Fn(&Path),
    reason: &str,
    partial_line: &str,
) {
    let dir = small_report(&format!("{tag}-template"));
    spoil(&dir.join("mau.md.hbs"));
    assert_refused(
        &dir,
        &["render", "bao-cao.toml", "-o", "ra.pdf"],
        &format!(
            "lỗi: không đọc được tệp mẫu \"mau.md.hbs\": {reason}\n  ──▶ bao-cao.toml:1:7\n  │\n1 │ mau = \"mau.md.hbs\"\n  │       ^\n"
        ),
    );

    let dir = small_report(&format!("{tag}-partial"));
    put(
        &dir,
        "mau.md.hbs",
        format!("# I- KẾT QUẢ\n\n{partial_line}\n"),
    );
    spoil(&dir.join("dau.hbs"));
    let col = partial_line
        .find("{{")
        .map_or(0, |b| partial_line[..b].chars().count())
        + 1;
    assert_refused(
        &dir,
        &["render", "bao-cao.toml", "-o", "ra.pdf"],
        &format!(
            "lỗi: không đọc được mẫu con \"dau\": {reason}\n  ──▶ mau.md.hbs:3:{col}\n  │\n3 │ {partial_line}\n  │ {}^\n",
            " ".repeat(col - 1)
        ),
    );

    let dir = small_report(&format!("{tag}-profile"));
    let data = SMALL_DATA.replace("the_thuc = \"dang\"", "the_thuc = \"rieng.toml\"");
    put(&dir, "bao-cao.toml", &data);
    spoil(&dir.join("rieng.toml"));
    assert_refused(
        &dir,
        &["render", "bao-cao.toml", "-o", "ra.pdf"],
        &format!(
            "lỗi: không đọc được tệp thể thức \"rieng.toml\": {reason}\n  ──▶ bao-cao.toml:4:12\n  │\n4 │ the_thuc = \"rieng.toml\"\n  │            ^\n"
        ),
    );
}

#[test]
fn a_fifo_as_template_partial_or_profile_fails_at_once() {
    let fifo = |path: &Path| {
        let _ = std::fs::remove_file(path);
        mkfifo(path);
    };
    template_partial_and_profile_refused("files-fifo", &fifo, NOT_REGULAR, "Đoạn {{> dau}} hết.");
}

#[test]
fn a_fifo_or_device_as_output_is_never_replaced() {
    let dir = small_report("files-fifo-output");
    mkfifo(&dir.join("ra.pdf"));
    assert_refused(
        &dir,
        &["render", "bao-cao.toml", "-o", "ra.pdf"],
        "lỗi: đường dẫn đầu ra đã có và không phải một tệp thường (thiết bị, FIFO…): không ghi đè\n  ──▶ ra.pdf\n",
    );
    let run = baocao(&dir, &["render", "bao-cao.toml", "-o", "/dev/null"]);
    assert_eq!(run.code, Some(1));
    assert!(run
        .stderr
        .starts_with("lỗi: đường dẫn đầu ra đã có và không phải một tệp thường"));
    let null = std::fs::symlink_metadata("/dev/null").expect("/dev/null");
    assert!(null.file_type().is_char_device(), "/dev/null was replaced");
}

// ---------------------------------------------------------------------------
// Inputs over 64 MB

#[test]
fn inputs_over_64_mb_are_refused() {
    const TOO_BIG: &str = "tệp quá lớn (tối đa 64 MB)";
    let big = |path: &Path| {
        let f = std::fs::File::create(path).expect("create big file");
        f.set_len((64 << 20) + 1).expect("grow big file");
    };
    let dir = small_report("files-big-data");
    big(&dir.join("lon.toml"));
    assert_refused(
        &dir,
        &["render", "lon.toml", "-o", "ra.pdf"],
        &format!("lỗi: không đọc được tệp dữ liệu: {TOO_BIG}\n  ──▶ lon.toml\n"),
    );

    template_partial_and_profile_refused("files-big", &big, TOO_BIG, "{{> dau}}");
}

// ---------------------------------------------------------------------------
// Templates that blow up end in an error at the step limit

const TOO_MANY_STEPS: &str =
    "lỗi: mẫu lặp hoặc gọi mẫu con quá nhiều lần (hơn 1.000.000 lần): dừng ở đây\n";
const STEPS_HINT: &str = "gợi ý: kiểm tra các vòng {{#each}} lồng nhau và các mẫu con gọi nhau nhiều lần (mỗi lần gọi nhân số lần lặp lên)\n";

/// A report whose partials p0 … p{levels-1} each include the next twice.
fn partial_tree(levels: usize) -> PathBuf {
    let dir = small_report(&format!("files-partials-{levels}"));
    put(&dir, "mau.md.hbs", "# I- KẾT QUẢ\n\nĐoạn {{> p0}} hết.\n");
    for i in 0..levels {
        put(
            &dir,
            &format!("p{i}.hbs"),
            format!("{{{{> p{0}}}}}{{{{> p{0}}}}}", i + 1),
        );
    }
    put(&dir, &format!("p{levels}.hbs"), "x");
    dir
}

#[test]
fn partials_doubling_22_and_40_levels_deep_stop_at_the_step_limit() {
    // Where the budget ran out: the partial expanded at that moment.
    for (levels, stopped_in, its_text) in [(22, "p21", "{{> p22}}{{> p22}}"), (40, "p40", "x")] {
        let dir = partial_tree(levels);
        let before = tree(&dir);
        let run = baocao(&dir, &["render", "bao-cao.toml", "-o", "ra.pdf"]);
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        let expected = format!(
            "{TOO_MANY_STEPS}  ──▶ {stopped_in}.hbs:1:1\n  │\n1 │ {its_text}\n  │ ^\n{STEPS_HINT}"
        );
        assert_eq!(run.stderr, expected, "{levels} levels");
        assert_eq!(tree(&dir), before);
    }
}

#[test]
fn five_nested_loops_over_100_items_stop_at_the_step_limit() {
    // 10^10 steps if nothing stopped them: the step limit ends the run with an
    // error at the innermost loop. The timeout only keeps a regression from
    // hanging the suite; speed is measured by benchmarks, not here.
    let dir = small_report("files-loops");
    let items: Vec<String> = (1..=100).map(|i| i.to_string()).collect();
    let data = SMALL_DATA.replace(
        "ke_hoach = 3240\n",
        &format!("ke_hoach = 3240\nds = [{}]\n", items.join(", ")),
    );
    put(&dir, "bao-cao.toml", &data);
    let line = "{{#each so_lieu.ds}}{{#each ../so_lieu.ds}}{{#each ../../so_lieu.ds}}{{#each ../../../so_lieu.ds}}{{#each ../../../../so_lieu.ds}}x{{/each}}{{/each}}{{/each}}{{/each}}{{/each}}";
    put(&dir, "mau.md.hbs", format!("# I- KẾT QUẢ\n\n{line}\n"));
    let before = tree(&dir);
    let run = baocao(&dir, &["render", "bao-cao.toml", "-o", "ra.pdf"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    // The innermost loop's tag, the one that ran out.
    let col = line.find("{{#each ../../../../").unwrap() + 1;
    assert!(
        run.stderr
            .starts_with(&format!("{TOO_MANY_STEPS}  ──▶ mau.md.hbs:3:{col}\n")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.ends_with(STEPS_HINT), "{}", run.stderr);
    assert_eq!(tree(&dir), before);
}

// ---------------------------------------------------------------------------
// Pages

#[test]
fn reports_are_capped_at_5000_pages_unless_raised() {
    let dir = small_report("files-pages");
    let items: Vec<String> = (1..=5000).map(|i| i.to_string()).collect();
    let data = SMALL_DATA.replace(
        "ke_hoach = 3240\n",
        &format!("ke_hoach = 3240\nds = [{}]\n", items.join(", ")),
    );
    put(&dir, "bao-cao.toml", &data);
    put(
        &dir,
        "mau.md.hbs",
        "# I- KẾT QUẢ\n\n{{#each so_lieu.ds}}\nTrang {{this}}.\n\n\\pagebreak\n\n{{/each}}\nHết.\n",
    );
    assert_refused(
        &dir,
        &["render", "bao-cao.toml", "-o", "ra.pdf"],
        "lỗi: báo cáo dài 5.001 trang, quá giới hạn 5.000 trang: không tạo tệp\n  ──▶ mau.md.hbs\ngợi ý: kiểm tra các vòng {{#each}} và \\pagebreak trong mẫu\ngợi ý: nếu báo cáo đúng là dài như vậy, nâng giới hạn (lệnh baocao: --so-trang-toi-da 5001)\n",
    );
    let run = baocao(
        &dir,
        &[
            "render",
            "bao-cao.toml",
            "-o",
            "ra.pdf",
            "--so-trang-toi-da",
            "5001",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(page_count(&dir.join("ra.pdf")), 5001);
}

// ---------------------------------------------------------------------------
// Replacing an existing file

const OLD: &[u8] = b"%PDF-1.7\n% an older report\n";

#[test]
fn replacing_a_pdf_keeps_its_permission_bits() {
    for mode in [0o600, 0o640, 0o604] {
        let dir = small_report(&format!("files-mode-{mode:o}"));
        put(&dir, "ra.pdf", OLD);
        let path = dir.join("ra.pdf");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        let run = baocao(&dir, &["render", "bao-cao.toml", "-o", "ra.pdf"]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(b"%PDF-") && bytes != OLD, "not replaced");
        let m = std::fs::metadata(&path).unwrap();
        assert_eq!(m.permissions().mode() & 0o7777, mode, "mode of the new PDF");
    }
}

#[test]
fn writing_to_a_link_replaces_its_target_atomically_and_keeps_the_link() {
    let dir = small_report("files-link-output");
    put(&dir, "luu/that.pdf", OLD);
    std::os::unix::fs::symlink("luu/that.pdf", dir.join("ra.pdf")).unwrap();
    let inode_before = std::fs::metadata(dir.join("luu/that.pdf")).unwrap().ino();
    let run = baocao(&dir, &["render", "bao-cao.toml", "-o", "ra.pdf"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let link = std::fs::symlink_metadata(dir.join("ra.pdf")).unwrap();
    assert!(
        link.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    assert_eq!(
        std::fs::read_link(dir.join("ra.pdf")).unwrap(),
        Path::new("luu/that.pdf")
    );
    let target = dir.join("luu/that.pdf");
    let bytes = std::fs::read(&target).unwrap();
    assert!(
        bytes.starts_with(b"%PDF-") && bytes != OLD,
        "the target was not replaced"
    );
    // A new file renamed over the old one, not the old one rewritten in place.
    assert_ne!(std::fs::metadata(&target).unwrap().ino(), inode_before);
    let names: Vec<String> = std::fs::read_dir(dir.join("luu"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names, vec!["that.pdf"], "a temporary file was left");
}

#[test]
fn a_failed_write_leaves_no_temporary_file_and_the_old_pdf() {
    let dir = small_report("files-write-fails");
    put(&dir, "ra.pdf", OLD);
    let before = tree(&dir);
    // Files may grow to 8 KiB: writing the ~13 KB PDF fails (EFBIG; the signal
    // that would kill the process is ignored).
    let run = baocao_under(
        &dir,
        "trap '' XFSZ; ulimit -f 8",
        &["render", "bao-cao.toml", "-o", "ra.pdf"],
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "lỗi: không ghi được tệp đầu ra: tệp quá lớn so với giới hạn của hệ thống\n  ──▶ ra.pdf\n"
    );
    assert_eq!(
        tree(&dir),
        before,
        "the folder changed (a temporary file left?)"
    );
}

#[test]
fn links_planted_at_temporary_names_are_never_followed() {
    let dir = small_report("files-planted-links");
    put(&dir, "nan-nhan.txt", "giữ nguyên");
    // One of a live process (pid 1), one of a process that cannot exist.
    let live = ".baocao-1-AbCdEf123456.tmp";
    let stale = ".baocao-999999999-AbCdEf123456.tmp";
    for name in [live, stale] {
        std::os::unix::fs::symlink("nan-nhan.txt", dir.join(name)).unwrap();
    }
    let run = baocao(&dir, &["render", "bao-cao.toml", "-o", "ra.pdf"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.join("nan-nhan.txt")).unwrap(),
        "giữ nguyên"
    );
    assert!(std::fs::symlink_metadata(dir.join(live))
        .unwrap()
        .file_type()
        .is_symlink());
    // The stale one is removed: the link itself, not what it points to.
    assert!(std::fs::symlink_metadata(dir.join(stale)).is_err());
    let left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".baocao-") && n != live)
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

// ---------------------------------------------------------------------------
// Memory

#[test]
fn memory_exhaustion_is_a_vietnamese_error() {
    let dir = small_report("files-memory");
    // A 60 MB string: reading, parsing and converting it needs far more than
    // the 150 MB of address space the run is given.
    let data = SMALL_DATA.replace(
        "ke_hoach = 3240\n",
        &format!("ke_hoach = 3240\ndai = \"{}\"\n", "x".repeat(60 << 20)),
    );
    put(&dir, "bao-cao.toml", &data);
    let before = tree(&dir);
    let run = baocao_under(
        &dir,
        "ulimit -v 150000",
        &["render", "bao-cao.toml", "-o", "ra.pdf", "-j", "1"],
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "lỗi: hết bộ nhớ: máy không cấp thêm bộ nhớ cho baocao\ngợi ý: dựng ít báo cáo cùng lúc hơn (-j 1), đóng bớt chương trình khác, hoặc kiểm tra tệp dữ liệu và mẫu (một vòng lặp quá lớn?)\n"
    );
    assert_eq!(tree(&dir), before);
}

// ---------------------------------------------------------------------------
// The files a render reads

#[test]
fn a_render_lists_every_file_it_read() {
    let dir = small_report("files-inputs");
    let data = SMALL_DATA.replace("the_thuc = \"dang\"", "the_thuc = \"rieng.toml\"");
    put(&dir, "bao-cao.toml", &data);
    put(&dir, "rieng.toml", "ke_thua = \"dang-36\"\n");
    put(&dir, "mau.md.hbs", "# I- KẾT QUẢ\n\nĐoạn {{> dau}} hết.\n");
    put(&dir, "that/dau.hbs", "đầu {{> duoi}}");
    put(&dir, "duoi.hbs", "dưới");
    std::os::unix::fs::symlink("that/dau.hbs", dir.join("dau.hbs")).unwrap();
    let jobs = baocao::load_jobs(&dir.join("bao-cao.toml")).expect("load");
    let renderer = baocao::Renderer::new().expect("renderer");
    let r = renderer
        .render(&jobs[0], baocao::Emit::Pdf)
        .expect("render");
    let c = |p: &str| dir.join(p).canonicalize().unwrap();
    let mut want = vec![
        c("bao-cao.toml"),
        c("mau.md.hbs"),
        c("rieng.toml"),
        c("that/dau.hbs"),
        c("duoi.hbs"),
    ];
    want.sort();
    assert_eq!(r.inputs, want);
    // Known before rendering too.
    assert_eq!(baocao::Renderer::new().unwrap().inputs(&jobs[0]), want);
}

// ---------------------------------------------------------------------------
// Help

#[test]
fn the_help_of_every_command_is_vietnamese() {
    let english = [
        "Usage",
        "Commands",
        "Options",
        "Arguments",
        "Print",
        "help for",
        "version",
        "Possible",
        "default:",
        "values",
        "the ",
        " of ",
        "and ",
        "file",
    ];
    let here = std::env::temp_dir();
    for args in [
        &["--help"][..],
        &["-h"],
        &["render", "--help"],
        &["render", "-h"],
        &["kiem-tra", "--help"],
        &["the-thuc", "--help"],
        &["the-thuc", "show", "--help"],
    ] {
        let run = baocao(&here, args);
        assert_eq!(run.code, Some(0), "baocao {args:?}: {}", run.stderr);
        assert!(
            run.stdout.contains("Cách dùng: baocao"),
            "baocao {args:?}:\n{}",
            run.stdout
        );
        // Option names (`--help`, `--strict`…) aside, no English.
        let prose: String = run
            .stdout
            .split_whitespace()
            .filter(|w| !w.starts_with('-') && !w.starts_with('[') && !w.starts_with('<'))
            .collect::<Vec<_>>()
            .join(" ");
        for e in english {
            assert!(
                !prose.contains(e),
                "baocao {args:?} prints {e:?}:\n{}",
                run.stdout
            );
        }
    }
    let run = baocao(&here, &["render", "--help"]);
    for option in [
        "--so-trang-toi-da <N>",
        "--cho-phep-thu-muc <THƯ_MỤC>",
        "--jobs <N>",
    ] {
        assert!(run.stdout.contains(option), "render --help lacks {option}");
    }
}
