//! Paths, scratch folders and processes: the `baocao` binary built for this
//! test run and the PDF readers the tests read its output with.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// The crate's root directory.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The example's folder.
pub fn example_dir() -> PathBuf {
    root().join("examples/bac-kan-2021")
}

/// The example's data file.
pub fn example_data() -> PathBuf {
    example_dir().join("bao-cao.toml")
}

/// The `baocao` binary built for this test run.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_baocao"))
}

/// A fresh, empty directory under cargo's per-target temp dir, unique per call.
pub fn scratch(tag: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    static SWEPT: OnceLock<()> = OnceLock::new();
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("it");
    // Remove what runs older than an hour left behind.
    SWEPT.get_or_init(|| {
        let hour = std::time::Duration::from_secs(3600);
        for e in std::fs::read_dir(&base).into_iter().flatten().flatten() {
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > hour);
            if old {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    });
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = base.join(format!("{tag}-{}-{nanos}-{n}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("clear scratch dir");
    }
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Copy every file of the folder `from` (not below it, PDFs left out) into a
/// fresh scratch directory.
pub fn copy_dir(from: &Path, tag: &str) -> PathBuf {
    let dir = scratch(tag);
    for entry in std::fs::read_dir(from).expect("read folder to copy") {
        let entry = entry.expect("dir entry");
        if entry.file_type().expect("file type").is_file() {
            let name = entry.file_name();
            if Path::new(&name).extension() == Some(OsStr::new("pdf")) {
                continue;
            }
            std::fs::copy(entry.path(), dir.join(name)).expect("copy file");
        }
    }
    dir
}

/// Copy every file of the example folder into a fresh scratch directory.
pub fn copy_example(tag: &str) -> PathBuf {
    copy_dir(&example_dir(), tag)
}

/// Write `bytes` to `dir/name`, creating folders on the way.
pub fn put(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    let path = dir.join(name);
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).expect("create folder");
    }
    std::fs::write(&path, bytes).expect("write planted file");
}

/// The Debian package that provides each PDF reader the tests run.
const READERS: &[(&str, &str)] = &[
    ("pdftotext", "poppler-utils"),
    ("pdffonts", "poppler-utils"),
    ("pdfinfo", "poppler-utils"),
    ("qpdf", "qpdf"),
    ("mutool", "mupdf-tools"),
    // Runs pdf.js (tests/node/pdfjs.mjs).
    ("node", "nodejs"),
];

/// The Debian package that provides the PDF reader `name`.
pub fn package_of(name: &str) -> &'static str {
    READERS
        .iter()
        .find(|(tool, _)| *tool == name)
        .map(|(_, package)| *package)
        .unwrap_or_else(|| panic!("`{name}` is not one of the PDF readers the tests know"))
}

/// Run an external PDF reader. A missing reader is a test failure naming the
/// package to install, never a skip: the tests install nothing themselves.
pub fn tool<S: AsRef<OsStr>>(name: &str, args: &[S]) -> Output {
    let package = package_of(name);
    match Command::new(name).args(args).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "`{name}` is not installed: the tests read PDFs back with it. \
             Install the Debian package {package} (`apt-get install {package}`)"
        ),
        Err(e) => panic!("cannot run `{name}` (from the Debian package {package}): {e}"),
    }
}

/// Run a tool that must succeed; returns its stdout as text.
pub fn tool_stdout<S: AsRef<OsStr>>(name: &str, args: &[S]) -> String {
    let out = tool(name, args);
    assert!(
        out.status.success(),
        "`{name} {}` failed ({}): {}",
        args.iter()
            .map(|a| a.as_ref().to_string_lossy().to_string())
            .collect::<Vec<_>>()
            .join(" "),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("`{name}` printed non-UTF-8 text: {e}"))
}

/// Write `files` (name, text) into a new scratch folder `tag` and render its
/// `bao-cao.toml` to `ra.pdf` there; panics on failure. The PDF, and what
/// baocao printed on the standard error (its warnings).
pub fn render_files(tag: &str, files: &[(&str, &str)]) -> (PathBuf, String) {
    let dir = scratch(tag);
    for (name, text) in files {
        put(&dir, name, text);
    }
    let out = bin()
        .current_dir(&dir)
        .args(["render", "bao-cao.toml", "-o", "ra.pdf"])
        .output()
        .expect("run baocao");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{tag}: baocao failed:\n{stderr}"
    );
    (dir.join("ra.pdf"), stderr)
}

/// Render `data` to `<out_dir>/<data stem>.pdf` with the binary; panics on failure.
pub fn render(data: &Path, out_dir: &Path) -> PathBuf {
    let stem = data.file_stem().expect("data file name");
    let out = out_dir.join(Path::new(stem).with_extension("pdf"));
    let run = bin()
        .arg("render")
        .arg(data)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("run baocao");
    assert!(
        run.status.success(),
        "baocao render {} failed ({}):\n{}",
        data.display(),
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        out.is_file(),
        "baocao reported success but wrote no {}",
        out.display()
    );
    out
}

/// 1-based line and column (in characters) of the `n`-th (0-based) `needle` in
/// `text`: where an editor shows it, and where baocao must point.
pub fn locate(text: &str, needle: &str, n: usize) -> (usize, usize) {
    let at = text
        .match_indices(needle)
        .nth(n)
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("{needle:?} #{n} is not in the text:\n{text}"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map(|i| i + 1).unwrap_or(0)..]
        .chars()
        .count()
        + 1;
    (line, col)
}
