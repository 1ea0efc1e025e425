//! PDF: positioned pages → PDF bytes.
//!
//! Takes a [`PagedDocument`] and the document's metadata; subsets each used font
//! (a style of the family, or the symbol fallback; subsetter, hinting stripped),
//! embeds it as a CID font (Identity-H, widths in `/W`) with a ToUnicode map
//! built from each glyph's source text, so readers extract exactly the text;
//! writes glyph runs with TJ offsets for kerning and justification. A glyph
//! maps to one text, the one it stands for most often; an occurrence standing
//! for another (and a missing character's .notdef, which maps to nothing) is
//! wrapped in an `/ActualText` span, so no reader extracts another character. The file is PDF 1.7 with `/Lang (vi-VN)`, the title shown by
//! viewers, dictionaries in one compressed object stream, a cross-reference
//! stream and a file identifier derived from the content. Same input, same bytes.
//!
//! The objects are written here directly: the structure is small and fixed, and
//! going through a general PDF object model (printpdf, then lopdf) cost more
//! than a millisecond of a ten-millisecond report.
use crate::diag::Diagnostic;
use crate::fonts::{Fonts, Style};
use crate::layout::shape::Glyph;
use crate::layout::{Item, PagedDocument, TextRun};
use crate::vn::Date;

mod unhint;
use std::collections::BTreeMap;

/// Document information.
#[derive(Debug, Clone)]
pub struct Meta {
    /// Title (the summary line).
    pub title: String,
    /// Author (the issuing body).
    pub author: String,
    /// Subject (document type).
    pub subject: String,
    /// Date of the document: used as the creation date.
    pub date: Date,
}

/// A small deterministic hash (FNV-1a, 64 bits).
fn fnv(bytes: &[u8], seed: u64) -> u64 {
    let mut h = 0xcbf29ce484222325u64 ^ seed;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// A 128-bit digest of byte strings, a word at a time: the file identifier.
/// Deterministic on every platform (words are read little-endian); not
/// cryptographic, only different for different content.
struct Digest {
    lanes: [u64; 2],
}

impl Digest {
    const MUL: [u64; 2] = [0x9E37_79B9_7F4A_7C15, 0xC2B2_AE3D_27D4_EB4F];

    fn new() -> Digest {
        Digest {
            lanes: [0xcbf2_9ce4_8422_2325, 0x8422_2325_cbf2_9ce4],
        }
    }

    fn mix(&mut self, word: u64) {
        for (lane, mul) in self.lanes.iter_mut().zip(Self::MUL) {
            *lane = (*lane ^ word).wrapping_mul(mul).rotate_left(29);
        }
    }

    /// Add one string; its length is part of the digest, so ("ab", "c") and
    /// ("a", "bc") differ.
    fn feed(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            self.mix(u64::from_le_bytes(b));
        }
        let mut tail = [0u8; 8];
        for (t, b) in tail.iter_mut().zip(words.remainder()) {
            *t = *b;
        }
        self.mix(u64::from_le_bytes(tail));
        self.mix(bytes.len() as u64);
    }

    /// The 16 bytes of the identifier.
    fn finish(mut self) -> Vec<u8> {
        self.mix(0x5bd1_e995);
        let [a, b] = self.lanes;
        // Fold each lane into the other once more so every input bit reaches
        // every output byte.
        let (a, b) = (
            (a ^ b.rotate_left(17)).wrapping_mul(Self::MUL[1]),
            (b ^ a.rotate_left(41)).wrapping_mul(Self::MUL[0]),
        );
        a.to_be_bytes().into_iter().chain(b.to_be_bytes()).collect()
    }
}

/// An embedded font: a style of the family, or the fallback face (symbols the
/// family lacks, whatever the style around them). Family fonts come first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum FontKey {
    Family(Style),
    Fallback,
}

impl FontKey {
    /// The font a glyph of a run in `style` is drawn from.
    fn of(style: Style, g: &Glyph) -> FontKey {
        if g.fallback {
            FontKey::Fallback
        } else {
            FontKey::Family(style)
        }
    }

    /// Its face.
    fn face(self, fonts: &Fonts) -> &crate::fonts::Face {
        match self {
            FontKey::Family(style) => fonts.face(style),
            FontKey::Fallback => fonts.fallback(),
        }
    }

    /// Its resource name in content streams.
    fn resource(self) -> &'static str {
        match self {
            FontKey::Family(Style::Regular) => "/F1",
            FontKey::Family(Style::Bold) => "/F2",
            FontKey::Family(Style::Italic) => "/F3",
            FontKey::Family(Style::BoldItalic) => "/F4",
            FontKey::Fallback => "/F5",
        }
    }

    /// Its number (the styles' numbers, then 4).
    fn number(self) -> u8 {
        match self {
            FontKey::Family(style) => style as u8,
            FontKey::Fallback => 4,
        }
    }
}

/// Six capital letters derived from the used glyphs: the subset tag.
fn subset_tag(key: FontKey, gids: &[u16]) -> String {
    let mut bytes = vec![key.number()];
    for g in gids {
        bytes.extend_from_slice(&g.to_be_bytes());
    }
    let mut h = fnv(&bytes, 0);
    (0..6)
        .map(|_| {
            let c = (b'A' + (h % 26) as u8) as char;
            h /= 26;
            c
        })
        .collect()
}

/// The glyphs one font shows: their ids in order, and the text each glyph that
/// stands for text maps to in ToUnicode, by glyph id, as a list and as a table
/// (`""` for none).
struct Used<'a> {
    gids: Vec<u16>,
    text: Vec<(u16, &'a str)>,
    mapped: Vec<&'a str>,
}

/// What the pages show of one font while they are read.
struct Inventory<'a> {
    /// By glyph id: whether the pages show it.
    seen: Vec<bool>,
    /// By glyph id: the first text it stands for (`""` none yet), and how often.
    first: Vec<(&'a str, u32)>,
    /// Each occurrence of a glyph that stands for a text other than its first
    /// (one glyph for two characters: a no-break space and a space).
    others: Vec<(u16, &'a str)>,
}

impl<'a> Inventory<'a> {
    /// An empty inventory of a font of `n` glyphs.
    fn new(n: usize) -> Inventory<'a> {
        Inventory {
            seen: vec![false; n],
            first: vec![("", 0); n],
            others: Vec::new(),
        }
    }

    /// Add glyphs drawn from this font. A missing character's .notdef never
    /// gets a text: it would read back as every other missing character.
    fn take(&mut self, glyphs: &'a [Glyph]) {
        for g in glyphs {
            let at = usize::from(g.gid);
            if let Some(seen) = self.seen.get_mut(at) {
                *seen = true;
            }
            if g.text.is_empty() || g.is_missing() {
                continue;
            }
            if let Some((first, count)) = self.first.get_mut(at) {
                if first.is_empty() || *first == &*g.text {
                    *first = &g.text;
                    *count += 1;
                } else {
                    self.others.push((g.gid, &g.text));
                }
            }
        }
    }

    /// The glyphs shown, and the text each maps to: the one it stands for most
    /// often (the other occurrences carry their own text, see [`show_glyphs`]).
    fn into_used(mut self) -> Used<'a> {
        self.others.sort_unstable();
        for same in self.others.chunk_by(|a, b| a == b) {
            if let Some(&(gid, text)) = same.first() {
                let n = u32::try_from(same.len()).unwrap_or(u32::MAX);
                if let Some(slot) = self.first.get_mut(usize::from(gid)) {
                    if n > slot.1 {
                        *slot = (text, n);
                    }
                }
            }
        }
        let gids = (0..=u16::MAX)
            .zip(&self.seen)
            .filter_map(|(g, seen)| seen.then_some(g))
            .collect();
        let mapped: Vec<&str> = self.first.into_iter().map(|(t, _)| t).collect();
        let text = (0..=u16::MAX)
            .zip(&mapped)
            .filter_map(|(g, t)| (!t.is_empty()).then_some((g, *t)))
            .collect();
        Used { gids, text, mapped }
    }
}

/// One embedded font: a style's subset, or the fallback's.
struct EmbeddedFont {
    key: FontKey,
    remap: subsetter::GlyphRemapper,
    /// The subset font file (TrueType, hinting stripped).
    data: Vec<u8>,
    /// The font file as stored in the PDF.
    file: Packed,
    /// `ABCDEF+Tinos-Regular`.
    name: String,
}

/// A stream's bytes as made, and as stored.
type Made = (Vec<u8>, Packed);

/// Every stream of the document, made and deflated.
struct Streams {
    /// The font subset of each used style, in style order.
    fonts: Vec<Made>,
    /// The content stream of each page, in page order.
    contents: Vec<Made>,
    /// The ToUnicode map of each used style, in style order.
    cmaps: Vec<Made>,
}

/// The object numbers of one embedded font.
#[derive(Clone, Copy)]
struct FontIds {
    /// The Type 0 font, the one pages name.
    type0: u32,
    /// Its descendant CID font.
    cid: u32,
    /// The font descriptor.
    descriptor: u32,
    /// The font file stream.
    file: u32,
    /// The ToUnicode stream.
    cmap: u32,
}

impl FontIds {
    /// Five new numbers from `w`, taken in field order.
    fn alloc(w: &mut ObjWriter) -> FontIds {
        FontIds {
            type0: w.alloc(),
            cid: w.alloc(),
            descriptor: w.alloc(),
            file: w.alloc(),
            cmap: w.alloc(),
        }
    }
}

/// Write `doc` as PDF bytes.
pub fn write(doc: &PagedDocument, fonts: &Fonts, meta: &Meta) -> Result<Vec<u8>, Diagnostic> {
    let used = used_glyphs(doc, fonts);
    let remaps = glyph_remaps(&used);
    let streams = make_streams(doc, fonts, &used, &remaps)?;
    let id = file_identifier(meta, &streams);
    let (_, contents): (Vec<_>, Vec<Packed>) = streams.contents.into_iter().unzip();
    let (_, cmaps): (Vec<_>, Vec<Packed>) = streams.cmaps.into_iter().unzip();
    let embedded = embed_fonts(remaps, streams.fonts, &used, fonts);

    // Objects. Numbers: 1 catalog, 2 info, 3 page tree, 4 resources, then
    // per page (page, content), per font (type 0, CID font, descriptor, file,
    // ToUnicode), then the object stream and the cross-reference stream.
    let mut w = ObjWriter::new();
    let page_ids: Vec<(u32, u32)> = doc.pages.iter().map(|_| (w.alloc(), w.alloc())).collect();
    let font_ids: Vec<FontIds> = embedded.iter().map(|_| FontIds::alloc(&mut w)).collect();
    write_catalog_and_info(&mut w, meta);
    write_page_tree(&mut w, &page_ids);
    write_resources(&mut w, &embedded, &font_ids);
    write_pages(&mut w, &doc.pages, &page_ids, contents);
    for ((f, ids), cmap) in embedded.iter().zip(&font_ids).zip(cmaps) {
        write_font(&mut w, f.key.face(fonts), f, *ids, used.get(&f.key), &cmap);
    }
    w.finish(LEVEL, &id)
}

/// Which glyphs each font shows, and the text each stands for (its ToUnicode
/// entry).
fn used_glyphs<'a>(doc: &'a PagedDocument, fonts: &Fonts) -> BTreeMap<FontKey, Used<'a>> {
    let mut seen: BTreeMap<FontKey, Inventory> = BTreeMap::new();
    for page in &doc.pages {
        for item in &page.items {
            if let Item::Text(t) = item {
                for (key, part) in by_font(t) {
                    seen.entry(key)
                        .or_insert_with(|| {
                            Inventory::new(usize::from(key.face(fonts).rb.number_of_glyphs()))
                        })
                        .take(part);
                }
            }
        }
    }
    seen.into_iter()
        .map(|(key, inventory)| (key, inventory.into_used()))
        .collect()
}

/// A run's glyphs cut where the font they are drawn from changes, each part
/// with its font; an empty run is one empty part in its style's font.
fn by_font(t: &TextRun) -> impl Iterator<Item = (FontKey, &[Glyph])> {
    let empty = t.glyphs.is_empty().then_some(t.glyphs.as_slice());
    empty
        .into_iter()
        .chain(t.glyphs.chunk_by(|a, b| a.fallback == b.fallback))
        .map(|part| {
            let key = part
                .first()
                .map_or(FontKey::Family(t.style), |g| FontKey::of(t.style, g));
            (key, part)
        })
}

/// Each used font's glyph numbering in its subset, in glyph id order.
fn glyph_remaps(used: &BTreeMap<FontKey, Used>) -> Vec<(FontKey, subsetter::GlyphRemapper)> {
    used.iter()
        .map(|(key, u)| {
            let mut remap = subsetter::GlyphRemapper::new();
            for g in &u.gids {
                remap.remap(*g);
            }
            (*key, remap)
        })
        .collect()
}

/// Every stream made and deflated: the font subsets, then the page contents,
/// then the ToUnicode maps.
fn make_streams(
    doc: &PagedDocument,
    fonts: &Fonts,
    used: &BTreeMap<FontKey, Used>,
    remaps: &[(FontKey, subsetter::GlyphRemapper)],
) -> Result<Streams, Diagnostic> {
    let made = |raw: Vec<u8>| {
        let packed = pack(&raw, LEVEL);
        (raw, packed)
    };
    let font_streams = remaps
        .iter()
        .map(|(key, remap)| font_subset(key.face(fonts), remap).map(made))
        .collect::<Result<_, Diagnostic>>()?;
    let shown: BTreeMap<FontKey, Shown> = remaps
        .iter()
        .map(|(key, remap)| {
            let mapped = used.get(key).map(|u| u.mapped.as_slice());
            (*key, (remap, mapped.unwrap_or_default()))
        })
        .collect();
    let contents = doc
        .pages
        .iter()
        .map(|page| made(page_content(page, fonts, &shown)))
        .collect();
    let cmaps = remaps
        .iter()
        .map(|(key, remap)| made(to_unicode_cmap(remap, used.get(key))))
        .collect();
    Ok(Streams {
        fonts: font_streams,
        contents,
        cmaps,
    })
}

/// The subset of `face` to the glyphs `remap` numbers, as a font file.
fn font_subset(
    face: &crate::fonts::Face,
    remap: &subsetter::GlyphRemapper,
) -> Result<Vec<u8>, Diagnostic> {
    let data = subsetter::subset(face.data, 0, remap).map_err(|e| {
        Diagnostic::error(format!(
            "không tạo được tập con phông {}: {e:?}",
            face.ps_name
        ))
    })?;
    // Viewers need neither TrueType hinting (about 40–65 % of a subset) nor the
    // name and glyph-name tables.
    Ok(unhint::strip_for_pdf(&data).unwrap_or(data))
}

/// A file identifier from the content, not from chance: the title, the author
/// and every stream as made.
fn file_identifier(meta: &Meta, streams: &Streams) -> Vec<u8> {
    let mut digest = Digest::new();
    digest.feed(meta.title.as_bytes());
    digest.feed(meta.author.as_bytes());
    let all = streams
        .contents
        .iter()
        .chain(&streams.cmaps)
        .chain(&streams.fonts);
    for (raw, _) in all {
        digest.feed(raw);
    }
    digest.finish()
}

/// The embedded fonts: each used font's subset with its numbering, its font
/// file and its tagged name.
fn embed_fonts(
    remaps: Vec<(FontKey, subsetter::GlyphRemapper)>,
    files: Vec<Made>,
    used: &BTreeMap<FontKey, Used>,
    fonts: &Fonts,
) -> Vec<EmbeddedFont> {
    remaps
        .into_iter()
        .zip(files)
        .map(|((key, remap), (data, file))| {
            let gids = used
                .get(&key)
                .map(|u| u.gids.as_slice())
                .unwrap_or_default();
            let name = format!("{}+{}", subset_tag(key, gids), key.face(fonts).ps_name);
            EmbeddedFont {
                key,
                remap,
                data,
                file,
                name,
            }
        })
        .collect()
}

/// Object 1, the catalog, and object 2, the document information.
fn write_catalog_and_info(w: &mut ObjWriter, meta: &Meta) {
    w.object(
        1,
        b"<</Type/Catalog/Pages 3 0 R/Lang(vi-VN)/PageLayout/OneColumn/PageMode/UseNone\
          /ViewerPreferences<</DisplayDocTitle true>>>>",
    );
    let mut d = Vec::with_capacity(256);
    let date = pdf_date(meta.date);
    d.extend_from_slice(b"<</Title");
    text_string(&mut d, &meta.title);
    d.extend_from_slice(b"/Author");
    text_string(&mut d, &meta.author);
    d.extend_from_slice(b"/Subject");
    text_string(&mut d, &meta.subject);
    d.extend_from_slice(b"/Creator(baocao)/Producer");
    text_string(&mut d, &format!("baocao {}", env!("CARGO_PKG_VERSION")));
    d.extend_from_slice(b"/CreationDate");
    d.extend_from_slice(date.as_bytes());
    d.extend_from_slice(b"/ModDate");
    d.extend_from_slice(date.as_bytes());
    d.extend_from_slice(b">>");
    w.object(2, &d);
}

/// Object 3, the page tree: every page, in order.
fn write_page_tree(w: &mut ObjWriter, page_ids: &[(u32, u32)]) {
    let mut d = Vec::with_capacity(256);
    d.extend_from_slice(b"<</Type/Pages/Kids[");
    for (i, (page, _)) in page_ids.iter().enumerate() {
        if i > 0 {
            d.push(b' ');
        }
        reference(&mut d, *page);
    }
    d.extend_from_slice(b"]/Count ");
    digits(&mut d, page_ids.len() as u64);
    d.extend_from_slice(b">>");
    w.object(3, &d);
}

/// Object 4, the resources every page shares: the fonts by resource name.
fn write_resources(w: &mut ObjWriter, embedded: &[EmbeddedFont], font_ids: &[FontIds]) {
    let mut d = Vec::with_capacity(256);
    d.extend_from_slice(b"<</Font<<");
    for (f, ids) in embedded.iter().zip(font_ids) {
        d.extend_from_slice(f.key.resource().as_bytes());
        d.push(b' ');
        reference(&mut d, ids.type0);
    }
    d.extend_from_slice(b">>>>");
    w.object(4, &d);
}

/// Each page's dictionary and content stream.
fn write_pages(
    w: &mut ObjWriter,
    pages: &[crate::layout::Page],
    page_ids: &[(u32, u32)],
    contents: Vec<Packed>,
) {
    let mut d = Vec::with_capacity(256);
    for ((page, (page_id, content_id)), content) in pages.iter().zip(page_ids).zip(contents) {
        d.clear();
        d.extend_from_slice(b"<</Type/Page/Parent 3 0 R/MediaBox[0 0 ");
        num(&mut d, page.width);
        d.push(b' ');
        num(&mut d, page.height);
        d.extend_from_slice(b"]/Resources 4 0 R/Contents ");
        reference(&mut d, *content_id);
        d.extend_from_slice(b">>");
        w.object(*page_id, &d);
        w.stream(*content_id, b"", &content);
    }
}

/// The objects of one embedded font: the Type 0 font, its CID font, the font
/// descriptor, the font file and the ToUnicode map.
fn write_font(
    w: &mut ObjWriter,
    face: &crate::fonts::Face,
    f: &EmbeddedFont,
    ids: FontIds,
    used: Option<&Used>,
    cmap: &Packed,
) {
    let mut d = Vec::with_capacity(256);
    d.extend_from_slice(b"<</Type/Font/Subtype/Type0/BaseFont/");
    d.extend_from_slice(f.name.as_bytes());
    d.extend_from_slice(b"/Encoding/Identity-H/DescendantFonts[");
    reference(&mut d, ids.cid);
    d.extend_from_slice(b"]/ToUnicode ");
    reference(&mut d, ids.cmap);
    d.extend_from_slice(b">>");
    w.object(ids.type0, &d);
    d.clear();
    cid_font(&mut d, face, f, ids.descriptor, used);
    w.object(ids.cid, &d);
    d.clear();
    font_descriptor(&mut d, face, f, ids.file);
    w.object(ids.descriptor, &d);
    let mut extra = b"/Length1 ".to_vec();
    digits(&mut extra, f.data.len() as u64);
    w.stream(ids.file, &extra, &f.file);
    w.stream(ids.cmap, b"", cmap);
}

/// The CID font of an embedded subset: glyph codes are glyph ids, and `/W` gives
/// the width of each glyph, in new-id order, as layout measured it.
fn cid_font(
    out: &mut Vec<u8>,
    face: &crate::fonts::Face,
    f: &EmbeddedFont,
    descriptor: u32,
    used: Option<&Used>,
) {
    out.extend_from_slice(b"<</Type/Font/Subtype/CIDFontType2/BaseFont/");
    out.extend_from_slice(f.name.as_bytes());
    out.extend_from_slice(
        b"/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>/FontDescriptor ",
    );
    reference(out, descriptor);
    out.extend_from_slice(b"/CIDToGIDMap/Identity/W[0[");
    let mut widths = vec![0u64; f.remap.num_gids() as usize];
    if let Some(u) = used {
        for g in u.gids.iter().chain(std::iter::once(&0)) {
            if let Some(slot) = f.remap.get(*g).and_then(|n| widths.get_mut(usize::from(n))) {
                *slot = face.pdf_width(*g).max(0.0) as u64;
            }
        }
    }
    for (i, wd) in widths.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        digits(out, *wd);
    }
    out.extend_from_slice(b"]]>>");
}

/// A stream's bytes as stored: deflated when that is smaller.
struct Packed {
    bytes: Vec<u8>,
    deflated: bool,
}

fn pack(data: &[u8], level: u32) -> Packed {
    match deflate(data, level) {
        Some(z) if z.len() + 19 < data.len() => Packed {
            bytes: z,
            deflated: true,
        },
        _ => Packed {
            bytes: data.to_vec(),
            deflated: false,
        },
    }
}

/// Where an object is: in the file at an offset, or inside the object stream.
#[derive(Clone, Copy)]
enum Slot {
    Free,
    At(usize),
    InStream(u32),
}

/// Writes numbered objects: streams straight into the file, dictionaries into
/// one object stream; then the cross-reference stream and trailer.
struct ObjWriter {
    out: Vec<u8>,
    slots: Vec<Slot>,
    /// The object stream's body and its (number, offset) index.
    packed: Vec<u8>,
    index: Vec<(u32, usize)>,
}

impl ObjWriter {
    fn new() -> ObjWriter {
        let mut out = Vec::with_capacity(64 * 1024);
        // A binary comment: the file is binary to every transfer program.
        out.extend_from_slice(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
        ObjWriter {
            out,
            // 0 is the free list's head; 1–4 are the fixed objects.
            slots: vec![Slot::Free; 5],
            packed: Vec::with_capacity(16 * 1024),
            index: Vec::new(),
        }
    }

    fn alloc(&mut self) -> u32 {
        self.slots.push(Slot::Free);
        (self.slots.len() - 1) as u32
    }

    /// A dictionary (or other non-stream object), into the object stream.
    fn object(&mut self, id: u32, body: &[u8]) {
        if let Some(slot) = self.slots.get_mut(id as usize) {
            *slot = Slot::InStream(self.index.len() as u32);
        }
        self.index.push((id, self.packed.len()));
        self.packed.extend_from_slice(body);
        self.packed.push(b'\n');
    }

    /// A stream with `extra` dictionary entries, straight into the file.
    fn stream(&mut self, id: u32, extra: &[u8], data: &Packed) {
        if let Some(slot) = self.slots.get_mut(id as usize) {
            *slot = Slot::At(self.out.len());
        }
        digits(&mut self.out, u64::from(id));
        self.out.extend_from_slice(b" 0 obj\n<<");
        self.out.extend_from_slice(extra);
        if data.deflated {
            self.out.extend_from_slice(b"/Filter/FlateDecode");
        }
        self.out.extend_from_slice(b"/Length ");
        digits(&mut self.out, data.bytes.len() as u64);
        self.out.extend_from_slice(b">>\nstream\n");
        self.out.extend_from_slice(&data.bytes);
        self.out.extend_from_slice(b"\nendstream\nendobj\n");
    }

    /// The object stream, the cross-reference stream and the trailer.
    fn finish(mut self, level: u32, id: &[u8]) -> Result<Vec<u8>, Diagnostic> {
        let objstm = self.alloc();
        let xref = self.alloc();
        let mut head = Vec::with_capacity(self.index.len() * 8);
        for (n, off) in &self.index {
            digits(&mut head, u64::from(*n));
            head.push(b' ');
            digits(&mut head, *off as u64);
            head.push(b' ');
        }
        let first = head.len();
        head.extend_from_slice(&self.packed);
        let body = pack(&head, level);
        let mut extra = b"/Type/ObjStm/N ".to_vec();
        digits(&mut extra, self.index.len() as u64);
        extra.extend_from_slice(b"/First ");
        digits(&mut extra, first as u64);
        self.stream(objstm, &extra, &body);
        // Cross-reference stream: type (1 byte), offset or object stream
        // (4 bytes), generation or index (2 bytes).
        let xref_at = self.out.len();
        if let Some(slot) = self.slots.get_mut(xref as usize) {
            *slot = Slot::At(xref_at);
        }
        if xref_at > u32::MAX as usize {
            return Err(Diagnostic::error("tệp PDF quá lớn (trên 4 GB)"));
        }
        // The third field holds an index in the object stream: two bytes unless a
        // document has more than 65,535 dictionaries (tens of thousands of pages).
        let wide = self.index.len() > usize::from(u16::MAX);
        let third = if wide { 4 } else { 2 };
        let mut table = Vec::with_capacity(self.slots.len() * (5 + third));
        for slot in &self.slots {
            let (kind, a, b): (u8, u32, u32) = match *slot {
                Slot::Free => (0, 0, 0xFFFF),
                Slot::At(off) => (1, off as u32, 0),
                Slot::InStream(i) => (2, objstm, i),
            };
            table.push(kind);
            table.extend_from_slice(&a.to_be_bytes());
            table.extend_from_slice(b.to_be_bytes().get(4 - third..).unwrap_or_default());
        }
        let table = pack(&table, level);
        let mut extra = b"/Type/XRef/Size ".to_vec();
        digits(&mut extra, self.slots.len() as u64);
        extra.extend_from_slice(if wide { b"/W[1 4 4]" } else { b"/W[1 4 2]" });
        extra.extend_from_slice(b"/Root 1 0 R/Info 2 0 R/ID[<");
        let hex = hex_string(id);
        extra.extend_from_slice(hex.as_bytes());
        extra.extend_from_slice(b"><");
        extra.extend_from_slice(hex.as_bytes());
        extra.extend_from_slice(b">]");
        self.stream(xref, &extra, &table);
        self.out.extend_from_slice(b"startxref\n");
        digits(&mut self.out, xref_at as u64);
        self.out.extend_from_slice(b"\n%%EOF\n");
        Ok(self.out)
    }
}

/// `n 0 R`.
fn reference(out: &mut Vec<u8>, id: u32) {
    digits(out, u64::from(id));
    out.extend_from_slice(b" 0 R");
}

fn hex_string(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A text string: literal when plain ASCII, else UTF-16BE with a byte-order mark.
fn text_string(out: &mut Vec<u8>, s: &str) {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        out.push(b'(');
        for b in s.bytes() {
            push_literal_byte(out, b);
        }
        out.push(b')');
        return;
    }
    out.extend_from_slice(b"<feff");
    for unit in s.encode_utf16() {
        out.extend_from_slice(format!("{unit:04x}").as_bytes());
    }
    out.push(b'>');
}

/// `(D:YYYYMMDD000000+00'00')`: the document's date, at midnight.
fn pdf_date(d: Date) -> String {
    format!("(D:{:04}{:02}{:02}000000+00'00')", d.year, d.month, d.day)
}

/// The font descriptor of an embedded subset, metrics in 1/1000 em.
fn font_descriptor(out: &mut Vec<u8>, face: &crate::fonts::Face, f: &EmbeddedFont, file: u32) {
    let rb = &face.rb;
    let scale = |v: f32| (v * 1000.0 / face.upem).round() as i64;
    let signed = |out: &mut Vec<u8>, v: i64| {
        if v < 0 {
            out.push(b'-');
        }
        digits(out, v.unsigned_abs());
    };
    let style = match f.key {
        FontKey::Family(style) => Some(style),
        FontKey::Fallback => None,
    };
    let italic = matches!(style, Some(Style::Italic | Style::BoldItalic));
    let bold = matches!(style, Some(Style::Bold | Style::BoldItalic));
    // The family: Serif (2) and Nonsymbolic (32), Italic (64). The fallback
    // holds only symbols: Symbolic (4).
    let flags = match style {
        Some(_) => 2 + 32 + if italic { 64 } else { 0 },
        None => 4,
    };
    out.extend_from_slice(b"<</Type/FontDescriptor/FontName/");
    out.extend_from_slice(f.name.as_bytes());
    out.extend_from_slice(b"/Flags ");
    digits(out, flags);
    out.extend_from_slice(b"/FontBBox[");
    let bb = rb.global_bounding_box();
    for (i, v) in [bb.x_min, bb.y_min, bb.x_max, bb.y_max]
        .into_iter()
        .enumerate()
    {
        if i > 0 {
            out.push(b' ');
        }
        signed(out, scale(f32::from(v)));
    }
    out.extend_from_slice(b"]/ItalicAngle ");
    num(out, rb.italic_angle());
    out.extend_from_slice(b"/Ascent ");
    signed(out, scale(f32::from(rb.ascender())));
    out.extend_from_slice(b"/Descent ");
    signed(out, scale(f32::from(rb.descender())));
    out.extend_from_slice(b"/CapHeight ");
    let cap = rb.capital_height().unwrap_or_else(|| rb.ascender());
    signed(out, scale(f32::from(cap)));
    // The dominant vertical stem: not in the font; the usual estimate by weight.
    out.extend_from_slice(if bold { b"/StemV 140" } else { b"/StemV 80" });
    out.extend_from_slice(b"/FontFile2 ");
    reference(out, file);
    out.extend_from_slice(b">>");
}

/// The ToUnicode CMap of an embedded font: each glyph's code → the text it
/// stands for (UTF-16BE).
fn to_unicode_cmap(remap: &subsetter::GlyphRemapper, used: Option<&Used>) -> Vec<u8> {
    let mut pairs: Vec<(u16, &str)> = used
        .into_iter()
        .flat_map(|u| u.text.iter())
        .filter_map(|(g, t)| Some((remap.get(*g)?, *t)))
        .collect();
    pairs.sort_unstable();
    let mut out = Vec::with_capacity(256 + pairs.len() * 16);
    out.extend_from_slice(
        b"/CIDInit/ProcSet findresource begin\n12 dict begin\nbegincmap\n\
          /CIDSystemInfo<</Registry(Adobe)/Ordering(UCS)/Supplement 0>>def\n\
          /CMapName/Adobe-Identity-UCS def\n/CMapType 2 def\n\
          1 begincodespacerange\n<0000><FFFF>\nendcodespacerange\n",
    );
    for chunk in pairs.chunks(100) {
        digits(&mut out, chunk.len() as u64);
        out.extend_from_slice(b" beginbfchar\n");
        for (code, text) in chunk {
            out.extend_from_slice(format!("<{code:04X}><").as_bytes());
            for unit in text.encode_utf16() {
                out.extend_from_slice(format!("{unit:04X}").as_bytes());
            }
            out.extend_from_slice(b">\n");
        }
        out.extend_from_slice(b"endbfchar\n");
    }
    out.extend_from_slice(b"endcmap\nCMapName currentdict/CMap defineresource pop\nend\nend\n");
    out
}

/// A number for a content stream: at most 3 decimals, no trailing zeros.
fn num(out: &mut Vec<u8>, v: f32) {
    let milli = (f64::from(v) * 1000.0).round();
    if !milli.is_finite() || milli.abs() > 1e15 {
        out.push(b'0');
        return;
    }
    let milli = milli as i64;
    if milli < 0 {
        out.push(b'-');
    }
    let m = milli.unsigned_abs();
    digits(out, m / 1000);
    let mut frac = m % 1000;
    if frac != 0 {
        out.push(b'.');
        let mut width = 3;
        while frac.is_multiple_of(10) {
            frac /= 10;
            width -= 1;
        }
        // Leading zeros of the fraction: 0.05 is "0.05".
        let shown = if frac >= 100 {
            3
        } else if frac >= 10 {
            2
        } else {
            1
        };
        out.extend(std::iter::repeat_n(b'0', width - shown));
        digits(out, frac);
    }
}

/// The decimal digits of `n` (content streams hold many numbers: `write!` is slow).
fn digits(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        if let Some(b) = buf.get_mut(i) {
            *b = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    out.extend_from_slice(buf.get(i..).unwrap_or_default());
}

/// One byte inside a PDF literal string: delimiters and backslash escaped, and
/// line ends too (a reader turns a raw CR or CR LF inside a string into LF).
fn push_literal_byte(out: &mut Vec<u8>, byte: u8) {
    match byte {
        b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', byte]),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\n' => out.extend_from_slice(b"\\n"),
        _ => out.push(byte),
    }
}

/// What the content streams need of one embedded font: its glyph numbering, and
/// the text each glyph maps to in ToUnicode, by original glyph id.
type Shown<'a> = (&'a subsetter::GlyphRemapper, &'a [&'a str]);

/// The content stream of one page: text as `Tf`/`Tm`/`TJ` with each run's glyph
/// codes in one literal string (TJ offsets only where an advance differs from the
/// font's /W width: kerning, justified spaces), rules as stroked lines. A run
/// that mixes the family's glyphs with the fallback's changes font between them.
#[inline(never)] // a stage of its own in profiles (bench/profile.sh)
fn page_content(
    page: &crate::layout::Page,
    fonts: &Fonts,
    shown: &BTreeMap<FontKey, Shown>,
) -> Vec<u8> {
    let h = page.height;
    let mut out: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut in_text = false;
    let mut font: Option<(FontKey, f32)> = None;
    let mut line_width: Option<f32> = None;
    for item in &page.items {
        match item {
            Item::Text(t) => {
                let mut placed = false;
                for (key, part) in by_font(t) {
                    let Some((remap, mapped)) = shown.get(&key) else {
                        continue;
                    };
                    if !in_text {
                        out.extend_from_slice(b"BT\n");
                        in_text = true;
                        font = None;
                    }
                    if font != Some((key, t.size)) {
                        out.extend_from_slice(key.resource().as_bytes());
                        out.push(b' ');
                        num(&mut out, t.size);
                        out.extend_from_slice(b" Tf\n");
                        font = Some((key, t.size));
                    }
                    // The run's later parts go on from where the glyphs before
                    // them left the text position.
                    if !placed {
                        out.extend_from_slice(b"1 0 0 1 ");
                        num(&mut out, t.x);
                        out.push(b' ');
                        num(&mut out, h - t.y);
                        out.extend_from_slice(b" Tm\n");
                        placed = true;
                    }
                    show_glyphs(&mut out, part, remap, key.face(fonts), mapped);
                }
            }
            Item::Rule {
                x1,
                y1,
                x2,
                y2,
                width,
            } => {
                if in_text {
                    out.extend_from_slice(b"ET\n");
                    in_text = false;
                }
                if line_width != Some(*width) {
                    num(&mut out, *width);
                    out.extend_from_slice(b" w\n");
                    line_width = Some(*width);
                }
                stroke_line(&mut out, (*x1, h - y1), (*x2, h - y2));
            }
        }
    }
    if in_text {
        out.extend_from_slice(b"ET\n");
    }
    out
}

/// Glyphs of one font as `TJ` arrays. A glyph whose ToUnicode text (`mapped`,
/// by glyph id) is not the text it stands for (a missing character's .notdef,
/// a zero-width space hidden as a space glyph) is shown inside a marked
/// content span whose `/ActualText` is its own text, with the glyphs after it
/// that stand for no text (the rest of its cluster): readers extract what the
/// source said, never another character. White space for white space (a
/// no-break space drawn with the space glyph) needs no span.
fn show_glyphs(
    out: &mut Vec<u8>,
    glyphs: &[Glyph],
    remap: &subsetter::GlyphRemapper,
    face: &crate::fonts::Face,
    mapped: &[&str],
) {
    let differs = |g: &Glyph| {
        let m = *mapped.get(usize::from(g.gid)).unwrap_or(&"");
        *g.text != *m && !(blank(&g.text) && blank(m))
    };
    let mut rest = glyphs;
    loop {
        let plain = rest.iter().position(differs).unwrap_or(rest.len());
        let (head, tail) = rest.split_at(plain);
        if !head.is_empty() || glyphs.is_empty() {
            show_tj(out, head, remap, face);
        }
        let Some((_, after)) = tail.split_first() else {
            break;
        };
        let spanned = 1 + after
            .iter()
            .take_while(|g| g.text.is_empty() || differs(g))
            .count();
        let (span, next) = tail.split_at(spanned.min(tail.len()));
        let text: String = span.iter().map(|g| &*g.text).collect();
        out.extend_from_slice(b"/Span<</ActualText");
        text_string(out, &text);
        out.extend_from_slice(b">>BDC\n");
        show_tj(out, span, remap, face);
        out.extend_from_slice(b"EMC\n");
        rest = next;
    }
}

/// Text that is all white space: a glyph standing for one white space reads
/// back as the other (a no-break space as a space) without a span.
fn blank(text: &str) -> bool {
    !text.is_empty() && text.chars().all(char::is_whitespace)
}

/// One `TJ` array: the glyphs' codes in literal strings, cut by a number
/// wherever the font's /W width differs from the glyph's advance.
fn show_tj(
    out: &mut Vec<u8>,
    glyphs: &[Glyph],
    remap: &subsetter::GlyphRemapper,
    face: &crate::fonts::Face,
) {
    out.extend_from_slice(b"[(");
    let mut open = true;
    for g in glyphs {
        if !open {
            out.push(b'(');
            open = true;
        }
        // Two-byte codes in a literal string: half the bytes of hex.
        let code = remap.get(g.gid).unwrap_or(0);
        for byte in code.to_be_bytes() {
            push_literal_byte(out, byte);
        }
        // The viewer advances by /W; a TJ number adjusts to our advance.
        let tj = face.pdf_width(g.gid) - g.adv;
        if tj.abs() >= 0.0005 {
            out.extend_from_slice(b") ");
            num(out, tj);
            out.push(b' ');
            open = false;
        }
    }
    if open {
        out.push(b')');
    }
    out.extend_from_slice(b"] TJ\n");
}

/// A stroked straight line from `from` to `to`, in PDF coordinates.
fn stroke_line(out: &mut Vec<u8>, from: (f32, f32), to: (f32, f32)) {
    num(out, from.0);
    out.push(b' ');
    num(out, from.1);
    out.extend_from_slice(b" m ");
    num(out, to.0);
    out.push(b' ');
    num(out, to.1);
    out.extend_from_slice(b" l S\n");
}

/// The deflate level of every stream.
const LEVEL: u32 = 6;

fn new_deflater(level: u32) -> flate2::Compress {
    flate2::Compress::new(flate2::Compression::new(level), true)
}

/// `data` deflated (zlib format) at `level`.
fn deflate(data: &[u8], level: u32) -> Option<Vec<u8>> {
    use flate2::{FlushCompress, Status};
    let mut c = new_deflater(level);
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    let done = loop {
        let Some(rest) = usize::try_from(c.total_in())
            .ok()
            .and_then(|at| data.get(at..))
        else {
            break false;
        };
        match c.compress_vec(rest, &mut out, FlushCompress::Finish) {
            Ok(Status::StreamEnd) => break true,
            Ok(Status::Ok | Status::BufError) => out.reserve(out.capacity().max(1024)),
            Err(_) => break false,
        }
    };
    done.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(v: f32) -> String {
        let mut out = Vec::new();
        num(&mut out, v);
        String::from_utf8(out).unwrap_or_default()
    }

    /// The cross-reference stream of `pdf`: its /W widths and decoded rows.
    fn xref_rows(pdf: &[u8]) -> (Vec<usize>, Vec<Vec<u64>>) {
        let find = |from: usize, what: &[u8]| {
            pdf.get(from..)
                .and_then(|p| p.windows(what.len()).position(|w| w == what))
                .map(|i| from + i)
        };
        let at = (0..pdf.len())
            .rev()
            .find(|&i| pdf[i..].starts_with(b"/Type/XRef"))
            .unwrap_or(0);
        let w_at = find(at, b"/W[").map(|i| i + 3).unwrap_or(0);
        let w_end = find(w_at, b"]").unwrap_or(w_at);
        let widths: Vec<usize> = String::from_utf8_lossy(&pdf[w_at..w_end])
            .split(' ')
            .filter_map(|n| n.parse().ok())
            .collect();
        let start = find(at, b"stream\n").map(|i| i + 7).unwrap_or(0);
        let end = find(start, b"\nendstream").unwrap_or(start);
        let mut data = Vec::new();
        let _ = flate2::Decompress::new(true).decompress_vec(
            &pdf[start..end],
            {
                data.reserve(16 << 20);
                &mut data
            },
            flate2::FlushDecompress::Finish,
        );
        let row: usize = widths.iter().sum();
        let rows = data
            .chunks(row.max(1))
            .map(|r| {
                let mut fields = Vec::new();
                let mut i = 0;
                for w in &widths {
                    fields.push(r[i..i + w].iter().fold(0u64, |a, b| a << 8 | u64::from(*b)));
                    i += w;
                }
                fields
            })
            .collect();
        (widths, rows)
    }

    #[test]
    fn cross_references_find_every_object_even_past_65535_dictionaries() {
        for count in [10usize, 70_000] {
            let mut w = ObjWriter::new();
            w.object(1, b"<</Type/Catalog/Pages 3 0 R>>");
            w.object(2, b"<<>>");
            w.object(3, b"<</Type/Pages/Kids[]/Count 0>>");
            w.object(4, b"<<>>");
            let ids: Vec<u32> = (0..count).map(|_| w.alloc()).collect();
            for id in &ids {
                w.object(*id, b"<<>>");
            }
            let pdf = w.finish(6, &[1, 2, 3]).unwrap_or_default();
            let (widths, rows) = xref_rows(&pdf);
            let wide = count + 4 > 65_535;
            assert_eq!(widths, if wide { vec![1, 4, 4] } else { vec![1, 4, 2] });
            assert_eq!(rows.len(), count + 7, "one row per object");
            let objstm = (count + 5) as u64;
            // The last dictionary is the object stream's last entry.
            assert_eq!(rows[count + 4], vec![2, objstm, (count + 3) as u64]);
            assert_eq!(rows[1], vec![2, objstm, 0]);
            // The object stream and the xref stream are in the file, at their offsets.
            for n in [count + 5, count + 6] {
                let off = rows[n][1] as usize;
                assert!(pdf[off..].starts_with(format!("{n} 0 obj").as_bytes()));
            }
        }
    }

    #[test]
    fn the_file_identifier_follows_the_content_and_its_cuts() {
        let id = |parts: &[&[u8]]| {
            let mut d = Digest::new();
            for p in parts {
                d.feed(p);
            }
            d.finish()
        };
        let a = id(&[b"B\xc3\xa1o c\xc3\xa1o", b"0123456789abcdef!"]);
        assert_eq!(a.len(), 16);
        assert_eq!(a, id(&[b"B\xc3\xa1o c\xc3\xa1o", b"0123456789abcdef!"]));
        // One byte changed, anywhere (word or tail), changes it.
        assert_ne!(a, id(&[b"B\xc3\xa1o c\xc3\xa1o", b"0123456789abcdef?"]));
        assert_ne!(a, id(&[b"B\xc3\xa1o c\xc3\xa1p", b"0123456789abcdef!"]));
        // The same bytes cut differently, or a zero byte added, give another.
        assert_ne!(id(&[b"ab", b"c"]), id(&[b"a", b"bc"]));
        assert_ne!(id(&[b"abc"]), id(&[b"abc\0"]));
    }

    #[test]
    fn numbers_have_at_most_three_decimals_and_no_trailing_zeros() {
        for (v, s) in [
            (0.0, "0"),
            (1.0, "1"),
            (-1.5, "-1.5"),
            (0.05, "0.05"),
            (0.005, "0.005"),
            (12.3456, "12.346"),
            (771.473, "771.473"),
            (100.1, "100.1"),
            (-0.0004, "0"),
            (1e20, "0"),
            (f32::NAN, "0"),
        ] {
            assert_eq!(shown(v), s, "{v}");
        }
    }

    #[test]
    fn numbers_read_back_as_the_value_rounded_to_thousandths() {
        let mut x = -5000.0f32;
        while x < 5000.0 {
            let back: f64 = shown(x).parse().unwrap_or(f64::NAN);
            let want = (f64::from(x) * 1000.0).round() / 1000.0;
            assert!((back - want).abs() < 1e-9, "{x}: {}", shown(x));
            x += 0.371;
        }
    }

    fn glyph(gid: u16, text: &str) -> Glyph {
        Glyph {
            gid,
            adv: 500.0,
            text: crate::layout::shape::ClusterText::new(text),
            fallback: false,
        }
    }

    #[test]
    fn a_glyph_maps_to_its_most_frequent_text_and_notdef_to_none() {
        let glyphs = [
            glyph(3, "\u{a0}"),
            glyph(3, " "),
            glyph(3, " "),
            glyph(0, "中"),
            glyph(0, "国"),
            glyph(5, ""),
            glyph(5, "x"),
            glyph(8, ""),
        ];
        let mut inventory = Inventory::new(10);
        inventory.take(&glyphs);
        let used = inventory.into_used();
        assert_eq!(used.gids, [0, 3, 5, 8]);
        assert_eq!(used.text, [(3, " "), (5, "x")]);
        assert_eq!(used.mapped[0], "");
        assert_eq!(used.mapped[3], " ");
    }

    #[test]
    fn glyphs_that_stand_for_other_text_carry_it_as_actual_text() {
        let fonts = crate::fonts::bundled().unwrap();
        let face = fonts.face(Style::Regular);
        let glyphs = [
            glyph(3, " "),
            glyph(3, "\u{a0}"),
            glyph(3, "\u{200b}"),
            glyph(3, " "),
            glyph(0, "中"),
            glyph(7, ""),
            glyph(0, "国"),
            glyph(5, "x"),
        ];
        let mut remap = subsetter::GlyphRemapper::new();
        for g in &glyphs {
            remap.remap(g.gid);
        }
        let mut mapped = vec![""; 10];
        mapped[3] = " ";
        mapped[5] = "x";
        mapped[7] = "y";
        let mut out = Vec::new();
        show_glyphs(&mut out, &glyphs, &remap, face, &mapped);
        let shown = String::from_utf8_lossy(&out);
        let spans: Vec<&str> = shown
            .split("/Span<</ActualText")
            .skip(1)
            .filter_map(|s| s.split(">>BDC").next())
            .collect();
        // The zero-width space alone (a no-break space reads back as the
        // space it is drawn with); the two missing characters (and the glyph
        // after the first, which stands for no text) in one span.
        assert_eq!(spans, ["<feff200b>", "<feff4e2d56fd>"]);
        assert_eq!(shown.matches("EMC\n").count(), 2);
        assert_eq!(shown.matches("] TJ\n").count(), 5);
        // Nothing differs: one TJ, no span.
        let mut out = Vec::new();
        show_glyphs(&mut out, &glyphs[..1], &remap, face, &mapped);
        assert!(!String::from_utf8_lossy(&out).contains("BDC"));
    }
}
