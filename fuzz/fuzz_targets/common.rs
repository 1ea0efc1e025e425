//! Shared harness: write the fuzz input as a report folder and render it to PDF.
//!
//! The library renders from files, so each iteration (over)writes four files in a
//! per-process folder (`$BAOCAO_FUZZ_DIR`, else `/tmp/baocao-fuzz-<pid>`), reused
//! between iterations:
//!
//! | file         | what                                              |
//! |--------------|---------------------------------------------------|
//! | `d.toml`     | the data file (`mau = "m.md.hbs"`)                |
//! | `m.md.hbs`   | the body template                                 |
//! | `p.toml`     | a user profile (used when `the_thuc = "p.toml"`)  |
//! | `con.md.hbs` | a partial (`{{> con}}`)                           |
//!
//! then calls `baocao::render_file(d.toml, Emit::Pdf)` and ignores the result:
//! errors are fine; panics (libfuzzer-sys aborts on any panic, in any thread),
//! aborts, stack overflows, hangs (`-timeout`) and OOM (`-rss_limit_mb`) are bugs.
//!
//! The render runs on a fresh thread with std's default 2 MiB stack: the library
//! must not overflow the stack of a caller's ordinary thread (the `baocao` binary
//! gives its rayon workers 64 MiB; `BAOCAO_FUZZ_STACK_KB=65536` fuzzes with that).
//! Every input gets a fresh renderer (`render_file`), so nothing is cached from one
//! input to the next; set `BAOCAO_FUZZ_SAME_THREAD=1` to render on libFuzzer's
//! thread instead, and `BAOCAO_FUZZ_STACK_KB` to change the stack size.
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Fixed, valid `[van_ban]` and `[ky]` tables with `the_thuc` left open.
pub fn header(the_thuc: &str) -> String {
    format!(
        r#"[van_ban]
the_thuc = "{the_thuc}"
co_quan_cap_tren = "ĐẢNG BỘ TỈNH BẮC KẠN"
co_quan = "THÀNH ỦY BẮC KẠN"
so = 125
ky_hieu = "BC/TU"
dia_danh = "Bắc Kạn"
ngay = 2021-12-15
loai = "BÁO CÁO"
trich_yeu = "kết quả học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm 2021"
noi_nhan = ["Ban Thường vụ Tỉnh ủy (b/c),", "Các chi, đảng bộ trực thuộc,", "Lưu Văn phòng Thành ủy."]

[ky]
quyen_han = "T/M BAN THƯỜNG VỤ"
chuc_vu = "BÍ THƯ"
ho_ten = "Nông Quang Hưng"
"#
    )
}

/// The built-in profiles, chosen by a number taken from the input.
pub fn builtin_profile(n: usize) -> &'static str {
    ["dang", "dang-05", "nha-nuoc"][n % 3]
}

fn workdir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::var_os("BAOCAO_FUZZ_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| std::env::temp_dir().join(format!("baocao-fuzz-{}", std::process::id())));
        std::fs::create_dir_all(&dir).expect("create the fuzz folder");
        dir
    })
}

/// The report folder's files.
pub struct Files<'a> {
    pub data: &'a [u8],
    pub template: &'a [u8],
    pub profile: &'a [u8],
    pub partial: &'a [u8],
}

/// Write the files and render the report to PDF; the result is ignored.
pub fn render(files: Files) {
    let dir = workdir();
    for (name, bytes) in [
        ("d.toml", files.data),
        ("m.md.hbs", files.template),
        ("p.toml", files.profile),
        ("con.md.hbs", files.partial),
    ] {
        std::fs::write(dir.join(name), bytes).expect("write a fuzz input file");
    }
    let data = dir.join("d.toml");
    if std::env::var("BAOCAO_FUZZ_SAME_THREAD").is_ok_and(|v| !v.is_empty() && v != "0") {
        let _ = baocao::render_file(&data, baocao::Emit::Pdf);
        return;
    }
    let stack_kb: usize = std::env::var("BAOCAO_FUZZ_STACK_KB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2048);
    let worker = std::thread::Builder::new()
        .name("render".into())
        .stack_size(stack_kb * 1024)
        .spawn(move || {
            let _ = baocao::render_file(&data, baocao::Emit::Pdf);
        })
        .expect("spawn the render thread");
    // A panic in the worker has already aborted the process (libfuzzer-sys hook).
    let _ = worker.join();
}
