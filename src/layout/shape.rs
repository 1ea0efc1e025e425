//! Shaping: text in one style → glyphs with advances and the text each stands for.
//!
//! Takes NFC text and a style; returns [`Glyph`]s whose advances are in 1/1000 em and
//! whose `text` (the glyph's cluster) becomes the PDF's ToUnicode entry, so that
//! readers extract exactly the source text. Words are shaped once and cached.
use crate::fonts::{Fonts, Style};
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
    /// One shaping plan per style, built on first use (building one is slow).
    plans: [Option<Arc<rustybuzz::ShapePlan>>; 4],
}

impl Shaper {
    /// A shaper over `fonts`.
    pub fn new(fonts: Arc<Fonts>) -> Shaper {
        Shaper {
            fonts,
            cache: Default::default(),
            lang: "vi".parse().ok(),
            plans: [None, None, None, None],
        }
    }

    /// The fonts shaped with.
    pub fn fonts(&self) -> &Fonts {
        &self.fonts
    }

    /// Shape `text` in `style`.
    pub fn shape(&mut self, text: &str, style: Style) -> Shaped {
        if let Some(s) = self.cache.get(slot(style)).and_then(|c| c.get(text)) {
            return s.clone();
        }
        self.ensure_plan(style);
        let s = match self.plans.get(slot(style)).and_then(Option::as_ref) {
            Some(plan) => shape_with(&self.fonts, plan, self.lang.as_ref(), text, style),
            None => return Shaped::empty(style),
        };
        if let Some(c) = self.cache.get_mut(slot(style)) {
            c.insert(text.to_string(), s.clone());
        }
        s
    }

    fn ensure_plan(&mut self, style: Style) {
        let face = self.fonts.face(style);
        let lang = self.lang.clone();
        if let Some(slot) = self.plans.get_mut(slot(style)) {
            slot.get_or_insert_with(|| {
                Arc::new(rustybuzz::ShapePlan::new(
                    &face.rb,
                    rustybuzz::Direction::LeftToRight,
                    Some(rustybuzz::script::LATIN),
                    lang.as_ref(),
                    &[],
                ))
            });
        }
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

/// Shape `text` in `style` with `plan` (built for that style's face).
fn shape_with(
    fonts: &Fonts,
    plan: &rustybuzz::ShapePlan,
    lang: Option<&rustybuzz::Language>,
    text: &str,
    style: Style,
) -> Shaped {
    let face = fonts.face(style);
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
    let mut width = 0.0;
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
        // Measure what viewers will place: the /W width of the glyph (whole
        // 1/1000 em) plus what shaping changed (kerning), rounded the same way.
        let gid = u16::try_from(info.glyph_id).unwrap_or(0);
        let nominal = face
            .rb
            .glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(gid))
            .map(i32::from)
            .unwrap_or(pos.x_advance);
        let adv = face.pdf_width(gid) + ((pos.x_advance - nominal) as f32 * scale).round();
        width += adv;
        glyphs.push(Glyph {
            gid,
            adv,
            text: ClusterText::new(cluster_text),
        });
    }
    Shaped {
        style,
        glyphs: glyphs.into(),
        width,
    }
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
}
