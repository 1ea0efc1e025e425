//! PDF: positioned pages → PDF bytes. The only module that knows printpdf.
//!
//! Takes a [`PagedDocument`] and the document's metadata; subsets each used font
//! (subsetter), embeds it as a CID font with a ToUnicode map built from each glyph's
//! source text (so readers extract the text exactly), writes glyph runs with TJ
//! offsets for kerning and justification, then sets through lopdf what printpdf does
//! not: PDF 1.7, `/Lang (vi-VN)`, a title shown by viewers, a deterministic file ID.
//! Same input, same bytes.
use crate::data::Date;
use crate::diag::Diagnostic;
use crate::fonts::{Fonts, Style};
use crate::layout::{Item, PagedDocument};
use printpdf::{
    Codepoint, FontId, Mm, Op, PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Pt,
    TextItem,
};
use std::collections::{BTreeMap, BTreeSet};

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

/// Six capital letters derived from the used glyphs: the subset tag.
fn subset_tag(style: Style, gids: &BTreeSet<u16>) -> String {
    let mut bytes = vec![style as u8];
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

/// Write `doc` as PDF bytes.
pub fn write(doc: &PagedDocument, fonts: &Fonts, meta: &Meta) -> Result<Vec<u8>, Diagnostic> {
    // 1. Which glyphs each style uses.
    // (and the text each stands for: its ToUnicode entry).
    let mut used: BTreeMap<Style, BTreeSet<u16>> = BTreeMap::new();
    let mut text_of: BTreeMap<(Style, u16), &str> = BTreeMap::new();
    for page in &doc.pages {
        for item in &page.items {
            if let Item::Text(t) = item {
                let set = used.entry(t.style).or_default();
                for g in &t.glyphs {
                    set.insert(g.gid);
                    if !g.text.is_empty() {
                        text_of.entry((t.style, g.gid)).or_insert(&g.text);
                    }
                }
            }
        }
    }
    // 2. Subset each used font (in parallel: they are independent); remember
    // old → new glyph ids.
    use rayon::prelude::*;
    let subsets: Vec<(Style, subsetter::GlyphRemapper, printpdf::ParsedFont)> = used
        .par_iter()
        .map(|(style, gids)| {
            let face = fonts.face(*style);
            let mut remapper = subsetter::GlyphRemapper::new();
            for g in gids {
                remapper.remap(*g);
            }
            let bytes = subsetter::subset(face.data, 0, &remapper).map_err(|e| {
                Diagnostic::error(format!(
                    "không tạo được tập con phông {}: {e:?}",
                    face.ps_name
                ))
            })?;
            // Viewers do not need TrueType hinting: drop it (about 40–65 % of a subset).
            let bytes = crate::unhint::strip_hinting(&bytes).unwrap_or(bytes);
            let mut warnings = Vec::new();
            let mut parsed = printpdf::ParsedFont::from_bytes(&bytes, 0, &mut warnings)
                .ok_or_else(|| {
                    Diagnostic::error(format!("không đọc được tập con phông {}", face.ps_name))
                })?;
            parsed.font_name = Some(format!("{}+{}", subset_tag(*style, gids), face.ps_name));
            Ok((*style, remapper, parsed))
        })
        .collect::<Result<_, Diagnostic>>()?;
    let mut pdf = PdfDocument::new(&meta.title);
    let mut remaps: BTreeMap<Style, subsetter::GlyphRemapper> = BTreeMap::new();
    let mut ids: BTreeMap<Style, FontId> = BTreeMap::new();
    for (style, remapper, parsed) in subsets {
        let id = FontId(format!("F{}", style as u8 + 1));
        pdf.resources
            .fonts
            .map
            .insert(id.clone(), PdfFont::new(parsed));
        ids.insert(style, id);
        remaps.insert(style, remapper);
    }
    // 3. Pages. printpdf builds each font's /W widths and ToUnicode map from the
    // glyphs its pages show, so page 1 tells it every glyph once, with the text it
    // stands for; the real page contents are written below, compactly.
    let mut first_ops = vec![Op::StartTextSection];
    for (style, id) in &ids {
        let (Some(remap), Some(gids)) = (remaps.get(style), used.get(style)) else {
            continue;
        };
        first_ops.push(Op::SetFont {
            font: PdfFontHandle::External(id.clone()),
            size: Pt(1.0),
        });
        let cps = gids
            .iter()
            .map(|g| Codepoint {
                gid: remap.get(*g).unwrap_or(0),
                offset: 0.0,
                cid: text_of.get(&(*style, *g)).map(|t| t.to_string()),
            })
            .collect();
        first_ops.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(cps)],
        });
    }
    first_ops.push(Op::EndTextSection);
    let mut pages = Vec::with_capacity(doc.pages.len());
    for (i, page) in doc.pages.iter().enumerate() {
        let ops = if i == 0 {
            std::mem::take(&mut first_ops)
        } else {
            Vec::new()
        };
        pages.push(PdfPage::new(
            Mm(page.width / crate::layout::PT_PER_MM),
            Mm(page.height / crate::layout::PT_PER_MM),
            ops,
        ));
    }
    pdf.with_pages(pages);
    // 4. Metadata.
    let date = printpdf::OffsetDateTime {
        date: printpdf::date::Date {
            year: meta.date.year,
            month: u8::try_from(meta.date.month).unwrap_or(1),
            day: u8::try_from(meta.date.day).unwrap_or(1),
        },
        ..printpdf::OffsetDateTime::epoch()
    };
    let info = &mut pdf.metadata.info;
    info.document_title = meta.title.clone();
    info.author = meta.author.clone();
    info.subject = meta.subject.clone();
    info.creator = "baocao".to_string();
    info.producer = format!("baocao {}", env!("CARGO_PKG_VERSION"));
    info.creation_date = date;
    info.modification_date = date;
    info.metadata_date = date;
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&opts, &mut warnings);
    touch_up(&mut lo, meta)?;
    let contents: Vec<Vec<u8>> = doc
        .pages
        .par_iter()
        .map(|p| page_content(p, fonts, &ids, &remaps))
        .collect();
    set_contents(&mut lo, contents)?;
    compress(&mut lo, level());
    let mut out = Vec::new();
    // Dictionaries go into compressed object streams with a cross-reference
    // stream (PDF 1.5+): about 5 KB less for a five-page report.
    let opts = lopdf::SaveOptions::builder()
        .use_object_streams(true)
        .use_xref_streams(true)
        .compression_level(level())
        .build();
    lo.save_with_options(&mut out, opts)
        .map_err(|e| Diagnostic::error(format!("không ghi được PDF: {e}")))?;
    Ok(out)
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

/// The content stream of one page: text as `Tf`/`Tm`/`TJ` with each run's glyph
/// codes in one literal string (TJ offsets only where an advance differs from the
/// font's /W width: kerning, justified spaces), rules as stroked lines.
fn page_content(
    page: &crate::layout::Page,
    fonts: &Fonts,
    ids: &BTreeMap<Style, FontId>,
    remaps: &BTreeMap<Style, subsetter::GlyphRemapper>,
) -> Vec<u8> {
    let h = page.height;
    let mut out: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut in_text = false;
    let mut font: Option<(Style, f32)> = None;
    let mut line_width: Option<f32> = None;
    for item in &page.items {
        match item {
            Item::Text(t) => {
                let (Some(id), Some(remap)) = (ids.get(&t.style), remaps.get(&t.style)) else {
                    continue;
                };
                if !in_text {
                    out.extend_from_slice(b"BT\n");
                    in_text = true;
                    font = None;
                }
                if font != Some((t.style, t.size)) {
                    out.push(b'/');
                    out.extend_from_slice(id.0.as_bytes());
                    out.push(b' ');
                    num(&mut out, t.size);
                    out.extend_from_slice(b" Tf\n");
                    font = Some((t.style, t.size));
                }
                out.extend_from_slice(b"1 0 0 1 ");
                num(&mut out, t.x);
                out.push(b' ');
                num(&mut out, h - t.y);
                out.extend_from_slice(b" Tm\n[(");
                let face = fonts.face(t.style);
                let mut open = true;
                for g in &t.glyphs {
                    if !open {
                        out.push(b'(');
                        open = true;
                    }
                    // Two-byte codes in a literal string: half the bytes of hex.
                    let code = remap.get(g.gid).unwrap_or(0);
                    for byte in code.to_be_bytes() {
                        push_literal_byte(&mut out, byte);
                    }
                    // The viewer advances by /W; a TJ number adjusts to our advance.
                    let tj = face.pdf_width(g.gid) - g.adv;
                    if tj.abs() >= 0.0005 {
                        out.extend_from_slice(b") ");
                        num(&mut out, tj);
                        out.push(b' ');
                        open = false;
                    }
                }
                if open {
                    out.push(b')');
                }
                out.extend_from_slice(b"] TJ\n");
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
                num(&mut out, *x1);
                out.push(b' ');
                num(&mut out, h - y1);
                out.extend_from_slice(b" m ");
                num(&mut out, *x2);
                out.push(b' ');
                num(&mut out, h - y2);
                out.extend_from_slice(b" l S\n");
            }
        }
    }
    if in_text {
        out.extend_from_slice(b"ET\n");
    }
    out
}

/// Put each page's content stream in place of printpdf's.
fn set_contents(lo: &mut lopdf::Document, contents: Vec<Vec<u8>>) -> Result<(), Diagnostic> {
    let err = |e: lopdf::Error| Diagnostic::error(format!("lỗi cấu trúc PDF: {e}"));
    let pages: Vec<lopdf::ObjectId> = lo.get_pages().into_values().collect();
    for (page_id, content) in pages.into_iter().zip(contents) {
        let stream = lopdf::Stream::new(lopdf::Dictionary::new(), content);
        let new_id = lo.add_object(stream);
        let page = lo.get_dictionary_mut(page_id).map_err(err)?;
        let old = page.get(b"Contents").ok().cloned();
        page.set("Contents", lopdf::Object::Reference(new_id));
        // printpdf's own stream (page 1's glyph inventory, empty elsewhere) goes.
        if let Some(lopdf::Object::Reference(old_id)) = old {
            lo.objects.remove(&old_id);
        }
    }
    Ok(())
}

/// The deflate level: 6 unless `BAOCAO_NEN` (0–9) says otherwise (for benchmarks).
fn level() -> u32 {
    std::env::var("BAOCAO_NEN")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|l| *l <= 9)
        .unwrap_or(6)
}

/// Deflate every stream not yet filtered (lopdf's own uses the slowest level).
fn compress(lo: &mut lopdf::Document, level: u32) {
    use rayon::prelude::*;
    // Streams are independent: deflate them on every core (in a batch, rayon
    // shares its threads between reports and streams).
    let streams: Vec<&mut lopdf::Stream> = lo
        .objects
        .values_mut()
        .filter_map(|obj| match obj {
            lopdf::Object::Stream(s) if s.dict.get(b"Filter").is_err() && s.allows_compression => {
                Some(s)
            }
            _ => None,
        })
        .collect();
    streams.into_par_iter().for_each(|stream| {
        if let Some(out) = deflate(&stream.content, level) {
            if out.len() + 19 < stream.content.len() {
                stream
                    .dict
                    .set("Filter", lopdf::Object::Name(b"FlateDecode".to_vec()));
                stream.set_content(out);
            }
        }
    });
}

thread_local! {
    /// One deflate state per thread, reset between streams: a new state zeroes
    /// and faults in about 300 KB of fresh memory, 0.1 ms per stream.
    static DEFLATE: std::cell::RefCell<Option<(u32, flate2::Compress)>> =
        const { std::cell::RefCell::new(None) };
}

/// `data` deflated (zlib format) at `level`.
fn deflate(data: &[u8], level: u32) -> Option<Vec<u8>> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    DEFLATE.with(|cell| {
        let mut slot = cell.try_borrow_mut().ok()?;
        match &mut *slot {
            Some((l, c)) if *l == level => c.reset(),
            _ => *slot = Some((level, Compress::new(Compression::new(level), true))),
        }
        let (_, c) = slot.as_mut()?;
        let mut out = Vec::with_capacity(data.len() / 2 + 64);
        loop {
            let rest = data.get(usize::try_from(c.total_in()).ok()?..)?;
            match c.compress_vec(rest, &mut out, FlushCompress::Finish).ok()? {
                Status::StreamEnd => return Some(out),
                Status::Ok | Status::BufError => out.reserve(out.capacity().max(1024)),
            }
        }
    })
}

/// What printpdf does not set, or sets in ways readers dislike.
fn touch_up(lo: &mut lopdf::Document, meta: &Meta) -> Result<(), Diagnostic> {
    use lopdf::{Dictionary, Object, StringFormat};
    lo.version = "1.7".to_string();
    let cat_err = |e: lopdf::Error| Diagnostic::error(format!("lỗi cấu trúc PDF: {e}"));
    let catalog = lo.catalog_mut().map_err(cat_err)?;
    catalog.set(
        "Lang",
        Object::String(b"vi-VN".to_vec(), StringFormat::Literal),
    );
    catalog.set("PageMode", Object::Name(b"UseNone".to_vec()));
    let mut prefs = Dictionary::new();
    prefs.set("DisplayDocTitle", Object::Boolean(true));
    catalog.set("ViewerPreferences", Object::Dictionary(prefs));
    if let Ok(info_ref) = lo.trailer.get(b"Info").and_then(Object::as_reference) {
        if let Ok(info) = lo.get_dictionary_mut(info_ref) {
            info.remove(b"GTS_PDFXVersion");
            info.remove(b"Identifier");
            info.remove(b"Keywords");
            info.remove(b"Trapped");
        }
    }
    // A file identifier from the content, not from chance.
    let mut seed = Vec::new();
    seed.extend_from_slice(meta.title.as_bytes());
    seed.extend_from_slice(meta.author.as_bytes());
    for (_, obj) in lo.objects.iter() {
        if let Object::Stream(s) = obj {
            seed.extend_from_slice(&s.content);
        }
    }
    let mut id = fnv(&seed, 1).to_be_bytes().to_vec();
    id.extend_from_slice(&fnv(&seed, 2).to_be_bytes());
    let id_obj = Object::String(id, StringFormat::Hexadecimal);
    lo.trailer
        .set("ID", Object::Array(vec![id_obj.clone(), id_obj]));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(v: f32) -> String {
        let mut out = Vec::new();
        num(&mut out, v);
        String::from_utf8(out).unwrap_or_default()
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
}
