//! The body in Word: headings with Word's heading styles, paragraphs, lists,
//! tables, page breaks and appendix sections, in the order of the markup; the
//! signature goes before the first appendix section, as the layout places it.
use super::package::HeadingLook;
use super::xml::{paragraph, run, tw, Jc, Ppr, RunStyle};
use crate::diag::Diagnostic;
use crate::layout::{mm, shape::Shaper, table, Input};
use crate::markup::{self, Align, Block, Inlines};
use crate::profile::Profile;
use std::fmt::Write as _;

/// The document being written, and the state carried from block to block.
pub struct Writer<'a> {
    /// `w:body`'s content so far.
    pub out: String,
    profile: &'a Profile,
    /// The current section is landscape; sections (appendices) started so far.
    pub landscape: bool,
    pub sections: usize,
    /// The next block starts a page (`\pagebreak`).
    page_break: bool,
    /// Space before the next block, at least (under the title; after a table).
    pub first_before: Option<f32>,
    /// The start of each numbered list, as typed (numbering ids 2, 3, …).
    pub list_starts: Vec<u64>,
    /// The numbered list being written: its id and the number expected next.
    list: Option<(usize, u64)>,
    /// The document has parts ("Phần thứ nhất"): they take Word's level 1.
    has_parts: bool,
    /// `\do_rong` widths for the next table.
    widths: Option<Vec<f32>>,
    /// Where the last paragraph of the body starts in `out`.
    last_paragraph: Option<usize>,
    /// The current section is an appendix numbering its own pages from 1.
    pub restart: bool,
    /// Nothing written in the current section yet (`\ngang` right after
    /// `\phu_luc` turns that appendix's pages).
    section_empty: bool,
    /// An appendix (`\phu_luc`) whose head waits for its title: its number.
    appendix: Option<String>,
    /// `\chu_so` decimals, `\ten_bang` and `\don_vi_tinh` lines for the next table.
    decimals: Option<Vec<Option<u32>>>,
    captions: Vec<(markup::CaptionKind, String)>,
}

impl<'a> Writer<'a> {
    pub fn new(input: &Input<'a>) -> Writer<'a> {
        let has_parts = input
            .doc
            .blocks
            .iter()
            .any(|b| matches!(b, Block::Heading { level: 0, .. }));
        Writer {
            out: String::with_capacity(64 << 10),
            profile: input.profile,
            landscape: false,
            sections: 0,
            page_break: false,
            first_before: None,
            list_starts: Vec::new(),
            list: None,
            has_parts,
            widths: None,
            last_paragraph: None,
            restart: false,
            section_empty: false,
            appendix: None,
            decimals: None,
            captions: Vec::new(),
        }
    }

    /// The width of the text area of a portrait or landscape page, pt.
    pub fn area_width(&self, landscape: bool) -> f32 {
        let t = &self.profile.page;
        let w = if landscape { t.height } else { t.width };
        let (_, _, left, right) = crate::layout::margins(self.profile, landscape);
        mm(w - left - right)
    }

    /// The look of each heading style, `Heading1` first: the part (when the
    /// document has parts), then the profile's three levels.
    pub fn heading_looks(&self) -> Vec<HeadingLook> {
        let m = &self.profile.headings;
        let mut looks = Vec::new();
        if self.has_parts {
            looks.push(HeadingLook {
                size: m.part.font_size,
                bold: m.part.bold,
                italic: false,
                before: m.part.space_before,
                after: m.part.space_after,
                indent: 0.0,
                centred: true,
            });
        }
        for i in 0..3 {
            looks.push(HeadingLook {
                size: m
                    .font_size
                    .get(i)
                    .copied()
                    .unwrap_or(self.profile.body.font_size),
                bold: m.bold.get(i).copied().unwrap_or(false),
                italic: m.italic.get(i).copied().unwrap_or(false),
                before: m.space_before,
                after: 0.0,
                indent: mm(m.first_indent),
                centred: false,
            });
        }
        looks
    }

    /// Every block in order; the signature before the first section.
    pub fn body(&mut self, shaper: &mut Shaper, input: &Input) -> Result<(), Diagnostic> {
        for block in &input.doc.blocks {
            let content = matches!(
                block,
                Block::Heading { .. } | Block::Paragraph { .. } | Block::Table { .. }
            );
            if content {
                if let Some(number) = self.appendix.take() {
                    self.appendix_head(shaper, input, &number, block);
                    if matches!(block, Block::Heading { .. }) {
                        // The heading was the appendix's title.
                        continue;
                    }
                }
                self.section_empty = false;
            }
            match block {
                Block::Heading { level, text, .. } => self.heading(*level, text),
                Block::Paragraph { text, marker, .. } => self.paragraph(text, marker.as_deref()),
                Block::Table {
                    align, head, rows, ..
                } => self.table(shaper, align, head, rows),
                Block::PageBreak => self.page_break = true,
                Block::Widths { widths, .. } => self.widths = Some(widths.clone()),
                Block::Decimals { decimals, .. } => self.decimals = Some(decimals.clone()),
                Block::Caption { kind, text, .. } => self.captions.push((*kind, text.clone())),
                Block::Section { landscape } => {
                    // `\ngang` right after `\phu_luc` turns that appendix.
                    if !(self.sections > 0 && self.section_empty) {
                        self.new_section(input, false);
                    }
                    self.landscape = *landscape;
                }
                Block::Appendix { number, .. } => {
                    // `\ngang` right before: that section is this appendix's.
                    if !(self.sections > 0 && self.section_empty) {
                        self.new_section(input, false);
                        self.landscape = false;
                    }
                    self.restart = self.profile.appendix.own_page_numbers;
                    self.appendix = Some(number.clone());
                }
            }
            if !matches!(
                block,
                Block::Paragraph {
                    marker: Some(_),
                    ..
                }
            ) {
                self.list = None;
            }
            // `\do_rong` holds for the table right after it only.
            if !matches!(block, Block::Widths { .. } | Block::Table { .. }) {
                self.widths = None;
            }
        }
        if let Some(number) = self.appendix.take() {
            // An appendix with nothing in it still has its head.
            self.appendix_head(shaper, input, &number, &Block::PageBreak);
        }
        if self.sections == 0 {
            super::front::signature(self, input);
        }
        Ok(())
    }

    /// Close the current section and start the next (the signature closes
    /// the main text first).
    fn new_section(&mut self, input: &Input, restart: bool) {
        if self.sections == 0 {
            super::front::signature(self, input);
        }
        self.end_section();
        self.sections += 1;
        self.restart = restart;
        self.section_empty = true;
    }

    /// The head of appendix `number` before `block`: its label line, the
    /// title when `block` is a heading, and the "(Kèm theo …)" line.
    fn appendix_head(&mut self, shaper: &mut Shaper, input: &Input, number: &str, block: &Block) {
        let values = crate::layout::front::Values::new(input.meta, input.signer, input.settings);
        let texts = crate::layout::appendix::texts(input.profile, &values, number);
        if let Some(t) = &texts.label {
            super::front::appendix_line(self, shaper, input, t, 0);
        }
        if let Block::Heading { level, text, .. } = block {
            self.heading(*level, text);
        }
        if let Some(t) = &texts.with_line {
            super::front::appendix_line(self, shaper, input, t, 1);
        }
        self.section_empty = false;
    }

    /// The body's last paragraph stays on the page of what follows (the
    /// signature), as the PDF keeps the signature with the body's last lines.
    pub fn keep_last_paragraph_with_next(&mut self) {
        let Some(at) = self.last_paragraph.take() else {
            return;
        };
        let Some(rest) = self.out.get(at..) else {
            return;
        };
        // After `<w:p><w:pPr>` and the style, if any (the schema's order).
        let open = "<w:p><w:pPr>";
        let insert = if rest.starts_with(open) {
            let after = at + open.len();
            let style = self.out.get(after..).and_then(|r| {
                r.starts_with("<w:pStyle")
                    .then(|| r.find("/>").map(|e| e + 2))?
            });
            (after + style.unwrap_or(0), "<w:keepNext/>")
        } else {
            (at + "<w:p>".len(), "<w:pPr><w:keepNext/></w:pPr>")
        };
        if self.out.is_char_boundary(insert.0) {
            self.out.insert_str(insert.0, insert.1);
        }
    }

    /// Close the current section with a paragraph holding its properties.
    fn end_section(&mut self) {
        let sect = super::sect_pr(
            self.profile,
            self.landscape,
            self.sections == 0,
            self.restart,
        );
        let ppr = Ppr {
            line: Some(1.0),
            before: Some(0.0),
            after: Some(0.0),
            sect: Some(sect),
            ..Ppr::default()
        };
        paragraph(&mut self.out, &ppr, |_| {});
        self.page_break = false;
        self.first_before = None;
    }

    /// Properties every block starts with: a page break asked for, the space
    /// it must keep under the title or a table.
    fn start(&mut self, own_before: f32) -> Ppr {
        let before = self.first_before.take().map(|b| b.max(own_before));
        Ppr {
            page_break_before: std::mem::take(&mut self.page_break),
            before,
            ..Ppr::default()
        }
    }

    fn heading(&mut self, level: u8, text: &Inlines) {
        let m = &self.profile.headings;
        let own = if level == 0 {
            m.part.space_before
        } else {
            m.space_before
        };
        let mut ppr = self.start(own);
        let index = usize::from(level) + usize::from(self.has_parts);
        ppr.style = Some(format!("Heading{}", index.max(1)));
        // In an appendix the first two levels are its centred title.
        if self.sections > 0 && (1..=2).contains(&level) {
            ppr.jc = Some(Jc::Center);
            ppr.first = Some(0.0);
        }
        paragraph(&mut self.out, &ppr, |o| runs(o, text, None));
    }

    fn paragraph(&mut self, text: &Inlines, marker: Option<&str>) {
        let mut ppr = self.start(self.profile.body.paragraph_space);
        let mut typed = None;
        match marker.map(str::trim) {
            Some("-") => ppr.num = Some(1),
            Some(m) => match m.strip_suffix('.').and_then(|n| n.parse::<u64>().ok()) {
                Some(n) => ppr.num = Some(self.numbered(n)),
                None => typed = marker,
            },
            None => {}
        }
        self.last_paragraph = Some(self.out.len());
        paragraph(&mut self.out, &ppr, |o| {
            if let Some(m) = typed {
                run(o, m, RunStyle::default());
            }
            runs(o, text, None);
        });
    }

    /// The numbering id of a numbered item `n`: the current list's when `n`
    /// follows its last item, else a new list starting at `n`.
    fn numbered(&mut self, n: u64) -> usize {
        if let Some((id, next)) = self.list {
            if next == n {
                self.list = Some((id, n + 1));
                return id;
            }
        }
        self.list_starts.push(n);
        let id = self.list_starts.len() + 1;
        self.list = Some((id, n + 1));
        id
    }

    /// A table: ruled, as wide as the text, its columns as wide as the PDF's,
    /// its header rows repeated on every page, no row split between pages.
    fn table(
        &mut self,
        shaper: &mut Shaper,
        align: &[Align],
        head: &[Inlines],
        rows: &[Vec<Inlines>],
    ) {
        let ncol = table::columns(head, rows);
        if ncol == 0 {
            return;
        }
        // `\chu_so`: the numbers rounded as in the PDF.
        let rounded = match self.decimals.take() {
            Some(d) if d.len() == ncol => Some(table::with_decimals(rows, &d)),
            _ => None,
        };
        let rows = rounded.as_deref().unwrap_or(rows);
        self.captions();
        let width = self.area_width(self.landscape);
        let (widths, size) = self.column_widths(shaper, align, head, rows, width);
        let ppr = self.start(0.0);
        if ppr.page_break_before || ppr.before.is_some_and(|b| b > 0.0) {
            // Word has no space or break before a table: a paragraph holds it.
            let ppr = Ppr {
                line: Some(1.0),
                after: Some(0.0),
                ..ppr
            };
            paragraph(&mut self.out, &ppr, |_| {});
        }
        // The signature is kept with the table's last row, not with a paragraph above.
        self.last_paragraph = None;
        let t = &self.profile.table;
        let size = (size < t.font_size).then_some(size);
        let (cells, header_rows) = grid(head, rows, ncol);
        let aligns = column_aligns(align, head, rows, ncol);
        table_open(&mut self.out, &widths, t.rule_width, t.cell_padding);
        for (ri, row) in cells.iter().enumerate() {
            let header = ri < header_rows;
            let _ = write!(
                self.out,
                "<w:tr><w:trPr><w:cantSplit/>{}</w:trPr>",
                if header { "<w:tblHeader/>" } else { "" }
            );
            for cell in row {
                let jc = match (header, aligns.get(cell.col)) {
                    (true, _) => Jc::Center,
                    (false, Some(jc)) if cell.span == 1 => *jc,
                    _ => Jc::Left,
                };
                let w: f32 = widths.iter().skip(cell.col).take(cell.span).sum();
                write_cell(&mut self.out, cell, w, jc, header, size);
            }
            self.out.push_str("</w:tr>");
        }
        self.out.push_str("</w:tbl>");
        self.first_before = Some(self.profile.body.paragraph_space + 4.0);
    }

    /// The table's caption (bold, centred) and unit line ("Đơn vị tính: …",
    /// italic, right-aligned), kept with the table, as the layout sets them.
    fn captions(&mut self) {
        let mut captions = std::mem::take(&mut self.captions);
        captions.sort_by_key(|(kind, _)| *kind == markup::CaptionKind::Unit);
        let t = &self.profile.table;
        for (i, (kind, text)) in captions.iter().enumerate() {
            let before = if i == 0 {
                self.profile.body.paragraph_space + 4.0
            } else {
                0.0
            };
            let mut ppr = self.start(before);
            ppr.keep_next = true;
            ppr.first = Some(0.0);
            ppr.after = Some(0.0);
            let (jc, size, st, text) = match kind {
                markup::CaptionKind::Title => {
                    (Jc::Center, t.caption_size, (true, false), text.clone())
                }
                markup::CaptionKind::Unit => (
                    Jc::Right,
                    t.font_size,
                    (false, true),
                    format!("{} {text}", t.unit_label.trim_end()),
                ),
            };
            ppr.jc = Some(jc);
            ppr.line = Some(size * t.line_height);
            let style = RunStyle {
                bold: st.0,
                italic: st.1,
                underline: false,
                size: Some(size),
            };
            paragraph(&mut self.out, &ppr, |o| run(o, &text, style));
        }
    }

    /// Column widths as the PDF sets them (read from the layout's column
    /// rules), and the font size the table was set in; equal widths when
    /// the layout could not set it.
    fn column_widths(
        &mut self,
        shaper: &mut Shaper,
        align: &[Align],
        head: &[Inlines],
        rows: &[Vec<Inlines>],
        width: f32,
    ) -> (Vec<f32>, f32) {
        let p = self.profile;
        let ncol = table::columns(head, rows);
        let widths = self.widths.take().filter(|w| w.len() == ncol);
        let st = table::TableStyle::of(p, 0.0, f32::MAX, widths);
        let equal = (vec![width / ncol as f32; ncol], p.table.font_size);
        let Ok(t) = table::layout(shaper, align, head, rows, 0.0, width, &st, &mut Vec::new())
        else {
            return equal;
        };
        let mut xs: Vec<f32> = t
            .units
            .iter()
            .chain(t.units.iter().filter_map(|u| u.repeat.as_deref()).flatten())
            .flat_map(|u| &u.items)
            .filter_map(|i| match i {
                crate::layout::Item::Rule { x1, x2, .. } if (x1 - x2).abs() < 0.01 => Some(*x1),
                _ => None,
            })
            .collect();
        xs.sort_by(f32::total_cmp);
        xs.dedup_by(|a, b| (*a - *b).abs() < 0.05);
        if xs.len() != ncol + 1 {
            return (equal.0, t.size);
        }
        let widths = xs.iter().zip(xs.iter().skip(1)).map(|(a, b)| b - a);
        (widths.collect(), t.size)
    }
}

/// Styled runs of markup text (`size`: the table's when it had to shrink).
fn runs(out: &mut String, text: &Inlines, size: Option<f32>) {
    for r in text {
        let st = RunStyle {
            bold: r.bold,
            italic: r.italic,
            underline: false,
            size,
        };
        run(out, &r.text, st);
    }
}

/// `<w:tbl>`, its properties and its grid.
fn table_open(out: &mut String, widths: &[f32], rule: f32, pad: f32) {
    let total: f32 = widths.iter().sum();
    // Word processors take a cell's borders out of its width: the side
    // padding gives way, so that the text has the PDF's room.
    let side = tw((pad - rule).max(0.0));
    let sz = ((rule * 8.0).round() as i64).clamp(2, 96);
    let b = |side: &str| {
        format!("<w:{side} w:val=\"single\" w:sz=\"{sz}\" w:space=\"0\" w:color=\"000000\"/>")
    };
    let pad = tw(pad);
    let _ = write!(
        out,
        "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblBorders>{}{}{}{}{}{}</w:tblBorders>\
<w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:top w:w=\"{pad}\" w:type=\"dxa\"/><w:left w:w=\"{side}\" w:type=\"dxa\"/>\
<w:bottom w:w=\"{pad}\" w:type=\"dxa\"/><w:right w:w=\"{side}\" w:type=\"dxa\"/></w:tblCellMar><w:tblLook w:val=\"0000\"/></w:tblPr><w:tblGrid>",
        tw(total),
        b("top"),
        b("left"),
        b("bottom"),
        b("right"),
        b("insideH"),
        b("insideV")
    );
    for w in widths {
        let _ = write!(out, "<w:gridCol w:w=\"{}\"/>", tw(*w));
    }
    out.push_str("</w:tblGrid>");
}

fn write_cell(out: &mut String, cell: &Cell, width: f32, jc: Jc, header: bool, size: Option<f32>) {
    let _ = write!(
        out,
        "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/>",
        tw(width)
    );
    if cell.span > 1 {
        let _ = write!(out, "<w:gridSpan w:val=\"{}\"/>", cell.span);
    }
    match cell.merge {
        Some(true) => out.push_str("<w:vMerge w:val=\"restart\"/>"),
        Some(false) => out.push_str("<w:vMerge/>"),
        None => {}
    }
    if header {
        out.push_str("<w:vAlign w:val=\"center\"/>");
    }
    out.push_str("</w:tcPr>");
    let ppr = Ppr {
        style: Some("TableText".into()),
        jc: Some(jc),
        ..Ppr::default()
    };
    let text = if cell.merge == Some(false) {
        &EMPTY
    } else {
        cell.text
    };
    paragraph(out, &ppr, |o| {
        for r in text {
            let st = RunStyle {
                bold: r.bold || header,
                italic: r.italic,
                underline: false,
                size,
            };
            run(o, &r.text, st);
        }
    });
    out.push_str("</w:tc>");
}

static EMPTY: Inlines = Vec::new();

/// A cell of the table: its text, first column, columns spanned, and
/// whether it starts (`Some(true)`) or continues (`Some(false)`) a cell
/// merged down.
struct Cell<'a> {
    text: &'a Inlines,
    col: usize,
    span: usize,
    merge: Option<bool>,
}

/// The rows' cells with the span markers resolved by the layout's own
/// `table::grid`, in Word's terms: a cell spanning rows starts a vertical
/// merge, and each row it covers below holds a continuing (empty) cell.
/// Returns the rows and how many of them form the header.
fn grid<'a>(
    head: &'a [Inlines],
    rows: &'a [Vec<Inlines>],
    ncol: usize,
) -> (Vec<Vec<Cell<'a>>>, usize) {
    let (laid, header_rows) = table::grid(head, rows, ncol);
    let mut out: Vec<Vec<Cell>> = laid.iter().map(|_| Vec::new()).collect();
    for (ri, row) in laid.iter().enumerate() {
        for c in row {
            let merge = (c.rowspan > 1).then_some(true);
            if let Some(r) = out.get_mut(ri) {
                r.push(Cell {
                    text: c.text,
                    col: c.col,
                    span: c.colspan,
                    merge,
                });
            }
            for below in out.iter_mut().skip(ri + 1).take(c.rowspan - 1) {
                below.push(Cell {
                    text: &EMPTY,
                    col: c.col,
                    span: c.colspan,
                    merge: Some(false),
                });
            }
        }
    }
    for r in &mut out {
        r.sort_by_key(|c| c.col);
    }
    (out, header_rows)
}

/// Each column's alignment as the layout sets it (`table::column_aligns`:
/// as the markup's alignment row says, or right for a column of numbers),
/// in Word's terms.
fn column_aligns(align: &[Align], head: &[Inlines], rows: &[Vec<Inlines>], ncol: usize) -> Vec<Jc> {
    let (laid, header_rows) = table::grid(head, rows, ncol);
    let body = laid.get(header_rows..).unwrap_or_default();
    table::column_aligns(align, body, ncol)
        .into_iter()
        .map(|a| match a {
            crate::layout::par::Align::Center => Jc::Center,
            crate::layout::par::Align::Right => Jc::Right,
            crate::layout::par::Align::Left | crate::layout::par::Align::Justify => Jc::Left,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::Run;

    fn cells(ts: &[&str]) -> Vec<Inlines> {
        ts.iter()
            .map(|t| {
                vec![Run {
                    text: (*t).into(),
                    bold: false,
                    italic: false,
                }]
            })
            .collect()
    }

    #[test]
    fn span_markers_become_spans_and_merged_header_cells() {
        let head = cells(&["TT", "Thu", "<"]);
        let rows = vec![
            cells(&["^", "Dự toán", "Thực hiện"]),
            cells(&["I", "<", "<"]),
        ];
        let (grid, header_rows) = grid(&head, &rows, 3);
        assert_eq!(header_rows, 2);
        let shape: Vec<Vec<(usize, usize, Option<bool>)>> = grid
            .iter()
            .map(|r| r.iter().map(|c| (c.col, c.span, c.merge)).collect())
            .collect();
        assert_eq!(
            shape,
            vec![
                vec![(0, 1, Some(true)), (1, 2, None)],
                vec![(0, 1, Some(false)), (1, 1, None), (2, 1, None)],
                vec![(0, 3, None)],
            ]
        );
    }

    #[test]
    fn number_columns_align_right_unless_told() {
        let head = cells(&["A", "B", "C"]);
        let rows = vec![cells(&["x", "1.234,5", "7"])];
        let aligns = column_aligns(&[Align::Auto, Align::Auto, Align::Center], &head, &rows, 3);
        assert_eq!(aligns, vec![Jc::Left, Jc::Right, Jc::Center]);
    }
}
