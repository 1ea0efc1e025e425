//! Layout: a [`Document`](crate::markup::Document) and the document's metadata →
//! positioned pages.
//!
//! Takes the parsed body, `[van_ban]`/`[ky]` and a profile; returns a
//! [`PagedDocument`] whose pages hold only positioned glyph runs and rules (points,
//! y measured from the top edge). The PDF writer never sees anything else.
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

use crate::diag::{Diagnostic, Sink, Source, SourceResult, Span};
use crate::input::{DocMeta, Signer};
use crate::markup::{Block, Document};
use crate::profile::Profile;
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

/// The frame and text area of a page in the profile's margins.
fn frame_and_area(p: &Profile, landscape: bool) -> (Frame, front::Area) {
    let t = &p.page;
    let (w, h) = if landscape {
        (t.height, t.width)
    } else {
        (t.width, t.height)
    };
    let frame = Frame {
        width: mm(w),
        height: mm(h),
        top: mm(t.margin_top),
        bottom: mm(h - t.margin_bottom),
    };
    let area = front::Area {
        left: mm(t.margin_left),
        width: mm(w - t.margin_left - t.margin_right),
        height: mm(h - t.margin_top - t.margin_bottom),
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
    let mut pages = pages::paginate(units, portrait, landscape);
    check_on_page(&pages, [portrait, landscape])?;
    for (i, page) in pages.iter_mut().enumerate() {
        let n = i + 1;
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
            let ts = table::TableStyle {
                size: p.table.font_size,
                min_size: p.table.min_font_size,
                leading: p.table.line_height,
                pad: p.table.cell_padding,
                rule: p.table.rule_width,
                space_before: b.paragraph_space + 4.0,
                max_height: area.height,
                widths: cx.widths,
            };
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
        Block::PageBreak | Block::Section { .. } | Block::Widths { .. } => return None,
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
    };
    for block in &input.doc.blocks {
        body.block(shaper, block)?;
    }
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
            Block::Section { landscape } => {
                self.first_section.get_or_insert(self.units.len());
                self.section = Some(*landscape);
                self.in_section = true;
                self.landscape = *landscape;
                self.new_page = true;
                return Ok(());
            }
            Block::Heading { .. } | Block::Paragraph { .. } | Block::Table { .. } => {}
        }
        let start = self.units.len();
        let widths = self.table_widths(block);
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
            (Block::Table { at, .. }, Laid::Table(t)) => self.table(t, *at)?,
            _ => return Err(internal("khối và kết quả dàn trang không khớp nhau")),
        }
        self.check_kept(block, start)?;
        self.after_block(block, start, out.notes, shaper.fonts());
        Ok(())
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

    fn table(
        &mut self,
        t: Result<table::Table, table::TooWide>,
        table_at: usize,
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
        if let Some(u) = self.units.get_mut(start) {
            if self.keep_with_previous {
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
