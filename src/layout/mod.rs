//! Layout: a [`Document`](crate::markup::Document) and the document's metadata →
//! positioned pages.
//!
//! Takes the parsed body, `[van_ban]`/`[ky]` and a profile; returns a
//! [`PagedDocument`] whose pages hold only positioned glyph runs and rules (points,
//! y measured from the top edge). The PDF writer never sees anything else.
pub mod appendix;
pub mod breaks;
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
    /// What the run is to a reader (the PDF's structure tags); the default,
    /// an artifact, for page numbers and decoration.
    pub tag: Tag,
}

/// What a text run is to a reader: the PDF writer groups runs by it into
/// structure elements (headings, paragraphs, list items, table cells) for
/// screen readers and reflow. Layout sets it where units are made. Runs of one
/// element share `role` and `id`; an id only needs to differ from its
/// neighbours' of the same role. Rules are always artifacts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tag {
    pub role: Role,
    pub id: u32,
}

/// The kind of element a run belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Role {
    /// Not content: page numbers, header rows repeated on a continued page,
    /// the "-----" line under the title.
    #[default]
    Artifact,
    /// A line of the header block (issuer, number, place and date).
    Header,
    /// The title (document type and summary).
    Title,
    /// A heading of this level (0: a part).
    Heading(u8),
    Paragraph,
    /// A list item whose first `label` characters are its marker ("- ", "3.").
    ListItem {
        label: u8,
    },
    /// A table cell: a header cell or not, its row in the table (header rows
    /// first), its first column, and the columns and rows it spans.
    Cell {
        head: bool,
        row: u16,
        col: u16,
        cols: u16,
        rows: u16,
    },
    /// A line of the signature block.
    Signature,
    /// "Nơi nhận:".
    RecipientsTitle,
    /// A recipient line; its first `label` characters are its marker.
    Recipient {
        label: u8,
    },
}

impl Tag {
    /// Set this tag on every text run of `items`.
    pub fn set(self, items: &mut [Item]) {
        for it in items {
            if let Item::Text(t) = it {
                t.tag = self;
            }
        }
    }
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

/// The document's properties, as a file's metadata states them (the PDF's
/// information and XMP, the DOCX's core properties).
#[derive(Debug, Clone)]
pub struct Properties {
    /// Title (the summary line).
    pub title: String,
    /// Author (the issuing body).
    pub author: String,
    /// Subject (document type).
    pub subject: String,
    /// Date of the document: the files' dates (never the clock).
    pub date: crate::vn::Date,
}

/// The laid-out document.
#[derive(Debug, Clone, PartialEq)]
pub struct PagedDocument {
    pub pages: Vec<Page>,
}

use crate::diag::{Diagnostic, Sink, Source, SourceResult, Span};
use crate::input::{DocMeta, Signer};
use crate::markup::{Block, CaptionKind, Document};
use crate::profile::{Binding, Profile};
use pages::{Frame, Unit};
use par::{Align, ParStyle};
use std::sync::Arc;

/// Everything layout needs about the document.
pub struct Input<'a> {
    pub doc: &'a Document,
    pub meta: &'a DocMeta,
    pub signer: &'a Signer,
    pub profile: &'a Profile,
    pub settings: &'a crate::vn::Settings,
    /// The filled-in markup the document was parsed from, for warnings.
    pub markup: &'a Arc<Source>,
}

/// The margins (top, bottom, left, right) of a portrait or landscape page as
/// seen, mm: a landscape page is the portrait sheet turned, so its binding
/// margin (`le_trai`) lies on the edge the profile names.
pub fn margins(p: &Profile, landscape: bool) -> (f32, f32, f32, f32) {
    let t = &p.page;
    let (ml, mr, mt, mb) = (t.margin_left, t.margin_right, t.margin_top, t.margin_bottom);
    match (landscape, t.binding()) {
        (false, _) => (mt, mb, ml, mr),
        // Turned clockwise to be read: the sheet's left edge is on top.
        (true, Binding::Top) => (ml, mr, mb, mt),
        // Turned counter-clockwise: the sheet's left edge is at the bottom.
        (true, Binding::Bottom) => (mr, ml, mt, mb),
    }
}

/// The frame and text area of a page in the profile's margins. A landscape
/// page is the portrait sheet turned: its margins turn with it, so the binding
/// margin (`le_trai`) lies on the edge the profile names (`mep_dong_trang_ngang`).
fn frame_and_area(p: &Profile, landscape: bool) -> (Frame, front::Area) {
    let t = &p.page;
    let (w, h) = if landscape {
        (t.height, t.width)
    } else {
        (t.width, t.height)
    };
    let (top, bottom, left, right) = margins(p, landscape);
    let frame = Frame {
        width: mm(w),
        height: mm(h),
        top: mm(top),
        bottom: mm(h - bottom),
    };
    let area = front::Area {
        left: mm(left),
        width: mm(w - left - right),
        height: mm(h - top - bottom),
    };
    (frame, area)
}

/// Lay out a whole report.
pub fn layout(
    shaper: &mut shape::Shaper,
    input: &Input,
    warnings: &mut Sink,
) -> SourceResult<PagedDocument> {
    let p = input.profile;
    let (portrait, area) = frame_and_area(p, false);
    let (landscape, wide_area) = frame_and_area(p, true);
    let values = front::Values::new(input.meta, input.signer, input.settings);
    // Words of the header and signature too long for their column.
    let mut overlong = Vec::new();
    let (mut units, header) = match front::header(shaper, &mut overlong, p, &values, area) {
        Ok(units) => (units, None),
        Err(e) => (Vec::new(), Some(e)),
    };
    let first_body = units.len();
    let appendix = body_units(shaper, input, [area, wide_area], &mut units, warnings);
    if let Some(u) = units.get_mut(first_body) {
        u.space_before = u.space_before.max(p.title.space_after);
        u.break_before = true;
    }
    // The signature closes the main text; sections (appendices) follow it.
    let sig = front::signature(
        shaper,
        &mut overlong,
        p,
        &values,
        &input.meta.recipients,
        area,
    );
    for word in overlong {
        warnings.warn(overlong_warning(&word).with_hint(
            "từ này ở phần đầu văn bản, chữ ký hoặc nơi nhận: sửa trong [van_ban] hoặc [ky] của tệp số liệu",
        ));
    }
    let (appendix, sig) = front_errors(input.meta, header, appendix, sig)?;
    let frame = units
        .get(..first_body)
        .unwrap_or_default()
        .iter()
        .chain(&sig);
    if let Some(d) = shape::missing_warning(&missing_in(shaper.fonts(), frame)) {
        warnings.warn(d.with_hint(
            "ký tự này ở phần đầu văn bản, chữ ký hoặc nơi nhận: sửa trong [van_ban] hoặc [ky] của tệp số liệu",
        ));
    }
    let at = appendix.unwrap_or(units.len()).min(units.len());
    units.splice(at..at, sig);
    let (mut pages, restarts): (Vec<Page>, Vec<bool>) =
        pages::paginate_marked(units, portrait, landscape)
            .into_iter()
            .unzip();
    check_on_page(&pages, [portrait, landscape])?;
    // Each appendix numbers its own pages from 1 (if the profile says so).
    let mut n = 0;
    for (page, restart) in pages.iter_mut().zip(restarts) {
        n = if restart && p.appendix.own_page_numbers {
            1
        } else {
            n + 1
        };
        if n >= p.page_numbers.from_page {
            let wide = page.width > page.height;
            let a = if wide { wide_area } else { area };
            page.items.push(front::page_number(shaper, p, n, a));
        }
    }
    Ok(PagedDocument { pages })
}

/// Every line lies above its page's bottom margin. Only a unit taller than a
/// page could run off it: an error, never silently lost text.
fn check_on_page(pages: &[Page], [portrait, landscape]: [Frame; 2]) -> Result<(), Diagnostic> {
    for (i, page) in pages.iter().enumerate() {
        let f = if page.width > page.height {
            landscape
        } else {
            portrait
        };
        let below = |it: &Item| matches!(it, Item::Text(t) if t.y > f.bottom + 0.01);
        if page.items.iter().any(below) {
            return Err(internal(&format!(
                "một dòng chữ ở trang {} nằm dưới lề dưới của trang",
                i + 1
            )));
        }
    }
    Ok(())
}

/// The body's and the frame's results together: every error at once (a header
/// or signature block too tall for a page, a body error), or where the
/// appendix starts and the signature's units.
fn front_errors(
    meta: &DocMeta,
    header: Option<front::TooTall>,
    body: Result<Option<usize>, Diagnostic>,
    sig: Result<Vec<Unit>, front::TooTall>,
) -> Result<(Option<usize>, Vec<Unit>), crate::diag::Diagnostics> {
    let mut errors = Vec::new();
    if let Some(e) = header {
        errors.push(too_tall(&e, Part::Header, meta));
    }
    let body = body.map_err(|e| errors.push(e));
    let sig = sig.map_err(|e| errors.push(too_tall(&e, Part::Signature, meta)));
    match (body, sig) {
        (Ok(appendix), Ok(sig)) if errors.is_empty() => Ok((appendix, sig)),
        _ => Err(crate::diag::Diagnostics(errors)),
    }
}

/// The parts of the frame that cannot continue on the next page.
#[derive(Clone, Copy)]
enum Part {
    Header,
    Signature,
}

/// The error for a header or signature block too tall for its page, at the
/// key of the value to shorten.
fn too_tall(e: &front::TooTall, part: Part, meta: &DocMeta) -> Diagnostic {
    let (what, why) = match part {
        Part::Header => (
            "phần đầu văn bản không vừa trang đầu",
            "phần đầu (tên cơ quan, số và ký hiệu, địa danh và ngày) không sang trang sau được, và trang đầu còn phải có tên loại văn bản",
        ),
        Part::Signature => (
            "khối chữ ký dài hơn một trang",
            "khối chữ ký (quyền hạn, chức vụ, chỗ ký, họ tên) không tách sang trang sau được",
        ),
    };
    let Some(key) = e.key else {
        return Diagnostic::error(what.to_string())
            .with_span(meta.profile_span.clone())
            .with_hint(format!(
                "{why}: một dòng chữ của tệp thể thức quá dài, rút ngắn nó trong tệp thể thức"
            ));
    };
    // `{so_hieu}` is the number and `ky_hieu`; only the symbol can be long.
    let (table, key) = match key {
        "so_hieu" => ("van_ban", "ky_hieu"),
        "quyen_han" | "chuc_vu" | "ho_ten" => ("ky", key),
        _ => ("van_ban", key),
    };
    Diagnostic::error(format!("{what}: `{key}` in ra thành {} dòng", e.lines))
        .with_span(meta.key_span(table, key))
        .with_hint(format!(
            "{why}: rút ngắn `{key}` trong [{table}], bớt ít nhất {} dòng",
            e.excess
        ))
}

/// Space between a table's caption or unit line and the table, pt.
const CAPTION_GAP: f32 = 3.0;

/// What a block needs to be laid out: its text area, whether it is in an
/// appendix section (headings centred), and its table's `\do_rong`.
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

/// A block laid out, and the words too long for a line met in it.
struct BlockOut {
    laid: Laid,
    notes: Vec<String>,
}

/// The style of a heading of `level` (0: a part, centred).
fn heading_style(level: u8, cx: &Context, p: &Profile) -> ParStyle {
    let b = &p.body;
    let area = cx.area;
    let m = &p.headings;
    if level == 0 {
        return ParStyle {
            size: m.part.font_size,
            line_height: b.line_height,
            first_indent: 0.0,
            left: area.left,
            width: area.width,
            align: Align::Center,
            bold: m.part.bold,
            italic: false,
        };
    }
    let i = usize::from(level.saturating_sub(1)).min(2);
    // In an appendix section, the first two heading levels are its centred
    // title ("Phụ lục I", then the table's name).
    let centred = cx.in_section && i < 2;
    ParStyle {
        size: m.font_size.get(i).copied().unwrap_or(b.font_size),
        line_height: b.line_height,
        first_indent: if centred { 0.0 } else { mm(m.first_indent) },
        left: area.left,
        width: area.width,
        align: if centred { Align::Center } else { Align::Left },
        bold: m.bold.get(i).copied().unwrap_or(false),
        italic: m.italic.get(i).copied().unwrap_or(false),
    }
}

/// Lay out one heading, paragraph or table.
fn lay_block(
    shaper: &mut shape::Shaper,
    block: &Block,
    cx: Context,
    p: &Profile,
) -> Option<BlockOut> {
    let b = &p.body;
    let area = cx.area;
    let mut overlong = Vec::new();
    let laid = match block {
        Block::Heading { level, text, .. } => {
            let st = heading_style(*level, &cx, p);
            Laid::Lines(par::layout_display(shaper, text, &st, &mut overlong))
        }
        Block::Paragraph { text, marker, .. } => {
            let st = ParStyle {
                size: b.font_size,
                line_height: b.line_height,
                first_indent: mm(b.first_indent),
                left: area.left,
                width: area.width,
                align: Align::Justify,
                bold: false,
                italic: false,
            };
            Laid::Lines(par::layout(
                shaper,
                text,
                marker.as_deref(),
                &st,
                &mut overlong,
            ))
        }
        Block::Table {
            align, head, rows, ..
        } => {
            let ts = table::TableStyle::of(p, b.paragraph_space + 4.0, area.height, cx.widths);
            Laid::Table(table::layout(
                shaper,
                align,
                head,
                rows,
                area.left,
                area.width,
                &ts,
                &mut overlong,
            ))
        }
        Block::PageBreak
        | Block::Section { .. }
        | Block::Appendix { .. }
        | Block::Widths { .. }
        | Block::Decimals { .. }
        | Block::Caption { .. } => return None,
    };
    Some(BlockOut {
        laid,
        notes: overlong,
    })
}

/// The body, laid out block by block in one pass: the units in order, and the
/// state that carries from one block to the next.
struct Body<'a, 'w> {
    input: &'a Input<'a>,
    areas: [front::Area; 2],
    units: &'a mut Vec<Unit>,
    warnings: &'w mut Sink,
    /// Inside an appendix section, and whether its pages are landscape.
    in_section: bool,
    landscape: bool,
    /// The next unit starts a page (`\pagebreak` or a section), and the
    /// orientation a section gives it.
    new_page: bool,
    section: Option<bool>,
    /// Where the first section (appendix) starts.
    first_section: Option<usize>,
    /// The previous block was a heading: keep the next one with it.
    keep_with_previous: bool,
    /// `\do_rong` widths waiting for the table right after them, with their line.
    pending_widths: Option<(Vec<f32>, usize)>,
    /// An appendix (`\phu_luc`) whose head waits for its title: its number and
    /// the command's place.
    pending_appendix: Option<(String, usize)>,
    /// `\chu_so` decimals waiting for the next table, with their line.
    pending_decimals: Option<(Vec<Option<u32>>, usize)>,
    /// `\ten_bang` and `\don_vi_tinh` lines waiting for the next table.
    pending_captions: Vec<(CaptionKind, String, usize)>,
    /// The previous block was a paragraph ending in ":" that leads into
    /// what follows: a table keeps it on its page.
    lead_in: bool,
}

/// The body's units; returns where the first section (appendix) starts.
fn body_units(
    shaper: &mut shape::Shaper,
    input: &Input,
    areas: [front::Area; 2],
    units: &mut Vec<Unit>,
    warnings: &mut Sink,
) -> Result<Option<usize>, Diagnostic> {
    let mut body = Body {
        input,
        areas,
        units,
        warnings,
        in_section: false,
        landscape: false,
        new_page: false,
        section: None,
        first_section: None,
        keep_with_previous: false,
        pending_widths: None,
        pending_appendix: None,
        pending_decimals: None,
        pending_captions: Vec::new(),
        lead_in: false,
    };
    for block in &input.doc.blocks {
        body.block(shaper, block)?;
    }
    // An appendix with nothing after it still has its head.
    let [portrait, wide] = areas;
    let area = if body.landscape { wide } else { portrait };
    body.appendix_head(shaper, &Block::PageBreak, area);
    Ok(body.first_section)
}

impl Body<'_, '_> {
    /// Lay out `block` and put its units in order.
    fn block(&mut self, shaper: &mut shape::Shaper, block: &Block) -> Result<(), Diagnostic> {
        let [portrait, landscape] = self.areas;
        let area = if self.landscape { landscape } else { portrait };
        let in_section = self.in_section;
        match block {
            Block::PageBreak => {
                self.new_page = true;
                return Ok(());
            }
            Block::Widths { widths, at } => {
                self.pending_widths = Some((widths.clone(), *at));
                return Ok(());
            }
            Block::Decimals { decimals, at } => {
                self.pending_decimals = Some((decimals.clone(), *at));
                return Ok(());
            }
            Block::Caption { kind, text, at } => {
                self.pending_captions.push((*kind, text.clone(), *at));
                return Ok(());
            }
            Block::Section { landscape } => {
                self.first_section.get_or_insert(self.units.len());
                self.section = Some(*landscape);
                self.in_section = true;
                self.landscape = *landscape;
                self.new_page = true;
                return Ok(());
            }
            Block::Appendix { number, at } => {
                // An appendix with nothing in it still has its head.
                self.appendix_head(shaper, block, area);
                // Portrait unless `\ngang` comes right before or after it.
                if !(self.new_page && self.section.is_some()) {
                    self.section = Some(false);
                    self.landscape = false;
                }
                self.first_section.get_or_insert(self.units.len());
                self.in_section = true;
                self.new_page = true;
                self.pending_appendix = Some((number.clone(), *at));
                return Ok(());
            }
            Block::Heading { .. } | Block::Paragraph { .. } | Block::Table { .. } => {}
        }
        if self.pending_appendix.is_some() && self.appendix_head(shaper, block, area) {
            // The heading was the appendix's title.
            return Ok(());
        }
        let start = self.units.len();
        let widths_at = self.pending_widths.as_ref().map(|(_, at)| *at);
        let widths = self.table_widths(block);
        let rounded = self.table_decimals(block);
        let block = rounded.as_ref().unwrap_or(block);
        let captions = self.table_captions(block);
        let cx = Context {
            area,
            in_section,
            widths,
        };
        let out = lay_block(shaper, block, cx, self.input.profile)
            .ok_or_else(|| internal("một khối của thân báo cáo không dàn trang được"))?;
        match (block, out.laid) {
            (Block::Heading { level, .. }, Laid::Lines(lines)) => self.heading(*level, lines),
            (Block::Paragraph { .. }, Laid::Lines(lines)) => self.paragraph(lines),
            (Block::Table { at, .. }, Laid::Table(t)) => self.table(t, *at, widths_at)?,
            _ => return Err(internal("khối và kết quả dàn trang không khớp nhau")),
        }
        self.tag_block(block, start);
        self.check_kept(block, start)?;
        if !captions.is_empty() {
            self.put_captions(shaper, &captions, area, start);
        }
        self.after_block(block, start, out.notes, shaper.fonts());
        Ok(())
    }

    /// The head of the appendix waiting for its title, before `block`: the
    /// block is its title if it is a heading (returns true: laid out here).
    fn appendix_head(
        &mut self,
        shaper: &mut shape::Shaper,
        block: &Block,
        area: front::Area,
    ) -> bool {
        let Some((number, at)) = self.pending_appendix.take() else {
            return false;
        };
        let input = self.input;
        let p = input.profile;
        let title = match block {
            Block::Heading { text, at, .. } => Some((text.as_slice(), *at)),
            _ => None,
        };
        let values = front::Values::new(input.meta, input.signer, input.settings);
        let mut overlong = Vec::new();
        let head = appendix::head(
            shaper,
            &mut overlong,
            (p, &values),
            &number,
            title.map(|(t, _)| t),
            area,
        );
        let markup = input.markup;
        if head.no_issuer_name {
            self.warnings.warn(
                Diagnostic::warning(
                    "dòng \"(Kèm theo …)\" của phụ lục không có tên cơ quan ban hành nên in thiếu \"của …\"",
                )
                .with_span(Span::at(markup, at))
                .with_hint("thêm vào [van_ban] của tệp số liệu tên cơ quan viết như trong câu, ví dụ ten_co_quan = \"Ủy ban nhân dân phường Tân Định\""),
            );
        }
        if let Some((runs, title_at)) = title.filter(|_| p.appendix.title_caps) {
            if let Some(word) = appendix::lower_case_word(runs) {
                let place = markup
                    .text()
                    .get(title_at..)
                    .and_then(|t| t.find(&word))
                    .map_or(title_at, |k| title_at + k);
                self.warnings.warn(
                    Diagnostic::warning(format!(
                        "tên phụ lục phải viết chữ in hoa (thể thức {}), nhưng có chữ thường: \"{word}\"",
                        p.name
                    ))
                    .with_span(Span::at(markup, place))
                    .with_hint("viết chữ đó bằng chữ in hoa trong mẫu (ví dụ \"NĂM 2025\" thay cho \"năm 2025\"); đơn vị tính để chữ thường thì đặt trong ngoặc đơn: \"(triệu đồng)\""),
                );
            }
        }
        for word in overlong {
            self.warnings
                .warn(overlong_warning(&word).with_span(Span::at(markup, at)));
        }
        // A character of the title or of `[van_ban]` no face has.
        let missing = missing_in(shaper.fonts(), &head.units);
        if let Some(d) = shape::missing_warning(&missing) {
            let place = title.map_or(at, |(_, title_at)| title_at);
            self.warnings.warn(d.with_span(Span::at(markup, place)));
        }
        let start = self.units.len();
        self.units.extend(head.units);
        self.tag_appendix_head(start, block);
        if let Some(u) = self.units.get_mut(start) {
            u.new_page = true;
            u.break_before = true;
            u.landscape = self.section.take();
            u.restart_numbering = true;
        }
        self.new_page = false;
        self.keep_with_previous = true;
        title.is_some()
    }

    /// Structure ids for the appendix head laid out from unit `start`:
    /// `appendix::head` tags its parts with ids 0, 1, 2 (label, title, "Kèm
    /// theo" line); each becomes the index of the part's first unit, and the
    /// title takes the level of its heading (`block`).
    fn tag_appendix_head(&mut self, start: usize, block: &Block) {
        let level = match block {
            Block::Heading { level, .. } => *level,
            _ => 1,
        };
        let mut first: [Option<u32>; 3] = [None; 3];
        for (i, u) in self.units.iter_mut().enumerate().skip(start) {
            for it in &mut u.items {
                let Item::Text(t) = it else { continue };
                let Some(slot) = first.get_mut(t.tag.id as usize) else {
                    continue;
                };
                t.tag.id = *slot.get_or_insert(u32::try_from(i).unwrap_or(u32::MAX));
                if let Role::Heading(_) = t.tag.role {
                    t.tag.role = Role::Heading(level);
                }
            }
        }
    }

    /// The table `block` with its numbers rounded as `\chu_so` asks, when it
    /// asks for as many columns as the table has (a warning otherwise, or
    /// when no table follows).
    fn table_decimals(&mut self, block: &Block) -> Option<Block> {
        let (decimals, decimals_at) = self.pending_decimals.take()?;
        let at = Span::at(self.input.markup, decimals_at);
        let Block::Table {
            align,
            head,
            rows,
            at: table_at,
        } = block
        else {
            self.warnings.warn(
                Diagnostic::warning("\\chu_so không đứng ngay trước một bảng nên bị bỏ qua")
                    .with_span(at),
            );
            return None;
        };
        let ncol = table::columns(head, rows);
        if decimals.len() != ncol {
            self.warnings.warn(
                Diagnostic::warning(format!(
                    "\\chu_so cho {} cột nhưng bảng có {ncol} cột: bảng giữ số như đã viết",
                    decimals.len()
                ))
                .with_span(at)
                .with_hint("ghi một giá trị cho mỗi cột, dấu - cho cột giữ nguyên"),
            );
            return None;
        }
        Some(Block::Table {
            align: align.clone(),
            head: head.clone(),
            rows: table::with_decimals(rows, &decimals),
            at: *table_at,
        })
    }

    /// The `\ten_bang` and `\don_vi_tinh` lines for the table `block` (a
    /// warning for each when `block` is not a table, which ignores them).
    fn table_captions(&mut self, block: &Block) -> Vec<(CaptionKind, String, usize)> {
        let mut pending = std::mem::take(&mut self.pending_captions);
        if matches!(block, Block::Table { .. }) {
            // The name first, then the unit line, whichever was written first.
            pending.sort_by_key(|(kind, _, _)| *kind == CaptionKind::Unit);
            return pending;
        }
        for (kind, _, at) in pending {
            let name = match kind {
                CaptionKind::Title => "\\ten_bang",
                CaptionKind::Unit => "\\don_vi_tinh",
            };
            self.warnings.warn(
                Diagnostic::warning(format!(
                    "{name} không đứng ngay trước một bảng nên bị bỏ qua"
                ))
                .with_span(Span::at(self.input.markup, at))
                .with_hint("viết dòng này ngay trên dòng đầu của bảng"),
            );
        }
        Vec::new()
    }

    /// A table's caption (bold, centred) and unit line ("Đơn vị tính: …",
    /// italic, right-aligned), kept with the table below them.
    fn caption_units(
        &mut self,
        shaper: &mut shape::Shaper,
        captions: &[(CaptionKind, String, usize)],
        area: front::Area,
    ) -> Vec<Unit> {
        let p = self.input.profile;
        let mut units = Vec::new();
        for (kind, text, at) in captions {
            let (size, align, bold, italic, text) = match kind {
                CaptionKind::Title => (
                    p.table.caption_size,
                    Align::Center,
                    true,
                    false,
                    text.clone(),
                ),
                CaptionKind::Unit => (
                    p.table.font_size,
                    Align::Right,
                    false,
                    true,
                    format!("{} {text}", p.table.unit_label.trim_end()),
                ),
            };
            let st = ParStyle {
                size,
                line_height: size * p.table.line_height,
                first_indent: 0.0,
                left: area.left,
                width: area.width,
                align,
                bold,
                italic,
            };
            let run = crate::markup::Run {
                text,
                bold: false,
                italic: false,
            };
            let mut overlong = Vec::new();
            for line in par::layout(shaper, &[run], None, &st, &mut overlong) {
                let mut u = Unit::new(line.height, 0.0, line.items);
                u.break_before = units.is_empty();
                units.push(u);
            }
            for word in overlong {
                self.warnings
                    .warn(overlong_warning(&word).with_span(Span::at(self.input.markup, *at)));
            }
        }
        if let Some(first) = units.first_mut() {
            first.space_before = p.body.paragraph_space + 4.0;
        }
        units
    }

    /// The caption and unit lines above the table whose units start at
    /// `start`: the caption takes the table's space above, and the table
    /// stays with it.
    fn put_captions(
        &mut self,
        shaper: &mut shape::Shaper,
        captions: &[(CaptionKind, String, usize)],
        area: front::Area,
        start: usize,
    ) {
        if let Some(u) = self.units.get_mut(start) {
            u.break_before = false;
            u.space_before = CAPTION_GAP;
        }
        let mut lines = self.caption_units(shaper, captions, area);
        // Each caption line a paragraph of its own to a reader.
        for (k, u) in lines.iter_mut().enumerate() {
            let id = u32::try_from(start + k).unwrap_or(u32::MAX);
            Tag {
                role: Role::Paragraph,
                id,
            }
            .set(&mut u.items);
        }
        self.units.splice(start..start, lines);
    }

    /// Structure tags for the units `block` added from `start`: one element
    /// per block, its id the index of its first unit (tables keep the cell
    /// roles table layout set).
    fn tag_block(&mut self, block: &Block, start: usize) {
        let id = u32::try_from(start).unwrap_or(u32::MAX);
        let role = match block {
            Block::Heading { level, .. } => Some(Role::Heading(*level)),
            Block::Paragraph {
                marker: Some(m), ..
            } => Some(Role::ListItem {
                label: u8::try_from(m.trim_end().chars().count()).unwrap_or(u8::MAX),
            }),
            Block::Paragraph { .. } => Some(Role::Paragraph),
            _ => None,
        };
        for u in self.units.get_mut(start..).unwrap_or_default() {
            for it in &mut u.items {
                if let Item::Text(t) = it {
                    t.tag = Tag {
                        role: role.unwrap_or(t.tag.role),
                        id,
                    };
                }
            }
        }
    }

    /// The `\do_rong` widths for `block`: kept for a table of as many columns
    /// (a warning otherwise); a warning for any other block, which ignores them.
    fn table_widths(&mut self, block: &Block) -> Option<Vec<f32>> {
        let (widths, widths_at) = self.pending_widths.take()?;
        let at = Span::at(self.input.markup, widths_at);
        let Block::Table { head, rows, .. } = block else {
            self.warnings.warn(
                Diagnostic::warning("\\do_rong không đứng ngay trước một bảng nên bị bỏ qua")
                    .with_span(at),
            );
            return None;
        };
        let ncol = table::columns(head, rows);
        if widths.len() == ncol {
            return Some(widths);
        }
        self.warnings.warn(
            Diagnostic::warning(format!(
                "\\do_rong cho {} cột nhưng bảng có {ncol} cột: dùng độ rộng tự động",
                widths.len()
            ))
            .with_span(at),
        );
        None
    }

    /// A heading's lines; a part (level 0) has its own space above and below.
    fn heading(&mut self, level: u8, lines: Vec<par::LineBox>) {
        let h = &self.input.profile.headings;
        let (space, after) = if level == 0 {
            (h.part.space_before, h.part.space_after)
        } else {
            (h.space_before, 0.0)
        };
        for (k, line) in lines.into_iter().enumerate() {
            let mut u = Unit::new(line.height, if k == 0 { space } else { 0.0 }, line.items);
            u.break_before = k == 0;
            self.units.push(u);
        }
        if let Some(u) = self.units.last_mut() {
            u.height += after;
        }
    }

    fn paragraph(&mut self, lines: Vec<par::LineBox>) {
        let space = self.input.profile.body.paragraph_space;
        let n = lines.len();
        for (k, line) in lines.into_iter().enumerate() {
            let mut u = Unit::new(line.height, if k == 0 { space } else { 0.0 }, line.items);
            // No single line left alone at the bottom or top of a page.
            u.break_before = k == 0 || (k >= 2 && n - k >= 2);
            self.units.push(u);
        }
    }

    /// A table's units, after its errors and warnings (the table at
    /// `table_at` in the markup, its `\\do_rong` line at `widths_at`).
    fn table(
        &mut self,
        t: Result<table::Table, table::TooWide>,
        table_at: usize,
        widths_at: Option<usize>,
    ) -> Result<(), Diagnostic> {
        let p = self.input.profile;
        let at = || Span::at(self.input.markup, table_at);
        let t = t.map_err(|e| {
            Diagnostic::error(format!(
                "bảng quá rộng: cần {:.0} pt ở cỡ chữ nhỏ nhất {} pt, vùng chữ chỉ rộng {:.0} pt",
                e.needed, p.table.min_font_size, e.available
            ))
            .with_span(at())
            .with_hint("bớt cột, rút ngắn từ dài trong ô, hoặc đặt bảng trong phần trang ngang (dòng \\ngang)")
        })?;
        if t.size < p.table.font_size {
            self.warnings.warn(
                Diagnostic::warning(format!(
                    "bảng rộng nên cỡ chữ trong bảng được thu nhỏ còn {} pt",
                    t.size
                ))
                .with_span(at()),
            );
        }
        for (col, word) in &t.widened {
            self.warnings.warn(
                Diagnostic::warning(format!(
                    "\\do_rong: cột {} hẹp hơn \"{word}\" nên được nới rộng cho vừa (số và từ trong ô không bị cắt đôi)",
                    col + 1
                ))
                .with_span(Span::at(self.input.markup, widths_at.unwrap_or(table_at)))
                .with_hint("tăng độ rộng của cột này trong dòng \\do_rong, hoặc bỏ dòng \\do_rong để bảng tự tính"),
            );
        }
        self.units.extend(t.units);
        if let Some(u) = self.units.last_mut() {
            // Space after a table before the next block.
            u.height += 4.0;
        }
        Ok(())
    }

    /// Every character `block` holds (but spaces) is in the glyphs of the units
    /// it added from `start`: a broken assumption in layout is an error, never
    /// silently missing text.
    fn check_kept(&self, block: &Block, start: usize) -> Result<(), Diagnostic> {
        let count = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count();
        let runs = |r: &[crate::markup::Run]| r.iter().map(|r| count(&r.text)).sum::<usize>();
        let wanted = match block {
            Block::Heading { text, .. } => runs(text),
            Block::Paragraph { text, marker, .. } => {
                runs(text) + marker.as_deref().map_or(0, count)
            }
            Block::Table { head, rows, .. } => table::printed_cells(head, rows)
                .into_iter()
                .map(|c| runs(c))
                .sum(),
            _ => return Ok(()),
        };
        let laid: usize = self
            .units
            .get(start..)
            .unwrap_or_default()
            .iter()
            .flat_map(|u| &u.items)
            .map(|item| match item {
                Item::Text(t) => t.glyphs.iter().map(|g| count(&g.text)).sum(),
                Item::Rule { .. } => 0,
            })
            .sum();
        if laid == wanted {
            return Ok(());
        }
        let at = match block {
            Block::Heading { at, .. } | Block::Paragraph { at, .. } | Block::Table { at, .. } => {
                *at
            }
            _ => 0,
        };
        Err(internal(&format!(
            "khối này có {wanted} ký tự nhưng chỉ {laid} ký tự được dàn trang"
        ))
        .with_span(Span::at(self.input.markup, at)))
    }

    /// Warnings for words broken inside and for characters no font has, and
    /// the page-break flags of the units `block` added from `start`.
    fn after_block(
        &mut self,
        block: &Block,
        start: usize,
        notes: Vec<String>,
        fonts: &crate::fonts::Fonts,
    ) {
        let block_at = match block {
            Block::Heading { at, .. } | Block::Paragraph { at, .. } | Block::Table { at, .. } => {
                *at
            }
            _ => 0,
        };
        for word in notes {
            self.warnings
                .warn(overlong_warning(&word).with_span(Span::at(self.input.markup, block_at)));
        }
        let laid = self.units.get(start..).unwrap_or_default();
        let missing = missing_in(fonts, laid);
        if let Some(d) = shape::missing_warning(&missing) {
            // At the first of them in the markup, from the block's start.
            let markup = self.input.markup;
            let at = missing
                .first()
                .and_then(|c| Some(block_at + markup.text().get(block_at..)?.find(*c)?))
                .unwrap_or(block_at);
            self.warnings.warn(d.with_span(Span::at(markup, at)));
        }
        let lead_in = self.lead_in && matches!(block, Block::Table { .. });
        if let Some(u) = self.units.get_mut(start) {
            if self.keep_with_previous || lead_in {
                u.break_before = false;
            }
            if self.new_page {
                u.new_page = true;
                u.break_before = true;
                u.landscape = self.section.take();
            }
        }
        if self.units.len() > start {
            self.new_page = false;
        }
        self.keep_with_previous = matches!(block, Block::Heading { .. });
        self.lead_in = match block {
            Block::Paragraph { text, .. } => crate::markup::plain(text).trim_end().ends_with(':'),
            _ => false,
        };
    }
}

/// A word longer than its line, broken inside.
fn overlong_warning(word: &str) -> Diagnostic {
    let short: String = word.chars().take(40).collect();
    Diagnostic::warning(format!(
        "từ \"{short}{}\" dài hơn một dòng nên bị ngắt giữa chừng",
        if short.len() < word.len() { "…" } else { "" }
    ))
    .with_hint("thêm dấu cách vào chuỗi dài (đường dẫn, mã số) nếu được")
}

/// The characters no bundled face has in the text of `units`, each once.
fn missing_in<'a>(
    fonts: &crate::fonts::Fonts,
    units: impl IntoIterator<Item = &'a Unit>,
) -> Vec<char> {
    let mut chars = Vec::new();
    for item in units.into_iter().flat_map(|u| &u.items) {
        if let Item::Text(t) = item {
            shape::missing_chars(fonts, t.style, &t.glyphs, &mut chars);
        }
    }
    chars
}

/// A broken internal assumption: an error, never silently missing content.
fn internal(what: &str) -> Diagnostic {
    Diagnostic::error(format!("lỗi nội bộ: {what}"))
        .with_hint("đây là lỗi của baocao, không phải của số liệu: xin báo cho người phát triển, kèm tệp số liệu và mẫu")
}
