//! PDF: positioned pages → PDF bytes, through krilla.
//!
//! A thin mapping of a [`PagedDocument`] onto krilla: each glyph run is drawn
//! with `draw_glyphs` (glyph ids, the text each cluster stands for, so that
//! krilla's ToUnicode maps and `/ActualText` spans give back exactly the text;
//! advances as laid out, justification included); rules are stroked paths.
//! krilla subsets and embeds the bundled faces (hinting stripped at build
//! time, see `build.rs` and `fonts/unhint.rs`), writes the XMP metadata, the sRGB output
//! intent, the structure tree from each run's [`Tag`] and the outline (one
//! bookmark per heading), and validates the file against the chosen
//! [`Level`]. Its object ids are hashes of content: same input, same bytes.
//! A validation failure is an error saying what failed and where.
use crate::diag::Diagnostic;
use crate::fonts::{Fonts, Style};
use crate::layout::shape::Glyph;
use crate::layout::{Item, PagedDocument, Properties, Role, Tag, TextRun};
use krilla::configure::{Accessibility, Archival, ConfigurationBuilder, ValidationError};
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, ListNumbering, Node, SpanTag, TableHeaderScope, TagGroup,
    TagKind, TagTree,
};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use std::num::{NonZeroU16, NonZeroU32, NonZeroU64};
use std::sync::OnceLock;

mod tree;

/// The standard a file is made to and validated against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Level {
    /// PDF/A-2 level A and PDF/UA-1: tagged, for archives and screen readers.
    #[default]
    A,
    /// PDF/A-2 level U: every glyph maps to Unicode; untagged, smaller.
    U,
    /// PDF/A-2 level B: looks the same in every viewer; untagged, smaller.
    B,
    /// Plain PDF 1.7, untagged, no PDF/A claims.
    Plain,
}

impl Level {
    /// Whether the file carries structure tags.
    fn tagged(self) -> bool {
        self == Level::A
    }

    /// Its name in messages.
    fn name(self) -> &'static str {
        match self {
            Level::A => "PDF/A-2a và PDF/UA-1",
            Level::U => "PDF/A-2u",
            Level::B => "PDF/A-2b",
            Level::Plain => "PDF",
        }
    }
}

/// Embedded face `i`: the family's four styles (by `Style as usize`), then
/// the fallback face (4). Each is made on first use, once per process (the
/// faces are bundled, their hinting stripped at build time); one that does
/// not load is an error, never text silently left out.
fn face(fonts: &Fonts, i: usize) -> Result<&'static Font, Diagnostic> {
    static FONTS: [OnceLock<Option<Font>>; 5] = [const { OnceLock::new() }; 5];
    let face = match i {
        0 => fonts.face(Style::Regular),
        1 => fonts.face(Style::Bold),
        2 => fonts.face(Style::Italic),
        3 => fonts.face(Style::BoldItalic),
        _ => fonts.fallback(),
    };
    FONTS
        .get(i)
        .and_then(|f| f.get_or_init(|| Font::new(face.data.into(), 0)).as_ref())
        .ok_or_else(|| internal("không đọc được phông chữ"))
}

/// krilla's settings for `level`: its validators, and tags for level A.
fn settings(level: Level) -> Result<krilla::SerializeSettings, Diagnostic> {
    let config = match level {
        Level::A => ConfigurationBuilder::new()
            .with_archival_validator(Archival::A2_A)
            .with_accessibility_validator(Accessibility::UA1),
        Level::U => ConfigurationBuilder::new().with_archival_validator(Archival::A2_U),
        Level::B => ConfigurationBuilder::new().with_archival_validator(Archival::A2_B),
        Level::Plain => ConfigurationBuilder::new(),
    };
    Ok(krilla::SerializeSettings {
        enable_tagging: level.tagged(),
        configuration: config
            .finish()
            .map_err(|_| internal("cấu hình chuẩn PDF không hợp lệ"))?,
        ..Default::default()
    })
}

/// Write `doc` as PDF bytes made to `level`.
pub fn write(
    doc: &PagedDocument,
    fonts: &Fonts,
    meta: &Properties,
    level: Level,
) -> Result<Vec<u8>, Diagnostic> {
    let settings = settings(level)?;
    let mut document = krilla::Document::new_with(settings);
    let mut tree = tree::Builder::default();
    for (pi, page) in doc.pages.iter().enumerate() {
        let ps = krilla::page::PageSettings::from_wh(page.width, page.height)
            .ok_or_else(|| internal("khổ trang không hợp lệ"))?;
        let mut p = document.start_page_with(ps);
        let mut surface = p.surface();
        set_text_fill(&mut surface);
        if pi == 0 && !level.tagged() {
            claim_notdef(&mut surface, fonts, doc);
        }
        let mut open: Option<Open> = None;
        for (ii, item) in page.items.iter().enumerate() {
            surface.set_location(location(pi, ii));
            match item {
                Item::Text(t) if t.glyphs.is_empty() => {
                    // An empty table cell: an empty element, nothing drawn.
                    if level.tagged() {
                        let want = Open::of(t.tag, false);
                        switch(&mut surface, &mut open, want, &mut tree);
                    }
                }
                Item::Text(t) => {
                    for piece in pieces(t) {
                        if level.tagged() {
                            let want = Open::of(t.tag, piece.label);
                            switch(&mut surface, &mut open, want, &mut tree);
                        }
                        tree.text(piece.glyphs, t, pi);
                        draw(&mut surface, fonts, t, &piece)?;
                    }
                }
                Item::Rule {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                } => {
                    if level.tagged() {
                        switch(&mut surface, &mut open, Open::Artifact, &mut tree);
                    }
                    stroke(&mut surface, (*x1, *y1), (*x2, *y2), *width);
                }
            }
        }
        switch(&mut surface, &mut open, Open::None, &mut tree);
        surface.finish();
        p.finish();
    }
    let (roots, headings) = tree.finish();
    if level.tagged() {
        document.set_tag_tree(tag_tree(roots));
    }
    document.set_outline(outline(&headings, meta));
    document.set_metadata(metadata(meta));
    let bytes = document.finish().map_err(|e| failure(&e, doc, level))?;
    // A viewer opens with the bookmarks shown when there are three or more.
    compact(&bytes, headings.len() >= 3)
        .ok_or_else(|| internal("không nén được các đối tượng của tệp PDF"))
}

/// krilla's file with its dictionaries (the structure tree above all) packed
/// into compressed object streams and a cross-reference stream: about a third
/// smaller. Streams, the trailer's /ID and the object numbers stay as they are.
/// With `outline_shown`, the viewer opens with the bookmarks shown (krilla
/// has no page mode).
fn compact(pdf: &[u8], outline_shown: bool) -> Option<Vec<u8>> {
    let mut doc = lopdf::Document::load_mem(pdf).ok()?;
    let catalog = doc.catalog_mut().ok()?;
    if outline_shown {
        catalog.set("PageMode", lopdf::Object::Name(b"UseOutlines".to_vec()));
    }
    // `/Suspects false` is the default (PDF 1.7, 14.7.1; PDF/UA allows it
    // absent), and poppler up to at least 22.12 reports it as "Syntax Error:
    // Suspects object is wrong type" on every read: leave it out.
    if let Ok(lopdf::Object::Dictionary(mark)) = catalog.get_mut(b"MarkInfo") {
        if matches!(mark.get(b"Suspects"), Ok(lopdf::Object::Boolean(false))) {
            mark.remove(b"Suspects");
        }
    }
    let options = lopdf::SaveOptions::builder()
        .use_object_streams(true)
        .use_xref_streams(true)
        .max_objects_per_stream(1000)
        .compression_level(6)
        .build();
    let mut out = Vec::with_capacity(pdf.len());
    doc.save_with_options(&mut out, options).ok()?;
    Some(out)
}

/// The marked content open on a page: a structure element's content, or an
/// artifact.
#[derive(Clone, Copy, PartialEq)]
enum Open {
    None,
    Artifact,
    /// Content of the element `tag`; `label`: a list item's marker.
    Content(Tag, bool),
}

impl Open {
    fn of(tag: Tag, label: bool) -> Open {
        if tag.role == Role::Artifact {
            Open::Artifact
        } else {
            Open::Content(tag, label)
        }
    }
}

/// Close the open marked content unless it is `want`, and open `want`.
fn switch(
    surface: &mut krilla::surface::Surface,
    open: &mut Option<Open>,
    want: Open,
    tree: &mut tree::Builder,
) {
    if *open == Some(want) {
        return;
    }
    if open.take().is_some() {
        surface.end_tagged();
    }
    match want {
        Open::None => return,
        Open::Artifact => {
            let artifact = Artifact::with_kind(ArtifactType::Layout);
            surface.start_tagged(ContentTag::Artifact(artifact));
        }
        Open::Content(tag, label) => {
            let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
            tree.leaf(tag, label, id);
        }
    }
    *open = Some(want);
}

/// A piece of a run drawn in one font: its glyphs, its x, whether it is a
/// list item's marker.
struct Piece<'a> {
    glyphs: &'a [Glyph],
    x: f32,
    fallback: bool,
    label: bool,
}

/// A run cut where the font changes (family or fallback) and after a list
/// item's marker (its first `label` characters).
fn pieces(t: &TextRun) -> Vec<Piece<'_>> {
    let label = match t.tag.role {
        Role::ListItem { label } | Role::Recipient { label } => usize::from(label),
        _ => 0,
    };
    // Glyphs of the marker: until `label` characters are covered.
    let mut chars = 0;
    let cut = t
        .glyphs
        .iter()
        .take_while(|g| {
            let before = chars;
            chars += g.text.chars().count();
            before < label
        })
        .count();
    let mut out = Vec::new();
    let mut x = t.x;
    let (marker, rest) = t.glyphs.split_at(cut.min(t.glyphs.len()));
    for (glyphs, is_label) in [(marker, true), (rest, false)] {
        for part in glyphs.chunk_by(|a, b| a.fallback == b.fallback) {
            let fallback = part.first().is_some_and(|g| g.fallback);
            out.push(Piece {
                glyphs: part,
                x,
                fallback,
                label: is_label,
            });
            x += part.iter().map(|g| g.adv).sum::<f32>() * t.size / 1000.0;
        }
    }
    out
}

/// Draw a piece of a run: krilla glyphs with the text range each cluster
/// stands for (a glyph with no text of its own shares its cluster's range).
fn draw(
    surface: &mut krilla::surface::Surface,
    fonts: &Fonts,
    t: &TextRun,
    p: &Piece,
) -> Result<(), Diagnostic> {
    let font = face(fonts, if p.fallback { 4 } else { t.style as usize })?;
    let mut text = String::new();
    let mut range = 0..0;
    let glyphs: Vec<KrillaGlyph> = p
        .glyphs
        .iter()
        .map(|g| {
            if !g.text.is_empty() {
                let start = text.len();
                text.push_str(&g.text);
                range = start..text.len();
            }
            KrillaGlyph {
                glyph_id: GlyphId::new(u32::from(g.gid)),
                text_range: range.clone(),
                x_advance: g.adv / 1000.0,
                x_offset: 0.0,
                y_offset: 0.0,
                y_advance: 0.0,
                location: None,
            }
        })
        .collect();
    surface.draw_glyphs(
        Point::from_xy(p.x, t.y),
        &glyphs,
        font.clone(),
        &text,
        t.size,
        false,
    );
    Ok(())
}

/// In an untagged file, a missing character's .notdef glyph must read back
/// as that character wherever it is: krilla maps a glyph to the first text it
/// stands for and wraps other occurrences in `/ActualText`, but leaves
/// .notdef out of ToUnicode. An invisible .notdef standing for no text,
/// drawn first, makes every real one an `/ActualText` span.
fn claim_notdef(surface: &mut krilla::surface::Surface, fonts: &Fonts, doc: &PagedDocument) {
    let mut done = [false; 5];
    for page in &doc.pages {
        for item in &page.items {
            let Item::Text(t) = item else { continue };
            for g in t.glyphs.iter().filter(|g| g.is_missing()) {
                let i = if g.fallback { 4 } else { t.style as usize };
                let (Some(d), Ok(font)) = (done.get_mut(i), face(fonts, i)) else {
                    continue;
                };
                if !*d {
                    *d = true;
                    let glyph = KrillaGlyph {
                        glyph_id: GlyphId::new(0),
                        text_range: 0..0,
                        x_advance: 0.0,
                        x_offset: 0.0,
                        y_offset: 0.0,
                        y_advance: 0.0,
                        location: None,
                    };
                    let at = Point::from_xy(0.0, 0.0);
                    surface.draw_glyphs(at, &[glyph], font.clone(), "", 0.0, false);
                }
            }
        }
    }
}

/// Stroke a straight rule.
fn stroke(surface: &mut krilla::surface::Surface, a: (f32, f32), b: (f32, f32), width: f32) {
    let mut pb = PathBuilder::new();
    pb.move_to(a.0, a.1);
    pb.line_to(b.0, b.1);
    let Some(path) = pb.finish() else {
        return;
    };
    surface.set_fill(None);
    surface.set_stroke(Some(krilla::paint::Stroke {
        width,
        paint: black(),
        ..Default::default()
    }));
    surface.draw_path(&path);
    surface.set_stroke(None);
    set_text_fill(surface);
}

/// Black in sRGB, the output intent's space: one ICC profile in the file.
fn black() -> krilla::paint::Paint {
    krilla::color::rgb::Color::black().into()
}

/// Text is filled black.
fn set_text_fill(surface: &mut krilla::surface::Surface) {
    surface.set_fill(Some(krilla::paint::Fill {
        paint: black(),
        ..Default::default()
    }));
}

/// Where an item is, for validation errors: its page and its index there.
fn location(page: usize, item: usize) -> NonZeroU64 {
    let v = ((page as u64) << 32 | item as u64).saturating_add(1);
    NonZeroU64::new(v).unwrap_or(NonZeroU64::MIN)
}

/// The text run at a location, and its page (1-based).
fn at_location(doc: &PagedDocument, loc: NonZeroU64) -> Option<(usize, &TextRun)> {
    let v = loc.get() - 1;
    let (page, item) = ((v >> 32) as usize, (v & 0xffff_ffff) as usize);
    match doc.pages.get(page)?.items.get(item)? {
        Item::Text(t) => Some((page + 1, t)),
        Item::Rule { .. } => None,
    }
}

/// The XMP metadata and document information.
fn metadata(meta: &Properties) -> Metadata {
    let d = meta.date;
    let date = DateTime::new(u16::try_from(d.year).unwrap_or(1))
        .month(u8::try_from(d.month).unwrap_or(1))
        .day(u8::try_from(d.day).unwrap_or(1));
    // A title is required (PDF/UA); a document without a summary has its type.
    let title = if meta.title.trim().is_empty() {
        meta.subject.clone()
    } else {
        meta.title.clone()
    };
    Metadata::new()
        .title(title)
        .authors(vec![meta.author.clone()])
        .description(meta.subject.clone())
        .creation_date(date)
        .language("vi-VN".to_string())
        .creator("baocao".to_string())
}

/// The outline: one bookmark per heading, nested by level; a document without
/// headings has one, its title, at page 1.
fn outline(headings: &[tree::Heading], meta: &Properties) -> Outline {
    let mut outline = Outline::new();
    let dest = |page: usize, y: f32| {
        krilla::destination::XyzDestination::new(page, Point::from_xy(0.0, y.max(0.0)))
    };
    if headings.is_empty() {
        outline.push_child(OutlineNode::new(meta.title.clone(), dest(0, 0.0)));
        return outline;
    }
    // Open nodes, deepest last, with their levels.
    let mut stack: Vec<(u8, OutlineNode)> = Vec::new();
    let close = |stack: &mut Vec<(u8, OutlineNode)>, outline: &mut Outline| {
        if let Some((_, node)) = stack.pop() {
            match stack.last_mut() {
                Some((_, parent)) => parent.push_child(node),
                None => outline.push_child(node),
            }
        }
    };
    for h in headings {
        while stack.last().is_some_and(|(l, _)| *l >= h.level) {
            close(&mut stack, &mut outline);
        }
        let node = OutlineNode::new(h.text.clone(), dest(h.page, h.top)).with_open(true);
        stack.push((h.level, node));
    }
    while !stack.is_empty() {
        close(&mut stack, &mut outline);
    }
    outline
}

/// A krilla error as a Vietnamese diagnostic: what failed and where.
fn failure(e: &krilla::error::KrillaError, doc: &PagedDocument, level: Level) -> Diagnostic {
    use krilla::error::KrillaError as K;
    let K::Validation(errors) = e else {
        return internal(&format!("không ghi được tệp PDF ({e:?})"));
    };
    let mut what: Vec<String> = errors
        .iter()
        .map(|(v, _)| validation_message(v, doc))
        .collect();
    what.dedup();
    Diagnostic::error(format!(
        "tệp PDF không đạt chuẩn {}: {}",
        level.name(),
        what.join("; ")
    ))
    .with_hint("sửa chỗ nêu trên trong số liệu hoặc mẫu (các cảnh báo ở trên chỉ ra dòng), hoặc chọn chuẩn khác bằng --pdfa khong")
}

/// One validation error in words, with the text and page it came from.
fn validation_message(v: &ValidationError, doc: &PagedDocument) -> String {
    let place = |loc: &Option<NonZeroU64>| {
        loc.and_then(|l| at_location(doc, l))
            .map(|(page, t)| {
                let text: String = t.glyphs.iter().map(|g| &*g.text).collect();
                format!(" (trang {page}, dòng \"{}\")", text.trim())
            })
            .unwrap_or_default()
    };
    match v {
        ValidationError::ContainsNotDefGlyph(_, loc, text) => format!(
            "ký tự \"{text}\" không có trong phông chữ nào nên không in được{}",
            place(loc)
        ),
        ValidationError::NoCodepointMapping(_, g, loc) => format!(
            "một ký hiệu (glyph {}) không ứng với chữ Unicode nào{}",
            g.to_u32(),
            place(loc)
        ),
        ValidationError::InvalidCodepointMapping(_, _, c, loc)
        | ValidationError::UnicodePrivateArea(_, _, c, loc) => format!(
            "ký tự U+{:04X} không dùng được trong tệp lưu trữ{}",
            u32::from(*c),
            place(loc)
        ),
        ValidationError::NoDocumentTitle => "văn bản không có trích yếu làm tiêu đề".into(),
        ValidationError::MissingHeadingTitle => "một đề mục không có chữ".into(),
        other => format!("lỗi kiểm tra {other:?}"),
    }
}

/// A broken internal assumption: an error, never a silently wrong file.
fn internal(what: &str) -> Diagnostic {
    Diagnostic::error(format!("lỗi nội bộ khi ghi PDF: {what}"))
        .with_hint("đây là lỗi của baocao, không phải của số liệu: xin báo cho người phát triển, kèm tệp số liệu và mẫu")
}

/// A structure element's kind in krilla's terms.
fn tag_kind(kind: tree::Kind, title: &str) -> TagKind {
    use krilla::tagging::Tag as T;
    match kind {
        tree::Kind::Div => T::Div.into(),
        tree::Kind::P => T::P.into(),
        tree::Kind::Title => T::Title.into(),
        tree::Kind::H(level) => {
            let n = NonZeroU16::new(u16::from(level.clamp(1, 6))).unwrap_or(NonZeroU16::MIN);
            T::Hn(n, Some(title.to_string())).into()
        }
        tree::Kind::L => T::L(ListNumbering::None).into(),
        tree::Kind::LI => T::LI.into(),
        tree::Kind::Lbl => T::Lbl.into(),
        tree::Kind::LBody => T::LBody.into(),
        tree::Kind::Table => T::Table.into(),
        tree::Kind::TR => T::TR.into(),
        tree::Kind::TH(cols, rows) => T::TH(TableHeaderScope::Column)
            .with_col_span(span(cols))
            .with_row_span(span(rows))
            .into(),
        tree::Kind::TD(cols, rows) => T::TD
            .with_col_span(span(cols))
            .with_row_span(span(rows))
            .into(),
    }
}

/// A cell's span, stated when more than one.
fn span(n: u16) -> Option<NonZeroU32> {
    NonZeroU32::new(u32::from(n)).filter(|n| n.get() > 1)
}

/// A built element as krilla's node.
fn node(g: tree::Group) -> Node {
    let kind = tag_kind(g.kind, &g.text);
    let children = g
        .children
        .into_iter()
        .map(|c| match c {
            tree::Child::Group(g) => node(g),
            tree::Child::Leaf(id) => Node::Leaf(id),
        })
        .collect();
    TagGroup::with_children(kind, children).into()
}

/// The document's tag tree from the built elements.
fn tag_tree(roots: Vec<tree::Group>) -> TagTree {
    let mut t = TagTree::new().with_lang(Some("vi-VN".to_string()));
    for g in roots {
        t.push(node(g));
    }
    t
}
