//! Small pieces of WordprocessingML: escaping, units, runs and paragraph
//! properties, written into a `String`.
use std::fmt::Write;

/// Points to twentieths of a point (twips), Word's unit of length.
pub fn tw(pt: f32) -> i64 {
    (pt * 20.0).round() as i64
}

/// Points to half-points, Word's unit of font size.
pub fn half(pt: f32) -> i64 {
    (pt * 2.0).round() as i64
}

/// Text escaped for XML content and attribute values. Characters XML 1.0
/// does not allow (the input refuses control characters; this is a guard)
/// are left out.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The look of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RunStyle {
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
    /// Size, pt; `None`: the paragraph style's.
    pub size: Option<f32>,
}

/// A run of `text`; a `'\n'` in it is a line break (`w:br`).
pub fn run(out: &mut String, text: &str, st: RunStyle) {
    out.push_str("<w:r>");
    let mut rpr = String::new();
    if st.bold {
        rpr.push_str("<w:b/><w:bCs/>");
    }
    if st.italic {
        rpr.push_str("<w:i/><w:iCs/>");
    }
    // The schema's order: size before underline.
    if let Some(size) = st.size {
        let _ = write!(
            rpr,
            "<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/>",
            half(size)
        );
    }
    if st.underline {
        rpr.push_str("<w:u w:val=\"single\"/>");
    }
    if !rpr.is_empty() {
        let _ = write!(out, "<w:rPr>{rpr}</w:rPr>");
    }
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<w:br/>");
        }
        if !line.is_empty() {
            let _ = write!(out, "<w:t xml:space=\"preserve\">{}</w:t>", esc(line));
        }
    }
    out.push_str("</w:r>");
}

/// Horizontal alignment of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Jc {
    Left,
    Center,
    Right,
}

impl Jc {
    fn val(self) -> &'static str {
        match self {
            Jc::Left => "left",
            Jc::Center => "center",
            Jc::Right => "right",
        }
    }
}

/// Paragraph properties, written in the order the schema wants them.
#[derive(Debug, Clone, Default)]
pub struct Ppr {
    pub style: Option<String>,
    pub keep_next: bool,
    pub keep_lines: bool,
    pub page_break_before: bool,
    /// (numId) of a list item.
    pub num: Option<usize>,
    /// A top border (a rule), pt wide, and its colour-less single line.
    pub top_border: Option<f32>,
    /// Space before and after, pt.
    pub before: Option<f32>,
    pub after: Option<f32>,
    /// Exact line height, pt.
    pub line: Option<f32>,
    /// Left and right indents and first-line indent, pt.
    pub left: Option<f32>,
    pub right: Option<f32>,
    pub first: Option<f32>,
    pub jc: Option<Jc>,
    /// A section ends with this paragraph (its `w:sectPr`).
    pub sect: Option<String>,
}

impl Ppr {
    /// `<w:pPr>…</w:pPr>`, or nothing when every property is the style's.
    pub fn write(&self, out: &mut String) {
        let mut p = String::new();
        if let Some(s) = &self.style {
            let _ = write!(p, "<w:pStyle w:val=\"{s}\"/>");
        }
        if self.keep_next {
            p.push_str("<w:keepNext/>");
        }
        if self.keep_lines {
            p.push_str("<w:keepLines/>");
        }
        if self.page_break_before {
            p.push_str("<w:pageBreakBefore/>");
        }
        if let Some(n) = self.num {
            let _ = write!(
                p,
                "<w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"{n}\"/></w:numPr>"
            );
        }
        if let Some(w) = self.top_border {
            let sz = ((w * 8.0).round() as i64).clamp(2, 96);
            let _ = write!(
                p,
                "<w:pBdr><w:top w:val=\"single\" w:sz=\"{sz}\" w:space=\"0\" w:color=\"000000\"/></w:pBdr>"
            );
        }
        self.spacing_and_indent(&mut p);
        if let Some(jc) = self.jc {
            let _ = write!(p, "<w:jc w:val=\"{}\"/>", jc.val());
        }
        if let Some(s) = &self.sect {
            p.push_str(s);
        }
        if !p.is_empty() {
            let _ = write!(out, "<w:pPr>{p}</w:pPr>");
        }
    }

    fn spacing_and_indent(&self, p: &mut String) {
        if self.before.is_some() || self.after.is_some() || self.line.is_some() {
            p.push_str("<w:spacing");
            if let Some(b) = self.before {
                let _ = write!(p, " w:before=\"{}\"", tw(b));
            }
            if let Some(a) = self.after {
                let _ = write!(p, " w:after=\"{}\"", tw(a));
            }
            if let Some(l) = self.line {
                let _ = write!(p, " w:line=\"{}\" w:lineRule=\"exact\"", tw(l));
            }
            p.push_str("/>");
        }
        if self.left.is_some() || self.right.is_some() || self.first.is_some() {
            p.push_str("<w:ind");
            if let Some(l) = self.left {
                let _ = write!(p, " w:left=\"{}\"", tw(l));
            }
            if let Some(r) = self.right {
                let _ = write!(p, " w:right=\"{}\"", tw(r));
            }
            if let Some(f) = self.first {
                let _ = write!(p, " w:firstLine=\"{}\"", tw(f));
            }
            p.push_str("/>");
        }
    }
}

/// A whole paragraph: properties and runs written by `runs`.
pub fn paragraph(out: &mut String, ppr: &Ppr, runs: impl FnOnce(&mut String)) {
    out.push_str("<w:p>");
    ppr.write(out);
    runs(out);
    out.push_str("</w:p>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_line_breaks_are_breaks() {
        let mut s = String::new();
        run(&mut s, "a<b & \"c\"\nd", RunStyle::default());
        assert_eq!(
            s,
            "<w:r><w:t xml:space=\"preserve\">a&lt;b &amp; &quot;c&quot;</w:t><w:br/><w:t xml:space=\"preserve\">d</w:t></w:r>"
        );
    }

    #[test]
    fn units() {
        assert_eq!(tw(14.0), 280);
        assert_eq!(half(13.0), 26);
        assert_eq!(half(10.5), 21);
    }
}
