//! Tables: a GFM table → ruled rows that fit the text width.
//!
//! Takes the header cells, rows and column alignments; measures each column's
//! minimum (longest word) and preferred (unwrapped) width, as browsers' automatic
//! table layout does, distributes the text width, wraps cell text at spaces and
//! returns one unbreakable [`Unit`] per row, the header row repeated on each new page.
use super::pages::Unit;
use super::par::{self, Align, ParStyle};
use super::shape::Shaper;
use super::Item;
use crate::markup::{self, Align as MAlign, Inlines};
use std::rc::Rc;

/// Table style (from the profile).
#[derive(Debug, Clone, Copy)]
pub struct TableStyle {
    pub size: f32,
    pub line_height: f32,
    pub pad: f32,
    pub rule: f32,
    pub space_before: f32,
}

fn is_numeric(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty()
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '%' | '-' | '+' | '\u{2212}'))
}

fn measure(shaper: &mut Shaper, cell: &Inlines, size: f32, bold: bool) -> (f32, f32) {
    let mut min = 0.0f32;
    let mut pref = 0.0f32;
    for run in cell {
        let style = crate::fonts::Style::of(run.bold || bold, run.italic);
        let space = shaper.shape(" ", style).width_at(size);
        for (i, w) in run.text.split(' ').enumerate() {
            let ww = shaper.shape(w, style).width_at(size);
            min = min.max(ww);
            pref += ww + if i > 0 { space } else { 0.0 };
        }
    }
    (min, pref)
}

/// Column widths that fit `width` (pt, borders included in the padding).
fn column_widths(mins: &[f32], prefs: &[f32], width: f32, pad: f32) -> Vec<f32> {
    let n = mins.len().max(1) as f32;
    let extra = 2.0 * pad;
    let min_total: f32 = mins.iter().map(|m| m + extra).sum();
    let pref_total: f32 = prefs.iter().map(|p| p + extra).sum();
    if pref_total <= width {
        // Everything fits unwrapped: give the slack in proportion to preferred widths.
        let slack = width - pref_total;
        return prefs
            .iter()
            .map(|p| p + extra + slack * (p + extra) / pref_total.max(1.0))
            .collect();
    }
    if min_total >= width {
        // Even minimum widths overflow: scale down (text may cross; caller warns).
        return mins
            .iter()
            .map(|m| (m + extra) * width / min_total.max(1.0))
            .collect();
    }
    // Between: widen each column from its minimum in proportion to how much it wants.
    let want: f32 = prefs.iter().zip(mins).map(|(p, m)| p - m).sum();
    let room = width - min_total;
    prefs
        .iter()
        .zip(mins)
        .map(|(p, m)| {
            m + extra
                + if want > 0.0 {
                    room * (p - m) / want
                } else {
                    room / n
                }
        })
        .collect()
}

/// Lay out a table at `left`, `width` wide. Returns the row units and whether even
/// the minimum widths overflowed.
pub fn layout(
    shaper: &mut Shaper,
    align: &[MAlign],
    head: &[Inlines],
    rows: &[Vec<Inlines>],
    left: f32,
    width: f32,
    st: &TableStyle,
) -> (Vec<Unit>, bool) {
    let ncol = head.len().max(rows.iter().map(Vec::len).max().unwrap_or(0));
    if ncol == 0 {
        return (Vec::new(), false);
    }
    let mut mins = vec![0.0f32; ncol];
    let mut prefs = vec![0.0f32; ncol];
    let empty: Inlines = Vec::new();
    for (c, cell) in head.iter().enumerate() {
        let (m, p) = measure(shaper, cell, st.size, true);
        mins[c] = mins[c].max(m);
        prefs[c] = prefs[c].max(p);
    }
    for row in rows {
        for (c, cell) in row.iter().enumerate().take(ncol) {
            let (m, p) = measure(shaper, cell, st.size, false);
            mins[c] = mins[c].max(m);
            prefs[c] = prefs[c].max(p);
        }
    }
    let min_total: f32 = mins.iter().map(|m| m + 2.0 * st.pad).sum();
    let overflow = min_total > width + 0.01;
    let widths = column_widths(&mins, &prefs, width, st.pad);
    let numeric: Vec<bool> = (0..ncol)
        .map(|c| {
            let cells: Vec<String> = rows
                .iter()
                .filter_map(|r| r.get(c))
                .map(markup::plain)
                .filter(|s| !s.trim().is_empty())
                .collect();
            !cells.is_empty() && cells.iter().all(|s| is_numeric(s))
        })
        .collect();
    let col_align = |c: usize| match align.get(c).copied().unwrap_or(MAlign::Auto) {
        MAlign::Auto => {
            if numeric.get(c).copied().unwrap_or(false) {
                Align::Right
            } else {
                Align::Left
            }
        }
        MAlign::Left => Align::Left,
        MAlign::Center => Align::Center,
        MAlign::Right => Align::Right,
    };
    let row_unit = |shaper: &mut Shaper, cells: &[Inlines], header: bool| -> Unit {
        let mut items = Vec::new();
        let mut height = 0.0f32;
        let mut x = left;
        let mut lines_per_cell = Vec::new();
        for (c, &w) in widths.iter().enumerate().take(ncol) {
            let cell = cells.get(c).unwrap_or(&empty);
            let ps = ParStyle {
                size: st.size,
                line_height: st.line_height,
                first_indent: 0.0,
                left: x + st.pad,
                width: (w - 2.0 * st.pad).max(1.0),
                align: if header { Align::Center } else { col_align(c) },
                bold: header,
                italic: false,
            };
            let lines = par::layout(shaper, cell, None, &ps);
            height = height.max(lines.len() as f32 * st.line_height);
            lines_per_cell.push(lines);
            x += w;
        }
        let height = height.max(st.line_height) + 2.0 * st.pad;
        for lines in lines_per_cell {
            for (k, l) in lines.into_iter().enumerate() {
                let dy = st.pad + k as f32 * st.line_height;
                items.extend(l.items.into_iter().map(|it| it.shifted(0.0, dy)));
            }
        }
        // Grid: top and bottom rules, and every column border.
        let right = left + widths.iter().sum::<f32>();
        for y in [0.0, height] {
            items.push(Item::Rule {
                x1: left,
                y1: y,
                x2: right,
                y2: y,
                width: st.rule,
            });
        }
        let mut bx = left;
        for w in widths.iter().copied().chain(std::iter::once(0.0)) {
            items.push(Item::Rule {
                x1: bx,
                y1: 0.0,
                x2: bx,
                y2: height,
                width: st.rule,
            });
            bx += w;
        }
        let mut u = Unit::new(height, 0.0, items);
        u.break_before = true;
        u
    };
    let mut units = Vec::new();
    let head_unit = if head.iter().any(|c| !c.is_empty()) {
        let mut h = row_unit(shaper, head, true);
        h.space_before = st.space_before;
        Some(h)
    } else {
        None
    };
    let repeat = head_unit.clone().map(|h| {
        let mut h = h;
        h.space_before = 0.0;
        Rc::new(vec![h])
    });
    if let Some(h) = head_unit {
        units.push(h);
    }
    for (i, row) in rows.iter().enumerate() {
        let mut u = row_unit(shaper, row, false);
        if i == 0 {
            if units.is_empty() {
                u.space_before = st.space_before;
            } else {
                u.break_before = false; // keep the header with the first row
            }
        }
        u.repeat = repeat.clone();
        units.push(u);
    }
    (units, overflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_fill_the_text_width() {
        let w = column_widths(&[10.0, 20.0], &[30.0, 100.0], 200.0, 2.0);
        assert!((w.iter().sum::<f32>() - 200.0).abs() < 0.01);
        let w = column_widths(&[10.0, 20.0], &[300.0, 100.0], 200.0, 2.0);
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
}
