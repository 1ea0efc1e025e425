//! Layout: a [`Document`](crate::markup::Document) and the document's metadata →
//! positioned pages.
//!
//! Takes the parsed body, `[van_ban]`/`[ky]` and a profile; returns a
//! [`PagedDocument`] whose pages hold only positioned glyph runs and rules (points,
//! y measured from the top edge). The PDF writer never sees anything else.
pub mod front;
pub mod linebreak;
pub mod pages;
pub mod par;
pub mod shape;
pub mod table;

use crate::fonts::Style;
use shape::Glyph;

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

/// Millimetres to points.
pub fn mm(v: f32) -> f32 {
    v * PT_PER_MM
}

/// A run of glyphs in one font at one size, on one baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Left of the first glyph, pt from the left edge.
    pub x: f32,
    /// Baseline, pt from the top edge.
    pub y: f32,
    pub style: Style,
    pub size: f32,
    /// Glyphs; each advance in 1/1000 em (justification included).
    pub glyphs: Vec<Glyph>,
}

impl TextRun {
    /// Width in pt.
    pub fn width(&self) -> f32 {
        self.glyphs.iter().map(|g| g.adv).sum::<f32>() * self.size / 1000.0
    }
}

/// Something placed on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text(TextRun),
    /// A straight rule from (x1, y1) to (x2, y2), `width` pt thick.
    Rule {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
    },
}

impl Item {
    /// Move down by `dy`.
    pub fn shifted(mut self, dx: f32, dy: f32) -> Item {
        match &mut self {
            Item::Text(t) => {
                t.x += dx;
                t.y += dy;
            }
            Item::Rule { x1, y1, x2, y2, .. } => {
                *x1 += dx;
                *x2 += dx;
                *y1 += dy;
                *y2 += dy;
            }
        }
        self
    }
}

/// A laid-out page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Size, pt.
    pub width: f32,
    pub height: f32,
    pub items: Vec<Item>,
}

/// The laid-out document.
#[derive(Debug, Clone, PartialEq)]
pub struct PagedDocument {
    pub pages: Vec<Page>,
}

use crate::data::{DocMeta, Signer};
use crate::diag::{Diagnostic, Span};
use crate::markup::{Block, Document};
use crate::profile::Profile;
use pages::{Frame, Unit};
use par::{Align, ParStyle};

/// Everything layout needs about the document.
pub struct Input<'a> {
    pub doc: &'a Document,
    pub meta: &'a DocMeta,
    pub signer: &'a Signer,
    pub profile: &'a Profile,
    pub settings: &'a crate::vn::Settings,
    /// The markup's name, for warnings.
    pub markup_name: &'a str,
    /// The markup's text, for warnings' source lines.
    pub markup_text: &'a str,
    /// A long body may be laid out in two halves on two threads (when the other
    /// cores are not busy with other reports).
    pub split: bool,
}

/// The frame and text area of a page in the profile's margins.
fn frame_and_area(p: &Profile, landscape: bool) -> (Frame, front::Area) {
    let t = &p.trang;
    let (w, h) = if landscape {
        (t.cao, t.rong)
    } else {
        (t.rong, t.cao)
    };
    let frame = Frame {
        width: mm(w),
        height: mm(h),
        top: mm(t.le_tren),
        bottom: mm(h - t.le_duoi),
    };
    let area = front::Area {
        left: mm(t.le_trai),
        width: mm(w - t.le_trai - t.le_phai),
        height: mm(h - t.le_tren - t.le_duoi),
    };
    (frame, area)
}

/// Lay out a whole report.
pub fn layout(
    shaper: &mut shape::Shaper,
    input: &Input,
    warnings: &mut Vec<Diagnostic>,
) -> Result<PagedDocument, Diagnostic> {
    let p = input.profile;
    let (portrait, area) = frame_and_area(p, false);
    let (landscape, wide_area) = frame_and_area(p, true);
    let values = front::Values::new(input.meta, input.signer, input.settings);
    let mut units = vec![front::header(shaper, p, &values, area)];
    let first_body = units.len();
    let appendix = body_units(shaper, input, [area, wide_area], &mut units, warnings)?;
    if let Some(u) = units.get_mut(first_body) {
        u.space_before = u.space_before.max(p.tieu_de.cach_duoi);
        u.break_before = true;
    }
    // The signature closes the main text; sections (appendices) follow it.
    let sig = front::signature(shaper, p, &values, &input.meta.noi_nhan, area);
    units.insert(appendix.unwrap_or(units.len()), sig);
    let mut pages = pages::paginate(units, portrait, landscape);
    for (i, page) in pages.iter_mut().enumerate() {
        let n = i + 1;
        if n >= p.so_trang.tu_trang {
            let wide = page.width > page.height;
            let a = if wide { wide_area } else { area };
            page.items.push(front::page_number(shaper, p, n, a));
        }
    }
    Ok(PagedDocument { pages })
}

/// What a block needs to be laid out on its own: its text area, whether it is
/// in an appendix section (headings centred), and its table's `\do_rong`.
struct Context {
    area: front::Area,
    in_section: bool,
    widths: Option<Vec<f32>>,
}

/// A heading's or paragraph's lines, or a table.
enum Laid {
    Lines(Vec<par::LineBox>),
    Table(Result<table::Table, table::TooWide>),
}

/// The lines of a laid-out heading or paragraph.
fn lines_of(laid: Option<Laid>) -> Vec<par::LineBox> {
    match laid {
        Some(Laid::Lines(lines)) => lines,
        _ => Vec::new(),
    }
}

/// A block laid out, and the words too long for a line met in it.
struct BlockOut {
    laid: Laid,
    notes: Vec<String>,
}

/// The context of each heading, paragraph and table (`None` for other blocks),
/// as the units are put in order in [`body_units`].
fn block_contexts(doc: &Document, areas: [front::Area; 2]) -> Vec<Option<Context>> {
    let mut landscape = false;
    let mut in_section = false;
    let mut pending: Option<Vec<f32>> = None;
    doc.blocks
        .iter()
        .map(|block| {
            let area = if landscape { areas[1] } else { areas[0] };
            match block {
                Block::PageBreak => None,
                Block::Widths { widths, .. } => {
                    pending = Some(widths.clone());
                    None
                }
                Block::Section { landscape: l } => {
                    in_section = true;
                    landscape = *l;
                    None
                }
                Block::Heading { .. } | Block::Paragraph { .. } => {
                    pending = None;
                    Some(Context {
                        area,
                        in_section,
                        widths: None,
                    })
                }
                Block::Table { head, rows, .. } => {
                    let ncol = table::columns(head, rows);
                    Some(Context {
                        area,
                        in_section,
                        widths: pending.take().filter(|w| w.len() == ncol),
                    })
                }
            }
        })
        .collect()
}

/// Lay out one heading, paragraph or table.
fn lay_block(
    shaper: &mut shape::Shaper,
    block: &Block,
    cx: &Context,
    p: &Profile,
) -> Option<BlockOut> {
    let b = &p.than;
    let area = cx.area;
    let laid = match block {
        Block::Heading { level, text, .. } => {
            let i = usize::from(level.saturating_sub(1)).min(2);
            let m = &p.muc;
            let (size, bold, italic) = (
                m.co_chu.get(i).copied().unwrap_or(b.co_chu),
                m.dam.get(i).copied().unwrap_or(false),
                m.nghieng.get(i).copied().unwrap_or(false),
            );
            // In an appendix section, the first two heading levels are its
            // centred title ("Phụ lục I", then the table's name).
            let centred = cx.in_section && i < 2;
            let st = ParStyle {
                size,
                line_height: b.gian_dong,
                first_indent: if centred {
                    0.0
                } else {
                    mm(p.muc.thut_dau_dong)
                },
                left: area.left,
                width: area.width,
                align: if centred { Align::Center } else { Align::Left },
                bold,
                italic,
            };
            Laid::Lines(par::layout(shaper, text, None, &st))
        }
        Block::Paragraph { text, marker, .. } => {
            let st = ParStyle {
                size: b.co_chu,
                line_height: b.gian_dong,
                first_indent: mm(b.thut_dau_dong),
                left: area.left,
                width: area.width,
                align: Align::Justify,
                bold: false,
                italic: false,
            };
            Laid::Lines(par::layout(shaper, text, marker.as_deref(), &st))
        }
        Block::Table {
            align, head, rows, ..
        } => {
            let ts = table::TableStyle {
                size: p.bang.co_chu,
                min_size: p.bang.co_chu_toi_thieu,
                leading: p.bang.gian_dong,
                pad: p.bang.dem_o,
                rule: p.bang.net,
                space_before: b.cach_doan + 4.0,
                max_height: area.height,
                widths: cx.widths.clone(),
            };
            Laid::Table(table::layout(
                shaper, align, head, rows, area.left, area.width, &ts,
            ))
        }
        Block::PageBreak | Block::Section { .. } | Block::Widths { .. } => return None,
    };
    Some(BlockOut {
        laid,
        notes: shaper.notes.drain(..).collect(),
    })
}

/// Bytes of text below which the body is laid out on one thread.
const PARALLEL_TEXT: usize = 4096;

/// Every block laid out (see [`lay_block`]), by block index. A long body is cut
/// in two halves of about equal text; the second is laid out on another thread
/// with a copy of the shaper (its words and plans).
fn lay_blocks(
    shaper: &mut shape::Shaper,
    input: &Input,
    contexts: &[Option<Context>],
) -> Vec<Option<BlockOut>> {
    let blocks = &input.doc.blocks;
    let p = input.profile;
    let run = |sh: &mut shape::Shaper, from: usize, to: usize| -> Vec<Option<BlockOut>> {
        let bs = blocks.get(from..to).unwrap_or_default();
        let cs = contexts.get(from..to).unwrap_or_default();
        bs.iter()
            .zip(cs)
            .map(|(b, c)| c.as_ref().and_then(|c| lay_block(sh, b, c, p)))
            .collect()
    };
    let text = |runs: &[crate::markup::Run]| runs.iter().map(|r| r.text.len()).sum::<usize>();
    let weights: Vec<usize> = blocks
        .iter()
        .map(|b| match b {
            Block::Heading { text: t, .. } | Block::Paragraph { text: t, .. } => text(t),
            Block::Table { head, rows, .. } => head
                .iter()
                .chain(rows.iter().flatten())
                .map(|c| text(c))
                .sum(),
            Block::PageBreak | Block::Section { .. } | Block::Widths { .. } => 0,
        })
        .collect();
    let total: usize = weights.iter().sum();
    if !input.split || total < PARALLEL_TEXT || rayon::current_num_threads() < 2 {
        return run(shaper, 0, blocks.len());
    }
    let mut acc = 0usize;
    let mid = weights
        .iter()
        .position(|w| {
            acc += w;
            acc * 2 >= total
        })
        .map_or(blocks.len(), |i| i + 1);
    let mut other = shaper.fork();
    let (mut first, second) = rayon::join(
        || run(shaper, 0, mid),
        || run(&mut other, mid, blocks.len()),
    );
    first.extend(second);
    first
}

/// The body's units; returns where the first section (appendix) starts.
fn body_units(
    shaper: &mut shape::Shaper,
    input: &Input,
    areas: [front::Area; 2],
    units: &mut Vec<Unit>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Option<usize>, Diagnostic> {
    let p = input.profile;
    let b = &p.than;
    // 1. Each heading, paragraph and table laid out on its own (the body in two
    // halves on two cores when it is long enough), 2. then put in order as units.
    let contexts = block_contexts(input.doc, areas);
    let outs = lay_blocks(shaper, input, &contexts);
    let mut keep_with_previous = false;
    let mut new_page = false;
    let mut section: Option<bool> = None;
    let mut first_section = None;
    // `\do_rong` widths waiting for the table right after them, with their line.
    let mut pending_widths: Option<(Vec<f32>, usize)> = None;
    for (block, out) in input.doc.blocks.iter().zip(outs) {
        let (laid, notes) = out.map_or((None, Vec::new()), |o| (Some(o.laid), o.notes));
        let start = units.len();
        match block {
            Block::PageBreak => {
                new_page = true;
                continue;
            }
            Block::Widths { widths, line } => {
                pending_widths = Some((widths.clone(), *line));
                continue;
            }
            Block::Section { landscape: l } => {
                first_section.get_or_insert(units.len());
                section = Some(*l);
                new_page = true;
                continue;
            }
            Block::Heading { .. } => {
                for (k, line) in lines_of(laid).into_iter().enumerate() {
                    let mut u = Unit::new(
                        line.height,
                        if k == 0 { p.muc.cach_tren } else { 0.0 },
                        line.items,
                    );
                    u.break_before = k == 0;
                    units.push(u);
                }
            }
            Block::Paragraph { .. } => {
                let lines = lines_of(laid);
                let n = lines.len();
                for (k, line) in lines.into_iter().enumerate() {
                    let mut u = Unit::new(
                        line.height,
                        if k == 0 { b.cach_doan } else { 0.0 },
                        line.items,
                    );
                    // No single line left alone at the bottom or top of a page.
                    u.break_before = k == 0 || (k >= 2 && n - k >= 2);
                    units.push(u);
                }
            }
            Block::Table {
                head, rows, line, ..
            } => {
                if let Some((w, wline)) = pending_widths.take() {
                    let ncol = table::columns(head, rows);
                    if w.len() != ncol {
                        warnings.push(
                            Diagnostic::warning(format!(
                                "\\do_rong cho {} cột nhưng bảng có {ncol} cột: dùng độ rộng tự động",
                                w.len()
                            ))
                            .with_span(Span::at_line(input.markup_name, input.markup_text, wline, 1)),
                        );
                    }
                }
                let at = || Span::at_line(input.markup_name, input.markup_text, *line, 1);
                let t = match laid {
                    Some(Laid::Table(t)) => t,
                    _ => Ok(table::Table {
                        units: Vec::new(),
                        size: p.bang.co_chu,
                    }),
                };
                let t = t.map_err(|e| {
                    Diagnostic::error(format!(
                        "bảng quá rộng: cần {:.0} pt ở cỡ chữ nhỏ nhất {} pt, vùng chữ chỉ rộng {:.0} pt",
                        e.needed, p.bang.co_chu_toi_thieu, e.available
                    ))
                    .with_span(at())
                    .with_hint("bớt cột, rút ngắn từ dài trong ô, hoặc đặt bảng trong phần trang ngang (dòng \\ngang)")
                })?;
                if t.size < p.bang.co_chu {
                    warnings.push(
                        Diagnostic::warning(format!(
                            "bảng rộng nên cỡ chữ trong bảng được thu nhỏ còn {} pt",
                            t.size
                        ))
                        .with_span(at()),
                    );
                }
                units.extend(t.units);
                if let Some(u) = units.last_mut() {
                    // Space after a table before the next block.
                    u.height += 4.0;
                }
            }
        }
        // `\do_rong` applies to the table right after it only.
        if !matches!(block, Block::Table { .. }) {
            if let Some((_, wline)) = pending_widths.take() {
                warnings.push(
                    Diagnostic::warning("\\do_rong không đứng ngay trước một bảng nên bị bỏ qua")
                        .with_span(Span::at_line(
                            input.markup_name,
                            input.markup_text,
                            wline,
                            1,
                        )),
                );
            }
        }
        // Words too long for a line were broken: say where.
        let line = match block {
            Block::Heading { line, .. }
            | Block::Paragraph { line, .. }
            | Block::Table { line, .. } => *line,
            _ => 0,
        };
        for word in notes {
            let short: String = word.chars().take(40).collect();
            warnings.push(
                Diagnostic::warning(format!(
                    "từ \"{short}{}\" dài hơn một dòng nên bị ngắt giữa chừng",
                    if short.len() < word.len() { "…" } else { "" }
                ))
                .with_span(Span::at_line(input.markup_name, input.markup_text, line, 1))
                .with_hint("thêm dấu cách vào chuỗi dài (đường dẫn, mã số) nếu được"),
            );
        }
        if let Some(u) = units.get_mut(start) {
            if keep_with_previous {
                u.break_before = false;
            }
            if new_page {
                u.new_page = true;
                u.break_before = true;
                u.landscape = section.take();
            }
        }
        if units.len() > start {
            new_page = false;
        }
        keep_with_previous = matches!(block, Block::Heading { .. });
    }
    Ok(first_section)
}
