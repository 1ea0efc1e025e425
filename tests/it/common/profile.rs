//! Profiles and data files read as TOML, the page geometry a profile sets, and
//! the font metrics of the bundled fonts.

use super::*;
use std::path::Path;
use std::sync::OnceLock;

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
    /// The text area of a page of `profile` (`trang.*`, mm). A landscape page is
    /// the portrait sheet turned: its margins turn with it. Turned clockwise to
    /// be read (`mep_dong_trang_ngang = "tren"`, the default), the sheet's left
    /// edge (`le_trai`, the binding) is the top, its top edge the right, its
    /// right edge the bottom; turned the other way ("duoi"), the opposite.
    pub fn of(profile: &Toml, landscape: bool) -> Geometry {
        let (mut width, mut height) = (mm(profile.f("trang.rong")), mm(profile.f("trang.cao")));
        let m = |k: &str| mm(profile.f(&format!("trang.{k}")));
        let (top, right, bottom, left) = if !landscape {
            (m("le_tren"), m("le_phai"), m("le_duoi"), m("le_trai"))
        } else {
            std::mem::swap(&mut width, &mut height);
            match profile
                .get("trang.mep_dong_trang_ngang")
                .and_then(|v| v.as_str())
            {
                None | Some("tren") => (m("le_trai"), m("le_tren"), m("le_phai"), m("le_duoi")),
                Some("duoi") => (m("le_phai"), m("le_duoi"), m("le_trai"), m("le_tren")),
                Some(other) => panic!("`trang.mep_dong_trang_ngang` = {other:?}"),
            }
        };
        Geometry {
            left,
            right: width - right,
            top,
            bottom: height - bottom,
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
    let mut c = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, e)) = c.iter().find(|(n, _)| n == base_name) {
        return *e;
    }
    // A bundled face, or the Liberation face LibreOffice sets Times New Roman
    // in (metric-compatible with Tinos), from Debian's fonts-liberation2.
    let file = format!("{base_name}.ttf");
    let path = [
        root().join("fonts"),
        "/usr/share/fonts/truetype/liberation2".into(),
        "/usr/share/fonts/truetype/liberation".into(),
    ]
    .iter()
    .flat_map(|d| {
        // PDF producers may cut a long name ("LiberationSerif-BoldItal").
        let cut = std::fs::read_dir(d)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(base_name))
            });
        [d.join(&file), d.join(format!("{base_name}-Regular.ttf"))]
            .into_iter()
            .chain(cut.take(1))
    })
    .find(|p| p.is_file())
    .unwrap_or_else(|| root().join("fonts").join(&file));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "the PDF uses font {base_name}, expected bundled as {} \
             (or, for LibreOffice's Liberation faces, from the Debian package fonts-liberation2): {e}",
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

// ---------------------------------------------------------------------------
// Letter case and page numbers the profile asks for

/// The summary as the profile sets it: with `tieu_de.trich_yeu_hoa_dau`, its
/// first letter (after any leading punctuation) in capitals.
pub fn summary_as_set(profile: &Toml, summary: &str) -> String {
    if !profile.b("tieu_de.trich_yeu_hoa_dau", false) {
        return summary.to_string();
    }
    let mut out = String::new();
    let mut done = false;
    for c in summary.chars() {
        if !done && c.is_alphanumeric() {
            done = true;
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The label line of an appendix as the profile sets it ("Phụ lục I").
pub fn appendix_label(profile: &Toml, number: &str) -> String {
    let t = profile.s("phu_luc.so.chu");
    if number.is_empty() {
        t.replace(" {so_phu_luc}", "").replace("{so_phu_luc}", "")
    } else {
        t.replace("{so_phu_luc}", number)
    }
}

/// The page number each of `pages` should show (shown or not): the pages count
/// on from 1, and an appendix that numbers its own pages
/// (`phu_luc.so_trang_rieng`) starts again from 1 on the page whose first
/// line (under any page number) is its label, "Phụ lục" and a number.
pub fn printed_numbers(pages: &[Page], profile: &Toml) -> Vec<usize> {
    let own = profile.b("phu_luc.so_trang_rieng", false);
    let label = appendix_label(profile, "");
    let mut n = 0;
    pages
        .iter()
        .map(|p| {
            let lines = p.lines();
            let skip = usize::from(page_number_line(p).is_some());
            let starts = lines.get(skip).is_some_and(|l| {
                let t = l.text();
                t == label
                    || t.strip_prefix(&format!("{label} "))
                        .is_some_and(|r| !r.is_empty() && !r.contains(' '))
            });
            n = if own && starts { 1 } else { n + 1 };
            n
        })
        .collect()
}
