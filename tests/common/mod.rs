//! Shared helpers for the read-back tests (issues 2, 4, 5): running `baocao`,
//! running the PDF readers we did not write (poppler, qpdf, MuPDF), reading back
//! what a page shows from MuPDF's trace device (`mutool draw -F trace`): glyphs,
//! lines, rules, the flow of blocks against `baocao render --emit markup`, and
//! ruled tables cell by cell.
//!
//! Every test binary renders each example it uses once ([`example`], [`ward`]).
#![allow(dead_code)]

/// The top of a small Party report that renders (template `mau.md.hbs`): every
/// required field of `[van_ban]` and `[ky]`. A macro, so that tests can
/// `concat!` their own tables after it into a `const`.
#[allow(unused_macros)]
macro_rules! report_head {
    () => {
        r#"mau = "mau.md.hbs"

[van_ban]
the_thuc = "dang"
co_quan_cap_tren = "ĐẢNG BỘ TỈNH BẮC KẠN"
co_quan = "THÀNH ỦY BẮC KẠN"
so = 125
ky_hieu = "BC/TU"
dia_danh = "Bắc Kạn"
ngay = 2021-12-15
trich_yeu = "kết quả công tác năm 2021"
noi_nhan = ["Ban Thường vụ Tỉnh ủy (b/c),", "Lưu Văn phòng Thành ủy."]

[ky]
quyen_han = "T/M BAN THƯỜNG VỤ"
chuc_vu = "BÍ THƯ"
ho_ten = "Nguyễn Văn A"
"#
    };
}
#[allow(unused_imports)]
pub(crate) use report_head;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

// ---------------------------------------------------------------------------
// Paths and processes

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
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("issue2");
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

/// Copy every file of the example folder into a fresh scratch directory.
pub fn copy_example(tag: &str) -> PathBuf {
    let dir = scratch(tag);
    for entry in std::fs::read_dir(example_dir()).expect("read example dir") {
        let entry = entry.expect("dir entry");
        if entry.file_type().expect("file type").is_file() {
            let name = entry.file_name();
            if Path::new(&name).extension() == Some(OsStr::new("pdf")) {
                continue;
            }
            std::fs::copy(entry.path(), dir.join(name)).expect("copy example file");
        }
    }
    dir
}

/// True if `name` is an executable on PATH.
fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
        .unwrap_or(false)
}

/// On a fresh machine (the README promises the tests need only Rust), install the
/// PDF readers the tests use, once per test binary, with apt-get when we may. If
/// that is impossible, the tool call below fails the test with a clear message.
fn ensure_tools() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        if ["pdftotext", "pdffonts", "pdfinfo", "qpdf", "mutool"]
            .iter()
            .all(|t| on_path(t))
        {
            return;
        }
        if !on_path("apt-get") {
            return;
        }
        eprintln!("installing poppler-utils, qpdf, mupdf-tools for the PDF read-back tests…");
        let _ = Command::new("apt-get").args(["update", "-qq"]).status();
        let _ = Command::new("apt-get")
            .args([
                "install",
                "-y",
                "-qq",
                "poppler-utils",
                "qpdf",
                "mupdf-tools",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status();
    });
}

/// Run an external PDF tool. A missing tool is a test failure, never a skip.
pub fn tool<S: AsRef<OsStr>>(name: &str, args: &[S]) -> Output {
    ensure_tools();
    let mut cmd = Command::new(name);
    cmd.args(args);
    match cmd.output() {
        Ok(out) => out,
        Err(e) => panic!(
            "cannot run `{name}` ({e}). The tests read PDFs back with poppler-utils \
             (pdftotext, pdffonts, pdfinfo), qpdf and mupdf-tools (mutool): install them, \
             e.g. `apt-get install poppler-utils qpdf mupdf-tools`"
        ),
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

// ---------------------------------------------------------------------------
// Text helpers

/// Fold every run of Unicode whitespace (including U+00A0) to one space, trim.
pub fn fold(s: &str) -> String {
    s.split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// NFC form of `s`.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// mm → pt.
pub fn mm(v: f64) -> f64 {
    v * 72.0 / 25.4
}

/// Text of one page as pdftotext extracts it (1-based page).
pub fn pdftotext_page(pdf: &Path, page: usize) -> String {
    let p = page.to_string();
    tool_stdout(
        "pdftotext",
        &[
            OsStr::new("-f"),
            OsStr::new(&p),
            OsStr::new("-l"),
            OsStr::new(&p),
            pdf.as_os_str(),
            OsStr::new("-"),
        ],
    )
}

/// Text of the whole document as pdftotext extracts it.
pub fn pdftotext(pdf: &Path) -> String {
    tool_stdout("pdftotext", &[pdf.as_os_str(), OsStr::new("-")])
}

/// Number of pages, from `pdfinfo`.
pub fn page_count(pdf: &Path) -> usize {
    let info = tool_stdout("pdfinfo", &[pdf]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("pdfinfo printed no page count:\n{info}"))
}

// ---------------------------------------------------------------------------
// Profile and data

/// A TOML file with dotted-path look-ups (`"dau.phai.0.co"`).
#[derive(Debug, Clone)]
pub struct Toml(pub toml::Value);

impl Toml {
    pub fn load(path: &Path) -> Toml {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        Toml(toml::from_str(&text).unwrap_or_else(|e| panic!("parse {}: {e}", path.display())))
    }

    pub fn get(&self, path: &str) -> Option<&toml::Value> {
        let mut v = &self.0;
        for seg in path.split('.') {
            v = match v {
                toml::Value::Table(t) => t.get(seg)?,
                toml::Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(v)
    }

    pub fn v(&self, path: &str) -> &toml::Value {
        self.get(path)
            .unwrap_or_else(|| panic!("no `{path}` in the TOML file"))
    }

    /// A number (integer or float).
    pub fn f(&self, path: &str) -> f64 {
        match self.v(path) {
            toml::Value::Float(f) => *f,
            toml::Value::Integer(i) => *i as f64,
            other => panic!("`{path}` is not a number: {other}"),
        }
    }

    pub fn s(&self, path: &str) -> String {
        match self.v(path) {
            toml::Value::String(s) => s.clone(),
            other => panic!("`{path}` is not a string: {other}"),
        }
    }

    pub fn b(&self, path: &str, default: bool) -> bool {
        match self.get(path) {
            None => default,
            Some(toml::Value::Boolean(b)) => *b,
            Some(other) => panic!("`{path}` is not a boolean: {other}"),
        }
    }

    /// The style of a profile line spec `{ chu, co, dam, nghieng }`.
    pub fn style(&self, path: &str) -> Style {
        Style {
            size: self.f(&format!("{path}.co")),
            bold: self.b(&format!("{path}.dam"), false),
            italic: self.b(&format!("{path}.nghieng"), false),
        }
    }
}

/// Size and face a piece of text must have.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub size: f64,
    pub bold: bool,
    pub italic: bool,
}

/// The Party profile.
pub fn profile() -> &'static Toml {
    static P: OnceLock<Toml> = OnceLock::new();
    P.get_or_init(|| Toml::load(&root().join("profiles/dang-36.toml")))
}

/// The example's data.
pub fn data() -> &'static Toml {
    static D: OnceLock<Toml> = OnceLock::new();
    D.get_or_init(|| Toml::load(&example_data()))
}

/// Page geometry from the profile, pt, y from the top edge.
#[derive(Debug, Clone, Copy)]
pub struct Geometry {
    pub width: f64,
    pub height: f64,
    /// x of the left margin.
    pub left: f64,
    /// x of the right margin.
    pub right: f64,
    /// y of the top margin.
    pub top: f64,
    /// y of the bottom margin.
    pub bottom: f64,
}

impl Geometry {
    pub fn text_width(&self) -> f64 {
        self.right - self.left
    }
    pub fn centre(&self) -> f64 {
        (self.left + self.right) / 2.0
    }
}

impl Geometry {
    /// The text area of a page of `profile` (`trang.*`, mm); a landscape page
    /// swaps width and height and keeps the named margins.
    pub fn of(profile: &Toml, landscape: bool) -> Geometry {
        let (mut width, mut height) = (mm(profile.f("trang.rong")), mm(profile.f("trang.cao")));
        if landscape {
            std::mem::swap(&mut width, &mut height);
        }
        Geometry {
            width,
            height,
            left: mm(profile.f("trang.le_trai")),
            right: width - mm(profile.f("trang.le_phai")),
            top: mm(profile.f("trang.le_tren")),
            bottom: height - mm(profile.f("trang.le_duoi")),
        }
    }
}

/// The Party profile's portrait text area.
pub fn geometry() -> Geometry {
    Geometry::of(profile(), false)
}

// ---------------------------------------------------------------------------
// Font metrics (for the vertical extent of a glyph)

/// Ascender and descender (both positive, in em) of a bundled font, from its
/// `hhea` table: the line box MuPDF and poppler use for a character.
pub fn font_extent(base_name: &str) -> (f64, f64) {
    type Extents = Vec<(String, (f64, f64))>;
    static CACHE: OnceLock<std::sync::Mutex<Extents>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut c = cache.lock().expect("font cache");
    if let Some((_, e)) = c.iter().find(|(n, _)| n == base_name) {
        return *e;
    }
    let path = root().join("fonts").join(format!("{base_name}.ttf"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "the PDF uses font {base_name}, expected bundled as {}: {e}",
            path.display()
        )
    });
    let e = hhea_extent(&bytes)
        .unwrap_or_else(|| panic!("cannot read head/hhea of {}", path.display()));
    c.push((base_name.to_string(), e));
    e
}

fn hhea_extent(f: &[u8]) -> Option<(f64, f64)> {
    let u16_at =
        |o: usize| -> Option<u16> { Some(u16::from_be_bytes([*f.get(o)?, *f.get(o + 1)?])) };
    let u32_at = |o: usize| -> Option<u32> {
        Some(u32::from_be_bytes([
            *f.get(o)?,
            *f.get(o + 1)?,
            *f.get(o + 2)?,
            *f.get(o + 3)?,
        ]))
    };
    let n = u16_at(4)? as usize;
    let table = |tag: &[u8]| -> Option<usize> {
        (0..n).find_map(|i| {
            let rec = 12 + 16 * i;
            (f.get(rec..rec + 4)? == tag).then(|| u32_at(rec + 8).map(|o| o as usize))?
        })
    };
    let head = table(b"head")?;
    let hhea = table(b"hhea")?;
    let upem = u16_at(head + 18)? as f64;
    let asc = u16_at(hhea + 4)? as i16 as f64;
    let desc = u16_at(hhea + 6)? as i16 as f64;
    Some((asc / upem, -desc / upem))
}

// ---------------------------------------------------------------------------
// MuPDF trace → pages of glyphs and rules

/// One glyph as drawn, in page coordinates (pt, y from the top edge).
#[derive(Debug, Clone)]
pub struct Glyph {
    pub ch: String,
    /// Left of the glyph's origin.
    pub x: f64,
    /// Origin plus advance.
    pub x_end: f64,
    /// Baseline, from the top edge.
    pub y: f64,
    pub size: f64,
    /// Font name without the subset prefix, e.g. `Tinos-Bold`.
    pub font: String,
    /// Full font name as in the PDF, e.g. `ABCDEF+Tinos-Bold`.
    pub full_font: String,
    pub bold: bool,
    pub italic: bool,
}

impl Glyph {
    pub fn is_space(&self) -> bool {
        self.ch.chars().all(char::is_whitespace)
    }
    /// Top of the glyph's line box (font ascender).
    pub fn top(&self) -> f64 {
        self.y - font_extent(&self.font).0 * self.size
    }
    /// Bottom of the glyph's line box (font descender).
    pub fn bottom(&self) -> f64 {
        self.y + font_extent(&self.font).1 * self.size
    }
}

/// A straight stroked segment (or a thin filled rectangle), page coordinates.
#[derive(Debug, Clone)]
pub struct Rule {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    pub width: f64,
}

impl Rule {
    pub fn len(&self) -> f64 {
        ((self.x1 - self.x0).powi(2) + (self.y1 - self.y0).powi(2)).sqrt()
    }
    pub fn is_horizontal(&self) -> bool {
        (self.y1 - self.y0).abs() < 0.01
    }
    pub fn left(&self) -> f64 {
        self.x0.min(self.x1)
    }
    pub fn right(&self) -> f64 {
        self.x0.max(self.x1)
    }
    pub fn y(&self) -> f64 {
        (self.y0 + self.y1) / 2.0
    }
    pub fn is_vertical(&self) -> bool {
        (self.x1 - self.x0).abs() < 0.01 && (self.y1 - self.y0).abs() >= 0.01
    }
    /// x of a vertical rule (the middle of its ends).
    pub fn x(&self) -> f64 {
        (self.x0 + self.x1) / 2.0
    }
    pub fn top(&self) -> f64 {
        self.y0.min(self.y1)
    }
    pub fn bottom(&self) -> f64 {
        self.y0.max(self.y1)
    }
}

/// One page read back.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// 1-based.
    pub number: usize,
    pub width: f64,
    pub height: f64,
    pub glyphs: Vec<Glyph>,
    pub rules: Vec<Rule>,
}

/// A line of text: glyphs sharing a baseline (optionally within an x range).
#[derive(Debug, Clone)]
pub struct Line {
    pub page: usize,
    pub y: f64,
    pub glyphs: Vec<Glyph>,
}

impl Line {
    fn ink(&self) -> impl Iterator<Item = &Glyph> {
        self.glyphs.iter().filter(|g| !g.is_space())
    }
    /// The text, NFC, whitespace folded; a space is assumed where a gap between
    /// glyphs is wider than a fifth of the size.
    pub fn text(&self) -> String {
        let mut s = String::new();
        let mut prev_end: Option<f64> = None;
        for g in &self.glyphs {
            if let Some(end) = prev_end {
                if g.x - end > 0.2 * g.size && !g.is_space() && !s.ends_with(' ') {
                    s.push(' ');
                }
            }
            s.push_str(&g.ch);
            prev_end = Some(g.x_end);
        }
        fold(&nfc(&s))
    }
    /// Left edge of the first visible glyph.
    pub fn x0(&self) -> f64 {
        self.ink().map(|g| g.x).fold(f64::INFINITY, f64::min)
    }
    /// Right edge (origin + advance) of the last visible glyph.
    pub fn x1(&self) -> f64 {
        self.ink()
            .map(|g| g.x_end)
            .fold(f64::NEG_INFINITY, f64::max)
    }
    pub fn centre(&self) -> f64 {
        (self.x0() + self.x1()) / 2.0
    }
    pub fn width(&self) -> f64 {
        self.x1() - self.x0()
    }
    /// Panics unless every visible glyph has `style`; `what` names the line in the message.
    pub fn assert_style(&self, style: Style, what: &str) {
        for g in self.ink() {
            assert!(
                (g.size - style.size).abs() < 0.01 && g.bold == style.bold && g.italic == style.italic,
                "{what}: glyph {:?} of \"{}\" (page {}, baseline {:.2}) is {} {:.2} pt, expected {} {:.2} pt",
                g.ch,
                self.text(),
                self.page,
                self.y,
                face(g.bold, g.italic),
                g.size,
                face(style.bold, style.italic),
                style.size
            );
        }
    }
    pub fn describe(&self) -> String {
        format!(
            "page {} baseline {:.2} x {:.2}..{:.2}: \"{}\"",
            self.page,
            self.y,
            self.x0(),
            self.x1(),
            self.text()
        )
    }
}

pub fn face(bold: bool, italic: bool) -> &'static str {
    match (bold, italic) {
        (false, false) => "regular",
        (true, false) => "bold",
        (false, true) => "italic",
        (true, true) => "bold italic",
    }
}

impl Page {
    /// Lines of glyphs whose origin x is in `[x_min, x_max)`, top to bottom.
    pub fn lines_in(&self, x_min: f64, x_max: f64) -> Vec<Line> {
        let mut gs: Vec<&Glyph> = self
            .glyphs
            .iter()
            .filter(|g| g.x >= x_min && g.x < x_max)
            .collect();
        gs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
        let mut lines: Vec<Line> = Vec::new();
        for g in gs {
            match lines.last_mut() {
                Some(l) if (g.y - l.y).abs() < 0.5 => l.glyphs.push(g.clone()),
                _ => lines.push(Line {
                    page: self.number,
                    y: g.y,
                    glyphs: vec![g.clone()],
                }),
            }
        }
        for l in &mut lines {
            l.glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
        }
        // Drop lines made only of spaces.
        lines.retain(|l| l.glyphs.iter().any(|g| !g.is_space()));
        lines
    }

    /// All lines of the page.
    pub fn lines(&self) -> Vec<Line> {
        self.lines_in(f64::NEG_INFINITY, f64::INFINITY)
    }

    pub fn dump(&self) -> String {
        self.lines()
            .iter()
            .map(|l| l.describe())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Parse the attributes of one XML start tag (`<name a="1" b="2"/>`).
fn attrs(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let body = tag
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim_end_matches('/');
    let mut rest = match body.find(char::is_whitespace) {
        Some(i) => &body[i..],
        None => return out,
    };
    loop {
        rest = rest.trim_start();
        let Some(eq) = rest.find("=\"") else { break };
        let name = rest[..eq].trim().to_string();
        let after = &rest[eq + 2..];
        let Some(close) = after.find('"') else { break };
        out.push((name, unescape(&after[..close])));
        rest = &after[close + 1..];
    }
    out
}

fn attr<'a>(a: &'a [(String, String)], name: &str) -> Option<&'a str> {
    a.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

fn num(a: &[(String, String)], name: &str, line: &str) -> f64 {
    attr(a, name)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("trace: no number `{name}` in {line}"))
}

fn nums(a: &[(String, String)], name: &str, line: &str) -> Vec<f64> {
    attr(a, name)
        .map(|v| {
            v.split_whitespace()
                .filter_map(|t| t.parse().ok())
                .collect()
        })
        .unwrap_or_else(|| panic!("trace: no `{name}` in {line}"))
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let Some(end) = tail.find(';') else {
            out.push_str(tail);
            return out;
        };
        let ent = &tail[1..end];
        let ch = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => {
                let code =
                    if let Some(h) = ent.strip_prefix("#x").or_else(|| ent.strip_prefix("#X")) {
                        u32::from_str_radix(h, 16).ok()
                    } else {
                        ent.strip_prefix('#').and_then(|d| d.parse().ok())
                    };
                code.and_then(char::from_u32)
            }
        };
        match ch {
            Some(c) => out.push(c),
            None => out.push_str(&tail[..=end]),
        }
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

/// An affine matrix `[a b c d e f]`.
#[derive(Clone, Copy, Debug)]
struct Matrix([f64; 6]);

impl Matrix {
    fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }
    fn scale(&self) -> f64 {
        let [a, b, c, d, ..] = self.0;
        ((a * d - b * c).abs()).sqrt()
    }
    fn from(v: &[f64], line: &str) -> Matrix {
        assert!(v.len() == 6, "trace: bad matrix in {line}");
        Matrix([v[0], v[1], v[2], v[3], v[4], v[5]])
    }
}

/// Parse the output of `mutool draw -N -F trace -o - file.pdf`.
pub fn parse_trace(trace: &str) -> Vec<Page> {
    let mut pages: Vec<Page> = Vec::new();
    let mut page: Option<Page> = None;
    let mut ctm = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    let mut in_text = false;
    // Current span: font, trm.
    let mut span: Option<(String, [f64; 4])> = None;
    // Current path: points, stroke width (None for a fill).
    let mut path: Vec<(f64, f64)> = Vec::new();
    let mut path_segments: Vec<((f64, f64), (f64, f64))> = Vec::new();
    let mut in_path: Option<Option<f64>> = None;
    for raw in trace.lines() {
        let line = raw.trim();
        if line.starts_with("<page ") || line == "<page>" {
            let a = attrs(line);
            let mb = nums(&a, "mediabox", line);
            assert!(mb.len() == 4, "trace: bad mediabox in {line}");
            page = Some(Page {
                number: pages.len() + 1,
                width: mb[2] - mb[0],
                height: mb[3] - mb[1],
                ..Page::default()
            });
        } else if line.starts_with("</page") {
            pages.push(page.take().expect("trace: </page> without <page>"));
        } else if line.starts_with("<fill_text") || line.starts_with("<stroke_text") {
            let a = attrs(line);
            ctm = Matrix::from(&nums(&a, "transform", line), line);
            in_text = true;
        } else if line.starts_with("</fill_text") || line.starts_with("</stroke_text") {
            in_text = false;
        } else if line.starts_with("<span") {
            let a = attrs(line);
            let font = attr(&a, "font")
                .unwrap_or_else(|| panic!("trace: span without font: {line}"))
                .to_string();
            let t = nums(&a, "trm", line);
            assert!(t.len() == 4, "trace: bad trm in {line}");
            span = Some((font, [t[0], t[1], t[2], t[3]]));
        } else if line.starts_with("</span") {
            span = None;
        } else if line.starts_with("<g ") && in_text {
            let a = attrs(line);
            let (font, trm) = span
                .clone()
                .unwrap_or_else(|| panic!("trace: glyph outside a span: {line}"));
            let ch = attr(&a, "unicode").unwrap_or("").to_string();
            let x = num(&a, "x", line);
            let y = num(&a, "y", line);
            let adv = attr(&a, "adv")
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0);
            let (px, py) = ctm.apply(x, y);
            let (ex, _) = ctm.apply(x + adv * trm[0], y + adv * trm[1]);
            let size = (trm[0] * trm[3] - trm[1] * trm[2]).abs().sqrt() * ctm.scale();
            let base = font
                .split_once('+')
                .map(|(_, b)| b)
                .unwrap_or(&font)
                .to_string();
            let p = page.as_mut().expect("trace: glyph outside a page");
            p.glyphs.push(Glyph {
                ch,
                x: px.min(ex),
                x_end: px.max(ex),
                y: py,
                size,
                bold: base.contains("Bold"),
                italic: base.contains("Italic") || base.contains("Oblique"),
                font: base,
                full_font: font,
            });
        } else if line.starts_with("<stroke_path") || line.starts_with("<fill_path") {
            let a = attrs(line);
            ctm = Matrix::from(&nums(&a, "transform", line), line);
            let width = if line.starts_with("<stroke_path") {
                Some(
                    attr(&a, "linewidth")
                        .and_then(|v| v.parse::<f64>().ok())
                        .unwrap_or(1.0)
                        * ctm.scale(),
                )
            } else {
                None
            };
            in_path = Some(width);
            path.clear();
            path_segments.clear();
        } else if (line.starts_with("<moveto") || line.starts_with("<lineto")) && in_path.is_some()
        {
            let a = attrs(line);
            let pt = ctm.apply(num(&a, "x", line), num(&a, "y", line));
            if line.starts_with("<lineto") {
                if let Some(&prev) = path.last() {
                    path_segments.push((prev, pt));
                }
            }
            path.push(pt);
        } else if line.starts_with("</stroke_path") || line.starts_with("</fill_path") {
            let p = page.as_mut().expect("trace: path outside a page");
            match in_path.take().flatten() {
                Some(width) => {
                    for &((x0, y0), (x1, y1)) in &path_segments {
                        p.rules.push(Rule {
                            x0,
                            y0,
                            x1,
                            y1,
                            width,
                        });
                    }
                }
                None => {
                    // A thin filled rectangle drawn instead of a stroke.
                    if path.len() >= 4 {
                        let (xs, ys): (Vec<f64>, Vec<f64>) = path.iter().copied().unzip();
                        let (x0, x1) = (
                            xs.iter().copied().fold(f64::INFINITY, f64::min),
                            xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                        );
                        let (y0, y1) = (
                            ys.iter().copied().fold(f64::INFINITY, f64::min),
                            ys.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                        );
                        if y1 - y0 <= 2.0 && x1 - x0 > y1 - y0 {
                            let y = (y0 + y1) / 2.0;
                            p.rules.push(Rule {
                                x0,
                                y0: y,
                                x1,
                                y1: y,
                                width: y1 - y0,
                            });
                        }
                    }
                }
            }
        }
    }
    assert!(page.is_none(), "trace: unterminated page");
    pages
}

/// Read back every page of `pdf` through MuPDF's trace device.
pub fn trace_pages(pdf: &Path) -> Vec<Page> {
    let out = tool_stdout(
        "mutool",
        &[
            OsStr::new("draw"),
            OsStr::new("-N"),
            OsStr::new("-F"),
            OsStr::new("trace"),
            OsStr::new("-o"),
            OsStr::new("-"),
            pdf.as_os_str(),
        ],
    );
    let pages = parse_trace(&out);
    assert!(
        !pages.is_empty(),
        "mutool trace of {} shows no page",
        pdf.display()
    );
    pages
}

// ---------------------------------------------------------------------------
// Markup blocks (from `baocao render --emit markup`, parsed by pulldown-cmark)

#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    Heading(usize),
    /// A paragraph or a list item (its marker, "- " or "3. ", starts its text).
    Paragraph,
    /// A GFM table; its cells are in [`Block::cells`].
    Table,
    /// `\pagebreak`: what follows starts a new page.
    PageBreak,
    /// `\ngang` (`true`, landscape) or `\doc` (`false`): a section on a new page.
    Section(bool),
}

#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    /// Plain text, folded, NFC (a table's cells joined by spaces).
    pub text: String,
    /// Whether the block had emphasis (bold/italic runs).
    pub emphasis: bool,
    /// A table's cells, row by row (the header row first), plain text folded and
    /// NFC, span markers (`<`, `^`) as written; empty for other blocks.
    pub cells: Vec<Vec<String>>,
    /// A table's column alignments from its delimiter row; empty for other blocks.
    pub align: Vec<pulldown_cmark::Alignment>,
}

/// The example's markup, as `baocao render --emit markup` prints it.
pub fn emit_markup(data: &Path) -> String {
    let out = bin()
        .arg("render")
        .arg(data)
        .arg("--emit")
        .arg("markup")
        .output()
        .expect("run baocao");
    assert!(
        out.status.success(),
        "baocao render --emit markup failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("markup is UTF-8")
}

/// Headings, paragraphs (list items included), tables and the `\pagebreak`,
/// `\ngang`, `\doc` directives of a CommonMark + GFM text, in order — as the
/// README describes the markup, read with pulldown-cmark (tables enabled).
pub fn blocks(markup: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut chunk = String::new();
    for line in markup.split('\n') {
        let directive = match line.trim() {
            "\\pagebreak" => Some(BlockKind::PageBreak),
            "\\ngang" => Some(BlockKind::Section(true)),
            "\\doc" => Some(BlockKind::Section(false)),
            _ => None,
        };
        match directive {
            Some(kind) => {
                chunk_blocks(&chunk, &mut out);
                chunk.clear();
                out.push(Block {
                    kind,
                    text: String::new(),
                    emphasis: false,
                    cells: Vec::new(),
                    align: Vec::new(),
                });
            }
            None => {
                chunk.push_str(line);
                chunk.push('\n');
            }
        }
    }
    chunk_blocks(&chunk, &mut out);
    out
}

/// Text being gathered for the next paragraph or list item.
#[derive(Default)]
struct Gather {
    text: String,
    emphasis: bool,
    marker: Option<String>,
}

impl Gather {
    /// Emit the paragraph or list item gathered so far, if any.
    fn flush(&mut self, out: &mut Vec<Block>) {
        let marker = self.marker.take();
        let text = std::mem::take(&mut self.text);
        let emphasis = std::mem::take(&mut self.emphasis);
        if !text.trim().is_empty() || marker.is_some() {
            out.push(Block {
                kind: BlockKind::Paragraph,
                text: fold(&nfc(&format!("{}{text}", marker.unwrap_or_default()))),
                emphasis,
                cells: Vec::new(),
                align: Vec::new(),
            });
        }
    }
}

fn chunk_blocks(chunk: &str, out: &mut Vec<Block>) {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut g = Gather::default();
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut table: Option<(Vec<Vec<String>>, bool)> = None;
    let mut align = Vec::new();
    let mut row: Vec<String> = Vec::new();
    for ev in Parser::new_ext(chunk, Options::ENABLE_TABLES) {
        match ev {
            Event::Start(Tag::Heading { .. }) => g.flush(out),
            Event::End(TagEnd::Heading(level)) => {
                out.push(Block {
                    kind: BlockKind::Heading(level as usize),
                    text: fold(&nfc(&g.text)),
                    emphasis: g.emphasis,
                    cells: Vec::new(),
                    align: Vec::new(),
                });
                g = Gather::default();
            }
            Event::End(TagEnd::Paragraph) if table.is_none() => g.flush(out),
            Event::Start(Tag::List(start)) => {
                g.flush(out);
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                g.flush(out);
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                g.flush(out);
                g.marker = Some(match lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "- ".to_string(),
                });
            }
            Event::End(TagEnd::Item) => g.flush(out),
            Event::Start(Tag::Table(a)) => {
                g.flush(out);
                align = a;
                table = Some((Vec::new(), false));
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => row.clear(),
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                if let Some((rows, _)) = table.as_mut() {
                    rows.push(std::mem::take(&mut row));
                }
            }
            Event::Start(Tag::TableCell) => g.text.clear(),
            Event::End(TagEnd::TableCell) => {
                row.push(fold(&nfc(&std::mem::take(&mut g.text))));
                if std::mem::take(&mut g.emphasis) {
                    if let Some(t) = table.as_mut() {
                        t.1 = true;
                    }
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some((cells, emphasis)) = table.take() {
                    let text = cells
                        .iter()
                        .flatten()
                        .filter(|c| !c.is_empty())
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" ");
                    out.push(Block {
                        kind: BlockKind::Table,
                        text,
                        emphasis,
                        cells,
                        align: std::mem::take(&mut align),
                    });
                }
            }
            Event::Start(Tag::Strong) | Event::Start(Tag::Emphasis) => g.emphasis = true,
            Event::Text(t) | Event::Code(t) => g.text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => g.text.push(' '),
            _ => {}
        }
    }
    g.flush(out);
}

// ---------------------------------------------------------------------------
// Rendered examples, once per test binary

pub struct Example {
    pub data: PathBuf,
    pub pdf: PathBuf,
    pub pages: Vec<Page>,
    pub markup: String,
}

impl Example {
    /// Render `data` (a report data file) to a scratch folder and read it back.
    pub fn render(data: &Path, tag: &str) -> Example {
        let dir = scratch(tag);
        let pdf = render(data, &dir);
        let pages = trace_pages(&pdf);
        let markup = emit_markup(data);
        Example {
            data: data.to_path_buf(),
            pdf,
            pages,
            markup,
        }
    }
}

/// The Party example (Bắc Kạn), rendered once.
pub fn example() -> &'static Example {
    static EX: OnceLock<Example> = OnceLock::new();
    EX.get_or_init(|| Example::render(&example_data(), "example"))
}

/// The State example's folder (ward report, layout `nha-nuoc`).
pub fn ward_dir() -> PathBuf {
    root().join("examples/phuong-tan-dinh-2025")
}

/// The State example's data file.
pub fn ward_data() -> PathBuf {
    ward_dir().join("bao-cao.toml")
}

/// The State example, rendered once.
pub fn ward() -> &'static Example {
    static EX: OnceLock<Example> = OnceLock::new();
    EX.get_or_init(|| Example::render(&ward_data(), "ward"))
}

/// The State example's data.
pub fn ward_toml() -> &'static Toml {
    static D: OnceLock<Toml> = OnceLock::new();
    D.get_or_init(|| Toml::load(&ward_data()))
}

/// A built-in profile by name (`profiles/<name>.toml`).
pub fn builtin_profile(name: &str) -> &'static Toml {
    type Loaded = Vec<(String, &'static Toml)>;
    static CACHE: OnceLock<std::sync::Mutex<Loaded>> = OnceLock::new();
    let mut c = CACHE
        .get_or_init(Default::default)
        .lock()
        .expect("profile cache");
    if let Some((_, t)) = c.iter().find(|(n, _)| n == name) {
        return t;
    }
    let t: &'static Toml = Box::leak(Box::new(Toml::load(
        &root().join("profiles").join(format!("{name}.toml")),
    )));
    c.push((name.to_string(), t));
    t
}

/// The page-number line of page `n` (n ≥ 2): the topmost line, if its text is `n`.
pub fn page_number_line(page: &Page) -> Option<Line> {
    let first = page.lines().into_iter().next()?;
    (first.text() == page.number.to_string()).then_some(first)
}

/// True if vertical rules on `page` stand left and right of `line` across its
/// baseline: the line is text inside a ruled table.
pub fn inside_ruled_box(page: &Page, line: &Line) -> bool {
    let across = |r: &&Rule| r.is_vertical() && r.top() < line.y && r.bottom() > line.y;
    let (x0, x1) = (line.x0(), line.x1());
    page.rules.iter().filter(across).any(|r| r.x() <= x0 + 0.01)
        && page.rules.iter().filter(across).any(|r| r.x() >= x1 - 0.01)
}

/// Words of a text, as a multiset.
fn word_counts<'a>(
    texts: impl Iterator<Item = &'a str>,
) -> std::collections::BTreeMap<String, usize> {
    let mut m = std::collections::BTreeMap::new();
    for t in texts {
        for w in t.split_whitespace() {
            *m.entry(w.to_string()).or_insert(0) += 1;
        }
    }
    m
}

/// The flow of a rendered report, read back: front matter (page 1 down to the
/// end of the title block), the body's blocks with their lines, and where the
/// closing part (signature, recipients) starts.
pub struct Flow {
    /// Page 1 lines down to and including the last line of the title block
    /// (the "-----" line, or the summary when the profile has none).
    pub front: Vec<Line>,
    /// Each markup block with the PDF lines that show it (directives, which show
    /// nothing, are left out). A table's lines are every line inside its rules,
    /// repeated header rows included.
    pub body: Vec<(Block, Vec<Line>)>,
    /// The signature follows the last line of the main text: this page, below `closing_top`.
    pub closing_page: usize,
    pub closing_top: f64,
}

/// Read the flow of `pages` against `markup`, with the labels of `profile` and `data`.
pub fn read_flow(pages: &[Page], markup: &str, profile: &Toml, data: &Toml) -> Flow {
    let mut lines: Vec<Line> = Vec::new();
    for p in pages {
        let mut ls = p.lines();
        if p.number >= 2 && page_number_line(p).is_some() {
            ls.remove(0);
        }
        lines.extend(ls);
    }
    let page_of = |l: &Line| &pages[l.page - 1];
    let end_of_front = {
        let gach = profile.s("tieu_de.gach.chu");
        if !gach.trim().is_empty() {
            lines
                .iter()
                .position(|l| l.page == 1 && l.text() == gach)
                .unwrap_or_else(|| {
                    panic!(
                        "no \"{gach}\" line under the title on page 1:\n{}",
                        pages[0].dump()
                    )
                })
        } else {
            let loai = data
                .get("van_ban.loai")
                .and_then(|v| v.as_str())
                .unwrap_or("BÁO CÁO")
                .to_string();
            let title = lines
                .iter()
                .position(|l| l.page == 1 && l.text() == loai)
                .unwrap_or_else(|| panic!("no title \"{loai}\" on page 1:\n{}", pages[0].dump()));
            let summary = fold(&nfc(&data.s("van_ban.trich_yeu")));
            let mut acc = String::new();
            let mut k = title;
            while acc != summary {
                k += 1;
                let t = lines
                    .get(k)
                    .unwrap_or_else(|| panic!("the summary \"{summary}\" never completes"))
                    .text();
                acc = if acc.is_empty() {
                    t
                } else {
                    format!("{acc} {t}")
                };
                assert!(
                    summary.starts_with(&acc),
                    "the lines under the title do not spell the summary:\nsummary: \"{summary}\"\nPDF:     \"{acc}\""
                );
            }
            k
        }
    };
    let front = lines[..=end_of_front].to_vec();
    let mut i = end_of_front + 1;
    let mut body: Vec<(Block, Vec<Line>)> = Vec::new();
    let mut closing: Option<(usize, f64)> = None;
    // Set by a directive: (the page the next block must come after, landscape wanted).
    let mut new_page: Option<(usize, Option<bool>)> = None;
    for block in blocks(markup) {
        let last_page = i.checked_sub(1).map(|k| lines[k].page).unwrap_or(1);
        match block.kind {
            BlockKind::PageBreak => {
                new_page = Some((last_page, None));
                continue;
            }
            BlockKind::Section(landscape) => {
                if closing.is_none() {
                    // The signature closes the main text and precedes the sections:
                    // skip it (down to the signer's name) and the rest of its page.
                    let last = &lines[i - 1];
                    closing = Some((last.page, last.y));
                    let name = fold(&nfc(&data.s("ky.ho_ten")));
                    let k = (i..lines.len())
                        .find(|&k| lines[k].text().contains(&name))
                        .unwrap_or_else(|| {
                            panic!(
                                "no signature (\"{name}\") before the section that starts after {}",
                                last.describe()
                            )
                        });
                    let sig_page = lines[k].page;
                    i = k + 1;
                    while i < lines.len() && lines[i].page == sig_page {
                        i += 1;
                    }
                    new_page = Some((sig_page, Some(landscape)));
                } else {
                    new_page = Some((last_page, Some(landscape)));
                }
                continue;
            }
            _ => {}
        }
        let mut got: Vec<Line> = Vec::new();
        if block.kind == BlockKind::Table {
            while i < lines.len() && inside_ruled_box(page_of(&lines[i]), &lines[i]) {
                got.push(lines[i].clone());
                i += 1;
            }
            assert!(
                !got.is_empty(),
                "the markup has a table here (\"{}…\") but the next PDF line is not inside table rules: {}",
                block.text.chars().take(60).collect::<String>(),
                lines.get(i).map(Line::describe).unwrap_or_else(|| "(end of document)".into())
            );
            let have = word_counts(
                got.iter()
                    .map(Line::text)
                    .collect::<Vec<_>>()
                    .iter()
                    .map(String::as_str),
            );
            let need = word_counts(
                block
                    .cells
                    .iter()
                    .flatten()
                    .filter(|c| *c != "<" && *c != "^")
                    .map(String::as_str),
            );
            let missing: Vec<String> = need
                .iter()
                .filter(|(w, n)| have.get(*w).copied().unwrap_or(0) < **n)
                .map(|(w, n)| format!("{w:?}×{n} (PDF has {})", have.get(w).copied().unwrap_or(0)))
                .collect();
            assert!(
                missing.is_empty(),
                "words of the table's cells missing from its ruled lines (page {}..{}): {}",
                got[0].page,
                got[got.len() - 1].page,
                missing.join(", ")
            );
        } else {
            let mut acc = String::new();
            while acc != block.text {
                let Some(l) = lines.get(i) else {
                    panic!("the PDF ends before the markup block \"{}\" is complete; read so far: \"{acc}\"", block.text)
                };
                i += 1;
                let t = l.text();
                acc = if acc.is_empty() {
                    t
                } else {
                    format!("{acc} {t}")
                };
                got.push(l.clone());
                assert!(
                    block.text.starts_with(&acc),
                    "PDF lines do not spell the markup block in order.\nblock: \"{}\"\nPDF:   \"{acc}\"\nlast line: {}",
                    block.text,
                    l.describe()
                );
            }
        }
        if let Some((after, landscape)) = new_page.take() {
            let first = &got[0];
            assert!(
                first.page > after,
                "a directive in the markup starts a new page, but \"{}\" is on page {} (the text before it ends on page {after})",
                block.text.chars().take(60).collect::<String>(),
                first.page
            );
            if let Some(l) = landscape {
                let p = page_of(first);
                assert_eq!(
                    p.width > p.height,
                    l,
                    "page {} ({:.1} × {:.1} pt) should be {}",
                    p.number,
                    p.width,
                    p.height,
                    if l { "landscape" } else { "portrait" }
                );
            }
        }
        body.push((block, got));
    }
    let (closing_page, closing_top) = closing.unwrap_or_else(|| {
        let last = body
            .last()
            .and_then(|(_, ls)| ls.last())
            .expect("the body has lines");
        (last.page, last.y)
    });
    Flow {
        front,
        body,
        closing_page,
        closing_top,
    }
}

/// The flow of the Party example.
pub fn flow() -> &'static Flow {
    static F: OnceLock<Flow> = OnceLock::new();
    F.get_or_init(|| {
        let ex = example();
        read_flow(&ex.pages, &ex.markup, profile(), data())
    })
}

// ---------------------------------------------------------------------------
// Ruled tables read back from the trace: cells are the rectangles the rules
// enclose, text is the glyphs inside them.

/// One cell of a ruled table: the rectangle between its rules, and its glyphs.
#[derive(Debug, Clone)]
pub struct TableCell {
    pub page: usize,
    pub x0: f64,
    pub x1: f64,
    pub y0: f64,
    pub y1: f64,
    /// Index of the first and one past the last elementary column it covers.
    pub cols: (usize, usize),
    /// Index of the first and one past the last elementary band it covers.
    pub bands: (usize, usize),
    pub glyphs: Vec<Glyph>,
}

impl TableCell {
    /// The cell's lines of text, top to bottom.
    pub fn lines(&self) -> Vec<Line> {
        let p = Page {
            number: self.page,
            glyphs: self.glyphs.clone(),
            ..Page::default()
        };
        p.lines()
    }
    /// The cell's text, its lines joined by spaces.
    pub fn text(&self) -> String {
        fold(
            &self
                .lines()
                .iter()
                .map(Line::text)
                .collect::<Vec<_>>()
                .join(" "),
        )
    }
    pub fn ink(&self) -> impl Iterator<Item = &Glyph> {
        self.glyphs.iter().filter(|g| !g.is_space())
    }
    pub fn is_empty(&self) -> bool {
        self.ink().next().is_none()
    }
    pub fn centre(&self) -> f64 {
        (self.x0 + self.x1) / 2.0
    }
    pub fn describe(&self) -> String {
        format!(
            "page {} cell x {:.2}..{:.2} y {:.2}..{:.2} \"{}\"",
            self.page,
            self.x0,
            self.x1,
            self.y0,
            self.y1,
            self.text()
        )
    }
}

/// A ruled table (or the part of one) on one page.
#[derive(Debug, Clone)]
pub struct TableGrid {
    pub page: usize,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    /// x of every vertical rule position, left to right.
    pub xs: Vec<f64>,
    /// y of every horizontal rule position, top to bottom.
    pub ys: Vec<f64>,
    /// Cells in reading order (by top, then left).
    pub cells: Vec<TableCell>,
    /// The table's rules.
    pub rules: Vec<Rule>,
}

impl TableGrid {
    /// Number of elementary bands (between consecutive horizontal rules).
    pub fn band_count(&self) -> usize {
        self.ys.len().saturating_sub(1)
    }
    /// Cells that start in band `b`, left to right.
    pub fn band(&self, b: usize) -> Vec<&TableCell> {
        self.cells.iter().filter(|c| c.bands.0 == b).collect()
    }
    /// Texts of the cells that start in band `b`.
    pub fn band_texts(&self, b: usize) -> Vec<String> {
        self.band(b).iter().map(|c| c.text()).collect()
    }
    /// True if a vertical rule crosses the middle of band `b` strictly between
    /// `x0` and `x1`.
    pub fn vertical_rule_inside(&self, b: usize, x0: f64, x1: f64) -> bool {
        let y = (self.ys[b] + self.ys[b + 1]) / 2.0;
        self.rules.iter().any(|r| {
            r.is_vertical() && r.top() < y && r.bottom() > y && r.x() > x0 + 0.5 && r.x() < x1 - 0.5
        })
    }
}

fn cluster(mut v: Vec<f64>, tol: f64) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    let mut out: Vec<Vec<f64>> = Vec::new();
    for x in v {
        match out.last_mut() {
            Some(c) if x - c[c.len() - 1] <= tol => c.push(x),
            _ => out.push(vec![x]),
        }
    }
    out.iter()
        .map(|c| c.iter().sum::<f64>() / c.len() as f64)
        .collect()
}

/// Every ruled table on `page`: regions of vertical rules that overlap in y,
/// cut into cells by the rule segments that are actually drawn.
pub fn read_tables(page: &Page) -> Vec<TableGrid> {
    const TOL: f64 = 0.05;
    let mut verticals: Vec<&Rule> = page.rules.iter().filter(|r| r.is_vertical()).collect();
    verticals.sort_by(|a, b| a.top().total_cmp(&b.top()));
    // Regions: runs of vertical rules whose y ranges touch.
    let mut regions: Vec<(f64, f64, Vec<&Rule>)> = Vec::new();
    for r in verticals {
        match regions.last_mut() {
            Some((_, bottom, rs)) if r.top() <= *bottom + 0.5 => {
                *bottom = bottom.max(r.bottom());
                rs.push(r);
            }
            _ => regions.push((r.top(), r.bottom(), vec![r])),
        }
    }
    let mut grids = Vec::new();
    for (top, bottom, vs) in regions {
        let left = vs.iter().map(|r| r.x()).fold(f64::INFINITY, f64::min);
        let right = vs.iter().map(|r| r.x()).fold(f64::NEG_INFINITY, f64::max);
        let hs: Vec<&Rule> = page
            .rules
            .iter()
            .filter(|r| {
                r.is_horizontal()
                    && r.y() >= top - 0.5
                    && r.y() <= bottom + 0.5
                    && r.left() >= left - 0.5
                    && r.right() <= right + 0.5
            })
            .collect();
        let xs = cluster(vs.iter().map(|r| r.x()).collect(), TOL);
        let ys = cluster(hs.iter().map(|r| r.y()).collect(), TOL);
        if xs.len() < 2 || ys.len() < 2 {
            continue;
        }
        let (nb, nc) = (ys.len() - 1, xs.len() - 1);
        let vwall = |b: usize, x: f64| {
            let y = (ys[b] + ys[b + 1]) / 2.0;
            vs.iter()
                .any(|r| (r.x() - x).abs() <= TOL * 2.0 && r.top() < y && r.bottom() > y)
        };
        let hwall = |y: f64, c: usize| {
            let x = (xs[c] + xs[c + 1]) / 2.0;
            hs.iter()
                .any(|r| (r.y() - y).abs() <= TOL * 2.0 && r.left() < x && r.right() > x)
        };
        // Union-find over elementary cells.
        let mut parent: Vec<usize> = (0..nb * nc).collect();
        fn find(p: &mut [usize], i: usize) -> usize {
            let mut i = i;
            while p[i] != i {
                p[i] = p[p[i]];
                i = p[i];
            }
            i
        }
        for b in 0..nb {
            for c in 0..nc {
                if c + 1 < nc && !vwall(b, xs[c + 1]) {
                    let (a, z) = (
                        find(&mut parent, b * nc + c),
                        find(&mut parent, b * nc + c + 1),
                    );
                    parent[a] = z;
                }
                if b + 1 < nb && !hwall(ys[b + 1], c) {
                    let (a, z) = (
                        find(&mut parent, b * nc + c),
                        find(&mut parent, (b + 1) * nc + c),
                    );
                    parent[a] = z;
                }
            }
        }
        let mut groups: std::collections::BTreeMap<usize, Vec<(usize, usize)>> = Default::default();
        for b in 0..nb {
            for c in 0..nc {
                let root = find(&mut parent, b * nc + c);
                groups.entry(root).or_default().push((b, c));
            }
        }
        let mut cells: Vec<TableCell> = Vec::new();
        for members in groups.values() {
            let b0 = members.iter().map(|m| m.0).min().unwrap_or(0);
            let b1 = members.iter().map(|m| m.0).max().unwrap_or(0) + 1;
            let c0 = members.iter().map(|m| m.1).min().unwrap_or(0);
            let c1 = members.iter().map(|m| m.1).max().unwrap_or(0) + 1;
            assert_eq!(
                members.len(),
                (b1 - b0) * (c1 - c0),
                "page {}: the rules enclose a region that is not a rectangle (bands {b0}..{b1}, columns {c0}..{c1})",
                page.number
            );
            cells.push(TableCell {
                page: page.number,
                x0: xs[c0],
                x1: xs[c1],
                y0: ys[b0],
                y1: ys[b1],
                cols: (c0, c1),
                bands: (b0, b1),
                glyphs: Vec::new(),
            });
        }
        cells.sort_by(|a, b| a.bands.0.cmp(&b.bands.0).then(a.cols.0.cmp(&b.cols.0)));
        // Each glyph goes to the cell holding its origin (just right of it,
        // just above the baseline).
        for g in &page.glyphs {
            let (x, y) = (g.x + 0.01, g.y - 0.01);
            if x < xs[0] || x > xs[nc] || y < ys[0] || y > ys[nb] {
                continue;
            }
            if let Some(c) = cells
                .iter_mut()
                .find(|c| x >= c.x0 && x < c.x1 && y >= c.y0 && y < c.y1)
            {
                c.glyphs.push(g.clone());
            }
        }
        let mut rules: Vec<Rule> = vs.into_iter().cloned().collect();
        rules.extend(hs.into_iter().cloned());
        grids.push(TableGrid {
            page: page.number,
            left,
            right,
            top: ys[0],
            bottom: ys[nb],
            xs,
            ys,
            cells,
            rules,
        });
    }
    grids
}

// ---------------------------------------------------------------------------
// Exact numbers from a TOML file: the digits as typed, never through f64.

/// A TOML file kept as text, for exact number look-ups.
pub struct RawToml {
    pub text: String,
}

/// A typed TOML number, exactly.
pub fn exact(v: &toml::de::DeValue) -> Option<rust_decimal::Decimal> {
    use std::str::FromStr;
    let s = match v {
        toml::de::DeValue::Integer(i) => i.as_str().to_string(),
        toml::de::DeValue::Float(f) => f.as_str().to_string(),
        _ => return None,
    };
    rust_decimal::Decimal::from_str(&s.replace('_', "")).ok()
}

impl RawToml {
    pub fn load(path: &Path) -> RawToml {
        RawToml {
            text: std::fs::read_to_string(path)
                .unwrap_or_else(|e| panic!("read {}: {e}", path.display())),
        }
    }

    /// The rows of the array of tables (or inline tables) `key`: each row's
    /// numbers exactly and its strings, by field name.
    pub fn rows(&self, key: &str) -> Vec<RawRow> {
        let root = toml::de::DeTable::parse(&self.text).expect("TOML parses");
        let v = root
            .get_ref()
            .get(key)
            .unwrap_or_else(|| panic!("no `{key}` in the data"));
        let toml::de::DeValue::Array(items) = v.get_ref() else {
            panic!("`{key}` is not an array");
        };
        items
            .iter()
            .map(|item| {
                let toml::de::DeValue::Table(t) = item.get_ref() else {
                    panic!("an item of `{key}` is not a table");
                };
                let mut row = RawRow::default();
                for (k, v) in t.iter() {
                    let name = k.get_ref().to_string();
                    match v.get_ref() {
                        toml::de::DeValue::String(s) => {
                            row.strings.insert(name, nfc(s));
                        }
                        other => {
                            if let Some(d) = exact(other) {
                                row.numbers.insert(name, d);
                            }
                        }
                    }
                }
                row
            })
            .collect()
    }
}

/// One row of an array of tables, read exactly.
#[derive(Debug, Clone, Default)]
pub struct RawRow {
    pub numbers: std::collections::BTreeMap<String, rust_decimal::Decimal>,
    pub strings: std::collections::BTreeMap<String, String>,
}

impl RawRow {
    pub fn num(&self, k: &str) -> Option<rust_decimal::Decimal> {
        self.numbers.get(k).copied()
    }
    pub fn str(&self, k: &str) -> String {
        self.strings.get(k).cloned().unwrap_or_default()
    }
}

/// A markup table as it should read back: `<` joins a cell to the one on its
/// left, `^` to the one above, and rows right under the header that hold a `^`
/// belong to the header (README, "Bảng").
#[derive(Debug, Clone)]
pub struct ExpectedTable {
    /// Number of header rows (the header row and the `^` rows under it).
    pub header_rows: usize,
    /// Header cells in reading order, markers left out.
    pub header: Vec<String>,
    /// Body rows, each with its cells (a `<` cell merged into its left neighbour).
    pub body: Vec<Vec<String>>,
    /// Columns of the table.
    pub ncols: usize,
    pub align: Vec<pulldown_cmark::Alignment>,
}

impl ExpectedTable {
    pub fn of(block: &Block) -> ExpectedTable {
        assert_eq!(block.kind, BlockKind::Table, "not a table block");
        let rows = &block.cells;
        let header_rows = 1 + rows[1..]
            .iter()
            .take_while(|r| r.iter().any(|c| c == "^"))
            .count();
        let merged = |r: &Vec<String>| -> Vec<String> {
            r.iter()
                .filter(|c| *c != "<" && *c != "^")
                .cloned()
                .collect()
        };
        ExpectedTable {
            header_rows,
            header: rows[..header_rows].iter().flat_map(merged).collect(),
            body: rows[header_rows..].iter().map(merged).collect(),
            ncols: rows.iter().map(Vec::len).max().unwrap_or(0),
            align: block.align.clone(),
        }
    }
}

/// The table blocks of a markup text, in order.
pub fn table_blocks(markup: &str) -> Vec<Block> {
    blocks(markup)
        .into_iter()
        .filter(|b| b.kind == BlockKind::Table)
        .collect()
}

/// One table read back over the pages it spans: on each page, the first
/// `header_rows` bands are the (repeated) header and the rest are body rows.
pub struct ReadTable {
    pub grids: Vec<TableGrid>,
    pub header_rows: usize,
}

impl ReadTable {
    /// Header cells of `grid` in reading order.
    pub fn header(&self, grid: &TableGrid) -> Vec<TableCell> {
        grid.cells
            .iter()
            .filter(|c| c.bands.0 < self.header_rows)
            .cloned()
            .collect()
    }
    /// Body rows of every page in order: (grid index, band, cells left to right).
    pub fn body(&self) -> Vec<(usize, usize, Vec<TableCell>)> {
        let mut out = Vec::new();
        for (gi, g) in self.grids.iter().enumerate() {
            for b in self.header_rows..g.band_count() {
                out.push((gi, b, g.band(b).into_iter().cloned().collect()));
            }
        }
        out
    }
    /// Body rows' texts.
    pub fn body_texts(&self) -> Vec<Vec<String>> {
        self.body()
            .into_iter()
            .map(|(_, _, cells)| cells.iter().map(TableCell::text).collect())
            .collect()
    }
    /// Every cell of every page.
    pub fn cells(&self) -> impl Iterator<Item = &TableCell> {
        self.grids.iter().flat_map(|g| g.cells.iter())
    }
}

/// pdftotext's text split into pages, each without its page-number line
/// (the first line of pages ≥ 2 in reading order, the last with `-raw`).
pub fn pdftotext_pages(pdf: &Path, raw: bool) -> Vec<String> {
    let mut args: Vec<&OsStr> = Vec::new();
    if raw {
        args.push(OsStr::new("-raw"));
    }
    args.push(pdf.as_os_str());
    args.push(OsStr::new("-"));
    let text = tool_stdout("pdftotext", &args);
    let mut pages: Vec<String> = text.split('\x0c').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    for (i, p) in pages.iter_mut().enumerate() {
        let n = (i + 1).to_string();
        if i == 0 {
            continue;
        }
        let mut lines: Vec<&str> = p.lines().collect();
        let at = if raw {
            lines.iter().rposition(|l| l.trim() == n)
        } else {
            lines.iter().position(|l| l.trim() == n)
        };
        let at =
            at.unwrap_or_else(|| panic!("pdftotext shows no page number {n} on page {n}:\n{p}"));
        lines.remove(at);
        *p = lines.join("\n");
    }
    pages
}
