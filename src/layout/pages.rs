//! Pages: a stream of unbreakable units → pages.
//!
//! Takes [`Unit`]s (a line of a paragraph, a heading line, a table row, the header
//! block, a title line, the signature block, a recipient line below it), each
//! saying whether a page may break before it, and fills pages top to bottom. When
//! a unit does not fit, the page breaks at the last place allowed, so that headings
//! stay with what follows and no paragraph leaves a single line alone at the top or
//! bottom of a page; where no place is allowed (a title longer than a page), it
//! breaks before the unit that does not fit. Space before a unit is dropped at a
//! page's top. A unit taller than a page is never made here: layout reports it.
use super::{Item, Page};

/// An unbreakable piece of the flow. Items are relative to the unit's top-left
/// (x already absolute).
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub height: f32,
    /// Space above, pt (dropped at the top of a page).
    pub space_before: f32,
    pub items: Vec<Item>,
    /// A page may break before this unit.
    pub break_before: bool,
    /// This unit must start a new page.
    pub new_page: bool,
    /// Header rows to repeat above this unit when it starts a page (tables).
    pub repeat: Option<std::sync::Arc<Vec<Unit>>>,
    /// Starts a section in landscape (`Some(true)`) or portrait (`Some(false)`):
    /// this unit's page and the pages after it take that orientation.
    pub landscape: Option<bool>,
    /// Starts an appendix that numbers its own pages: its page is page 1.
    pub restart_numbering: bool,
}

impl Unit {
    /// A unit that may break before it.
    pub fn new(height: f32, space_before: f32, items: Vec<Item>) -> Unit {
        Unit {
            height,
            space_before,
            items,
            break_before: true,
            new_page: false,
            repeat: None,
            landscape: None,
            restart_numbering: false,
        }
    }
}

/// The page and its text area.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    pub width: f32,
    pub height: f32,
    /// Top of the text area, pt from the top edge.
    pub top: f32,
    /// Bottom of the text area, pt from the top edge.
    pub bottom: f32,
}

/// Fill pages with `units`; a unit that starts a landscape section switches to
/// the `landscape` frame until a portrait section starts.
pub fn paginate(units: Vec<Unit>, portrait: Frame, landscape: Frame) -> Vec<Page> {
    paginate_marked(units, portrait, landscape)
        .into_iter()
        .map(|(page, _)| page)
        .collect()
}

/// [`paginate`], and for each page whether a unit on it restarts the page
/// numbers (an appendix begins there).
pub fn paginate_marked(units: Vec<Unit>, portrait: Frame, landscape: Frame) -> Vec<(Page, bool)> {
    let mut pages: Vec<(Frame, Vec<Unit>)> = Vec::new();
    let mut frame = portrait;
    let mut cur: Vec<Unit> = Vec::new();
    let mut used = 0.0f32;
    for unit in units {
        if let Some(l) = unit.landscape {
            if !cur.is_empty() {
                pages.push((frame, std::mem::take(&mut cur)));
                used = 0.0;
            }
            frame = if l { landscape } else { portrait };
        } else if unit.new_page && !cur.is_empty() {
            pages.push((frame, std::mem::take(&mut cur)));
            used = 0.0;
        }
        let avail = frame.bottom - frame.top;
        let need = if cur.is_empty() {
            unit.height
        } else {
            unit.space_before + unit.height
        };
        if used + need > avail + 0.01 && !cur.is_empty() {
            // Break at the last allowed place on this page.
            let k = if unit.break_before {
                cur.len()
            } else {
                cur.iter()
                    .rposition(|u| u.break_before)
                    .filter(|&k| k > 0)
                    .unwrap_or(cur.len())
            };
            let carried = cur.split_off(k);
            pages.push((frame, std::mem::take(&mut cur)));
            used = 0.0;
            // The new page begins with the first carried unit (or this one): a
            // table row brings its header rows along.
            start_page_with_repeat(&mut cur, &mut used, carried.first().unwrap_or(&unit));
            for u in carried {
                push_on_page(&mut cur, &mut used, u, avail, frame, &mut pages);
            }
            start_page_with_repeat(&mut cur, &mut used, &unit);
        }
        push_on_page(&mut cur, &mut used, unit, avail, frame, &mut pages);
    }
    if !cur.is_empty() || pages.is_empty() {
        pages.push((frame, cur));
    }
    pages
        .into_iter()
        .map(|(f, units)| {
            let restart = units.iter().any(|u| u.restart_numbering);
            (place(units, f), restart)
        })
        .collect()
}

/// At the top of a new page, a table row brings its header rows along.
fn start_page_with_repeat(cur: &mut Vec<Unit>, used: &mut f32, unit: &Unit) {
    if !cur.is_empty() {
        return;
    }
    if let Some(head) = &unit.repeat {
        for h in head.iter() {
            *used += if cur.is_empty() {
                h.height
            } else {
                h.space_before + h.height
            };
            let mut h = h.clone();
            h.break_before = false;
            // Repeated on a continued page: read once, where the table starts.
            super::Tag::default().set(&mut h.items);
            cur.push(h);
        }
    }
}

fn push_on_page(
    cur: &mut Vec<Unit>,
    used: &mut f32,
    unit: Unit,
    avail: f32,
    frame: Frame,
    pages: &mut Vec<(Frame, Vec<Unit>)>,
) {
    let need = if cur.is_empty() {
        unit.height
    } else {
        unit.space_before + unit.height
    };
    if *used + need > avail + 0.01 && !cur.is_empty() {
        // Carried units overflow again: break here whatever the rules say.
        pages.push((frame, std::mem::take(cur)));
        *used = 0.0;
        start_page_with_repeat(cur, used, &unit);
    }
    *used += if cur.is_empty() {
        unit.height
    } else {
        unit.space_before + unit.height
    };
    cur.push(unit);
}

fn place(units: Vec<Unit>, frame: Frame) -> Page {
    let mut items = Vec::new();
    let mut y = frame.top;
    for (i, u) in units.into_iter().enumerate() {
        if i > 0 {
            y += u.space_before;
        }
        items.extend(u.items.into_iter().map(|it| it.shifted(0.0, y)));
        y += u.height;
    }
    Page {
        width: frame.width,
        height: frame.height,
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame() -> Frame {
        Frame {
            width: 100.0,
            height: 100.0,
            top: 0.0,
            bottom: 100.0,
        }
    }

    fn marked(h: f32, tag: f32, brk: bool) -> Unit {
        let mut u = Unit::new(
            h,
            0.0,
            vec![Item::Rule {
                x1: tag,
                y1: 0.0,
                x2: tag,
                y2: 0.0,
                width: 1.0,
            }],
        );
        u.break_before = brk;
        u
    }

    fn tags(p: &Page) -> Vec<f32> {
        p.items
            .iter()
            .map(|i| match i {
                Item::Rule { x1, .. } => *x1,
                _ => -1.0,
            })
            .collect()
    }

    #[test]
    fn breaks_at_last_allowed_place() {
        // Units of 30: four don't fit in 100. The 4th may not break before it, the 3rd may.
        let units = vec![
            marked(30.0, 1.0, true),
            marked(30.0, 2.0, true),
            marked(30.0, 3.0, true),
            marked(30.0, 4.0, false),
        ];
        let pages = paginate(units, frame(), frame());
        assert_eq!(pages.len(), 2);
        assert_eq!(tags(&pages[0]), vec![1.0, 2.0]);
        assert_eq!(tags(&pages[1]), vec![3.0, 4.0]);
    }

    #[test]
    fn carried_table_rows_bring_their_header() {
        let head = marked(10.0, 9.0, true);
        let mut rows: Vec<Unit> = (0..4)
            .map(|i| marked(30.0, f32::from(i as u8), true))
            .collect();
        for r in &mut rows {
            r.repeat = Some(std::sync::Arc::new(vec![head.clone()]));
        }
        // The last row may not stand alone: it takes the one before along.
        if let Some(l) = rows.last_mut() {
            l.break_before = false;
        }
        let pages = paginate(rows, frame(), frame());
        assert_eq!(pages.len(), 2);
        assert_eq!(tags(&pages[1]), vec![9.0, 2.0, 3.0]);
    }

    #[test]
    fn space_before_dropped_at_top_and_new_page_honoured() {
        let mut a = marked(10.0, 1.0, true);
        a.space_before = 50.0;
        let mut b = marked(10.0, 2.0, true);
        b.new_page = true;
        b.space_before = 20.0;
        let pages = paginate(vec![a, b], frame(), frame());
        assert_eq!(pages.len(), 2);
        if let Item::Rule { y1, .. } = pages[1].items[0] {
            assert_eq!(y1, 0.0);
        }
    }
}
