//! Tables: a GFM table → ruled rows that fit the text width.
//!
//! Takes the header cells, rows and column alignments. Two markers make rich tables
//! writable by hand: a cell holding only `<` joins the cell on its left (a group
//! row: `| **I. Kinh tế** | < | < |`), a cell holding only `^` joins the cell above
//! (body rows right under the header that hold a `^` belong to the header, so a
//! "So sánh (%)" cell can stand over "KH" and "CK"). Column widths come from each
//! column's minimum (longest word) and preferred (unwrapped) width, as browsers'
//! automatic table layout does; when even the minimum widths overflow, the font
//! shrinks down to the profile's minimum, then layout fails. Returns the header as
//! one unit (repeated on every page the table continues on) and one unbreakable
//! [`Unit`] per body row.
use super::pages::Unit;
use super::par::{self, Align, ParStyle};
use super::shape::Shaper;
use super::Item;
use crate::fonts::Style;
use crate::markup::{self, Align as MAlign, Inlines};
use std::ops::Range;
use std::sync::Arc;

/// Table style (from the profile).
#[derive(Debug, Clone)]
pub struct TableStyle {
    /// Preferred font size, pt.
    pub size: f32,
    /// Smallest font size the table may shrink to, pt.
    pub min_size: f32,
    /// Line height as a multiple of the size.
    pub leading: f32,
    /// Cell padding, pt.
    pub pad: f32,
    /// Rule width, pt.
    pub rule: f32,
    /// Space above the table, pt.
    pub space_before: f32,
    /// Height of the text area, pt: a row taller than this is split.
    pub max_height: f32,
    /// Relative column widths given by the author (`\do_rong`), if any.
    pub widths: Option<Vec<f32>>,
    /// A header cell wraps to at most this many lines when the columns allow it.
    pub max_header_lines: usize,
    /// Rows kept on the page under a group row ("I. Kinh tế").
    pub keep_under_group: usize,
    /// Added to a group row's label repeated on the next page: "(tiếp)".
    pub continued: String,
}

impl TableStyle {
    /// The profile's table style, `space_before` pt under what precedes it,
    /// in a text area `max_height` pt tall, with the author's `widths`.
    pub fn of(
        p: &crate::profile::Profile,
        space_before: f32,
        max_height: f32,
        widths: Option<Vec<f32>>,
    ) -> TableStyle {
        let t = &p.table;
        TableStyle {
            size: t.font_size,
            min_size: t.min_font_size,
            leading: t.line_height,
            pad: t.cell_padding,
            rule: t.rule_width,
            space_before,
            max_height,
            widths,
            max_header_lines: t.max_header_lines,
            keep_under_group: t.keep_under_group,
            continued: t.continued.clone(),
        }
    }
}

/// A laid-out table.
pub struct Table {
    pub units: Vec<Unit>,
    /// The font size used (smaller than asked when the table had to shrink).
    pub size: f32,
    /// Columns (from 0) the author's widths (`\do_rong`) made too narrow for
    /// a word, and that word: they were widened.
    pub widened: Vec<(usize, String)>,
}

/// Even at the smallest size the columns do not fit.
#[derive(Debug, Clone, Copy)]
pub struct TooWide {
    /// Width needed at the smallest size, pt.
    pub needed: f32,
    pub available: f32,
}

/// A cell of the grid: its text, its first column, and how many columns and
/// rows it spans.
#[derive(Clone, Copy)]
pub struct Cell<'a> {
    pub text: &'a Inlines,
    pub col: usize,
    pub colspan: usize,
    pub rowspan: usize,
}

fn is_marker(c: &Inlines, m: &str) -> bool {
    markup::plain(c).trim() == m
}

fn is_numeric(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty()
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '%' | '-' | '+' | '\u{2212}'))
}

/// Cells of every row, with spans resolved. Returns the rows and how many of them
/// form the header.
// Column indices are below `ncol`, which sizes `above` and `covering`: in bounds
// by construction.
#[allow(clippy::indexing_slicing)]
pub fn grid<'a>(
    head: &'a [Inlines],
    rows: &'a [Vec<Inlines>],
    ncol: usize,
) -> (Vec<Vec<Cell<'a>>>, usize) {
    let mut header_rows = usize::from(!head.is_empty());
    if header_rows == 1 {
        header_rows += rows
            .iter()
            .take_while(|r| r.iter().any(|c| is_marker(c, "^")))
            .count();
    }
    let all: Vec<&[Inlines]> = std::iter::once(head)
        .filter(|h| !h.is_empty())
        .chain(rows.iter().map(Vec::as_slice))
        .collect();
    let mut out: Vec<Vec<Cell>> = Vec::with_capacity(all.len());
    // For each column, the (row, index) of the cell covering it in the row above.
    let mut above: Vec<Option<(usize, usize)>> = vec![None; ncol];
    for (ri, row) in all.iter().enumerate() {
        let mut cells: Vec<Cell> = Vec::new();
        let mut covering: Vec<Option<(usize, usize)>> = vec![None; ncol];
        for c in 0..ncol {
            let empty: &Inlines = &EMPTY;
            let text = row.get(c).unwrap_or(empty);
            if is_marker(text, "<") {
                if let Some(last) = cells.last_mut() {
                    last.colspan += 1;
                    covering[c] = Some((ri, cells.len() - 1));
                    continue;
                }
            }
            if ri < header_rows && is_marker(text, "^") {
                if let Some((ar, ai)) = above[c] {
                    if let Some(cell) = out.get_mut(ar).and_then(|r| r.get_mut(ai)) {
                        if cell.col == c || cell.colspan > 1 {
                            if cell.col == c {
                                cell.rowspan += 1;
                            }
                            covering[c] = Some((ar, ai));
                            continue;
                        }
                    }
                }
            }
            cells.push(Cell {
                text,
                col: c,
                colspan: 1,
                rowspan: 1,
            });
            covering[c] = Some((ri, cells.len() - 1));
        }
        above = covering;
        out.push(cells);
    }
    (out, header_rows)
}

static EMPTY: Inlines = Vec::new();

/// The cells a table prints (span markers `<` and `^` are not printed).
pub fn printed_cells<'a>(head: &'a [Inlines], rows: &'a [Vec<Inlines>]) -> Vec<&'a Inlines> {
    let (grid, _) = grid(head, rows, columns(head, rows));
    grid.into_iter().flatten().map(|c| c.text).collect()
}

/// A cell's text at 1 pt: its longest word and that word, the width it
/// keeps on one line (a unit, "tỷ đồng", whole; else its longest word), its
/// preferred (unwrapped) width, and its words' widths and the space's.
struct CellSize {
    min: f32,
    word: String,
    keep: f32,
    pref: f32,
    words: Vec<f32>,
    space: f32,
}

/// Measure a cell's text at 1 pt (`bold`: in the header; `units`: in a
/// column of units, "Đơn vị tính", where up to three words stay on a line).
fn measure(shaper: &mut Shaper, cell: &Inlines, bold: bool, units: bool) -> CellSize {
    let mut out = CellSize {
        min: 0.0,
        word: String::new(),
        keep: 0.0,
        pref: 0.0,
        words: Vec::new(),
        space: 0.0,
    };
    for run in cell {
        let style = Style::of(run.bold || bold, run.italic);
        let space = shaper.shape(" ", style).width_at(1.0);
        out.space = out.space.max(space);
        for (i, w) in run.text.split([' ', '\n']).enumerate() {
            let ww = shaper.shape(w, style).width_at(1.0);
            if ww > out.min {
                out.min = ww;
                out.word = w.to_string();
            }
            out.words.push(ww);
            out.pref += ww + if i > 0 { space } else { 0.0 };
        }
    }
    let text = markup::plain(cell);
    let short = !text.contains('\n') && text.split(' ').count() <= 3;
    out.keep = if !bold && (is_unit(&text) || (units && short)) {
        out.pref
    } else {
        // Words the line breaker ties ("1.286,75 triệu đồng", "tỷ đồng") are
        // never split in a cell: the column is at least as wide as the
        // widest tied group.
        out.min.max(par::unbreakable_width(shaper, cell, bold))
    };
    out
}

/// Whether a cell's text is a unit of measure that reads as one word: "tỷ
/// đồng", "nghìn tấn", "lượt người" (two or three words, the first a
/// magnitude or the last a unit).
fn is_unit(text: &str) -> bool {
    const MAGNITUDES: [&str; 4] = ["nghìn", "ngàn", "triệu", "tỷ"];
    const UNITS: [&str; 10] = [
        "đồng", "USD", "tấn", "người", "hộ", "ha", "km", "lượt", "tạ", "kg",
    ];
    let words: Vec<&str> = text.split(' ').collect();
    !text.contains('\n')
        && (2..=3).contains(&words.len())
        && (words.first().is_some_and(|w| MAGNITUDES.contains(w))
            || words.last().is_some_and(|w| UNITS.contains(w)))
}

/// Column widths that fill `width`, given per-column min and preferred widths
/// (padding included).
fn column_widths(mins: &[f32], prefs: &[f32], width: f32) -> Vec<f32> {
    let min_total: f32 = mins.iter().sum();
    let pref_total: f32 = prefs.iter().sum();
    if pref_total <= width {
        let slack = width - pref_total;
        return prefs
            .iter()
            .map(|p| p + slack * p / pref_total.max(1e-3))
            .collect();
    }
    if min_total >= width {
        return mins
            .iter()
            .map(|m| m * width / min_total.max(1e-3))
            .collect();
    }
    let want: f32 = prefs.iter().zip(mins).map(|(p, m)| p - m).sum();
    let room = width - min_total;
    let n = mins.len().max(1) as f32;
    prefs
        .iter()
        .zip(mins)
        .map(|(p, m)| {
            m + if want > 0.0 {
                room * (p - m) / want
            } else {
                room / n
            }
        })
        .collect()
}

/// A table's number of columns: its header's or its longest row's.
pub fn columns(head: &[Inlines], rows: &[Vec<Inlines>]) -> usize {
    head.len().max(rows.iter().map(Vec::len).max().unwrap_or(0))
}

/// Lay out a table `width` pt wide at `left`. Words too long for their cell
/// are broken inside, and their text added to `overlong`.
#[allow(clippy::too_many_arguments)] // the table's parts, place and style, and the report
pub fn layout(
    shaper: &mut Shaper,
    align: &[MAlign],
    head: &[Inlines],
    rows: &[Vec<Inlines>],
    left: f32,
    width: f32,
    st: &TableStyle,
    overlong: &mut Vec<String>,
) -> Result<Table, TooWide> {
    let ncol = columns(head, rows);
    if ncol == 0 {
        return Ok(Table {
            units: Vec::new(),
            size: st.size,
            widened: Vec::new(),
        });
    }
    let (grid, header_rows) = grid(head, rows, ncol);
    let (head_rows, body_rows) = grid.split_at(header_rows.min(grid.len()));
    let aligns = column_aligns(align, body_rows, ncol);
    // Right-aligned columns of numbers line up on the decimal comma.
    let decimal: Vec<bool> = (0..ncol)
        .map(|c| aligns.get(c) == Some(&Align::Right) && has_numbers(body_rows, c))
        .collect();
    // Widths at 1 pt, then the size that fits, then the widths at that size.
    let mut measures = Measures::new(ncol, decimal, st.max_header_lines);
    measures.measure(shaper, head_rows, body_rows);
    let size = measures.font_size(st, width)?;
    let (widths, widened) = measures.widths(size, st, width);
    // A column the author made too narrow to line up its numbers sets them
    // flush right (each still whole).
    let tails: Vec<f32> = (measures.ints.iter().zip(&measures.tails))
        .zip(&widths)
        .map(|((i, t), w)| {
            if (i + t) * size + 2.0 * st.pad <= *w {
                t * size
            } else {
                0.0
            }
        })
        .collect();
    let setter = TableSetter::new(st, size, left, &widths, aligns, tails);
    let units = setter.units(shaper, head_rows, body_rows, overlong);
    let widened = widened
        .into_iter()
        .map(|c| (c, measures.words.get(c).cloned().unwrap_or_default()))
        .collect();
    Ok(Table {
        units,
        size,
        widened,
    })
}

/// Where the decimal part of a number starts: at its comma ("100,31" →
/// ",31"), else after its last digit ("102%" → "%"); `None` for text that is
/// not a number.
fn decimal_tail(s: &str) -> Option<usize> {
    if !is_numeric(s) {
        return None;
    }
    s.find(',')
        .or_else(|| s.rfind(|c: char| c.is_ascii_digit()).map(|i| i + 1))
}

/// The style a cell's text is set in (its first run's, bold in the header).
fn cell_style(cell: &Inlines, header: bool) -> Style {
    cell.first().map_or(Style::of(header, false), |r| {
        Style::of(r.bold || header, r.italic)
    })
}

/// The smallest width at 1 pt at which words `words` (widths at 1 pt),
/// `space` apart, fill at most `lines` lines.
fn width_for_lines(words: &[f32], space: f32, lines: usize) -> f32 {
    let count = |w: f32| count_lines(words, space, w);
    let mut lo = words.iter().copied().fold(0.0f32, f32::max);
    let mut hi = words.iter().sum::<f32>() + space * words.len() as f32;
    if count(lo) <= lines {
        return lo;
    }
    for _ in 0..30 {
        let mid = (lo + hi) / 2.0;
        if count(mid) <= lines {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

/// The lines words `words` (widths at 1 pt), `space` apart, fill at `width`
/// (1 pt), filled greedily; a word wider than that on a line of its own.
fn count_lines(words: &[f32], space: f32, width: f32) -> usize {
    let mut n = 1;
    let mut x = 0.0f32;
    for (i, ww) in words.iter().enumerate() {
        if i > 0 && x + space + ww > width {
            n += 1;
            x = *ww;
        } else {
            x += if i > 0 { space + ww } else { *ww };
        }
    }
    n
}

/// Round the numbers of each column with decimals given (`\chu_so`) to that
/// many decimals, trailing zeros kept ("102" → "102,00"); other cells as
/// written. A number is a cell of one run in Vietnamese notation
/// ("1.286,75", "-3", "106,7%"). The rows of the header (those with a `^`
/// right under it, "2023" over a column) are left as written.
pub fn with_decimals(rows: &[Vec<Inlines>], decimals: &[Option<u32>]) -> Vec<Vec<Inlines>> {
    let header = rows
        .iter()
        .take_while(|r| r.iter().any(|c| is_marker(c, "^")))
        .count();
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            if i < header {
                return row.clone();
            }
            row.iter()
                .zip(decimals.iter().chain(std::iter::repeat(&None)))
                .map(|(cell, d)| match (d, cell.as_slice()) {
                    (Some(n), [run]) => match rounded(&run.text, *n) {
                        Some(text) => vec![markup::Run {
                            text,
                            ..run.clone()
                        }],
                        None => cell.clone(),
                    },
                    _ => cell.clone(),
                })
                .collect()
        })
        .collect()
}

/// `text`, a number in Vietnamese notation, rounded half away from zero to
/// `n` decimals; `None` when it is not such a number.
fn rounded(text: &str, n: u32) -> Option<String> {
    let t = text.trim();
    let (sign, body) = match t.chars().next()? {
        c @ ('-' | '+' | '\u{2212}') => (Some(c), t.get(c.len_utf8()..)?),
        _ => (None, t),
    };
    let (body, pct) = match body.strip_suffix('%') {
        Some(b) => (b, "%"),
        None => (body, ""),
    };
    let (int, frac) = body.split_once(',').unwrap_or((body, ""));
    let mut groups = int.split('.');
    let first = groups.next()?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let grouped = groups.all(|g| g.len() == 3 && digits(g));
    if !digits(first) || !grouped || !(frac.is_empty() || digits(frac)) {
        return None;
    }
    let plain = format!(
        "{}{}.{}",
        if sign.is_some_and(|c| c != '+') {
            "-"
        } else {
            ""
        },
        int.replace('.', ""),
        if frac.is_empty() { "0" } else { frac }
    );
    let d: rust_decimal::Decimal = plain.parse().ok()?;
    let mut out = crate::vn::format_fixed(&d, n);
    if sign == Some('+') {
        out.insert(0, '+');
    } else if sign == Some('\u{2212}') {
        out = out.replacen('-', "\u{2212}", 1);
    }
    out.push_str(pct);
    Some(out)
}

/// Each column's minimum (longest word) and preferred (unwrapped) width at
/// 1 pt, from the cells that span one column, and the cells that span several.
struct Measures {
    /// The words (at 1 pt) of each row's cells that span one column, for
    /// the line counts that share out the room (`shortest`).
    rows: Vec<Vec<CellWords>>,
    mins: Vec<f32>,
    /// The width at which the column's header cells take at most
    /// `max_lines` lines (at least `mins`).
    soft: Vec<f32>,
    prefs: Vec<f32>,
    /// Each column's longest word (what its minimum width is made of).
    words: Vec<String>,
    spans: Vec<SpanMeasure>,
    /// Columns whose numbers line up on the decimal comma, and their widest
    /// integer and decimal parts.
    decimal: Vec<bool>,
    ints: Vec<f32>,
    /// Columns headed "Đơn vị tính" (or "ĐVT"): their cells are units.
    units: Vec<bool>,
    /// Each column's longest word: all the author's widths must hold (the
    /// minimum widths also keep units whole and numbers lined up).
    word_mins: Vec<f32>,
    tails: Vec<f32>,
    max_lines: usize,
}

/// A cell spanning the columns `col..col + colspan`, with its minimum width
/// at 1 pt (and the one that keeps it within the header's lines): it binds
/// both the minimum and the preferred widths of those columns.
struct SpanMeasure {
    col: usize,
    colspan: usize,
    min: f32,
    soft: f32,
}

impl Measures {
    fn new(ncol: usize, decimal: Vec<bool>, max_lines: usize) -> Measures {
        Measures {
            rows: Vec::new(),
            mins: vec![0.0; ncol],
            soft: vec![0.0; ncol],
            prefs: vec![0.0; ncol],
            words: vec![String::new(); ncol],
            spans: Vec::new(),
            decimal,
            ints: vec![0.0; ncol],
            word_mins: vec![0.0; ncol],
            tails: vec![0.0; ncol],
            max_lines: max_lines.max(1),
            units: vec![false; ncol],
        }
    }

    /// Measure every cell of the header rows (`head`), then of the body rows;
    /// a column of aligned numbers is as wide as its widest integer part and
    /// its widest decimal part together.
    fn measure(&mut self, shaper: &mut Shaper, head: &[Vec<Cell>], body: &[Vec<Cell>]) {
        for (rows, header) in [(head, true), (body, false)] {
            for row in rows {
                self.rows.push(Vec::new());
                for c in row {
                    self.add(shaper, c, header);
                }
            }
        }
        let cols = self
            .mins
            .iter_mut()
            .zip(&mut self.prefs)
            .zip(&mut self.soft);
        for (((m, p), s), (i, t)) in cols.zip(self.ints.iter().zip(&self.tails)) {
            *m = m.max(i + t);
            *p = p.max(i + t);
            *s = s.max(*m);
        }
    }

    /// Measure one cell: into its column's widths, or into the spans when it
    /// spans several columns.
    fn add(&mut self, shaper: &mut Shaper, c: &Cell, header: bool) {
        let units = self.units.get(c.col).copied().unwrap_or(false) && c.colspan == 1;
        let size = measure(shaper, c.text, header, units);
        if header && c.colspan == 1 {
            let name = markup::plain(c.text).trim().to_lowercase();
            if matches!(name.as_str(), "đơn vị tính" | "đvt") {
                if let Some(u) = self.units.get_mut(c.col) {
                    *u = true;
                }
            }
        }
        if c.colspan == 1 {
            if let Some(row) = self.rows.last_mut() {
                row.push(CellWords {
                    col: c.col,
                    words: size.words.clone(),
                    space: size.space,
                });
            }
        }
        let (min, word) = (size.min, size.word);
        // Header text wraps readily (as in printed reports), within its lines;
        // a column's preferred width comes from its body cells.
        let soft = if header {
            width_for_lines(&size.words, size.space, self.max_lines)
        } else {
            size.keep
        };
        let pref = if header { min } else { size.pref };
        if c.colspan > 1 {
            self.spans.push(SpanMeasure {
                col: c.col,
                colspan: c.colspan,
                min,
                soft,
            });
            return;
        }
        let col = c.col;
        if let Some(m) = self.mins.get_mut(col) {
            *m = m.max(size.keep);
        }
        if let Some(m) = self.word_mins.get_mut(col) {
            if min > *m {
                *m = min;
                if let Some(w) = self.words.get_mut(col) {
                    *w = word;
                }
            }
        }
        if let Some(s) = self.soft.get_mut(col) {
            *s = s.max(soft);
        }
        if let Some(p) = self.prefs.get_mut(col) {
            *p = p.max(pref);
        }
        if header || !self.decimal.get(col).copied().unwrap_or(false) {
            return;
        }
        let text = markup::plain(c.text);
        let text = text.trim();
        if let Some(at) = decimal_tail(text) {
            let style = cell_style(c.text, false);
            let (int, tail) = text.split_at(at.min(text.len()));
            let iw = shaper.shape(int, style).width_at(1.0);
            let tw = shaper.shape(tail, style).width_at(1.0);
            if let (Some(i), Some(t)) = (self.ints.get_mut(col), self.tails.get_mut(col)) {
                *i = i.max(iw);
                *t = t.max(tw);
            }
        }
    }

    /// The font size for a table `width` pt wide: the style's when the minimum
    /// widths fit at it, else the largest half point at which they fit; too
    /// wide when that is below the style's minimum.
    fn font_size(&self, st: &TableStyle, width: f32) -> Result<f32, TooWide> {
        let ncol = self.mins.len();
        let pads = 2.0 * st.pad * ncol as f32;
        let mins = if self.fixed(st) {
            &self.word_mins
        } else {
            &self.mins
        };
        let min_at_1: f32 = mins.iter().sum();
        let fit = if min_at_1 > 0.0 {
            (width - pads) / min_at_1
        } else {
            st.size
        };
        let size = if fit >= st.size {
            st.size
        } else {
            (fit * 2.0).floor() / 2.0
        };
        if size < st.min_size {
            return Err(TooWide {
                needed: min_at_1 * st.min_size + pads,
                available: width,
            });
        }
        Ok(size)
    }

    /// Whether the author's widths (`\do_rong`) apply: given for every column.
    fn fixed(&self, st: &TableStyle) -> bool {
        st.widths
            .as_deref()
            .is_some_and(|w| w.len() == self.mins.len() && w.iter().sum::<f32>() > 0.0)
    }

    /// Column widths, padding included, that fill `width` pt at font size
    /// `size`: the author's (`\do_rong`) when given for every column, widened
    /// where a word would not fit (those columns are returned too), else from
    /// the minimum and preferred widths, widened for the spanning cells; the
    /// minimum keeps headers within their lines when that fits.
    fn widths(&self, size: f32, st: &TableStyle, width: f32) -> (Vec<f32>, Vec<usize>) {
        let ncol = self.mins.len();
        // A hair more than the text, so that it never wraps by rounding.
        let at =
            |v: &[f32]| -> Vec<f32> { v.iter().map(|m| m * size + 2.0 * st.pad + 0.01).collect() };
        let fixed = self.fixed(st);
        // The author's widths need room for each word only, not for lining
        // the numbers up.
        let mut mins = at(if fixed { &self.word_mins } else { &self.mins });
        let mut soft = at(&self.soft);
        let mut prefs = at(&self.prefs);
        // A spanning cell widens the columns it covers when they are too narrow for it.
        for span in &self.spans {
            let cols = span.col..(span.col + span.colspan).min(ncol);
            let need = span.min * size + 2.0 * st.pad + 0.01;
            widen(&mut mins, cols.clone(), need);
            widen(&mut prefs, cols.clone(), need);
            let need = span.soft * size + 2.0 * st.pad + 0.01;
            widen(&mut soft, cols, need);
        }
        for ((s, m), p) in soft.iter_mut().zip(&mins).zip(&mut prefs) {
            *s = s.max(*m);
            *p = p.max(*s);
        }
        // The author's widths, when given for every column, take precedence.
        match st.widths.as_deref() {
            Some(w) if fixed => {
                let total: f32 = w.iter().sum();
                let asked: Vec<f32> = w.iter().map(|x| x / total * width).collect();
                at_least(&asked, &mins)
            }
            _ => {
                let base = if soft.iter().sum::<f32>() <= width {
                    &soft
                } else {
                    &mins
                };
                let widths = if prefs.iter().sum::<f32>() > width {
                    self.shortest(base, &prefs, size, st.pad, width)
                } else {
                    column_widths(base, &prefs, width)
                };
                (widths, Vec::new())
            }
        }
    }
}

impl Measures {
    /// Widths from `base` (each column's least) that fill `width` when the
    /// text does not fit unwrapped: the room goes, a step at a time, to the
    /// column whose widening to where one of its cells loses a line lowers
    /// the table the most per point (a row is as tall as its tallest cell),
    /// and what no step can use goes in proportion to what the columns still
    /// want (`prefs`). So a column of long names is not starved by a rare
    /// long cell elsewhere. Long tables are judged on every n-th row.
    fn shortest(&self, base: &[f32], prefs: &[f32], size: f32, pad: f32, width: f32) -> Vec<f32> {
        let ncol = base.len();
        let mut w = base.to_vec();
        let mut room = width - base.iter().sum::<f32>();
        let step = (self.rows.len() / 200).max(1);
        let rows: Vec<&Vec<CellWords>> = self.rows.iter().step_by(step).collect();
        // Column width ↔ text width at 1 pt.
        let text = |col_width: f32| (col_width - 2.0 * pad - 0.01) / size;
        let column = |text_width: f32| text_width * size + 2.0 * pad + 0.01;
        let mut table = Heights::new(&rows, ncol, |c| text(w.get(c).copied().unwrap_or(0.0)));
        for _ in 0..100 {
            // (lines saved per point, cost, column, new width)
            let mut best: Option<(f32, f32, usize, f32)> = None;
            for c in 0..ncol {
                let now = w.get(c).copied().unwrap_or(0.0);
                // Where a cell that alone makes its row's height loses a line.
                let mut targets: Vec<f32> = table
                    .tallest_in(c)
                    .map(|(cw, n, _)| column(width_for_lines(&cw.words, cw.space, n - 1)))
                    .filter(|t| *t > now + 0.05 && *t <= now + room)
                    .collect();
                targets.sort_by(f32::total_cmp);
                targets.dedup_by(|a, b| (*a - *b).abs() < 0.5);
                for &t in targets.iter().take(6) {
                    let (gain, cost) = (table.saved(c, text(t)), t - now);
                    let ratio = gain as f32 / cost;
                    if gain > 0
                        && best.is_none_or(|(b, bc, ..)| ratio > b || (ratio == b && cost < bc))
                    {
                        best = Some((ratio, cost, c, t));
                    }
                }
            }
            let Some((_, cost, c, t)) = best else {
                break;
            };
            if let Some(x) = w.get_mut(c) {
                *x = t;
            }
            room -= cost;
            table.set(c, text(t));
        }
        // The rest, where the columns still want it.
        let want: Vec<f32> = prefs
            .iter()
            .zip(&w)
            .map(|(p, x)| (p - x).max(0.0))
            .collect();
        let total: f32 = want.iter().sum();
        let n = ncol.max(1) as f32;
        w.iter()
            .zip(&want)
            .map(|(x, d)| {
                x + if total > 0.0 {
                    room * d / total
                } else {
                    room / n
                }
            })
            .collect()
    }
}

/// The lines of a table's cells at the current column widths, and for each
/// row its height and the one column (if any) whose cell alone makes it.
struct Heights<'a> {
    rows: &'a [&'a Vec<CellWords>],
    /// Lines of the cell at (row, column); 1 for an empty place.
    lines: Vec<Vec<usize>>,
    /// Per row: (height, the column alone that tall, the next most lines).
    top: Vec<(usize, Option<usize>, usize)>,
}

impl<'a> Heights<'a> {
    /// The table with each column's text `text(c)` wide (1 pt).
    fn new(rows: &'a [&'a Vec<CellWords>], ncol: usize, text: impl Fn(usize) -> f32) -> Self {
        let lines: Vec<Vec<usize>> = rows
            .iter()
            .map(|r| {
                let mut l = vec![1; ncol];
                for cw in r.iter() {
                    if let Some(slot) = l.get_mut(cw.col) {
                        *slot = cw.lines(text(cw.col));
                    }
                }
                l
            })
            .collect();
        let top = lines.iter().map(|l| top_of(l)).collect();
        Heights { rows, lines, top }
    }

    /// The cells of column `c` that alone make their row's height: the
    /// cell, its lines, and the row's next most lines.
    fn tallest_in(&self, c: usize) -> impl Iterator<Item = (&'a CellWords, usize, usize)> + '_ {
        self.rows
            .iter()
            .zip(&self.top)
            .filter(move |(_, (_, alone, _))| *alone == Some(c))
            .filter_map(move |(r, (n, _, next))| {
                r.iter().find(|cw| cw.col == c).map(|cw| (cw, *n, *next))
            })
    }

    /// The lines the table saves when column `c`'s text is `text` wide.
    fn saved(&self, c: usize, text: f32) -> usize {
        self.tallest_in(c)
            .map(|(cw, n, next)| n - next.max(cw.lines(text)).min(n))
            .sum()
    }

    /// Column `c`'s text is now `text` wide.
    fn set(&mut self, c: usize, text: f32) {
        for ((r, l), t) in self.rows.iter().zip(&mut self.lines).zip(&mut self.top) {
            if let (Some(cw), Some(slot)) = (r.iter().find(|cw| cw.col == c), l.get_mut(c)) {
                *slot = cw.lines(text);
                *t = top_of(l);
            }
        }
    }
}

/// A row's height (its most lines), the one column that tall if only one
/// is, and the next most lines among the others.
fn top_of(lines: &[usize]) -> (usize, Option<usize>, usize) {
    let (mut most, mut at, mut next) = (1, None, 1);
    for (c, &n) in lines.iter().enumerate() {
        if n > most {
            next = most;
            most = n;
            at = Some(c);
        } else if n == most {
            next = n;
            at = None;
        } else {
            next = next.max(n);
        }
    }
    (most, at, next)
}

/// A cell's words at 1 pt, for counting its lines at a width.
struct CellWords {
    col: usize,
    words: Vec<f32>,
    space: f32,
}

impl CellWords {
    /// The lines it fills at `width` (1 pt).
    fn lines(&self, width: f32) -> usize {
        count_lines(&self.words, self.space, width)
    }
}

/// `widths` with every column at least its minimum (`mins`): the columns
/// below it are widened and the others give up the room in proportion to
/// what they have above their own minimum. Returns the widths and the
/// columns widened.
fn at_least(widths: &[f32], mins: &[f32]) -> (Vec<f32>, Vec<usize>) {
    let short: Vec<usize> = (0..widths.len())
        .filter(|&c| widths.get(c) < mins.get(c))
        .collect();
    if short.is_empty() {
        return (widths.to_vec(), short);
    }
    let need: f32 = short
        .iter()
        .map(|&c| mins.get(c).copied().unwrap_or(0.0) - widths.get(c).copied().unwrap_or(0.0))
        .sum();
    let spare: f32 = widths
        .iter()
        .zip(mins)
        .enumerate()
        .filter(|(c, _)| !short.contains(c))
        .map(|(_, (w, m))| (w - m).max(0.0))
        .sum();
    let out = widths
        .iter()
        .zip(mins)
        .enumerate()
        .map(|(c, (w, m))| {
            if short.contains(&c) {
                *m
            } else if spare > 0.0 {
                w - need.min(spare) * (w - m).max(0.0) / spare
            } else {
                *w
            }
        })
        .collect();
    (out, short)
}

/// Widen the columns `cols` of `widths` evenly until together they are `need`
/// pt wide (nothing when they already are).
fn widen(widths: &mut [f32], cols: Range<usize>, need: f32) {
    let Some(covered) = widths.get_mut(cols) else {
        return;
    };
    let have: f32 = covered.iter().sum();
    if have < need && !covered.is_empty() {
        let add = (need - have) / covered.len() as f32;
        covered.iter_mut().for_each(|x| *x += add);
    }
}

/// Each column's alignment: the alignment row's; where it gives none, right
/// for a column of numbers and left otherwise.
pub fn column_aligns(align: &[MAlign], body: &[Vec<Cell>], ncol: usize) -> Vec<Align> {
    (0..ncol)
        .map(|c| match align.get(c).copied().unwrap_or(MAlign::Auto) {
            MAlign::Auto if is_numeric_column(body, c) => Align::Right,
            MAlign::Auto | MAlign::Left => Align::Left,
            MAlign::Center => Align::Center,
            MAlign::Right => Align::Right,
        })
        .collect()
}

/// Whether column `c` is a column of numbers: it has non-empty body cells of
/// its own (not spanning it and others), and all of them are numbers.
fn is_numeric_column(body: &[Vec<Cell>], c: usize) -> bool {
    let cells: Vec<String> = body
        .iter()
        .flat_map(|r| r.iter().filter(|x| x.col == c && x.colspan == 1))
        .map(|x| markup::plain(x.text))
        .filter(|s| !s.trim().is_empty())
        .collect();
    !cells.is_empty() && cells.iter().all(|s| is_numeric(s))
}

/// Whether a body row labels a group ("I. Kinh tế"): in a table of three
/// columns or more, its text stands in its first two columns only — one cell
/// spanning columns (`| **I. Kinh tế** | < | < |`), or a label that is a Roman
/// numeral or in bold (`| **I** | **Kinh tế** | | |`) — and the rest is empty.
fn is_group_row(row: &[Cell], ncol: usize) -> bool {
    let filled: Vec<&Cell> = row
        .iter()
        .filter(|c| !markup::plain(c.text).trim().is_empty())
        .collect();
    let Some(first) = filled.first() else {
        return false;
    };
    if ncol < 3 || filled.iter().any(|c| c.col > 1) {
        return false;
    }
    if first.colspan > 1 && filled.len() == 1 {
        return true;
    }
    let bold = first
        .text
        .iter()
        .all(|r| r.bold || r.text.trim().is_empty());
    bold || roman_label(&markup::plain(first.text))
}

/// Text that starts with a Roman numeral standing alone ("II", "IV.", "I-").
fn roman_label(s: &str) -> bool {
    let t = s.trim();
    let end = t.find(|c: char| !"IVXL".contains(c)).unwrap_or(t.len());
    end > 0
        && t.get(end..)
            .and_then(|r| r.chars().next())
            .is_none_or(|c| matches!(c, '.' | ')' | '-' | ' ' | '\u{2013}'))
}

/// Whether column `c` has a number in a body cell of its own.
fn has_numbers(body: &[Vec<Cell>], c: usize) -> bool {
    body.iter()
        .flat_map(|r| r.iter().filter(|x| x.col == c && x.colspan == 1))
        .any(|x| is_numeric(&markup::plain(x.text)))
}

/// Running edges: `start`, then `start` plus each size in turn (the columns'
/// x from their widths, the rows' y from their heights).
fn edges(start: f32, sizes: &[f32]) -> Vec<f32> {
    std::iter::once(start)
        .chain(sizes.iter().scan(start, |x, s| {
            *x += s;
            Some(*x)
        }))
        .collect()
}

/// Tag a cell's lines as the cell `c` in `row` (header rows first); layout
/// sets the table's id on all of them. An empty cell gets an empty run, so
/// that it is still a cell to a screen reader (rows keep their columns).
fn cell_tag(lines: &mut Vec<par::LineBox>, head: bool, row: usize, c: &Cell) {
    let n = |v: usize| u16::try_from(v).unwrap_or(u16::MAX);
    let tag = crate::layout::Tag {
        role: crate::layout::Role::Cell {
            head,
            row: n(row),
            col: n(c.col),
            cols: n(c.colspan),
            rows: n(c.rowspan),
        },
        id: 0,
    };
    let has_text = lines
        .iter()
        .flat_map(|l| &l.items)
        .any(|it| matches!(it, Item::Text(_)));
    if !has_text {
        let empty = Item::Text(crate::layout::TextRun {
            x: 0.0,
            y: 0.0,
            style: Style::Regular,
            size: 0.0,
            glyphs: Vec::new(),
            tag,
        });
        match lines.first_mut() {
            Some(l) => l.items.push(empty),
            None => lines.push(par::LineBox {
                height: 0.0,
                items: vec![empty],
            }),
        }
    }
    for l in lines {
        tag.set(&mut l.items);
    }
}

/// A table whose size and column widths are chosen: sets its cells' text and
/// rules into units.
struct TableSetter<'a> {
    st: &'a TableStyle,
    /// Font size, pt.
    size: f32,
    /// Line height, pt.
    lh: f32,
    /// The columns' edges, pt from the page's left: one more than the columns.
    xs: Vec<f32>,
    /// The table's left and right edges, pt.
    left: f32,
    right: f32,
    /// Each column's alignment, for body cells in one column.
    aligns: Vec<Align>,
    /// Each column's widest decimal part, pt (0 where numbers do not line up
    /// on the decimal comma).
    tails: Vec<f32>,
}

impl<'a> TableSetter<'a> {
    /// A table at `left` with columns `widths` pt wide, set at `size` pt.
    fn new(
        st: &'a TableStyle,
        size: f32,
        left: f32,
        widths: &[f32],
        aligns: Vec<Align>,
        tails: Vec<f32>,
    ) -> TableSetter<'a> {
        let xs = edges(left, widths);
        let right = xs.last().copied().unwrap_or(left);
        TableSetter {
            st,
            size,
            lh: size * st.leading,
            xs,
            left,
            right,
            aligns,
            tails,
        }
    }

    /// The table's units: the header rows (if any) as one, then each body row
    /// as one, or as several when it is taller than a page. The header stays
    /// with the first row, a group row with the rows under it; a row that
    /// starts a page repeats the header, and its group row marked "(tiếp)".
    fn units(
        &self,
        shaper: &mut Shaper,
        head: &[Vec<Cell>],
        body: &[Vec<Cell>],
        overlong: &mut Vec<String>,
    ) -> Vec<Unit> {
        let head_unit = (!head.is_empty()).then(|| self.header_unit(shaper, head, overlong));
        let head_repeat: Vec<Unit> = head_unit
            .iter()
            .map(|h| {
                let mut h = h.clone();
                h.space_before = 0.0;
                h
            })
            .collect();
        let repeat = (!head_repeat.is_empty()).then(|| Arc::new(head_repeat.clone()));
        // Each group row, again with "(tiếp)", under the header.
        let ncol = self.xs.len().saturating_sub(1);
        let conts: Vec<Option<Unit>> = body
            .iter()
            .map(|row| {
                is_group_row(row, ncol)
                    .then(|| self.continued_row(shaper, row))
                    .flatten()
            })
            .collect();
        let head_h: f32 = head_repeat.iter().map(|u| u.height).sum();
        let cont_h = conts.iter().flatten().map(|u| u.height).fold(0.0, f32::max);
        let mut units: Vec<Unit> = head_unit.into_iter().collect();
        // Rows at most this many lines tall fit on a page; taller ones are cut.
        let room = self.st.max_height - head_h - cont_h - 2.0 * self.st.pad;
        let max_lines = ((room / self.lh).floor() as usize).max(1);
        let mut group_repeat: Option<Arc<Vec<Unit>>> = None;
        let mut keep = 0;
        for (k, (row, cont)) in body.iter().zip(conts).enumerate() {
            let group = is_group_row(row, ncol);
            let rep = if group {
                repeat.as_ref()
            } else {
                group_repeat.as_ref().or(repeat.as_ref())
            };
            let mut pieces = self
                .row_pieces(shaper, (row, head.len() + k), max_lines, rep, overlong)
                .into_iter();
            let Some(mut first) = pieces.next() else {
                continue;
            };
            if k == 0 {
                if units.is_empty() {
                    first.space_before = self.st.space_before;
                } else {
                    first.break_before = false; // the header stays with the first row
                }
            }
            if keep > 0 {
                first.break_before = false; // the group row keeps rows under it
                keep -= 1;
            }
            if group {
                keep = self.st.keep_under_group;
                group_repeat = cont.map(|c| {
                    let mut v = head_repeat.clone();
                    v.push(c);
                    Arc::new(v)
                });
            }
            units.push(first);
            units.extend(pieces);
        }
        // The last row (often a total) never stands alone under a repeated header.
        if body.len() >= 3 {
            if let Some(u) = units.last_mut() {
                u.break_before = false;
            }
        }
        units
    }

    /// A group row set again with "(tiếp)" after its label, for the top of
    /// the next page.
    fn continued_row(&self, shaper: &mut Shaper, row: &[Cell]) -> Option<Unit> {
        let last = row
            .iter()
            .rposition(|c| !markup::plain(c.text).trim().is_empty())?;
        let mut text: Inlines = row.get(last)?.text.clone();
        let run = text.last_mut()?;
        run.text = format!("{} {}", run.text.trim_end(), self.st.continued);
        let cells: Vec<Cell> = row
            .iter()
            .enumerate()
            .map(|(i, c)| Cell {
                text: if i == last { &text } else { c.text },
                ..*c
            })
            .collect();
        // Words too long are reported with the row itself.
        let mut pieces = self.row_pieces(shaper, (&cells, 0), usize::MAX, None, &mut Vec::new());
        let mut u = pieces.drain(..).next()?;
        u.break_before = false;
        Some(u)
    }

    /// All header rows in one unit; a cell spanning rows is centred in them.
    fn header_unit(
        &self,
        shaper: &mut Shaper,
        head: &[Vec<Cell>],
        overlong: &mut Vec<String>,
    ) -> Unit {
        let laid: Vec<Vec<Vec<par::LineBox>>> = head
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| self.set(shaper, c, true, overlong))
                    .collect()
            })
            .collect();
        let heights = self.header_heights(head, &laid);
        let ys = edges(0.0, &heights);
        let y_at = |r: usize| ys.get(r).copied().unwrap_or(0.0);
        let mut items = Vec::new();
        for (ri, (row, row_lines)) in head.iter().zip(laid).enumerate() {
            for (c, mut lines) in row.iter().zip(row_lines) {
                cell_tag(&mut lines, true, ri, c);
                let end = (ri + c.rowspan).min(head.len());
                let (y0, y1) = (y_at(ri), y_at(end));
                let text_h = lines.len() as f32 * self.lh;
                let dy = y0 + ((y1 - y0) - text_h) / 2.0;
                self.push_cell(&mut items, lines, dy, c, y0, y1);
            }
        }
        let h = y_at(head.len());
        self.close_row(&mut items, h);
        Unit::new(h, self.st.space_before, items)
    }

    /// The header rows' heights: each row as tall as its tallest cell of one
    /// row; then a cell spanning rows that are together too short for it
    /// deepens the last of them.
    fn header_heights(&self, head: &[Vec<Cell>], laid: &[Vec<Vec<par::LineBox>>]) -> Vec<f32> {
        let mut heights = vec![0.0f32; head.len()];
        for ((row, row_lines), height) in head.iter().zip(laid).zip(heights.iter_mut()) {
            for (c, lines) in row.iter().zip(row_lines) {
                if c.rowspan == 1 {
                    *height = height.max(self.content(lines));
                }
            }
        }
        for (ri, (row, row_lines)) in head.iter().zip(laid).enumerate() {
            for (c, lines) in row.iter().zip(row_lines) {
                let end = (ri + c.rowspan).min(head.len());
                let Some(covered) = heights.get_mut(ri..end) else {
                    continue;
                };
                let have: f32 = covered.iter().sum();
                let need = self.content(lines);
                if need > have {
                    if let Some(last) = covered.last_mut() {
                        *last += need - have;
                    }
                }
            }
        }
        heights
    }

    /// A body row's units: one, or when the row is more than `max_lines` lines
    /// tall, one per `max_lines` lines (the one case a row is split across
    /// pages). Each repeats the header (`repeat`) when it starts a page.
    fn row_pieces(
        &self,
        shaper: &mut Shaper,
        (row, row_index): (&[Cell], usize),
        max_lines: usize,
        repeat: Option<&Arc<Vec<Unit>>>,
        overlong: &mut Vec<String>,
    ) -> Vec<Unit> {
        let mut laid: Vec<Vec<par::LineBox>> = row
            .iter()
            .map(|c| self.set(shaper, c, false, overlong))
            .collect();
        let tallest = laid.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let mut pieces = Vec::new();
        let mut done = 0;
        while done < tallest {
            let n = max_lines.min(tallest - done);
            let h = n as f32 * self.lh + 2.0 * self.st.pad;
            let mut items = Vec::new();
            for (c, lines) in row.iter().zip(laid.iter_mut()) {
                let take = n.min(lines.len());
                let mut part: Vec<par::LineBox> = lines.drain(..take).collect();
                cell_tag(&mut part, false, row_index, c);
                self.push_cell(&mut items, part, self.st.pad, c, 0.0, h);
            }
            self.close_row(&mut items, h);
            let mut piece = Unit::new(h, 0.0, items);
            piece.repeat = repeat.cloned();
            pieces.push(piece);
            done += n;
        }
        pieces
    }

    /// Set a cell's text in its columns: a header cell bold and centred, a
    /// body cell spanning columns left-aligned, others as their column.
    fn set(
        &self,
        shaper: &mut Shaper,
        c: &Cell,
        header: bool,
        overlong: &mut Vec<String>,
    ) -> Vec<par::LineBox> {
        let (x0, x1) = self.cell_edges(c);
        let align = if header {
            Align::Center
        } else if c.colspan > 1 {
            Align::Left
        } else {
            self.aligns.get(c.col).copied().unwrap_or(Align::Left)
        };
        // A number stops short of the right edge by what its decimal part
        // lacks of the column's widest: the decimal commas line up.
        let tail = self.tails.get(c.col).copied().unwrap_or(0.0);
        let short = if header || c.colspan > 1 || tail <= 0.0 {
            0.0
        } else {
            let text = markup::plain(c.text);
            let trimmed = text.trim();
            decimal_tail(trimmed).map_or(0.0, |at| {
                let own = trimmed.get(at..).unwrap_or("");
                let w = shaper
                    .shape(own, cell_style(c.text, false))
                    .width_at(self.size);
                (tail - w).max(0.0)
            })
        };
        let ps = ParStyle {
            size: self.size,
            line_height: self.lh,
            first_indent: 0.0,
            left: x0 + self.st.pad,
            width: (x1 - x0 - 2.0 * self.st.pad - short).max(1.0),
            align,
            bold: header,
            italic: false,
        };
        par::layout(shaper, c.text, None, &ps, overlong)
    }

    /// A cell's height, pt: its lines (at least one) and its padding.
    fn content(&self, lines: &[par::LineBox]) -> f32 {
        lines.len().max(1) as f32 * self.lh + 2.0 * self.st.pad
    }

    /// The left and right edges of the columns a cell spans, pt.
    fn cell_edges(&self, c: &Cell) -> (f32, f32) {
        let last = self.xs.len().saturating_sub(1);
        let x_at = |i: usize| self.xs.get(i).copied().unwrap_or(self.right);
        (x_at(c.col), x_at((c.col + c.colspan).min(last)))
    }

    /// A cell's text (first line's top at `dy`) and its top and left rules,
    /// the cell reaching from `y0` down to `y1`.
    fn push_cell(
        &self,
        items: &mut Vec<Item>,
        lines: Vec<par::LineBox>,
        dy: f32,
        c: &Cell,
        y0: f32,
        y1: f32,
    ) {
        let (x0, x1) = self.cell_edges(c);
        for (k, l) in lines.into_iter().enumerate() {
            let y = dy + k as f32 * self.lh;
            items.extend(l.items.into_iter().map(|it| it.shifted(0.0, y)));
        }
        let rule = self.st.rule;
        items.push(Item::Rule {
            x1: x0,
            y1: y0,
            x2: x1,
            y2: y0,
            width: rule,
        });
        items.push(Item::Rule {
            x1: x0,
            y1: y0,
            x2: x0,
            y2: y1,
            width: rule,
        });
    }

    /// The right border and the bottom rule of a row (or of the header), `h`
    /// pt tall.
    fn close_row(&self, items: &mut Vec<Item>, h: f32) {
        let (left, right, rule) = (self.left, self.right, self.st.rule);
        items.push(Item::Rule {
            x1: right,
            y1: 0.0,
            x2: right,
            y2: h,
            width: rule,
        });
        items.push(Item::Rule {
            x1: left,
            y1: h,
            x2: right,
            y2: h,
            width: rule,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::Run;

    fn style(max_height: f32) -> TableStyle {
        TableStyle {
            size: 13.0,
            min_size: 10.0,
            leading: 1.2,
            pad: 2.0,
            rule: 0.5,
            space_before: 0.0,
            max_height,
            widths: None,
            max_header_lines: 3,
            keep_under_group: 2,
            continued: "(tiếp)".into(),
        }
    }

    fn cell(s: &str) -> Inlines {
        vec![Run {
            text: s.into(),
            bold: false,
            italic: false,
        }]
    }

    #[test]
    fn widths_fill_the_text_width() {
        let w = column_widths(&[14.0, 24.0], &[34.0, 104.0], 200.0);
        assert!((w.iter().sum::<f32>() - 200.0).abs() < 0.01);
        let w = column_widths(&[14.0, 24.0], &[304.0, 104.0], 200.0);
        assert!((w.iter().sum::<f32>() - 200.0).abs() < 0.01);
        assert!(w[0] > 14.0 && w[1] > 24.0);
    }

    #[test]
    fn room_goes_where_it_saves_the_most_lines() {
        // Ten rows of long names in column 0; one long cell in column 1.
        let cell = |col, n: usize| CellWords {
            col,
            words: vec![5.0; n],
            space: 0.25,
        };
        let mut m = Measures::new(2, vec![false; 2], 2);
        m.rows = (0..10)
            .map(|r| vec![cell(0, 10), cell(1, if r == 0 { 10 } else { 1 })])
            .collect();
        let height = |w: &[f32]| -> usize {
            m.rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|c| c.lines(w[c.col] - 0.01))
                        .max()
                        .unwrap_or(1)
                })
                .sum()
        };
        let (base, prefs) = ([5.01, 5.01], [52.26, 52.26]);
        let even = column_widths(&base, &prefs, 70.0);
        let best = m.shortest(&base, &prefs, 1.0, 0.0, 70.0);
        assert!((best.iter().sum::<f32>() - 70.0).abs() < 0.01, "{best:?}");
        assert!(best[0] >= 52.0 && best[1] >= 5.01, "{best:?}");
        assert_eq!(height(&even), 20, "{even:?}");
        assert_eq!(height(&best), 13, "{best:?}");
    }

    #[test]
    fn numbers_rounded_to_a_columns_decimals() {
        assert_eq!(rounded("102", 2).as_deref(), Some("102,00"));
        assert_eq!(rounded("1.286,745", 2).as_deref(), Some("1.286,75"));
        assert_eq!(rounded("106,72%", 1).as_deref(), Some("106,7%"));
        assert_eq!(rounded("-0,04", 1).as_deref(), Some("0,0"));
        assert_eq!(rounded("+3,5", 0).as_deref(), Some("+4"));
        // Not Vietnamese notation ("1.5"), or not a number: as written.
        assert_eq!(rounded("1.5", 2), None);
        assert_eq!(rounded("tấn", 2), None);
        let rows = vec![
            vec![cell("^"), cell("2023"), cell("2024")],
            vec![cell("Thu"), cell("155,2"), cell("x")],
        ];
        let out = with_decimals(&rows, &[Some(1), Some(2), Some(0)]);
        assert_eq!(markup::plain(&out[0][1]), "2023", "a header row as written");
        assert_eq!(markup::plain(&out[1][0]), "Thu");
        assert_eq!(markup::plain(&out[1][1]), "155,20");
        assert_eq!(markup::plain(&out[1][2]), "x");
    }

    #[test]
    fn group_rows_and_decimal_tails() {
        let rows = vec![
            vec![cell("I. Kinh tế"), cell("<"), cell("<")],
            vec![cell("II"), cell("Xã hội"), cell("")],
            vec![cell("1"), cell("Dân số"), cell("")],
            vec![cell(""), cell("Tổng"), cell("5")],
        ];
        let head = [cell("A"), cell("B"), cell("C")];
        let (g, _) = grid(&head, &rows, 3);
        let groups: Vec<bool> = g[1..].iter().map(|r| is_group_row(r, 3)).collect();
        assert_eq!(groups, vec![true, true, false, false]);
        assert_eq!(decimal_tail("100,31"), Some(3));
        assert_eq!(decimal_tail("102%"), Some(3));
        assert_eq!(decimal_tail("3.250"), Some(5));
        assert_eq!(decimal_tail("tấn"), None);
    }

    #[test]
    fn headers_fit_in_their_lines() {
        let words = [10.0, 10.0, 10.0, 10.0, 10.0, 10.0];
        let w = width_for_lines(&words, 2.0, 3);
        assert!((21.9..=22.1).contains(&w), "{w}");
        assert_eq!(width_for_lines(&words, 2.0, 10), 10.0);
    }

    #[test]
    fn author_widths_widened_for_a_word() {
        let (w, short) = at_least(&[10.0, 50.0, 40.0], &[20.0, 10.0, 10.0]);
        assert_eq!(short, vec![0]);
        assert!((w.iter().sum::<f32>() - 100.0).abs() < 0.01);
        assert!(w[0] >= 20.0 && w[1] < 50.0 && w[2] < 40.0);
    }

    #[test]
    fn numeric_cells() {
        assert!(is_numeric("3.250"));
        assert!(is_numeric("106,72%"));
        assert!(!is_numeric("tấn"));
        assert!(!is_numeric(""));
    }

    #[test]
    fn spans_from_markers() {
        let head = vec![cell("TT"), cell("Chỉ tiêu"), cell("So sánh (%)"), cell("<")];
        let rows = vec![
            vec![cell("^"), cell("^"), cell("KH"), cell("CK")],
            vec![cell("I. Kinh tế"), cell("<"), cell("<"), cell("<")],
            vec![cell("1"), cell("A"), cell("101"), cell("99")],
        ];
        let (g, header_rows) = grid(&head, &rows, 4);
        assert_eq!(header_rows, 2);
        assert_eq!(g[0].len(), 3);
        assert_eq!(
            (g[0][0].rowspan, g[0][1].rowspan, g[0][2].colspan),
            (2, 2, 2)
        );
        assert_eq!(g[1].len(), 2);
        assert_eq!((g[1][0].col, g[1][1].col), (2, 3));
        assert_eq!((g[2].len(), g[2][0].colspan), (1, 4));
        assert_eq!(g[3].len(), 4);
    }

    #[test]
    fn a_row_taller_than_a_page_is_split_and_no_line_is_lost() {
        let mut sh = Shaper::new(std::sync::Arc::new(crate::fonts::bundled().unwrap()));
        let long = "chữ ".repeat(400);
        let rows = vec![vec![cell("1"), cell(long.trim())]];
        let st = style(200.0);
        let t = layout(
            &mut sh,
            &[],
            &[cell("TT"), cell("Nội dung")],
            &rows,
            0.0,
            300.0,
            &st,
            &mut Vec::new(),
        )
        .ok()
        .unwrap();
        assert!(t.units.len() > 3, "{}", t.units.len());
        assert!(t.units.iter().all(|u| u.height <= 200.0));
        let words: usize = t
            .units
            .iter()
            .flat_map(|u| &u.items)
            .map(|i| match i {
                Item::Text(r) => r.glyphs.iter().filter(|g| &*g.text == "c").count(),
                _ => 0,
            })
            .sum();
        assert_eq!(words, 400);
    }

    #[test]
    fn shrinks_then_refuses() {
        let mut sh = Shaper::new(std::sync::Arc::new(crate::fonts::bundled().unwrap()));
        let head: Vec<Inlines> = (0..6)
            .map(|i| cell(&format!("Cột{i}dàidàidàidàidài")))
            .collect();
        let st = style(700.0);
        let t = layout(&mut sh, &[], &head, &[], 0.0, 1000.0, &st, &mut Vec::new())
            .ok()
            .unwrap();
        assert_eq!(t.size, 13.0);
        let narrow = layout(&mut sh, &[], &head, &[], 0.0, 700.0, &st, &mut Vec::new())
            .ok()
            .unwrap();
        assert!(narrow.size < 13.0 && narrow.size >= 10.0);
        assert!(layout(&mut sh, &[], &head, &[], 0.0, 300.0, &st, &mut Vec::new()).is_err());
    }
}
