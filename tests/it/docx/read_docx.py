# What python-docx (Debian: python3-docx) reads in a DOCX, as JSON: headings
# with their styles, tables (grid, repeated header rows, merged cells,
# borders), sections (page, orientation, header with a PAGE field) and the
# document properties. Used by tests/it/docx.rs.
import sys, json, docx
from docx.oxml.ns import qn
d = docx.Document(sys.argv[1])
def borders(tbl):
    b = tbl._tbl.tblPr.find(qn('w:tblBorders'))
    return sorted({e.get(qn('w:val')) for e in b}) if b is not None else []
tables = []
for t in d.tables:
    rows = t._tbl.tr_lst
    tables.append({
        'columns': len(t._tbl.tblGrid.findall(qn('w:gridCol'))),
        'rows': len(rows),
        'header_rows': [i for i, r in enumerate(rows) if r.trPr is not None and r.trPr.find(qn('w:tblHeader')) is not None],
        'spans': sum(1 for c in t._tbl.iter(qn('w:gridSpan'))),
        'merged_down': sum(1 for c in t._tbl.iter(qn('w:vMerge'))),
        'borders': borders(t),
        'first_row': [c.text for c in t.rows[0].cells],
    })
sections = []
for s in d.sections:
    hdr = s.header._element.xml
    sections.append({
        'landscape': s.orientation == 1,
        'width': round(s.page_width.pt, 1), 'height': round(s.page_height.pt, 1),
        'margins': [round(x.pt, 1) for x in (s.top_margin, s.right_margin, s.bottom_margin, s.left_margin)],
        'different_first_page': s.different_first_page_header_footer,
        'page_field': 'PAGE' in hdr and 'fldChar' in hdr,
        'first_page_header_text': s.first_page_header.paragraphs[0].text if s.different_first_page_header_footer else None,
    })
cp = d.core_properties
print(json.dumps({
    'headings': [[p.style.name, p.text] for p in d.paragraphs if p.style.name.startswith('Heading')],
    'list_items': sum(1 for p in d.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None),
    'tables': tables, 'sections': sections,
    'title': cp.title, 'author': cp.author, 'subject': cp.subject,
    'fonts': sorted({f.get(qn('w:ascii')) for f in d.styles.element.iter(qn('w:rFonts'))}),
}, ensure_ascii=False, indent=1))
