//! Shaping: text in one style → glyphs with advances and the text each stands for.
//!
//! Takes NFC text and a style; returns [`Glyph`]s whose advances are in 1/1000 em and
//! whose `text` (the glyph's cluster) becomes the PDF's ToUnicode entry, so that
//! readers extract exactly the source text. Words are shaped once and cached.
use crate::fonts::{Fonts, Style};
use rustc_hash::FxHashMap as HashMap;
use std::sync::{Arc, Mutex};

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

/// The text a glyph stands for, in 8 bytes: up to 7 bytes of UTF-8 inline
/// (nearly every cluster: a Vietnamese letter is 1–3 bytes), a longer one as
/// its number in a table kept once per process. A glyph is 16 bytes instead of
/// 32, and a report's glyph runs are copied and stored at half the cost.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct ClusterText {
    bytes: [u8; 7],
    /// The length when inline (0–7); [`LONG`] when `bytes` begins with the
    /// number of a long text.
    len: u8,
}

/// `ClusterText::len` of a text kept in the table of long texts.
const LONG: u8 = u8::MAX;

/// Texts longer than 7 bytes, each once (leaked: a process meets few).
static LONG_TEXTS: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());

impl ClusterText {
    /// The cluster text `s`.
    pub fn new(s: &str) -> ClusterText {
        let mut bytes = [0u8; 7];
        if let Some(inline) = bytes.get_mut(..s.len()) {
            inline.copy_from_slice(s.as_bytes());
            return ClusterText {
                bytes,
                len: s.len() as u8,
            };
        }
        let mut long = LONG_TEXTS.lock().unwrap_or_else(|e| e.into_inner());
        let i = match long.iter().position(|t| *t == s) {
            Some(i) => i,
            None => {
                long.push(Box::leak(s.to_string().into_boxed_str()));
                long.len() - 1
            }
        };
        if let (Ok(i), Some(slot)) = (u32::try_from(i), bytes.get_mut(..4)) {
            slot.copy_from_slice(&i.to_le_bytes());
        }
        ClusterText { bytes, len: LONG }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        if self.len == LONG {
            let mut i = [0u8; 4];
            i.copy_from_slice(self.bytes.get(..4).unwrap_or(&[0; 4]));
            let long = LONG_TEXTS.lock().unwrap_or_else(|e| e.into_inner());
            return long
                .get(u32::from_le_bytes(i) as usize)
                .copied()
                .unwrap_or("");
        }
        self.bytes
            .get(..usize::from(self.len))
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
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
    fonts: &'static Fonts,
    /// One word cache per style (looked up by `&str`, no allocation on a hit).
    cache: [HashMap<String, Shaped>; 4],
    lang: Option<rustybuzz::Language>,
    /// One shaping plan per style, built on first use (building one is slow).
    plans: [Option<Arc<rustybuzz::ShapePlan>>; 4],
    /// Words too long for their line, met since the caller last drained this.
    pub notes: Vec<String>,
}

impl Shaper {
    /// A shaper over `fonts`.
    pub fn new(fonts: &'static Fonts) -> Shaper {
        Shaper {
            fonts,
            cache: Default::default(),
            lang: "vi".parse().ok(),
            plans: [None, None, None, None],
            notes: Vec::new(),
        }
    }

    /// The fonts shaped with.
    pub fn fonts(&self) -> &'static Fonts {
        self.fonts
    }

    /// A second shaper with this one's words and plans, for another thread.
    pub fn fork(&self) -> Shaper {
        Shaper {
            fonts: self.fonts,
            cache: self.cache.clone(),
            lang: self.lang.clone(),
            plans: self.plans.clone(),
            notes: Vec::new(),
        }
    }

    /// Shape `text` in `style`.
    pub fn shape(&mut self, text: &str, style: Style) -> Shaped {
        if let Some(s) = self.cache.get(slot(style)).and_then(|c| c.get(text)) {
            return s.clone();
        }
        self.ensure_plan(style);
        let s = match self.plans.get(slot(style)).and_then(Option::as_ref) {
            Some(plan) => shape_with(self.fonts, plan, self.lang.as_ref(), text, style),
            None => return Shaped::empty(style),
        };
        if let Some(c) = self.cache.get_mut(slot(style)) {
            c.insert(text.to_string(), s.clone());
        }
        s
    }

    /// Shape into the cache every piece not in it yet, on all of rayon's threads
    /// when there are enough of them: a cold report's words are shaped across
    /// the cores instead of one by one as lines are built.
    pub fn prepare<S: AsRef<str>>(&mut self, pieces: &[(S, Style)]) {
        use rayon::prelude::*;
        let mut missing: Vec<(&str, Style)> = pieces
            .iter()
            .map(|(t, st)| (t.as_ref(), *st))
            .filter(|(t, st)| {
                !self
                    .cache
                    .get(slot(*st))
                    .is_some_and(|c| c.contains_key(*t))
            })
            .collect();
        missing.sort_unstable_by(|a, b| (slot(a.1), a.0).cmp(&(slot(b.1), b.0)));
        missing.dedup();
        if missing.len() < PARALLEL_MIN || rayon::current_num_threads() < 2 {
            return;
        }
        for st in Style::ALL {
            if missing.iter().any(|(_, s)| *s == st) {
                self.ensure_plan(st);
            }
        }
        let (fonts, plans, lang) = (self.fonts, &self.plans, self.lang.as_ref());
        let shaped: Vec<Option<Shaped>> = missing
            .par_iter()
            .with_min_len(PARALLEL_MIN / 2)
            .map(|(t, st)| {
                let plan = plans.get(slot(*st))?.as_ref()?;
                Some(shape_with(fonts, plan, lang, t, *st))
            })
            .collect();
        for ((t, st), s) in missing.into_iter().zip(shaped) {
            if let (Some(s), Some(c)) = (s, self.cache.get_mut(slot(st))) {
                c.insert(t.to_string(), s);
            }
        }
    }

    /// Take words shaped elsewhere into the cache.
    pub fn absorb(&mut self, shaped: &[(String, Shaped)]) {
        for (w, s) in shaped {
            if let Some(c) = self.cache.get_mut(slot(s.style)) {
                if !c.contains_key(w.as_str()) {
                    c.insert(w.clone(), s.clone());
                }
            }
        }
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

/// Words shaped by several threads at once, a chunk at a time
/// ([`crate::ahead::Shared`]): a worker starts on a template's words ahead of
/// need, and the render joins in when it gets there
/// ([`finish_into`](Self::finish_into)) instead of waiting idle.
pub struct WordQueue {
    chunks: crate::ahead::Shared<Vec<String>>,
    style: Style,
    /// Words shaped by [`work`](Self::work), for the taker to absorb.
    shaped: Mutex<Vec<(String, Shaped)>>,
}

/// Words per chunk of a [`WordQueue`].
const QUEUE_CHUNK: usize = 16;

impl WordQueue {
    /// A queue of `words` to shape in `style`.
    pub fn new(words: Vec<String>, style: Style) -> WordQueue {
        let mut words = words.into_iter().peekable();
        let mut chunks = Vec::new();
        while words.peek().is_some() {
            chunks.push(words.by_ref().take(QUEUE_CHUNK).collect());
        }
        WordQueue {
            chunks: crate::ahead::Shared::new(chunks),
            style,
            shaped: Mutex::new(Vec::new()),
        }
    }

    /// Shape chunks with `shaper` until none is left, handing the words over.
    pub fn work(&self, shaper: &mut Shaper) {
        self.chunks.work(|_, chunk| {
            let out: Vec<(String, Shaped)> = chunk
                .iter()
                .map(|w| (w.clone(), shaper.shape(w, self.style)))
                .collect();
            if let Ok(mut all) = self.shaped.lock() {
                all.extend(out);
            }
        });
    }

    /// Join in: shape what is left into `shaper`'s cache, wait for the chunks
    /// other threads are still shaping, and take all their words into the cache.
    pub fn finish_into(&self, shaper: &mut Shaper) {
        self.chunks.work(|_, chunk| {
            for w in chunk {
                shaper.shape(w, self.style);
            }
        });
        self.chunks.wait();
        if let Ok(all) = self.shaped.lock() {
            shaper.absorb(&all);
        }
    }
}

/// Fewer new pieces than this are shaped on the calling thread.
const PARALLEL_MIN: usize = 32;

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
        let fonts = crate::fonts::bundled().unwrap();
        let mut sh = Shaper::new(fonts);
        let s = sh.shape("Nguyễn Thị Ánh", Style::Regular);
        assert!(s.glyphs.iter().all(|g| g.gid != 0));
        let text: String = s.glyphs.iter().map(|g| &*g.text).collect();
        assert_eq!(text, "Nguyễn Thị Ánh");
        assert!(s.width > 5000.0 && s.width < 8000.0, "{}", s.width);
    }

    #[test]
    fn cluster_texts_keep_their_text_in_8_bytes() {
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
        assert_eq!(std::mem::size_of::<ClusterText>(), 8);
        assert_eq!(std::mem::size_of::<Glyph>(), 16);
    }

    #[test]
    fn a_word_queue_shared_by_threads_shapes_every_word_once_into_the_taker() {
        let fonts = crate::fonts::bundled().unwrap();
        let words: Vec<String> = (0..300).map(|i| format!("từ{i}ờ")).collect();
        let queue = Arc::new(WordQueue::new(words.clone(), Style::Regular));
        let helper = {
            let q = Arc::clone(&queue);
            std::thread::spawn(move || q.work(&mut Shaper::new(fonts)))
        };
        let mut taker = Shaper::new(fonts);
        queue.finish_into(&mut taker);
        helper.join().unwrap();
        // Every chunk was shaped exactly once, by one thread or the other.
        assert_eq!(queue.chunks.finished(), queue.chunks.items().len());
        let by_helper = queue.shaped.lock().unwrap().len();
        assert!(by_helper <= words.len());
        // All of them are in the taker's cache now, as a fresh shaper shapes them.
        let mut fresh = Shaper::new(fonts);
        for w in &words {
            assert!(taker.cache[0].contains_key(w.as_str()), "{w}");
            assert_eq!(
                taker.shape(w, Style::Regular),
                fresh.shape(w, Style::Regular)
            );
        }
        assert_eq!(taker.cache[0].len(), words.len());
    }
}
