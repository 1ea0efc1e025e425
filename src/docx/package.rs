//! The parts of a DOCX package around the document: content types,
//! relationships, styles, numbering, settings, page-number headers and the
//! document properties; and the ZIP container, written in a fixed order with
//! fixed dates so that the same report gives the same bytes.
use super::xml::{esc, half, tw};
use crate::layout::Properties;
use crate::profile::Profile;
use std::fmt::Write as _;
use std::io::Write as _;

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
/// The WordprocessingML and relationship namespaces the parts use.
pub const NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

/// The font every style names: what Word users have and what Nghị định 30
/// names; the bundled Tinos (the PDF's) is metric-compatible with it.
pub const FONT: &str = "Times New Roman";

/// Relationship ids of the document part.
pub const RID_PAGE_NUMBER: &str = "rId4";
pub const RID_FIRST_PAGE: &str = "rId5";

/// Pack the parts into a ZIP archive: stored in this order, each dated with
/// the document's date (never the clock).
pub fn zip(parts: &[(&str, String)], meta: &Properties) -> Result<Vec<u8>, String> {
    use zip::write::SimpleFileOptions;
    let d = &meta.date;
    let date = zip::DateTime::from_date_and_time(
        u16::try_from(d.year.clamp(1980, 2107)).unwrap_or(1980),
        u8::try_from(d.month).unwrap_or(1),
        u8::try_from(d.day).unwrap_or(1),
        0,
        0,
        0,
    )
    .unwrap_or_default();
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(date)
        .unix_permissions(0o644);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in parts {
        zip.start_file(*name, options).map_err(|e| e.to_string())?;
        zip.write_all(body.as_bytes()).map_err(|e| e.to_string())?;
    }
    zip.finish()
        .map(std::io::Cursor::into_inner)
        .map_err(|e| e.to_string())
}

pub fn content_types() -> String {
    let doc = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let mut s = format!(
        "{XML_HEAD}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"{doc}.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"{doc}.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"{doc}.settings+xml\"/>\
<Override PartName=\"/word/numbering.xml\" ContentType=\"{doc}.numbering+xml\"/>"
    );
    for h in ["header1", "header2"] {
        let _ = write!(
            s,
            "<Override PartName=\"/word/{h}.xml\" ContentType=\"{doc}.header+xml\"/>"
        );
    }
    s.push_str("<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/></Types>");
    s
}

pub fn package_rels() -> String {
    let r = "http://schemas.openxmlformats.org";
    format!(
        "{XML_HEAD}<Relationships xmlns=\"{r}/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"{r}/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"{r}/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"{r}/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>"
    )
}

pub fn document_rels() -> String {
    let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    format!(
        "{XML_HEAD}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"{r}/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rId2\" Type=\"{r}/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"rId3\" Type=\"{r}/numbering\" Target=\"numbering.xml\"/>\
<Relationship Id=\"{RID_PAGE_NUMBER}\" Type=\"{r}/header\" Target=\"header1.xml\"/>\
<Relationship Id=\"{RID_FIRST_PAGE}\" Type=\"{r}/header\" Target=\"header2.xml\"/></Relationships>"
    )
}

/// Title, author, subject and dates (the document's date, never the clock).
pub fn core_props(meta: &Properties) -> String {
    let d = &meta.date;
    let when = format!("{:04}-{:02}-{:02}T00:00:00Z", d.year, d.month, d.day);
    format!(
        "{XML_HEAD}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
<dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>{}</dc:creator><dc:language>vi-VN</dc:language>\
<dcterms:created xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:created>\
<dcterms:modified xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:modified></cp:coreProperties>",
        esc(&meta.title),
        esc(&meta.subject),
        esc(&meta.author)
    )
}

pub fn app_props() -> String {
    format!(
        "{XML_HEAD}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
<Application>baocao {}</Application></Properties>",
        env!("CARGO_PKG_VERSION")
    )
}

pub fn settings() -> String {
    format!(
        "{XML_HEAD}<w:settings {NS}><w:defaultTabStop w:val=\"720\"/>\
<w:characterSpacingControl w:val=\"doNotCompress\"/>\
<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
<w:themeFontLang w:val=\"vi-VN\"/></w:settings>"
    )
}

/// The header with the page number (a `PAGE` field, centred), and the empty
/// header of a first page that shows none.
pub fn headers(p: &Profile) -> [String; 2] {
    let size = p.page_numbers.font_size;
    let numbered = format!(
        "{XML_HEAD}<w:hdr {NS}><w:p><w:pPr><w:pStyle w:val=\"Header\"/><w:jc w:val=\"center\"/></w:pPr>\
<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:rPr><w:noProof/><w:sz w:val=\"{0}\"/></w:rPr><w:t>2</w:t></w:r>\
<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:hdr>",
        half(size)
    );
    let empty = format!(
        "{XML_HEAD}<w:hdr {NS}><w:p><w:pPr><w:pStyle w:val=\"Header\"/></w:pPr></w:p></w:hdr>"
    );
    [numbered, empty]
}

/// The numbering definitions: bullets typed as "-" (list 1), and one
/// numbered list for each run of numbered items, starting at the number the
/// author typed (`starts`, lists 2, 3, …).
pub fn numbering(p: &Profile, starts: &[u64]) -> String {
    let indent = tw(crate::layout::mm(p.body.first_indent));
    let lvl = |fmt: &str, text: &str| {
        format!(
            "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{fmt}\"/><w:suff w:val=\"space\"/>\
<w:lvlText w:val=\"{text}\"/><w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"0\" w:firstLine=\"{indent}\"/></w:pPr>\
<w:rPr><w:rFonts w:ascii=\"{FONT}\" w:hAnsi=\"{FONT}\" w:cs=\"{FONT}\"/></w:rPr></w:lvl>"
        )
    };
    let mut s = format!(
        "{XML_HEAD}<w:numbering {NS}><w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"singleLevel\"/>{}</w:abstractNum>\
<w:abstractNum w:abstractNumId=\"1\"><w:multiLevelType w:val=\"singleLevel\"/>{}</w:abstractNum>\
<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>",
        lvl("bullet", "-"),
        lvl("decimal", "%1.")
    );
    for (i, start) in starts.iter().enumerate() {
        let _ = write!(
            s,
            "<w:num w:numId=\"{}\"><w:abstractNumId w:val=\"1\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"{start}\"/></w:lvlOverride></w:num>",
            i + 2
        );
    }
    s.push_str("</w:numbering>");
    s
}

/// A paragraph style.
struct StyleDef<'a> {
    id: &'a str,
    name: &'a str,
    /// Outline level of a heading (0 = level 1 in Word's navigation pane).
    outline: Option<usize>,
    ppr: String,
    rpr: String,
}

fn style(s: &mut String, d: &StyleDef) {
    let default = if d.id == "Normal" {
        " w:default=\"1\""
    } else {
        ""
    };
    let _ = write!(
        s,
        "<w:style w:type=\"paragraph\"{default} w:styleId=\"{}\"><w:name w:val=\"{}\"/>",
        d.id, d.name
    );
    if d.id != "Normal" {
        s.push_str("<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/>");
    }
    s.push_str("<w:qFormat/>");
    // The schema's order: keeping with the next first, the outline level last.
    let (keep, outline) = match d.outline {
        Some(l) => (
            "<w:keepNext/><w:keepLines/>",
            format!("<w:outlineLvl w:val=\"{l}\"/>"),
        ),
        None => ("", String::new()),
    };
    let _ = write!(
        s,
        "<w:pPr>{keep}{}{outline}</w:pPr><w:rPr>{}</w:rPr></w:style>",
        d.ppr, d.rpr
    );
}

/// A heading style's look: size, bold, italic, space before and indent (pt);
/// centred for a part.
pub struct HeadingLook {
    pub size: f32,
    pub bold: bool,
    pub italic: bool,
    pub before: f32,
    pub after: f32,
    pub indent: f32,
    pub centred: bool,
}

/// The styles: the body text (`Normal`), Word's built-in headings
/// (`Heading1`…, one per level the document uses, so Word's navigation pane
/// shows the outline), table text and the page-number header.
pub fn styles(p: &Profile, headings: &[HeadingLook]) -> String {
    let b = &p.body;
    let sz = |size: f32| format!("<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/>", half(size));
    let line = tw(b.line_height);
    let mut s = format!(
        "{XML_HEAD}<w:styles {NS}><w:docDefaults><w:rPrDefault><w:rPr>\
<w:rFonts w:ascii=\"{FONT}\" w:hAnsi=\"{FONT}\" w:eastAsia=\"{FONT}\" w:cs=\"{FONT}\"/>{}<w:lang w:val=\"vi-VN\"/>\
</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:before=\"0\" w:after=\"0\"/></w:pPr></w:pPrDefault></w:docDefaults>",
        sz(b.font_size)
    );
    style(
        &mut s,
        &StyleDef {
            id: "Normal",
            name: "Normal",
            outline: None,
            ppr: format!(
                "<w:widowControl/><w:spacing w:before=\"{}\" w:after=\"0\" w:line=\"{line}\" w:lineRule=\"exact\"/>\
<w:ind w:firstLine=\"{}\"/><w:jc w:val=\"both\"/>",
                tw(b.paragraph_space),
                tw(crate::layout::mm(b.first_indent))
            ),
            rpr: sz(b.font_size),
        },
    );
    for (i, h) in headings.iter().enumerate() {
        let id = format!("Heading{}", i + 1);
        let name = format!("heading {}", i + 1);
        let mut rpr = String::new();
        if h.bold {
            rpr.push_str("<w:b/><w:bCs/>");
        }
        if h.italic {
            rpr.push_str("<w:i/><w:iCs/>");
        }
        rpr.push_str(&sz(h.size));
        let jc = if h.centred { "center" } else { "left" };
        let ppr = format!(
            "<w:spacing w:before=\"{}\" w:after=\"{}\" w:line=\"{line}\" w:lineRule=\"exact\"/><w:ind w:firstLine=\"{}\"/><w:jc w:val=\"{jc}\"/>",
            tw(h.before),
            tw(h.after),
            tw(h.indent)
        );
        style(
            &mut s,
            &StyleDef {
                id: &id,
                name: &name,
                outline: Some(i),
                ppr,
                rpr,
            },
        );
    }
    extra_styles(&mut s, p);
    s.push_str("</w:styles>");
    s
}

/// Table text and the header's page number.
fn extra_styles(s: &mut String, p: &Profile) {
    let t = &p.table;
    let sz = |size: f32| format!("<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/>", half(size));
    style(
        s,
        &StyleDef {
            id: "TableText",
            name: "Table Text",
            outline: None,
            ppr: format!(
                "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"{}\" w:lineRule=\"exact\"/><w:ind w:firstLine=\"0\"/><w:jc w:val=\"left\"/>",
                tw(t.font_size * t.line_height)
            ),
            rpr: sz(t.font_size),
        },
    );
    style(
        s,
        &StyleDef {
            id: "Header",
            name: "header",
            outline: None,
            ppr: format!(
                "<w:spacing w:before=\"0\" w:after=\"0\" w:line=\"{}\" w:lineRule=\"exact\"/><w:ind w:firstLine=\"0\"/><w:jc w:val=\"center\"/>",
                tw(p.page_numbers.font_size)
            ),
            rpr: sz(p.page_numbers.font_size),
        },
    );
}
