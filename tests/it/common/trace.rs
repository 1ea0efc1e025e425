//! MuPDF's trace device (`mutool draw -F trace`) read back into pages of glyphs
//! and rules.

use super::*;
use std::ffi::OsStr;
use std::path::Path;

/// One glyph as drawn, in page coordinates (pt, y from the top edge).
/// How far right of where the PDF places it MuPDF may report a line's last
/// glyph, pt. The font dictionaries state glyph widths exactly, with
/// fractions (krilla); MuPDF reads each width as a whole 1/1000 em, so its
/// positions drift by up to half of that per glyph along a line (measured:
/// at most 0.05 pt at the end of a justified 14 pt line). poppler and pdf.js
/// read the exact widths.
pub const MUPDF_WIDTH_SLACK: f64 = 0.1;

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
                // "Ital": LibreOffice cuts "LiberationSerif-BoldItalic".
                italic: base.contains("Ital") || base.contains("Oblique"),
                font: base,
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
