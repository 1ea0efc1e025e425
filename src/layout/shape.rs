//! Shaping: text in one style → glyphs with advances and the text each stands for.
//!
//! Takes NFC text and a style; returns [`Glyph`]s whose advances are in 1/1000 em and
//! whose `text` (the glyph's cluster) becomes the PDF's ToUnicode entry, so that
//! readers extract exactly the source text. Words are shaped once and cached.
//! What the style's face lacks comes from the fallback face; what no face has
//! stays the face's .notdef (an empty box), and [`missing_chars`] and
//! [`missing_warning`] name it for layout's warning.
use crate::diag::Diagnostic;
use crate::fonts::{Face, Fonts, Style};
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

/// A shaped glyph.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Glyph id in the original font.
    pub gid: u16,
    /// Advance in 1/1000 em (shaping applied: kerning, marks).
    pub adv: f32,
    /// The text this glyph stands for (empty for the second glyph of a cluster).
    pub text: ClusterText,
    /// Drawn from the fallback face: the style's face lacks the character.
    pub fallback: bool,
}

impl Glyph {
    /// Whether this glyph stands for characters no bundled face has: it is the
    /// face's .notdef (an empty box) and only its `text` says what it was.
    pub fn is_missing(&self) -> bool {
        self.gid == 0 && !self.fallback
    }
}

/// The text a glyph stands for: up to 15 bytes inline (nearly every cluster:
/// a Vietnamese letter is 1–3 bytes), a longer one shared.
#[derive(Clone, PartialEq, Eq)]
pub enum ClusterText {
    /// `len` bytes of UTF-8 at the start of `bytes`.
    Inline { len: u8, bytes: [u8; 15] },
    /// A cluster longer than 15 bytes (an emoji sequence, many marks).
    Shared(Arc<str>),
}

impl Default for ClusterText {
    fn default() -> ClusterText {
        ClusterText::Inline {
            len: 0,
            bytes: [0; 15],
        }
    }
}

impl ClusterText {
    /// The cluster text `s`.
    pub fn new(s: &str) -> ClusterText {
        let mut bytes = [0u8; 15];
        match (bytes.get_mut(..s.len()), u8::try_from(s.len())) {
            (Some(inline), Ok(len)) => {
                inline.copy_from_slice(s.as_bytes());
                ClusterText::Inline { len, bytes }
            }
            _ => ClusterText::Shared(Arc::from(s)),
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match self {
            ClusterText::Inline { len, bytes } => bytes
                .get(..usize::from(*len))
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or(""),
            ClusterText::Shared(s) => s,
        }
    }
}

impl std::ops::Deref for ClusterText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for ClusterText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

/// A shaped piece of text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Shaped {
    pub style: Style,
    pub glyphs: Arc<[Glyph]>,
    /// Sum of advances, 1/1000 em.
    pub width: f32,
}

impl Shaped {
    /// Width at `size` pt.
    pub fn width_at(&self, size: f32) -> f32 {
        self.width * size / 1000.0
    }
}

/// A shaper with a per-word cache.
pub struct Shaper {
    fonts: Arc<Fonts>,
    /// One word cache per style (looked up by `&str`, no allocation on a hit).
    cache: [HashMap<String, Shaped>; 4],
    lang: Option<rustybuzz::Language>,
    /// One shaping plan per style, then one for the fallback face, built on
    /// first use (building one is slow).
    plans: [Option<Arc<rustybuzz::ShapePlan>>; 5],
    /// Where lines may break: the word list (parsed on first use, then kept
    /// with the shaper for later reports) and the current report's names.
    breaker: super::breaks::Breaker,
}

/// The plan slot of the fallback face.
const FALLBACK: usize = 4;

impl Shaper {
    /// A shaper over `fonts`.
    pub fn new(fonts: Arc<Fonts>) -> Shaper {
        Shaper {
            fonts,
            cache: Default::default(),
            lang: "vi".parse().ok(),
            plans: Default::default(),
            breaker: Default::default(),
        }
    }

    /// Where lines may break, for the report being set.
    pub fn breaker(&mut self) -> &mut super::breaks::Breaker {
        &mut self.breaker
    }

    /// The fonts shaped with.
    pub fn fonts(&self) -> &Fonts {
        &self.fonts
    }

    /// Shape `text` in `style`. A cluster the style's face lacks a glyph for is
    /// shaped in the fallback face when that face has all of it; otherwise it
    /// keeps the face's .notdef (see [`Glyph::is_missing`]).
    pub fn shape(&mut self, text: &str, style: Style) -> Shaped {
        if let Some(s) = self.cache.get(slot(style)).and_then(|c| c.get(text)) {
            return s.clone();
        }
        let Some(plan) = self.plan(slot(style)) else {
            return Shaped::empty(style);
        };
        let lang = self.lang.as_ref();
        let mut glyphs = shape_with(self.fonts.face(style), &plan, lang, text, false);
        if glyphs.iter().any(|(_, g)| g.gid == 0) {
            if let Some(plan) = self.plan(FALLBACK) {
                let lang = self.lang.as_ref();
                glyphs = fall_back(&self.fonts, style, &plan, lang, text, glyphs);
            }
        }
        let width = glyphs.iter().map(|(_, g)| g.adv).sum();
        let s = Shaped {
            style,
            glyphs: glyphs.into_iter().map(|(_, g)| g).collect(),
            width,
        };
        if let Some(c) = self.cache.get_mut(slot(style)) {
            c.insert(text.to_string(), s.clone());
        }
        s
    }

    /// The shaping plan of a slot (a style's, or [`FALLBACK`]), built on first use.
    fn plan(&mut self, at: usize) -> Option<Arc<rustybuzz::ShapePlan>> {
        let face = match Style::ALL.get(at) {
            Some(style) => self.fonts.face(*style),
            None => self.fonts.fallback(),
        };
        let lang = self.lang.clone();
        let plan = self.plans.get_mut(at)?.get_or_insert_with(|| {
            Arc::new(rustybuzz::ShapePlan::new(
                &face.rb,
                rustybuzz::Direction::LeftToRight,
                Some(rustybuzz::script::LATIN),
                lang.as_ref(),
                &[],
            ))
        });
        Some(Arc::clone(plan))
    }
}

fn slot(style: Style) -> usize {
    match style {
        Style::Regular => 0,
        Style::Bold => 1,
        Style::Italic => 2,
        Style::BoldItalic => 3,
    }
}

impl Shaped {
    fn empty(style: Style) -> Shaped {
        Shaped {
            style,
            glyphs: Arc::from(Vec::new()),
            width: 0.0,
        }
    }
}

/// The glyphs of `text` (shaped in `style`) with the byte offset of each one's
/// cluster: each cluster that has a .notdef glyph is shaped again in the
/// fallback face (with `plan`), and replaced when that face has every glyph of
/// it. A cluster of white space the face lacks (a tab) is drawn as a space.
fn fall_back(
    fonts: &Fonts,
    style: Style,
    plan: &rustybuzz::ShapePlan,
    lang: Option<&rustybuzz::Language>,
    text: &str,
    glyphs: Vec<(usize, Glyph)>,
) -> Vec<(usize, Glyph)> {
    let mut out = Vec::with_capacity(glyphs.len());
    let mut clusters = glyphs.chunk_by(|a, b| a.0 == b.0).peekable();
    while let Some(cluster) = clusters.next() {
        let start = cluster.first().map_or(0, |(c, _)| *c);
        let end = clusters
            .peek()
            .and_then(|next| next.first())
            .map_or(text.len(), |(c, _)| *c);
        if cluster.iter().any(|(_, g)| g.gid == 0) {
            let piece = text.get(start..end).unwrap_or("");
            if let Some(space) = blank(fonts.face(style), piece) {
                out.push((start, space));
                continue;
            }
            let alt = shape_with(fonts.fallback(), plan, lang, piece, true);
            if !alt.is_empty() && alt.iter().all(|(_, g)| g.gid != 0) {
                out.extend(alt.into_iter().map(|(c, g)| (start + c, g)));
                continue;
            }
        }
        out.extend_from_slice(cluster);
    }
    out
}

/// White space `text` drawn as one space glyph of `face` (that keeps the text).
fn blank(face: &Face, text: &str) -> Option<Glyph> {
    if text.is_empty() || !text.chars().all(char::is_whitespace) {
        return None;
    }
    let gid = face.rb.glyph_index(' ')?.0;
    Some(Glyph {
        gid,
        adv: face.pdf_width(gid),
        text: ClusterText::new(text),
        fallback: false,
    })
}

/// Shape `text` in `face` with `plan` (built for that face): each glyph with the
/// byte offset of its cluster in `text`. `fallback` marks the glyphs as the
/// fallback face's.
fn shape_with(
    face: &Face,
    plan: &rustybuzz::ShapePlan,
    lang: Option<&rustybuzz::Language>,
    text: &str,
    fallback: bool,
) -> Vec<(usize, Glyph)> {
    let mut buf = rustybuzz::UnicodeBuffer::new();
    buf.push_str(text);
    if let Some(lang) = lang {
        buf.set_language(lang.clone());
    }
    // Vietnamese is Latin script; digits and punctuation shape the same way.
    buf.set_direction(rustybuzz::Direction::LeftToRight);
    buf.set_script(rustybuzz::script::LATIN);
    let out = rustybuzz::shape_with_plan(&face.rb, plan, buf);
    let infos = out.glyph_infos();
    let positions = out.glyph_positions();
    let scale = 1000.0 / face.upem;
    let mut glyphs = Vec::with_capacity(infos.len());
    for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
        let start = info.cluster as usize;
        let first_of_cluster = i
            .checked_sub(1)
            .and_then(|j| infos.get(j))
            .is_none_or(|prev| prev.cluster != info.cluster);
        let end = infos
            .get(i + 1..)
            .unwrap_or_default()
            .iter()
            .map(|g| g.cluster as usize)
            .find(|&c| c != start)
            .unwrap_or(text.len());
        let cluster_text = if first_of_cluster {
            text.get(start..end).unwrap_or("")
        } else {
            ""
        };
        // Measure what viewers will place: the /W width of the glyph plus what
        // shaping changed (kerning), rounded to whole 1/1000 em (shaping's own
        // rounding noise is no kerning).
        let gid = u16::try_from(info.glyph_id).unwrap_or(0);
        let nominal = face
            .rb
            .glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(gid))
            .map(i32::from)
            .unwrap_or(pos.x_advance);
        let adv = face.pdf_width(gid) + ((pos.x_advance - nominal) as f32 * scale).round();
        glyphs.push((
            start,
            Glyph {
                gid,
                adv,
                text: ClusterText::new(cluster_text),
                fallback,
            },
        ));
    }
    glyphs
}

/// Add to `out` the characters of `glyphs` (set in `style`) that no bundled
/// face has, each once, in the order they appear: the characters of each
/// missing glyph's cluster that neither the style's face nor the fallback
/// has (all of them if each is there alone).
pub fn missing_chars(fonts: &Fonts, style: Style, glyphs: &[Glyph], out: &mut Vec<char>) {
    for g in glyphs.iter().filter(|g| g.is_missing()) {
        let lacking = g.text.chars().filter(|c| !fonts.covers(style, *c));
        let named: Vec<char> = if lacking.clone().next().is_some() {
            lacking.collect()
        } else {
            g.text.chars().collect()
        };
        for c in named {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
}

/// Characters no bundled face has: printed as empty boxes, said so by name and
/// code (a control character or a space by its code alone).
pub fn missing_warning(chars: &[char]) -> Option<Diagnostic> {
    // How many are named; the rest are counted (all are named if one is left).
    const SHOWN: usize = 6;
    let name = |c: &char| {
        let code = u32::from(*c);
        if c.is_control() {
            format!("U+{code:04X} (ký tự điều khiển)")
        } else if c.is_whitespace() {
            format!("U+{code:04X} (khoảng trắng)")
        } else {
            format!("\"{c}\" (U+{code:04X})")
        }
    };
    let shown = if chars.len() > SHOWN + 1 {
        SHOWN
    } else {
        chars.len()
    };
    let mut names: Vec<String> = chars.iter().take(shown).map(name).collect();
    if chars.len() > shown {
        names.push(format!("và {} ký tự khác", chars.len() - shown));
    }
    let message = match chars {
        [] => return None,
        [_] => format!("ký tự {} {EMPTY_BOX}", names.join(", ")),
        _ => format!("{} ký tự {EMPTY_BOX}: {}", chars.len(), names.join(", ")),
    };
    let mut d = Diagnostic::warning(message).with_hint(
        "phông chữ đi kèm có chữ Việt, chữ Latinh và các ký hiệu thường dùng (✓ ★ ① ⇒ ☐ ➢), không có chữ Trung, Nhật, Hàn, Ả Rập, Ấn Độ hay biểu tượng cảm xúc (emoji): thay bằng chữ hoặc ký hiệu khác, hoặc bỏ đi",
    );
    if chars.iter().any(|c| c.is_control()) {
        d = d.with_hint("ký tự điều khiển không nhìn thấy được, thường lọt vào khi sao chép văn bản: xoá nó khỏi tệp số liệu hoặc mẫu");
    }
    Some(d)
}

/// What [`missing_warning`] says becomes of characters no face has.
const EMPTY_BOX: &str = "không có trong phông chữ nên in ra thành ô trống";

/// Whether `d` is a warning of [`missing_warning`].
pub fn is_missing_warning(d: &Diagnostic) -> bool {
    !d.is_error() && d.message.contains(EMPTY_BOX)
}

/// The warning of [`missing_warning`] as the error it is in a PDF/A file,
/// which may hold no empty box (a glyph with no character): same place.
pub fn missing_error(d: Diagnostic) -> Diagnostic {
    let mut e = Diagnostic::error(d.message.replace(
        EMPTY_BOX,
        "không có trong phông chữ; tệp PDF/A (lưu trữ) không được in ô trống thay cho chữ",
    ));
    e.span = d.span;
    e.hints = d.hints;
    e.with_hint("hoặc tạo tệp PDF thường, có ô trống ở chỗ đó: thêm --pdfa khong")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_letters_have_real_glyphs_and_their_text() {
        let mut sh = Shaper::new(Arc::new(crate::fonts::bundled().unwrap()));
        let s = sh.shape("Nguyễn Thị Ánh", Style::Regular);
        assert!(s.glyphs.iter().all(|g| g.gid != 0));
        let text: String = s.glyphs.iter().map(|g| &*g.text).collect();
        assert_eq!(text, "Nguyễn Thị Ánh");
        assert!(s.width > 5000.0 && s.width < 8000.0, "{}", s.width);
    }

    #[test]
    fn cluster_texts_keep_their_text() {
        for t in [
            "",
            "a",
            "ễ",
            "Đ",
            "ffi",
            "1234567",
            "12345678",
            "👩‍👩‍👧",
            "a\u{301}\u{323}\u{302}",
        ] {
            let c = ClusterText::new(t);
            assert_eq!(&*c, t);
            assert_eq!(c, ClusterText::new(t), "{t}");
        }
        assert_ne!(ClusterText::new("12345678"), ClusterText::new("12345679"));
        assert_ne!(ClusterText::new("ab"), ClusterText::new("abc"));
        assert!(ClusterText::default().is_empty());
    }

    fn shaper() -> Shaper {
        Shaper::new(Arc::new(crate::fonts::bundled().unwrap()))
    }

    #[test]
    fn symbols_the_family_lacks_come_from_the_fallback_with_their_text() {
        let mut sh = shaper();
        for style in Style::ALL {
            let s = sh.shape("a✓★①⇒☐☑✔b", style);
            let text: String = s.glyphs.iter().map(|g| &*g.text).collect();
            assert_eq!(text, "a✓★①⇒☐☑✔b");
            let from: Vec<bool> = s.glyphs.iter().map(|g| g.fallback).collect();
            assert_eq!(
                from,
                [false, true, true, true, true, true, true, true, false]
            );
            assert!(s.glyphs.iter().all(|g| g.gid != 0 && g.adv > 200.0));
            assert!(!s.glyphs.iter().any(Glyph::is_missing));
            let sum: f32 = s.glyphs.iter().map(|g| g.adv).sum();
            assert_eq!(s.width, sum);
        }
        // What the family has stays the family's (≤ and → are in Tinos).
        let s = sh.shape("≤→", Style::Regular);
        assert!(s.glyphs.iter().all(|g| !g.fallback && g.gid != 0));
    }

    #[test]
    fn characters_no_face_has_stay_missing_and_are_named_once() {
        let mut sh = shaper();
        let s = sh.shape("中①国中", Style::Italic);
        let missing: Vec<bool> = s.glyphs.iter().map(Glyph::is_missing).collect();
        assert_eq!(missing, [true, false, true, true]);
        let text: String = s.glyphs.iter().map(|g| &*g.text).collect();
        assert_eq!(text, "中①国中");
        let mut chars = Vec::new();
        missing_chars(sh.fonts(), Style::Italic, &s.glyphs, &mut chars);
        assert_eq!(chars, ['中', '国']);
        let s = sh.shape("a\u{7}b\u{1b}", Style::Regular);
        missing_chars(sh.fonts(), Style::Regular, &s.glyphs, &mut chars);
        assert_eq!(chars, ['中', '国', '\u{7}', '\u{1b}']);
        // White space the face lacks is a space that keeps its text.
        let tab = sh.shape("a\tb", Style::Bold);
        let space = sh.shape(" ", Style::Bold);
        assert_eq!(tab.glyphs[1].gid, space.glyphs[0].gid);
        assert_eq!(tab.glyphs[1].adv, space.glyphs[0].adv);
        assert_eq!(&*tab.glyphs[1].text, "\t");
        assert!(!tab.glyphs.iter().any(Glyph::is_missing));
    }

    #[test]
    fn the_warning_names_each_character_and_its_code() {
        assert!(missing_warning(&[]).is_none());
        let one = missing_warning(&['中']).unwrap();
        assert_eq!(
            one.message,
            "ký tự \"中\" (U+4E2D) không có trong phông chữ nên in ra thành ô trống"
        );
        assert_eq!(one.hints.len(), 1);
        let control = missing_warning(&['\u{7}', '\u{1F44D}']).unwrap();
        assert_eq!(
            control.message,
            "2 ký tự không có trong phông chữ nên in ra thành ô trống: \
             U+0007 (ký tự điều khiển), \"👍\" (U+1F44D)"
        );
        assert_eq!(control.hints.len(), 2);
        let seven: Vec<char> = "一二三四五六七".chars().collect();
        let all = missing_warning(&seven).unwrap().message;
        assert!(all.ends_with("\"七\" (U+4E03)"), "{all}");
        let nine: Vec<char> = "一二三四五六七八九".chars().collect();
        let some = missing_warning(&nine).unwrap().message;
        assert!(some.starts_with("9 ký tự"), "{some}");
        assert!(some.ends_with("\"六\" (U+516D), và 3 ký tự khác"), "{some}");
    }
}
