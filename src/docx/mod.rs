//! DOCX: the same report as an editable Word document.
//!
//! Takes what layout takes (the parsed body, `[van_ban]`/`[ky]`, the profile
//! and the formatting settings) and returns the bytes of a `.docx` package
//! that Word and LibreOffice open: the page size and margins of the profile,
//! the header block as a borderless two-column table with its rules, the
//! title, the body with Word's own heading styles (so the navigation pane shows
//! the outline), lists as Word lists starting at the number typed, tables as
//! tables (header rows repeated on every page, merged cells), the signature and
//! recipients as a borderless table, page numbers in the header from page 2
//! (a `PAGE` field, a different first page), appendix sections on landscape or
//! portrait pages, and the document properties. Every font is named Times New
//! Roman. The WordprocessingML is written here directly and packed with the
//! `zip` crate in a fixed order with fixed dates: same report, same bytes.
mod body;
mod front;
mod package;
mod xml;

use crate::diag::Diagnostic;
use crate::layout::{mm, shape::Shaper, Input, Properties};
use crate::profile::Profile;

/// Write the report `input` as DOCX bytes. `shaper` measures text where Word
/// needs a length (rules under header lines, table columns as the PDF sets them).
pub fn write(shaper: &mut Shaper, input: &Input, meta: &Properties) -> Result<Vec<u8>, Diagnostic> {
    let p = input.profile;
    let mut doc = body::Writer::new(input);
    front::header(&mut doc, shaper, input);
    doc.body(shaper, input)?;
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document {}><w:body>{}{}</w:body></w:document>",
        package::NS,
        doc.out,
        sect_pr(p, doc.landscape, doc.sections == 0, doc.restart)
    );
    let [numbered, first] = package::headers(p);
    let parts = [
        ("[Content_Types].xml", package::content_types()),
        ("_rels/.rels", package::package_rels()),
        ("docProps/core.xml", package::core_props(meta)),
        ("docProps/app.xml", package::app_props()),
        ("word/_rels/document.xml.rels", package::document_rels()),
        ("word/document.xml", document),
        ("word/styles.xml", package::styles(p, &doc.heading_looks())),
        ("word/settings.xml", package::settings()),
        (
            "word/numbering.xml",
            package::numbering(p, &doc.list_starts),
        ),
        ("word/header1.xml", numbered),
        ("word/header2.xml", first),
    ];
    package::zip(&parts, meta).map_err(|e| {
        Diagnostic::error(format!("lỗi nội bộ: không đóng gói được tệp DOCX: {e}")).with_hint(
            "đây là lỗi của baocao, không phải của số liệu: xin báo cho người phát triển, kèm tệp số liệu và mẫu",
        )
    })
}

/// The properties of a section: its page (portrait or landscape, the
/// profile's size and margins) and its header (the page number; on the main
/// section's first page none, when the profile numbers pages from page 2).
fn sect_pr(p: &Profile, landscape: bool, main: bool, restart: bool) -> String {
    use xml::tw;
    let t = &p.page;
    let (w, h) = if landscape {
        (t.height, t.width)
    } else {
        (t.width, t.height)
    };
    // An appendix numbering its own pages leaves its first page unnumbered,
    // as the main text's first page.
    let first_unnumbered = (main || restart) && p.page_numbers.from_page >= 2;
    // Margins in whole twips, rounded up: the text area is never wider than
    // the profile's.
    let margin = |v: f32| (mm(v) * 20.0).ceil() as i64;
    // A landscape page's margins turn with it (the binding margin on the
    // edge the profile names), as in the PDF.
    let (top, bottom, left, right) = crate::layout::margins(p, landscape);
    let mut s = format!(
        "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"{}\"/>",
        package::RID_PAGE_NUMBER
    );
    if first_unnumbered {
        s.push_str(&format!(
            "<w:headerReference w:type=\"first\" r:id=\"{}\"/>",
            package::RID_FIRST_PAGE
        ));
    }
    // The page number's middle lies `cach_mep_tren` below the top edge: its
    // line (as tall as the number's size) starts about half a size above.
    let size = p.page_numbers.font_size;
    let header = (mm(p.page_numbers.from_top) - 0.454 * size).max(0.0);
    s.push_str(&format!(
        "<w:type w:val=\"nextPage\"/><w:pgSz w:w=\"{}\" w:h=\"{}\"{}/>\
<w:pgMar w:top=\"{}\" w:right=\"{}\" w:bottom=\"{}\" w:left=\"{}\" w:header=\"{}\" w:footer=\"0\" w:gutter=\"0\"/>",
        tw(mm(w)),
        tw(mm(h)),
        if landscape { " w:orient=\"landscape\"" } else { "" },
        margin(top),
        margin(right),
        margin(bottom),
        margin(left),
        tw(header)
    ));
    if restart {
        s.push_str("<w:pgNumType w:start=\"1\"/>");
    }
    if first_unnumbered {
        s.push_str("<w:titlePg/>");
    }
    s.push_str("</w:sectPr>");
    s
}
