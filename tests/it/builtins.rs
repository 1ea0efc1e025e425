//! The built-in templates as a clerk uses them: `baocao mau` lists them,
//! `baocao init` starts a report that renders at once, `mau = "@name"` uses
//! one, and a file beside the data file named like one of its partials
//! replaces just that part.

use crate::common::*;
use std::path::Path;

/// `baocao ARGS` in `dir`: (exit code, stdout, stderr).
fn baocao(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = bin()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run baocao");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// The markup's sections, cut at its level-1 headings (`# …`).
fn sections(markup: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    for line in markup.lines() {
        if line.starts_with("# ") {
            out.push(String::new());
        }
        if let Some(last) = out.last_mut() {
            last.push_str(line);
            last.push('\n');
        }
    }
    out
}

#[test]
fn the_list_names_every_builtin_with_a_line() {
    let dir = scratch("mau-list");
    let (code, out, err) = baocao(&dir, &["mau"]);
    assert_eq!(code, Some(0), "{err}");
    for name in [
        "chi-thi-05",
        "ke-hoach",
        "kt-xh-nam",
        "so-ket-6-thang",
        "tinh-hinh-tu-tuong",
        "tong-ket-tuyen-giao",
    ] {
        let line = out
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("{name} not listed:\n{out}"));
        assert!(
            line.len() > name.len() + 10,
            "no summary for {name}: {line}"
        );
    }
}

#[test]
fn a_partial_beside_the_data_replaces_just_that_part() {
    let dir = scratch("mau-override").join("bc");
    let parent = dir.parent().expect("parent").to_path_buf();
    let (code, _, err) = baocao(&parent, &["init", "bc", "--mau", "chi-thi-05"]);
    assert_eq!(code, Some(0), "{err}");
    let (code, before, err) = baocao(&dir, &["render", "bao-cao.toml", "--emit", "markup"]);
    assert_eq!(code, Some(0), "{err}");
    put(
        &dir,
        "dac-diem.hbs",
        "# I- ĐẶC ĐIỂM TÌNH HÌNH\n\nĐoạn viết riêng của đơn vị thay cho phần đặc điểm.\n",
    );
    let (code, after, err) = baocao(&dir, &["render", "bao-cao.toml", "--emit", "markup"]);
    assert_eq!(code, Some(0), "{err}");
    let (b, a) = (sections(&before), sections(&after));
    assert_eq!(b.len(), a.len(), "the sections changed in number");
    let changed: Vec<usize> = (0..b.len()).filter(|&i| b[i] != a[i]).collect();
    assert_eq!(changed.len(), 1, "more than one part changed: {changed:?}");
    let i = changed[0];
    assert!(a[i].starts_with("# I- ĐẶC ĐIỂM TÌNH HÌNH"), "{}", a[i]);
    assert!(a[i].contains("Đoạn viết riêng của đơn vị"));
    // The PDF says so too, and still renders under --strict.
    let (code, _, err) = baocao(&dir, &["render", "bao-cao.toml", "--strict"]);
    assert_eq!(code, Some(0), "{err}");
    let text = pdftotext(&dir.join("bao-cao.pdf"));
    assert!(text.contains("Đoạn viết riêng của đơn vị"), "{text}");
}

#[test]
fn copy_gives_every_file_and_the_copy_renders_the_same() {
    let dir = scratch("mau-copy");
    let (code, _, err) = baocao(&dir, &["mau", "copy", "kt-xh-nam", "ban-sao"]);
    assert_eq!(code, Some(0), "{err}");
    let copy = dir.join("ban-sao");
    for file in ["bao-cao.md.hbs", "bao-cao.toml", "README.md", "phu-luc.hbs"] {
        assert!(copy.join(file).is_file(), "{file} not copied");
    }
    // The copied sample names its own template file and renders.
    let (code, _, err) = baocao(&copy, &["render", "bao-cao.toml", "--strict"]);
    assert_eq!(code, Some(0), "{err}");
    // A second copy into the same folder is refused and changes nothing.
    let before = std::fs::read(copy.join("bao-cao.toml")).expect("read");
    let (code, _, err) = baocao(&dir, &["mau", "copy", "kt-xh-nam", "ban-sao"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("đã có tệp"), "{err}");
    assert_eq!(
        std::fs::read(copy.join("bao-cao.toml")).expect("read"),
        before
    );
}

/// What `.ci/run` publishes must be clean: every example and every built-in
/// template's sample data passes `kiem-tra --strict` (no warning either), so a
/// change to the checks or the layout that makes a sample warn fails here first.
#[test]
fn every_example_and_builtin_passes_kiem_tra_strict() {
    let (code, out, err) = baocao(&root(), &["kiem-tra", "examples", "templates", "--strict"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        err.contains("0 báo cáo lỗi, 0 cảnh báo"),
        "kiem-tra printed:\n{out}{err}"
    );
}

/// `baocao init --the-thuc` in the other family than the template's gives a
/// starter with no warning in that family: headings numbered its way
/// (`so_muc`), the body ending its way (`ket_thuc`), the symbol, signing
/// authority, filing line and summary converted, each with a note to check.
#[test]
fn init_in_either_family_gives_a_starter_with_no_warning() {
    let builtins = baocao::builtin::list();
    assert!(builtins.len() >= 6, "{} built-ins", builtins.len());
    for b in builtins {
        let name = b.name();
        let state = b.sample().unwrap_or("").contains("the_thuc = \"nha-nuoc\"");
        for (family, mark) in [("dang", "I- "), ("nha-nuoc", "I. ")] {
            let dir = scratch(&format!("init-family-{name}-{family}"));
            let (code, out, err) = baocao(
                &dir,
                &["init", "bao-cao", "--mau", name, "--the-thuc", family],
            );
            assert_eq!(code, Some(0), "{name} {family}: {out}{err}");
            // `init` reports on the standard error, like every command.
            let said = err;
            let data = dir.join("bao-cao").join("bao-cao.toml");
            let text = std::fs::read_to_string(&data).expect("starter data");
            assert!(
                text.contains(&format!("the_thuc = \"{family}\"")),
                "{name} {family}"
            );
            let (code, out, err) = baocao(&dir, &["kiem-tra", "--strict", "bao-cao/bao-cao.toml"]);
            assert_eq!(code, Some(0), "{name} {family}:\n{out}{err}");
            assert!(err.contains("0 cảnh báo"), "{name} {family}:\n{out}{err}");
            let markup = emit_markup(&data);
            let heads: Vec<&str> = markup.lines().filter(|l| l.starts_with("# ")).collect();
            assert!(
                heads.iter().any(|h| h.starts_with(&format!("# {mark}"))),
                "{name} {family}: no heading \"{mark}…\" in {heads:?}"
            );
            let other = if mark == "I- " { "I. " } else { "I- " };
            assert!(
                !heads.iter().any(|h| h.contains(&format!(" {other}"))),
                "{name} {family}: a heading numbered the other way in {heads:?}"
            );
            assert!(
                markup.lines().any(|l| l.trim_end().ends_with("./.")),
                "{name} {family}: the body does not end with \"./.\""
            );
            // A template written for the other family says what it changed.
            let native = (family == "nha-nuoc") == state;
            assert_eq!(
                said.contains("lưu ý: ký hiệu văn bản đã đổi theo thể thức mới"),
                !native,
                "{name} {family}: {said}"
            );
        }
    }
}

/// A built-in profile pinned before it applies to the sample's date is
/// flagged at `init`, and the body ends with that profile's mark.
#[test]
fn init_with_a_profile_not_yet_in_force_says_so() {
    let dir = scratch("init-dang-05");
    let (code, out, err) = baocao(
        &dir,
        &["init", "bc", "--mau", "ke-hoach", "--the-thuc", "dang-05"],
    );
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        err.contains("lưu ý: thể thức dang-05 áp dụng từ ngày 27-5-2026, số liệu mẫu đề ngày 10-1-2025: sửa ngày ban hành (van_ban.ngay)"),
        "{err}"
    );
    let data = dir.join("bc").join("bao-cao.toml");
    let markup = emit_markup(&data);
    assert!(markup.trim_end().ends_with("chỉ đạo."), "{markup}");
    let (code, out, err) = baocao(
        &dir,
        &["init", "bc2", "--mau", "ke-hoach", "--the-thuc", "nha_nuoc"],
    );
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(
        err.starts_with("lỗi: không có thể thức \"nha_nuoc\"\ngợi ý: có phải ý bạn là `nha-nuoc`?"),
        "{err}"
    );
    assert!(!dir.join("bc2").exists(), "a refused init made its folder");
}
