//! Shared helpers for the issue 2 tests: running `baocao`, running the PDF readers
//! we did not write (poppler, qpdf, MuPDF), and reading back what a page shows
//! from MuPDF's trace device (`mutool draw -F trace`).
//!
//! Every test binary renders the example once ([`example`]) and shares it.
#![allow(dead_code)]

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

pub fn geometry() -> Geometry {
    let p = profile();
    let width = mm(p.f("trang.rong"));
    let height = mm(p.f("trang.cao"));
    Geometry {
        width,
        height,
        left: mm(p.f("trang.le_trai")),
        right: width - mm(p.f("trang.le_phai")),
        top: mm(p.f("trang.le_tren")),
        bottom: height - mm(p.f("trang.le_duoi")),
    }
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
    Paragraph,
}

#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    /// Plain text, folded, NFC.
    pub text: String,
    /// Whether the block had emphasis (bold/italic runs).
    pub emphasis: bool,
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

/// Headings and paragraphs of a CommonMark text, in order.
pub fn blocks(markup: &str) -> Vec<Block> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = Vec::new();
    let mut cur: Option<(BlockKind, String, bool)> = None;
    for ev in Parser::new(markup) {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                cur = Some((BlockKind::Heading(level as usize), String::new(), false))
            }
            Event::Start(Tag::Paragraph) => {
                cur = Some((BlockKind::Paragraph, String::new(), false))
            }
            Event::Start(Tag::Strong) | Event::Start(Tag::Emphasis) => {
                if let Some(c) = cur.as_mut() {
                    c.2 = true;
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = cur.as_mut() {
                    c.1.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(c) = cur.as_mut() {
                    c.1.push(' ');
                }
            }
            Event::End(TagEnd::Heading(_)) | Event::End(TagEnd::Paragraph) => {
                if let Some((kind, text, emphasis)) = cur.take() {
                    out.push(Block {
                        kind,
                        text: fold(&nfc(&text)),
                        emphasis,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

// ---------------------------------------------------------------------------
// The example, rendered once per test binary

pub struct Example {
    pub pdf: PathBuf,
    pub pages: Vec<Page>,
    pub markup: String,
}

pub fn example() -> &'static Example {
    static EX: OnceLock<Example> = OnceLock::new();
    EX.get_or_init(|| {
        let dir = scratch("example");
        let pdf = render(&example_data(), &dir);
        let pages = trace_pages(&pdf);
        let markup = emit_markup(&example_data());
        Example { pdf, pages, markup }
    })
}

/// The page-number line of page `n` (n ≥ 2): the topmost line, if its text is `n`.
pub fn page_number_line(page: &Page) -> Option<Line> {
    let first = page.lines().into_iter().next()?;
    (first.text() == page.number.to_string()).then_some(first)
}

/// The flow of the example, read back: front matter (page 1 above the body),
/// the body's blocks with their lines, and the closing lines (last page, below the body).
pub struct Flow {
    /// Page 1 lines down to and including the "-----" line.
    pub front: Vec<Line>,
    /// Each markup block with the PDF lines that show it.
    pub body: Vec<(Block, Vec<Line>)>,
    /// What follows the body on the last page.
    pub closing_page: usize,
    pub closing_top: f64,
}

pub fn flow() -> &'static Flow {
    static F: OnceLock<Flow> = OnceLock::new();
    F.get_or_init(|| {
        let ex = example();
        let gach = profile().s("tieu_de.gach.chu");
        let mut lines: Vec<Line> = Vec::new();
        for p in &ex.pages {
            let mut ls = p.lines();
            if p.number >= 2 && page_number_line(p).is_some() {
                ls.remove(0);
            }
            lines.extend(ls);
        }
        let dash = lines
            .iter()
            .position(|l| l.page == 1 && l.text() == gach)
            .unwrap_or_else(|| panic!("no \"{gach}\" line under the title on page 1:\n{}", ex.pages[0].dump()));
        let front = lines[..=dash].to_vec();
        let mut rest = lines[dash + 1..].iter();
        let mut body = Vec::new();
        for block in blocks(&ex.markup) {
            let mut got: Vec<Line> = Vec::new();
            let mut acc = String::new();
            while acc != block.text {
                let Some(l) = rest.next() else {
                    panic!("the PDF ends before the markup block \"{}\" is complete; read so far: \"{acc}\"", block.text)
                };
                let t = l.text();
                acc = if acc.is_empty() { t } else { format!("{acc} {t}") };
                got.push(l.clone());
                assert!(
                    block.text.starts_with(&acc),
                    "PDF lines do not spell the markup block in order.\nblock: \"{}\"\nPDF:   \"{acc}\"\nlast line: {}",
                    block.text,
                    l.describe()
                );
            }
            body.push((block, got));
        }
        let last = body.last().and_then(|(_, ls)| ls.last()).expect("the body has lines").clone();
        Flow { front, body, closing_page: last.page, closing_top: last.y }
    })
}
