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
}

/// A laid-out table.
pub struct Table {
    pub units: Vec<Unit>,
    /// The font size used (smaller than asked when the table had to shrink).
    pub size: f32,
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
struct Cell<'a> {
    text: &'a Inlines,
    col: usize,
    colspan: usize,
    rowspan: usize,
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
fn grid<'a>(
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

/// Minimum and preferred width of a cell's text at 1 pt.
fn measure(shaper: &mut Shaper, cell: &Inlines, bold: bool) -> (f32, f32) {
    let mut min = 0.0f32;
    let mut pref = 0.0f32;
    for run in cell {
        let style = Style::of(run.bold || bold, run.italic);
        let space = shaper.shape(" ", style).width_at(1.0);
        for (i, w) in run.text.split([' ', '\n']).enumerate() {
            let ww = shaper.shape(w, style).width_at(1.0);
            min = min.max(ww);
            pref += ww + if i > 0 { space } else { 0.0 };
        }
    }
    (min, pref)
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
        });
    }
    let (grid, header_rows) = grid(head, rows, ncol);
    let (head_rows, body_rows) = grid.split_at(header_rows.min(grid.len()));
    // Widths at 1 pt, then the size that fits, then the widths at that size.
    let measures = Measures::of(shaper, head_rows, body_rows, ncol);
    let size = measures.font_size(st, width)?;
    let widths = measures.widths(size, st, width);
    let aligns = column_aligns(align, body_rows, ncol);
    let setter = TableSetter::new(st, size, left, &widths, aligns);
    let units = setter.units(shaper, head_rows, body_rows, overlong);
    Ok(Table { units, size })
}

/// Each column's minimum (longest word) and preferred (unwrapped) width at
/// 1 pt, from the cells that span one column, and the cells that span several.
struct Measures {
    mins: Vec<f32>,
    prefs: Vec<f32>,
    spans: Vec<SpanMeasure>,
}

/// A cell spanning the columns `col..col + colspan`, with its minimum width
/// at 1 pt: it binds both the minimum and the preferred widths of those columns.
struct SpanMeasure {
    col: usize,
    colspan: usize,
    min: f32,
}

impl Measures {
    /// Measure every cell of the header rows (`head`), then of the body rows.
    fn of(shaper: &mut Shaper, head: &[Vec<Cell>], body: &[Vec<Cell>], ncol: usize) -> Measures {
        let mut measures = Measures {
            mins: vec![0.0; ncol],
            prefs: vec![0.0; ncol],
            spans: Vec::new(),
        };
        for (rows, header) in [(head, true), (body, false)] {
            for c in rows.iter().flatten() {
                measures.add(shaper, c, header);
            }
        }
        measures
    }

    /// Measure one cell: into its column's widths, or into the spans when it
    /// spans several columns.
    fn add(&mut self, shaper: &mut Shaper, c: &Cell, header: bool) {
        let (min, pref) = measure(shaper, c.text, header);
        // Header text wraps readily (as in printed reports): only its longest
        // word binds; a column's preferred width comes from its body cells.
        let pref = if header { min } else { pref };
        if c.colspan == 1 {
            if let Some(m) = self.mins.get_mut(c.col) {
                *m = m.max(min);
            }
            if let Some(p) = self.prefs.get_mut(c.col) {
                *p = p.max(pref);
            }
        } else {
            self.spans.push(SpanMeasure {
                col: c.col,
                colspan: c.colspan,
                min,
            });
        }
    }

    /// The font size for a table `width` pt wide: the style's when the minimum
    /// widths fit at it or the author fixed the widths, else the largest half
    /// point at which they fit; too wide when that is below the style's minimum.
    fn font_size(&self, st: &TableStyle, width: f32) -> Result<f32, TooWide> {
        let ncol = self.mins.len();
        let pads = 2.0 * st.pad * ncol as f32;
        let min_at_1: f32 = self.mins.iter().sum();
        let fit = if min_at_1 > 0.0 {
            (width - pads) / min_at_1
        } else {
            st.size
        };
        let fixed = st.widths.as_ref().is_some_and(|w| w.len() == ncol);
        let size = if fit >= st.size || fixed {
            st.size
        } else {
            (fit * 2.0).floor() / 2.0
        };
        if size < st.min_size && !fixed {
            return Err(TooWide {
                needed: min_at_1 * st.min_size + pads,
                available: width,
            });
        }
        Ok(size)
    }

    /// Column widths, padding included, that fill `width` pt at font size
    /// `size`: the author's (`\do_rong`) when given for every column, else from
    /// the minimum and preferred widths, widened for the spanning cells.
    fn widths(&self, size: f32, st: &TableStyle, width: f32) -> Vec<f32> {
        let ncol = self.mins.len();
        let mut mins: Vec<f32> = self.mins.iter().map(|m| m * size + 2.0 * st.pad).collect();
        let mut prefs: Vec<f32> = self.prefs.iter().map(|p| p * size + 2.0 * st.pad).collect();
        // A spanning cell widens the columns it covers when they are too narrow for it.
        for span in &self.spans {
            let cols = span.col..(span.col + span.colspan).min(ncol);
            let need = span.min * size + 2.0 * st.pad;
            widen(&mut mins, cols.clone(), need);
            widen(&mut prefs, cols, need);
        }
        // The author's widths, when given for every column, take precedence.
        match st.widths.as_deref() {
            Some(w) if w.len() == ncol && w.iter().sum::<f32>() > 0.0 => {
                let total: f32 = w.iter().sum();
                w.iter().map(|x| x / total * width).collect()
            }
            _ => column_widths(&mins, &prefs, width),
        }
    }
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
fn column_aligns(align: &[MAlign], body: &[Vec<Cell>], ncol: usize) -> Vec<Align> {
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
}

impl<'a> TableSetter<'a> {
    /// A table at `left` with columns `widths` pt wide, set at `size` pt.
    fn new(
        st: &'a TableStyle,
        size: f32,
        left: f32,
        widths: &[f32],
        aligns: Vec<Align>,
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
        }
    }

    /// The table's units: the header rows (if any) as one, then each body row
    /// as one, or as several when it is taller than a page.
    fn units(
        &self,
        shaper: &mut Shaper,
        head: &[Vec<Cell>],
        body: &[Vec<Cell>],
        overlong: &mut Vec<String>,
    ) -> Vec<Unit> {
        let head_unit = (!head.is_empty()).then(|| self.header_unit(shaper, head, overlong));
        let repeat = head_unit.as_ref().map(|h| {
            let mut h = h.clone();
            h.space_before = 0.0;
            Arc::new(vec![h])
        });
        let head_h = head_unit.as_ref().map(|u| u.height).unwrap_or(0.0);
        let mut units: Vec<Unit> = head_unit.into_iter().collect();
        // Rows at most this many lines tall fit on a page; taller ones are cut.
        let room = self.st.max_height - head_h - 2.0 * self.st.pad;
        let max_lines = ((room / self.lh).floor() as usize).max(1);
        for (k, row) in body.iter().enumerate() {
            let mut pieces = self
                .row_pieces(
                    shaper,
                    (row, head.len() + k),
                    max_lines,
                    repeat.as_ref(),
                    overlong,
                )
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
        let ps = ParStyle {
            size: self.size,
            line_height: self.lh,
            first_indent: 0.0,
            left: x0 + self.st.pad,
            width: (x1 - x0 - 2.0 * self.st.pad).max(1.0),
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
