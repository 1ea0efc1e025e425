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

// In this file, column indices are below `ncol` and row indices below the
// grid's length, which size every vector they index: in bounds by construction.

/// Cells of every row, with spans resolved. Returns the rows and how many of them
/// form the header.
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

/// Lay out a table `width` pt wide at `left`.
#[allow(clippy::indexing_slicing)]
pub fn layout(
    shaper: &mut Shaper,
    align: &[MAlign],
    head: &[Inlines],
    rows: &[Vec<Inlines>],
    left: f32,
    width: f32,
    st: &TableStyle,
) -> Result<Table, TooWide> {
    let ncol = columns(head, rows);
    if ncol == 0 {
        return Ok(Table {
            units: Vec::new(),
            size: st.size,
        });
    }
    let (grid, header_rows) = grid(head, rows, ncol);
    // Widths at 1 pt, then the size that fits.
    let mut mins = vec![0.0f32; ncol];
    let mut prefs = vec![0.0f32; ncol];
    let mut spans = Vec::new();
    for (ri, row) in grid.iter().enumerate() {
        for c in row {
            let header = ri < header_rows;
            let (m, p) = measure(shaper, c.text, header);
            // Header text wraps readily (as in printed reports): only its longest
            // word binds; a column's preferred width comes from its body cells.
            let p = if header { m } else { p };
            if c.colspan == 1 {
                mins[c.col] = mins[c.col].max(m);
                prefs[c.col] = prefs[c.col].max(p);
            } else {
                spans.push((c.col, c.colspan, m, m));
            }
        }
    }
    let pads = 2.0 * st.pad * ncol as f32;
    let min_at_1: f32 = mins.iter().sum();
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
    let mut mins: Vec<f32> = mins.iter().map(|m| m * size + 2.0 * st.pad).collect();
    let mut prefs: Vec<f32> = prefs.iter().map(|p| p * size + 2.0 * st.pad).collect();
    // A spanning cell widens the columns it covers when they are too narrow for it.
    for (col, span, m, p) in spans {
        let end = (col + span).min(ncol);
        for (v, need) in [
            (&mut mins, m * size + 2.0 * st.pad),
            (&mut prefs, p * size + 2.0 * st.pad),
        ] {
            let have: f32 = v[col..end].iter().sum();
            if have < need && end > col {
                let add = (need - have) / (end - col) as f32;
                v[col..end].iter_mut().for_each(|x| *x += add);
            }
        }
    }
    // The author's widths, when given for every column, take precedence.
    let widths = match st.widths.as_deref() {
        Some(w) if w.len() == ncol && w.iter().sum::<f32>() > 0.0 => {
            let total: f32 = w.iter().sum();
            w.iter().map(|x| x / total * width).collect()
        }
        _ => column_widths(&mins, &prefs, width),
    };
    let xs: Vec<f32> = std::iter::once(left)
        .chain(widths.iter().scan(left, |x, w| {
            *x += w;
            Some(*x)
        }))
        .collect();
    let right = xs.last().copied().unwrap_or(left);
    let lh = size * st.leading;
    // Numeric columns are right-aligned unless the alignment row says otherwise.
    let numeric: Vec<bool> = (0..ncol)
        .map(|c| {
            let cells: Vec<String> = grid[header_rows..]
                .iter()
                .flat_map(|r| r.iter().filter(|x| x.col == c && x.colspan == 1))
                .map(|x| markup::plain(x.text))
                .filter(|s| !s.trim().is_empty())
                .collect();
            !cells.is_empty() && cells.iter().all(|s| is_numeric(s))
        })
        .collect();
    let col_align = |c: usize| match align.get(c).copied().unwrap_or(MAlign::Auto) {
        MAlign::Auto if numeric.get(c).copied().unwrap_or(false) => Align::Right,
        MAlign::Auto | MAlign::Left => Align::Left,
        MAlign::Center => Align::Center,
        MAlign::Right => Align::Right,
    };
    // Set every cell's text.
    let set = |shaper: &mut Shaper, c: &Cell, header: bool| -> Vec<par::LineBox> {
        let x0 = xs[c.col];
        let x1 = xs[(c.col + c.colspan).min(ncol)];
        let ps = ParStyle {
            size,
            line_height: lh,
            first_indent: 0.0,
            left: x0 + st.pad,
            width: (x1 - x0 - 2.0 * st.pad).max(1.0),
            align: if header {
                Align::Center
            } else if c.colspan > 1 {
                Align::Left
            } else {
                col_align(c.col)
            },
            bold: header,
            italic: false,
        };
        par::layout(shaper, c.text, None, &ps)
    };
    let content = |lines: &[par::LineBox]| lines.len().max(1) as f32 * lh + 2.0 * st.pad;

    // Header: all header rows in one unit; row heights grow for spanning cells.
    let mut units = Vec::new();
    let mut head_unit = None;
    if header_rows > 0 {
        let laid: Vec<Vec<Vec<par::LineBox>>> = grid[..header_rows]
            .iter()
            .map(|r| r.iter().map(|c| set(shaper, c, true)).collect())
            .collect();
        let mut heights = vec![0.0f32; header_rows];
        for (ri, row) in grid[..header_rows].iter().enumerate() {
            for (ci, c) in row.iter().enumerate() {
                if c.rowspan == 1 {
                    heights[ri] = heights[ri].max(content(&laid[ri][ci]));
                }
            }
        }
        for (ri, row) in grid[..header_rows].iter().enumerate() {
            for (ci, c) in row.iter().enumerate() {
                let end = (ri + c.rowspan).min(header_rows);
                let have: f32 = heights[ri..end].iter().sum();
                let need = content(&laid[ri][ci]);
                if need > have {
                    heights[end - 1] += need - have;
                }
            }
        }
        let ys: Vec<f32> = std::iter::once(0.0)
            .chain(heights.iter().scan(0.0, |y, h| {
                *y += h;
                Some(*y)
            }))
            .collect();
        let mut items = Vec::new();
        for (ri, row) in grid[..header_rows].iter().enumerate() {
            for (ci, c) in row.iter().enumerate() {
                let end = (ri + c.rowspan).min(header_rows);
                let (y0, y1) = (ys[ri], ys[end]);
                let lines = laid[ri][ci].clone();
                let text_h = lines.len() as f32 * lh;
                let dy = y0 + ((y1 - y0) - text_h) / 2.0;
                push_cell(
                    &mut items,
                    lines,
                    dy,
                    lh,
                    xs[c.col],
                    xs[(c.col + c.colspan).min(ncol)],
                    y0,
                    y1,
                    st.rule,
                );
            }
        }
        let h = ys[header_rows];
        close_row(&mut items, left, right, h, st.rule);
        let mut u = Unit::new(h, st.space_before, items);
        u.break_before = true;
        head_unit = Some(u);
    }
    let repeat = head_unit.as_ref().map(|h| {
        let mut h = h.clone();
        h.space_before = 0.0;
        Arc::new(vec![h])
    });
    let head_h = head_unit.as_ref().map(|u| u.height).unwrap_or(0.0);
    if let Some(h) = head_unit {
        units.push(h);
    }
    // Rows at most this many lines tall fit on a page; taller ones are cut.
    let max_lines = (((st.max_height - head_h - 2.0 * st.pad) / lh).floor() as usize).max(1);
    for (k, row) in grid[header_rows..].iter().enumerate() {
        let mut laid: Vec<Vec<par::LineBox>> = row.iter().map(|c| set(shaper, c, false)).collect();
        let tallest = laid.iter().map(Vec::len).max().unwrap_or(0).max(1);
        // A row taller than a page is the one case a row is split across pages.
        let mut pieces = Vec::new();
        let mut done = 0;
        while done < tallest {
            let n = max_lines.min(tallest - done);
            let h = n as f32 * lh + 2.0 * st.pad;
            let mut items = Vec::new();
            for (c, lines) in row.iter().zip(laid.iter_mut()) {
                let take = n.min(lines.len());
                let part: Vec<par::LineBox> = lines.drain(..take).collect();
                push_cell(
                    &mut items,
                    part,
                    st.pad,
                    lh,
                    xs[c.col],
                    xs[(c.col + c.colspan).min(ncol)],
                    0.0,
                    h,
                    st.rule,
                );
            }
            close_row(&mut items, left, right, h, st.rule);
            let mut piece = Unit::new(h, 0.0, items);
            piece.repeat = repeat.clone();
            pieces.push(piece);
            done += n;
        }
        let mut pieces = pieces.into_iter();
        let Some(mut u) = pieces.next() else {
            continue;
        };
        let rest: Vec<Unit> = pieces.collect();
        if k == 0 {
            if units.is_empty() {
                u.space_before = st.space_before;
            } else {
                u.break_before = false; // the header stays with the first row
            }
        }
        u.repeat = repeat.clone();
        units.push(u);
        units.extend(rest);
    }
    // The last row (often a total) never stands alone under a repeated header.
    let body = grid.len() - header_rows;
    if body >= 3 {
        if let Some(u) = units.last_mut() {
            u.break_before = false;
        }
    }
    Ok(Table { units, size })
}

/// A cell's text (first line's top at `dy`) and its top and left rules.
#[allow(clippy::too_many_arguments)]
fn push_cell(
    items: &mut Vec<Item>,
    lines: Vec<par::LineBox>,
    dy: f32,
    lh: f32,
    x0: f32,
    x1: f32,
    y0: f32,
    y1: f32,
    rule: f32,
) {
    for (k, l) in lines.into_iter().enumerate() {
        let y = dy + k as f32 * lh;
        items.extend(l.items.into_iter().map(|it| it.shifted(0.0, y)));
    }
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

/// The right border and the bottom rule of a row (or of the header).
fn close_row(items: &mut Vec<Item>, left: f32, right: f32, h: f32, rule: f32) {
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
        let t = layout(&mut sh, &[], &head, &[], 0.0, 1000.0, &st)
            .ok()
            .unwrap();
        assert_eq!(t.size, 13.0);
        let narrow = layout(&mut sh, &[], &head, &[], 0.0, 700.0, &st)
            .ok()
            .unwrap();
        assert!(narrow.size < 13.0 && narrow.size >= 10.0);
        assert!(layout(&mut sh, &[], &head, &[], 0.0, 300.0, &st).is_err());
    }
}
