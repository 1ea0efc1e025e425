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
    Codepoint, FontId, Line, LinePoint, Mm, Op, PdfDocument, PdfFont, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, TextItem, TextMatrix,
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
    let mut used: BTreeMap<Style, BTreeSet<u16>> = BTreeMap::new();
    for page in &doc.pages {
        for item in &page.items {
            if let Item::Text(t) = item {
                used.entry(t.style)
                    .or_default()
                    .extend(t.glyphs.iter().map(|g| g.gid));
            }
        }
    }
    // 2. Subset each used font; remember old → new glyph ids.
    let mut pdf = PdfDocument::new(&meta.title);
    let mut remaps: BTreeMap<Style, subsetter::GlyphRemapper> = BTreeMap::new();
    let mut ids: BTreeMap<Style, FontId> = BTreeMap::new();
    for (style, gids) in &used {
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
        let mut parsed =
            printpdf::ParsedFont::from_bytes(&bytes, 0, &mut warnings).ok_or_else(|| {
                Diagnostic::error(format!("không đọc được tập con phông {}", face.ps_name))
            })?;
        parsed.font_name = Some(format!("{}+{}", subset_tag(*style, gids), face.ps_name));
        let id = FontId(format!("F{}", *style as u8 + 1));
        pdf.resources
            .fonts
            .map
            .insert(id.clone(), PdfFont::new(parsed));
        ids.insert(*style, id);
        remaps.insert(*style, remapper);
    }
    // 3. Pages.
    let mut pages = Vec::with_capacity(doc.pages.len());
    for page in &doc.pages {
        let h = page.height;
        let mut ops = Vec::new();
        let mut in_text = false;
        let mut cur_font: Option<(Style, f32)> = None;
        for item in &page.items {
            match item {
                Item::Text(t) => {
                    let (Some(id), Some(remap)) = (ids.get(&t.style), remaps.get(&t.style)) else {
                        continue;
                    };
                    if !in_text {
                        ops.push(Op::StartTextSection);
                        in_text = true;
                        cur_font = None;
                    }
                    if cur_font != Some((t.style, t.size)) {
                        ops.push(Op::SetFont {
                            font: PdfFontHandle::External(id.clone()),
                            size: Pt(t.size),
                        });
                        cur_font = Some((t.style, t.size));
                    }
                    ops.push(Op::SetTextMatrix {
                        matrix: TextMatrix::Translate(Pt(t.x), Pt(h - t.y)),
                    });
                    let face = fonts.face(t.style);
                    let cps = t
                        .glyphs
                        .iter()
                        .map(|g| {
                            // TJ: the viewer advances by /W; adjust to our advance.
                            let tj = face.pdf_width(g.gid) - g.adv;
                            let tj = (tj * 1000.0).round() / 1000.0;
                            Codepoint {
                                gid: remap.get(g.gid).unwrap_or(0),
                                offset: if tj.abs() < 0.0005 { 0.0 } else { tj },
                                cid: (!g.text.is_empty()).then(|| g.text.to_string()),
                            }
                        })
                        .collect();
                    ops.push(Op::ShowText {
                        items: vec![TextItem::GlyphIds(cps)],
                    });
                }
                Item::Rule {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                } => {
                    if in_text {
                        ops.push(Op::EndTextSection);
                        in_text = false;
                    }
                    ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                    ops.push(Op::DrawLine {
                        line: Line {
                            points: vec![
                                LinePoint {
                                    p: Point {
                                        x: Pt(*x1),
                                        y: Pt(h - y1),
                                    },
                                    bezier: false,
                                },
                                LinePoint {
                                    p: Point {
                                        x: Pt(*x2),
                                        y: Pt(h - y2),
                                    },
                                    bezier: false,
                                },
                            ],
                            is_closed: false,
                        },
                    });
                }
            }
        }
        if in_text {
            ops.push(Op::EndTextSection);
        }
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
    compress(&mut lo, level());
    let mut out = Vec::new();
    lo.save_to(&mut out)
        .map_err(|e| Diagnostic::error(format!("không ghi được PDF: {e}")))?;
    Ok(out)
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
    use flate2::{write::ZlibEncoder, Compression};
    use std::io::Write;
    for obj in lo.objects.values_mut() {
        let lopdf::Object::Stream(stream) = obj else {
            continue;
        };
        if stream.dict.get(b"Filter").is_ok() || !stream.allows_compression {
            continue;
        }
        let mut enc = ZlibEncoder::new(
            Vec::with_capacity(stream.content.len() / 2),
            Compression::new(level),
        );
        if enc.write_all(&stream.content).is_err() {
            continue;
        }
        if let Ok(out) = enc.finish() {
            if out.len() + 19 < stream.content.len() {
                stream
                    .dict
                    .set("Filter", lopdf::Object::Name(b"FlateDecode".to_vec()));
                stream.set_content(out);
            }
        }
    }
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
