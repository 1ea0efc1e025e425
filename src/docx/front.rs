//! The document's frame in Word: the header block (a borderless two-column
//! table: issuing bodies left, the national or Party line right, each rule a
//! paragraph border as long as the PDF's; the number and the place and date
//! on a row under both), the title, and the signature with the recipients
//! beside it (a borderless two-column table). Every size and label comes from
//! the profile, as in `layout::front`.
use super::body::Writer;
use super::xml::{paragraph, run, tw, Jc, Ppr, RunStyle};
use crate::layout::front::{with_ending, Values};
use crate::layout::{mm, par, shape::Shaper, Input};
use crate::profile::LineSpec;

/// How a spec line's text is set in a run.
fn look(spec: &LineSpec) -> RunStyle {
    RunStyle {
        bold: spec.bold,
        italic: spec.italic,
        underline: spec.underline,
        size: Some(spec.size),
    }
}

/// Lines of one column: each a centred paragraph (or `jc`), and a rule under
/// a line whose spec asks for one.
struct Column<'a> {
    width: f32,
    line: f32,
    /// Baseline to rule, pt.
    rule_gap: f32,
    /// Lines break where the PDF breaks them (names in the header block,
    /// which Word would break greedily: "ỦY BAN NHÂN DÂN THÀNH / PHỐ …").
    as_pdf: bool,
    jc: Jc,
    shaper: &'a mut Shaper,
}

impl Column<'_> {
    fn line(&mut self, out: &mut String, text: &str, spec: &LineSpec, before: f32) {
        let ppr = Ppr {
            jc: Some(self.jc),
            first: Some(0.0),
            line: Some(self.line),
            before: Some(before),
            after: Some(0.0),
            keep_next: true,
            ..Ppr::default()
        };
        let broken;
        let text = if self.as_pdf {
            broken = self.pdf_lines(text, spec);
            broken.as_str()
        } else {
            text
        };
        paragraph(out, &ppr, |o| run(o, text, look(spec)));
        if spec.rule > 0.0 {
            let w = self.set_width(text, spec);
            rule(out, self.width, w * spec.rule, self.rule_gap);
        }
    }
}

impl Column<'_> {
    /// `text` with a line break wherever the PDF's layout breaks it in this
    /// column.
    fn pdf_lines(&mut self, text: &str, spec: &LineSpec) -> String {
        let geometry = (0.0, self.width, self.line, 0.0);
        let lines = crate::layout::front::spec_lines(
            self.shaper,
            &mut Vec::new(),
            text,
            spec,
            geometry,
            par::Align::Center,
        );
        let texts: Vec<String> = lines
            .iter()
            .map(|l| {
                let t: String = l
                    .items
                    .iter()
                    .filter_map(|i| match i {
                        crate::layout::Item::Text(t) => Some(t),
                        crate::layout::Item::Rule { .. } => None,
                    })
                    .flat_map(|t| t.glyphs.iter().map(|g| g.text.as_str()))
                    .collect();
                t.trim().to_string()
            })
            .collect();
        // Only when the lines spell the text (spaces aside): never lose a word.
        let squeeze = |s: &str| s.split_whitespace().collect::<String>();
        if squeeze(&texts.join(" ")) == squeeze(text) {
            texts.join("\n")
        } else {
            text.to_string()
        }
    }

    /// How wide `text` is set in the column as a word processor sets it:
    /// words fill each line in turn (a line break in the value breaks it);
    /// the widest line.
    fn set_width(&mut self, text: &str, spec: &LineSpec) -> f32 {
        let style = crate::fonts::Style::of(spec.bold, spec.italic);
        let mut width = |t: &str| par::line_of(self.shaper, t, style, spec.size).1;
        let space = width(" ");
        let mut widest = 0.0f32;
        for hard in text.split('\n') {
            let mut line: Option<f32> = None;
            for word in hard.split(' ').filter(|w| !w.is_empty()) {
                let w = width(word);
                line = Some(match line {
                    Some(l) if l + space + w <= self.width => l + space + w,
                    Some(l) => {
                        widest = widest.max(l);
                        w
                    }
                    None => w,
                });
            }
            widest = widest.max(line.unwrap_or(0.0));
        }
        widest.min(self.width)
    }
}

/// A rule `length` pt long centred in a column `width` pt wide, `gap` pt
/// under the baseline of the line above: an empty paragraph with a top
/// border, as thin as Word allows.
fn rule(out: &mut String, width: f32, length: f32, gap: f32) {
    let side = ((width - length) / 2.0).max(0.0);
    let ppr = Ppr {
        jc: Some(Jc::Center),
        first: Some(0.0),
        left: Some(side),
        right: Some(side),
        // A line of exact height ends about 3.9 pt under its baseline in
        // LibreOffice (measured with the built-in profiles' 17–19 pt lines).
        before: Some((gap - 3.9).max(0.0)),
        after: Some(0.0),
        line: Some(1.0),
        top_border: Some(0.6),
        keep_next: true,
        ..Ppr::default()
    };
    paragraph(out, &ppr, |o| {
        o.push_str("<w:r><w:rPr><w:sz w:val=\"2\"/></w:rPr></w:r>");
    });
}

/// A borderless table with cell margins of 0 (text starts at the margin) and
/// one row per entry of `rows`, each cell's content already written.
fn borderless(out: &mut String, widths: &[f32], rows: &[Vec<String>]) {
    let total: f32 = widths.iter().sum();
    out.push_str(&format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblInd w:w=\"0\" w:type=\"dxa\"/>\
<w:tblBorders><w:top w:val=\"nil\"/><w:left w:val=\"nil\"/><w:bottom w:val=\"nil\"/><w:right w:val=\"nil\"/>\
<w:insideH w:val=\"nil\"/><w:insideV w:val=\"nil\"/></w:tblBorders><w:tblLayout w:type=\"fixed\"/>\
<w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"0\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/>\
<w:right w:w=\"0\" w:type=\"dxa\"/></w:tblCellMar><w:tblLook w:val=\"0000\"/></w:tblPr><w:tblGrid>",
        tw(total)
    ));
    for w in widths {
        out.push_str(&format!("<w:gridCol w:w=\"{}\"/>", tw(*w)));
    }
    out.push_str("</w:tblGrid>");
    for row in rows {
        out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (cell, w) in row.iter().zip(widths) {
            out.push_str(&format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/></w:tcPr>",
                tw(*w)
            ));
            if cell.is_empty() {
                out.push_str("<w:p/>");
            } else {
                out.push_str(cell);
            }
            out.push_str("</w:tc>");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
}

/// The header block and the title, at the top of the document.
pub fn header(doc: &mut Writer, shaper: &mut Shaper, input: &Input) {
    let p = input.profile;
    let h = &p.header;
    let v = Values::new(input.meta, input.signer, input.settings);
    let width = doc.area_width(false);
    let lw = width * h.left_column;
    let (l, n) = header_column(shaper, &v, (&h.left, &h.number), lw, input);
    let (r, d) = header_column(shaper, &v, (&h.right, &h.date), width - lw, input);
    borderless(&mut doc.out, &[lw, width - lw], &[vec![l, r], vec![n, d]]);
    title(doc, shaper, &v, input);
}

/// One column of the header block `width` pt wide: its lines (with their
/// rules), and its cell of the row under both (the number, or the place and
/// date).
fn header_column(
    shaper: &mut Shaper,
    v: &Values,
    (specs, row): (&[LineSpec], &LineSpec),
    width: f32,
    input: &Input,
) -> (String, String) {
    let h = &input.profile.header;
    let mut col = Column {
        width,
        line: h.line_height,
        rule_gap: h.rule_gap,
        as_pdf: true,
        jc: Jc::Center,
        shaper,
    };
    let (mut lines, mut under) = (String::new(), String::new());
    for spec in specs {
        if let Some(t) = v.fill(&spec.text, &[]) {
            col.line(&mut lines, &t, spec, 0.0);
        }
    }
    if let Some(t) = v.fill(&row.text, &[]) {
        col.line(&mut under, &t, row, h.number_row_space);
    }
    (lines, under)
}

/// The document type, the summary and the short line under it, centred.
fn title(doc: &mut Writer, shaper: &mut Shaper, v: &Values, input: &Input) {
    let p = input.profile;
    let t = &p.title;
    let descender = shaper.fonts().face(crate::fonts::Style::Regular).descender;
    let mut col = Column {
        width: doc.area_width(false),
        line: p.body.line_height,
        // The summary's rule lies the profile's gap below its descenders.
        rule_gap: descender * t.summary.size + mm(t.summary_rule_gap),
        as_pdf: false,
        jc: Jc::Center,
        shaper,
    };
    let mut before = t.space_before;
    for spec in [&t.kind, &t.summary, &t.rule_line] {
        if let Some(mut text) = v.fill(&spec.text, &[]) {
            if t.capitalize_summary && std::ptr::eq(spec, &t.summary) {
                text = crate::vn::capitalize_first(&text);
            }
            col.line(&mut doc.out, &text, spec, before);
            before = 0.0;
        }
    }
    doc.first_before = Some(t.space_after);
}

/// The head of an appendix (`\phu_luc`), as the layout sets it: the
/// "Phụ lục I" line, then (written by the caller) the title, then the
/// centred "(Kèm theo …)" line with its rule. `part` 0 is the label line,
/// 1 the "Kèm theo" line.
pub fn appendix_line(doc: &mut Writer, shaper: &mut Shaper, input: &Input, text: &str, part: u8) {
    let p = input.profile;
    let a = &p.appendix;
    let descender = shaper.fonts().face(crate::fonts::Style::Regular).descender;
    let spec = if part == 0 { &a.label } else { &a.with_line };
    let landscape = doc.landscape;
    let mut col = Column {
        width: doc.area_width(landscape),
        line: p.body.line_height,
        rule_gap: descender * spec.size + mm(a.rule_gap),
        as_pdf: false,
        jc: Jc::Center,
        shaper,
    };
    col.line(&mut doc.out, text, spec, 0.0);
    if part == 1 {
        doc.first_before = Some(a.space_after);
    }
}

/// The signature block (right) and the recipients beside it (left).
pub fn signature(doc: &mut Writer, input: &Input) {
    doc.keep_last_paragraph_with_next();
    let p = input.profile;
    let k = &p.signature;
    let v = Values::new(input.meta, input.signer, input.settings);
    let width = doc.area_width(false);
    let rw = width * k.right_column;
    let widths = [width - rw, rw];
    let ppr = |line: f32, jc: Jc, before: f32| Ppr {
        jc: Some(jc),
        first: Some(0.0),
        line: Some(line),
        before: Some(before),
        after: Some(0.0),
        keep_next: true,
        keep_lines: true,
        ..Ppr::default()
    };
    let mut right = String::new();
    let mut before = k.space_before;
    for spec in [&k.authority, &k.position] {
        if let Some(t) = v.fill(&spec.text, &[]) {
            paragraph(&mut right, &ppr(k.line_height, Jc::Center, before), |o| {
                run(o, &t, look(spec));
            });
            before = 0.0;
        }
    }
    for _ in 0..k.blank_lines {
        paragraph(&mut right, &ppr(k.line_height, Jc::Center, 0.0), |_| {});
    }
    if let Some(t) = v.fill(&k.name.text, &[]) {
        paragraph(&mut right, &ppr(k.line_height, Jc::Center, 0.0), |o| {
            run(o, &t, look(&k.name));
        });
    }
    let left = recipients(input, &v, k.line_height, k.space_before);
    borderless(&mut doc.out, &widths, &[vec![left, right]]);
}

/// "Nơi nhận:" and one line per recipient, with the profile's endings.
fn recipients(input: &Input, v: &Values, title_line: f32, before: f32) -> String {
    let n = &input.profile.recipients;
    let list = &input.meta.recipients;
    let mut out = String::new();
    if list.is_empty() {
        return out;
    }
    let ppr = |line: f32, before: f32| Ppr {
        jc: Some(Jc::Left),
        first: Some(0.0),
        right: Some(6.0),
        line: Some(line),
        before: Some(before),
        after: Some(0.0),
        ..Ppr::default()
    };
    let mut before = Some(before);
    if let Some(t) = v.fill(&n.title.text, &[]) {
        paragraph(
            &mut out,
            &ppr(title_line, before.take().unwrap_or(0.0)),
            |o| {
                run(o, &t, look(&n.title));
            },
        );
    }
    let last = list.len().saturating_sub(1);
    for (i, d) in list.iter().enumerate() {
        let end = if i == last {
            &n.last_line_end
        } else {
            &n.line_end
        };
        let d = with_ending(d, end);
        if let Some(t) = v.fill(&n.line.text, &[("dong", d.as_str())]) {
            let b = before.take().unwrap_or(0.0);
            paragraph(&mut out, &ppr(n.line_height, b), |o| {
                run(o, &t, look(&n.line))
            });
        }
    }
    out
}
