//! Paragraphs: styled runs → lines of positioned glyphs.
//!
//! Takes inline runs (bold/italic), a list marker and a paragraph style; shapes the
//! words, breaks lines by total fit at spaces only, and returns one [`LineBox`] per
//! line with glyph runs positioned relative to the line's top. Justified lines end
//! exactly on the right edge; a paragraph's last line (and a line before a hard
//! break) is not justified.
use super::linebreak::{break_display, break_lines_with, Fit, Item as BreakItem};
use super::shape::{Shaped, Shaper};
use super::{Item, TextRun};
use crate::fonts::Style;
use crate::markup::Run;

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Justify,
    Left,
    Center,
    Right,
}

/// How far short of the right margin justified lines stop, pt.
pub const EDGE_ALLOWANCE: f32 = 0.02;

/// How to set a paragraph.
#[derive(Debug, Clone, Copy)]
pub struct ParStyle {
    /// Font size, pt.
    pub size: f32,
    /// Line height, pt.
    pub line_height: f32,
    /// Extra indent of the first line, pt.
    pub first_indent: f32,
    /// Left edge of the text, pt from the page's left edge.
    pub left: f32,
    /// Width available, pt.
    pub width: f32,
    pub align: Align,
    /// Styles added to every run (headings set bold here).
    pub bold: bool,
    pub italic: bool,
}

/// One typeset line; items are relative to the line's top.
#[derive(Debug, Clone, PartialEq)]
pub struct LineBox {
    pub height: f32,
    pub items: Vec<Item>,
}

/// A word: its shaped fragments (one per style) and its width, pt.
struct Word {
    frags: Vec<Shaped>,
    width: f32,
    /// Hard line break after this word.
    hard_break: bool,
    /// A space follows (false between the pieces of a word broken because it is
    /// longer than a line).
    space_after: bool,
    /// The word as written (empty for the pieces of a word broken because it
    /// is longer than a line), for where a line may break after it.
    text: String,
}

/// Break a word wider than `width` into pieces that fit, between glyph clusters.
fn split_overlong(w: Word, width: f32, size: f32) -> Vec<Word> {
    let mut pieces: Vec<Word> = Vec::new();
    let mut cur = Word {
        frags: Vec::new(),
        width: 0.0,
        hard_break: false,
        space_after: false,
        text: String::new(),
    };
    for f in &w.frags {
        let mut start = 0;
        let mut acc = 0.0f32;
        for (i, g) in f.glyphs.iter().enumerate() {
            let gw = g.adv * size / 1000.0;
            // Cut only before the first glyph of a cluster (one that carries text).
            if cur.width + acc + gw > width
                && !g.text.is_empty()
                && (i > start || !cur.frags.is_empty())
            {
                if i > start {
                    cur.frags.push(sub_shaped(f, start, i));
                    cur.width += acc;
                }
                pieces.push(std::mem::replace(
                    &mut cur,
                    Word {
                        frags: Vec::new(),
                        width: 0.0,
                        hard_break: false,
                        space_after: false,
                        text: String::new(),
                    },
                ));
                start = i;
                acc = 0.0;
            }
            acc += gw;
        }
        if start < f.glyphs.len() {
            cur.frags.push(sub_shaped(f, start, f.glyphs.len()));
            cur.width += acc;
        }
    }
    cur.hard_break = w.hard_break;
    cur.space_after = w.space_after;
    pieces.push(cur);
    pieces
}

/// Glyphs `a..b` of a shaped fragment, as a fragment of their own.
fn sub_shaped(f: &Shaped, a: usize, b: usize) -> Shaped {
    let glyphs: Vec<_> = f.glyphs.get(a..b).unwrap_or_default().to_vec();
    let width = glyphs.iter().map(|g| g.adv).sum();
    Shaped {
        style: f.style,
        glyphs: glyphs.into(),
        width,
    }
}

/// The baseline's distance from the top of a line of height `lh` at `size`.
pub fn baseline(shaper: &Shaper, size: f32, lh: f32) -> f32 {
    let f = shaper.fonts().face(Style::Regular);
    (lh + (f.ascender - f.descender) * size) / 2.0
}

/// The paragraph's words, shaped: the list marker (if any) first, then the
/// runs split at spaces and hard breaks, overlong words broken to fit a line.
fn words_of(
    shaper: &mut Shaper,
    runs: &[Run],
    marker: Option<&str>,
    st: &ParStyle,
    overlong: &mut Vec<String>,
) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    let mut cur: Option<Word> = None;
    let push_frag = |cur: &mut Option<Word>, s: Shaped, text: &str, size: f32| {
        let w = cur.get_or_insert_with(|| Word {
            frags: Vec::new(),
            width: 0.0,
            hard_break: false,
            space_after: true,
            text: String::new(),
        });
        w.width += s.width_at(size);
        w.frags.push(s);
        w.text.push_str(text);
    };
    if let Some(m) = marker {
        let style = Style::of(st.bold, st.italic);
        let m = m.trim_end();
        if !m.is_empty() {
            let s = shaper.shape(m, style);
            push_frag(&mut cur, s, m, st.size);
            if let Some(w) = cur.take() {
                words.push(w);
            }
        }
    }
    for run in runs {
        let style = Style::of(run.bold || st.bold, run.italic || st.italic);
        let mut piece_start = 0;
        let text = run.text.as_str();
        for (i, c) in text.char_indices() {
            if c == ' ' || c == '\n' {
                if i > piece_start {
                    let piece = &text[piece_start..i];
                    let s = shaper.shape(piece, style);
                    push_frag(&mut cur, s, piece, st.size);
                }
                if let Some(mut w) = cur.take() {
                    w.hard_break = c == '\n';
                    words.push(w);
                } else if c == '\n' {
                    if let Some(last) = words.last_mut() {
                        last.hard_break = true;
                    }
                }
                piece_start = i + c.len_utf8();
            }
        }
        if piece_start < text.len() {
            let piece = &text[piece_start..];
            let s = shaper.shape(piece, style);
            push_frag(&mut cur, s, piece, st.size);
        }
    }
    if let Some(w) = cur.take() {
        words.push(w);
    }
    break_overlong(words, st.width, st.size, overlong)
}

/// A word longer than a line (`limit` pt) is broken where it must, and its
/// text added to `overlong` for the caller to report; the other words pass
/// through. A word as wide as the line up to float rounding (a table column
/// set to its longest word: 33.215 against 33.214996) fits.
fn break_overlong(
    words: Vec<Word>,
    limit: f32,
    size: f32,
    overlong: &mut Vec<String>,
) -> Vec<Word> {
    let fits = limit + 0.01;
    if !words.iter().any(|w| w.width > fits) {
        return words;
    }
    let mut out = Vec::with_capacity(words.len() + 4);
    for w in words {
        if w.width > fits {
            let text: String = w
                .frags
                .iter()
                .flat_map(|f| f.glyphs.iter())
                .map(|g| &*g.text)
                .collect();
            overlong.push(text);
            out.extend(split_overlong(w, limit, size));
        } else {
            out.push(w);
        }
    }
    out
}

/// Lay out a paragraph of body text (a paragraph, a table cell). Words too
/// long for a line are broken inside, and their text added to `overlong` for
/// the caller to report. Lines never break inside a tie (a number and its
/// unit, "số"/"ngày" and what follows, a name) where another way fits.
pub fn layout(
    shaper: &mut Shaper,
    runs: &[Run],
    marker: Option<&str>,
    st: &ParStyle,
    overlong: &mut Vec<String>,
) -> Vec<LineBox> {
    layout_as(shaper, (runs, marker), st, overlong, false)
}

/// Lay out display lines (a title, an agency's name, a heading, a recipient,
/// the signature): like [`layout`], and lines also break only between words
/// of the word list, preferably after punctuation or before a function word,
/// centred lines come out even and the last line holds more than one word.
pub fn layout_display(
    shaper: &mut Shaper,
    runs: &[Run],
    st: &ParStyle,
    overlong: &mut Vec<String>,
) -> Vec<LineBox> {
    layout_as(shaper, (runs, None), st, overlong, true)
}

/// [`layout`] or, with `display`, [`layout_display`].
fn layout_as(
    shaper: &mut Shaper,
    (runs, marker): (&[Run], Option<&str>),
    st: &ParStyle,
    overlong: &mut Vec<String>,
    display: bool,
) -> Vec<LineBox> {
    let words = words_of(shaper, runs, marker, st, overlong);
    let base = baseline(shaper, st.size, st.line_height);
    let mut setter = Setter {
        shaper,
        st,
        base,
        display,
        lines: Vec::new(),
    };
    // Segments end at hard breaks; only the paragraph's first line is indented.
    let mut seg_start = 0;
    let mut indent = st.first_indent;
    while seg_start < words.len() {
        let seg_end = segment_end(&words, seg_start);
        let seg = words.get(seg_start..seg_end).unwrap_or_default();
        setter.segment(seg, indent);
        indent = 0.0;
        seg_start = seg_end;
    }
    setter.lines
}

/// Where the segment starting at word `start` ends: after the next word with a
/// hard break, or at the paragraph's end.
fn segment_end(words: &[Word], start: usize) -> usize {
    let rest = words.get(start..).unwrap_or_default();
    rest.iter()
        .position(|w| w.hard_break)
        .map(|p| start + p + 1)
        .unwrap_or(words.len())
}

/// How the line breaker fills lines for an alignment.
fn fit_of(align: Align) -> Fit {
    match align {
        Align::Justify => Fit::Justify,
        Align::Center => Fit::Balance,
        Align::Left | Align::Right => Fit::Ragged,
    }
}

/// What the lines of one paragraph share while they are set, and the lines set
/// so far.
struct Setter<'a> {
    shaper: &'a mut Shaper,
    st: &'a ParStyle,
    /// The baseline's distance from a line's top, pt.
    base: f32,
    /// Display lines (see [`layout_display`]).
    display: bool,
    lines: Vec<LineBox>,
}

impl Setter<'_> {
    /// Break the words of one segment (up to a hard break) into lines and set
    /// them; the segment's first line is indented by `indent` pt.
    fn segment(&mut self, seg: &[Word], indent: f32) {
        let items = self.break_items(seg);
        let width = self.st.width;
        let fit = fit_of(self.st.align);
        let lines = if self.display {
            break_display(&items, width - indent, width, fit)
        } else {
            break_lines_with(&items, width - indent, width, fit)
        };
        for (k, line) in lines.iter().enumerate() {
            let line_indent = if k == 0 { indent } else { 0.0 };
            let last_of_seg = k + 1 == lines.len();
            let line_items = items.get(line.start..line.end).unwrap_or_default();
            let line_words = seg.get(line.start..line.end).unwrap_or_default();
            let line_box = self.line(line_words, line_items, line_indent, last_of_seg);
            self.lines.push(line_box);
        }
    }

    /// The width of each word of a segment, of the space after it and what a
    /// break after it costs, for the line breaker.
    fn break_items(&mut self, seg: &[Word]) -> Vec<BreakItem> {
        let texts: Vec<&str> = seg.iter().map(|w| w.text.as_str()).collect();
        let gaps = if self.display {
            self.shaper.breaker().display_gaps(&texts)
        } else {
            self.shaper.breaker().body_gaps(&texts)
        };
        seg.iter()
            .zip(gaps)
            .map(|(w, gap)| {
                let last = w.frags.last().map(|f| f.style).unwrap_or(Style::Regular);
                BreakItem {
                    width: w.width,
                    space: if w.space_after {
                        self.shaper.shape(" ", last).width_at(self.st.size)
                    } else {
                        0.0
                    },
                    penalty: gap.penalty(),
                }
            })
            .collect()
    }

    /// Set one line: its words, their widths (`items`), its indent, and whether
    /// it ends its segment (such a line is not justified).
    fn line(&mut self, words: &[Word], items: &[BreakItem], indent: f32, last: bool) -> LineBox {
        let st = self.st;
        let avail = st.width - indent;
        let natural = natural_width(items);
        let gaps = words.iter().rev().skip(1).filter(|w| w.space_after).count();
        let justify = st.align == Align::Justify && !last && gaps > 0;
        // Readers that measure a glyph by its font advance (MuPDF) rather than
        // the /W width (truncated to 1/1000 em) see up to 0.014 pt more at the
        // line's end: stop just short of the margin.
        let extra = if justify {
            (avail - EDGE_ALLOWANCE - natural) / gaps as f32
        } else {
            0.0
        };
        let x0 = st.left
            + indent
            + match st.align {
                Align::Center => ((avail - natural) / 2.0).max(0.0),
                Align::Right => (avail - natural).max(0.0),
                _ => 0.0,
            };
        let runs = place_line(self.shaper, words, x0, self.base, st.size, extra);
        LineBox {
            height: st.line_height,
            items: runs.into_iter().map(Item::Text).collect(),
        }
    }
}

/// A line's width at rest: its words and the spaces between them (not the
/// space after its last word).
fn natural_width(items: &[BreakItem]) -> f32 {
    items
        .iter()
        .enumerate()
        .map(|(i, it)| it.width + if i + 1 < items.len() { it.space } else { 0.0 })
        .sum()
}

/// Build glyph runs for the words of one line; `extra` pt is added to each space.
fn place_line(
    shaper: &mut Shaper,
    words: &[Word],
    x0: f32,
    y: f32,
    size: f32,
    extra: f32,
) -> Vec<TextRun> {
    let mut runs: Vec<TextRun> = Vec::new();
    let mut x = x0;
    // Glyphs still to place on the line (a space is one glyph), for `run_in`.
    let mut left: usize = words
        .iter()
        .map(|w| w.frags.iter().map(|f| f.glyphs.len()).sum::<usize>() + 1)
        .sum();
    for (wi, w) in words.iter().enumerate() {
        for f in &w.frags {
            if let Some(glyphs) = run_in(&mut runs, f.style, x, y, size, left) {
                glyphs.extend(f.glyphs.iter().cloned());
            }
            left = left.saturating_sub(f.glyphs.len());
            x += f.width_at(size);
        }
        left = left.saturating_sub(1);
        if wi + 1 < words.len() && w.space_after {
            let style = w.frags.last().map(|f| f.style).unwrap_or(Style::Regular);
            let space = shaper.shape(" ", style);
            let stretch = extra * 1000.0 / size;
            x += space.width_at(size) + extra;
            let start = x - space.width_at(size) - extra;
            if let Some(glyphs) =
                run_in(&mut runs, style, start, y, size, left + space.glyphs.len())
            {
                let at = glyphs.len();
                glyphs.extend(space.glyphs.iter().cloned());
                if let Some(g) = glyphs.get_mut(at..).and_then(<[_]>::last_mut) {
                    g.adv += stretch;
                }
            }
        }
    }
    runs
}

/// The glyphs of the line's last run if it is in `style`, or else of a new run
/// started at `x`, with room for `room` glyphs (all the line has left), so that
/// it never grows by copying.
fn run_in(
    runs: &mut Vec<TextRun>,
    style: Style,
    x: f32,
    y: f32,
    size: f32,
    room: usize,
) -> Option<&mut Vec<super::shape::Glyph>> {
    if runs.last().is_none_or(|r| r.style != style) {
        runs.push(TextRun {
            x,
            y,
            style,
            size,
            glyphs: Vec::with_capacity(room),
            tag: super::Tag::default(),
        });
    }
    runs.last_mut().map(|r| &mut r.glyphs)
}

/// The width at 1 pt of the widest run of words a line may not break inside
/// (a word, or words joined by ties: "1.234,5 tỷ đồng"), for a table column's
/// minimum width: a column at least this wide never splits a tie.
pub fn unbreakable_width(shaper: &mut Shaper, runs: &[Run], bold: bool) -> f32 {
    let st = ParStyle {
        size: 1.0,
        line_height: 1.0,
        first_indent: 0.0,
        left: 0.0,
        width: f32::INFINITY,
        align: Align::Left,
        bold,
        italic: false,
    };
    let words = words_of(shaper, runs, None, &st, &mut Vec::new());
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let gaps = shaper.breaker().body_gaps(&texts);
    let (mut widest, mut run) = (0.0f32, 0.0f32);
    for (w, gap) in words.iter().zip(gaps) {
        run += w.width;
        if gap == super::breaks::Gap::Tie && !w.hard_break {
            let style = w.frags.last().map(|f| f.style).unwrap_or(Style::Regular);
            run += shaper.shape(" ", style).width_at(1.0);
        } else {
            widest = widest.max(run);
            run = 0.0;
        }
    }
    widest.max(run)
}

/// Set a single line of plain text (no wrapping) and return it with its width.
pub fn line_of(
    shaper: &mut Shaper,
    text: &str,
    style: Style,
    size: f32,
) -> (Vec<super::shape::Glyph>, f32) {
    let s = shaper.shape(text, style);
    (s.glyphs.to_vec(), s.width_at(size))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style(width: f32) -> ParStyle {
        ParStyle {
            size: 14.0,
            line_height: 18.0,
            first_indent: 28.35,
            left: 85.0,
            width,
            align: Align::Justify,
            bold: false,
            italic: false,
        }
    }

    fn text_of(lines: &[LineBox]) -> String {
        let mut s = String::new();
        for l in lines {
            for it in &l.items {
                if let Item::Text(t) = it {
                    for g in &t.glyphs {
                        s.push_str(&g.text);
                    }
                }
            }
            s.push('|');
        }
        s
    }

    #[test]
    fn justified_lines_end_on_the_right_edge_last_line_ragged() {
        let mut sh = Shaper::new(std::sync::Arc::new(crate::fonts::bundled().unwrap()));
        let para = "Thành ủy xác định lãnh đạo việc học tập và làm theo Bác là việc làm thường xuyên, liên tục của các cấp ủy, tổ chức Đảng, trước hết là người đứng đầu. Đồng thời, trong hệ thống văn bản chỉ đạo về công tác xây dựng Đảng.";
        let runs = vec![Run {
            text: para.into(),
            bold: false,
            italic: false,
        }];
        let st = style(453.5);
        let lines = layout(&mut sh, &runs, None, &st, &mut Vec::new());
        assert!(lines.len() >= 3);
        for (k, l) in lines.iter().enumerate() {
            let end = l
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Text(t) => Some(t.x + t.width()),
                    _ => None,
                })
                .fold(0.0f32, f32::max);
            if k + 1 < lines.len() {
                assert!(
                    (end - (85.0 + 453.5 - EDGE_ALLOWANCE)).abs() < 0.01,
                    "line {k} ends at {end}"
                );
            } else {
                assert!(end < 85.0 + 453.5 - 1.0);
            }
        }
        // Every character and space survives, in order.
        let t = text_of(&lines).replace('|', " ");
        assert_eq!(t.trim_end(), para);
        // First-line indent.
        if let Some(Item::Text(t)) = lines[0].items.first() {
            assert!((t.x - (85.0 + 28.35)).abs() < 0.01);
        }
    }

    #[test]
    fn a_tied_amount_is_as_wide_as_its_words_and_spaces() {
        let mut sh = Shaper::new(std::sync::Arc::new(crate::fonts::bundled().unwrap()));
        let run = |t: &str| Run {
            text: t.into(),
            bold: false,
            italic: false,
        };
        let whole = unbreakable_width(&mut sh, &[run("thu 1.234,5 tỷ đồng")], false);
        let (_, amount) = line_of(&mut sh, "1.234,5 tỷ đồng", Style::Regular, 1.0);
        assert!((whole - amount).abs() < 1e-4, "{whole} vs {amount}");
        let plain = unbreakable_width(&mut sh, &[run("thu ngân sách")], false);
        let (_, longest) = line_of(&mut sh, "ngân", Style::Regular, 1.0);
        assert!((plain - longest).abs() < 1e-4, "{plain} vs {longest}");
    }

    #[test]
    fn marker_and_styles() {
        let mut sh = Shaper::new(std::sync::Arc::new(crate::fonts::bundled().unwrap()));
        let runs = vec![
            Run {
                text: "một ".into(),
                bold: false,
                italic: false,
            },
            Run {
                text: "hai".into(),
                bold: true,
                italic: false,
            },
            Run {
                text: ", ba".into(),
                bold: false,
                italic: false,
            },
        ];
        let lines = layout(&mut sh, &runs, Some("- "), &style(400.0), &mut Vec::new());
        assert_eq!(text_of(&lines), "- một hai, ba|");
        let styles: Vec<Style> = lines[0]
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text(t) => Some(t.style),
                _ => None,
            })
            .collect();
        assert_eq!(styles, vec![Style::Regular, Style::Bold, Style::Regular]);
    }
}
