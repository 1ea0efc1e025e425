//! Compiling a template fast, into exactly what Handlebars compiles.
//!
//! Handlebars parses with pest, which costs about 0.1 µs per character and, for
//! every token, counts lines from the start of the text: 2.9 ms for the 14 KB
//! Bắc Kạn template, the largest single cost of a one-report run. Two steps,
//! each undone after compiling, make it cheap:
//!
//! 1. *Compaction*: the inside of each run of plain text (between its first and
//!    last non-blank characters, with no braces or backslashes) is replaced by a
//!    short placeholder. Handlebars' whitespace rules (`~`, standalone lines,
//!    indentation) only look at the blank edges of text, which stay; afterwards
//!    the placeholders in the text elements are replaced by the original text
//!    and every line:column is mapped back to the original template.
//! 2. *Pieces*: the compacted text is cut at line starts outside any block and
//!    the pieces compiled one by one, so that line counting stays short; their
//!    elements are joined.
//!
//! Whenever a step cannot prove itself (a piece fails to compile, a placeholder
//! is not found exactly once, an element of an unknown kind), the original text
//! goes to Handlebars whole: errors are always Handlebars' own, at their places.
use super::tags::{self, Kind};
use handlebars::template::{Template, TemplateElement, TemplateMapping};
use handlebars::TemplateError;

/// Bytes of (compacted) template text per piece: small enough that counting
/// lines is cheap, large enough that pieces stay few (the Bắc Kạn template
/// compiles in 9 % fewer instructions at 256 than at 1024; blocks stay whole).
const PIECE: usize = 256;

/// Text shorter than this is left in place (a placeholder is 8 bytes or more).
const MIN_COMPACT: usize = 16;

/// Placeholder delimiters: private-use characters. A template that holds
/// either is compiled whole.
const OPEN: char = '\u{F8F0}';
const CLOSE: char = '\u{F8F1}';

/// Compile `text` as the template `name`.
pub fn compile(name: &str, text: &str) -> Result<Template, TemplateError> {
    if let Some(mut t) = compile_fast(text, PIECE) {
        t.name = Some(name.to_string());
        return Ok(t);
    }
    Template::compile_with_name(text, name.to_string())
}

/// Compaction and pieces; `None` when the whole text must go to Handlebars.
fn compile_fast(text: &str, piece: usize) -> Option<Template> {
    let compact = Compact::new(text)?;
    let cuts = cut_points(&compact.text, piece);
    let mut t = compile_pieces(&compact.text, &cuts)?;
    if compact.subs.is_empty() {
        return Some(t);
    }
    let lines = Lines {
        compact: LineIndex::new(&compact.text),
        original: LineIndex::new(text),
    };
    let mut restored = 0usize;
    let mut ok = true;
    visit(&mut t, &mut |e| match e {
        Visit::Text(s) => match compact.restore(s) {
            Some(n) => restored += n,
            None => ok = false,
        },
        Visit::Mapping(m) => {
            if let Some((l, c)) = compact.original_place(&lines, m.0, m.1) {
                m.0 = l;
                m.1 = c;
            } else {
                ok = false;
            }
        }
    })
    .then_some(())?;
    (ok && restored == compact.subs.len()).then_some(t)
}

/// A template with the inside of its plain-text runs replaced by placeholders.
struct Compact<'a> {
    original: &'a str,
    text: String,
    /// For each placeholder: (start, end) in `text`, (start, end) in `original`.
    subs: Vec<((usize, usize), (usize, usize))>,
}

impl<'a> Compact<'a> {
    fn new(original: &'a str) -> Option<Compact<'a>> {
        if original.contains([OPEN, CLOSE]) {
            return None;
        }
        let mut text = String::with_capacity(original.len() / 2);
        let mut subs = Vec::new();
        let mut copied = 0usize;
        let mut gap_start = 0usize;
        let tag_starts = tags::scan(original)
            .map(|t| (t.start, t.end))
            .chain(std::iter::once((original.len(), original.len())));
        for (start, end) in tag_starts {
            let gap = original.get(gap_start..start)?;
            // Strictly inside the first and last non-blank characters.
            let first = gap.find(|c: char| !c.is_whitespace());
            let last = gap.rfind(|c: char| !c.is_whitespace());
            if let (Some(f), Some(l)) = (first, last) {
                let a = gap_start + f + gap.get(f..)?.chars().next()?.len_utf8();
                let b = gap_start + l;
                let inner = original.get(a..b.max(a))?;
                if inner.len() >= MIN_COMPACT && !inner.contains(['{', '}', '\\']) {
                    text.push_str(original.get(copied..a)?);
                    let from = text.len();
                    text.push(OPEN);
                    text.push_str(&subs.len().to_string());
                    text.push(CLOSE);
                    subs.push(((from, text.len()), (a, b)));
                    copied = b;
                }
            }
            gap_start = end.max(start);
        }
        text.push_str(original.get(copied..)?);
        Some(Compact {
            original,
            text,
            subs,
        })
    }

    /// Put the original text back for the placeholders in `s`: how many.
    fn restore(&self, s: &mut String) -> Option<usize> {
        if !s.contains(OPEN) {
            return Some(0);
        }
        let mut out = String::with_capacity(s.len() * 4);
        let mut n = 0;
        let mut rest = s.as_str();
        while let Some(i) = rest.find(OPEN) {
            out.push_str(rest.get(..i)?);
            let after = rest.get(i + OPEN.len_utf8()..)?;
            let j = after.find(CLOSE)?;
            let k: usize = after.get(..j)?.parse().ok()?;
            let (_, (a, b)) = self.subs.get(k)?;
            out.push_str(self.original.get(*a..*b)?);
            n += 1;
            rest = after.get(j + CLOSE.len_utf8()..)?;
        }
        out.push_str(rest);
        *s = out;
        Some(n)
    }

    /// The original line:column of `line:col` in the compacted text (1-based,
    /// columns in characters, as pest counts them).
    fn original_place(&self, lines: &Lines, line: usize, col: usize) -> Option<(usize, usize)> {
        let at = lines.compact.offset_of(&self.text, line, col)?;
        // Shift by every placeholder that ends at or before `at`.
        let k = self.subs.partition_point(|((_, e), _)| *e <= at);
        let orig = match k.checked_sub(1).and_then(|i| self.subs.get(i)) {
            Some(((_, ce), (_, oe))) => at - ce + oe,
            None => at,
        };
        lines.original.line_col_of(self.original, orig)
    }
}

/// Line starts of the compacted and the original text.
struct Lines {
    compact: LineIndex,
    original: LineIndex,
}

/// Byte offsets where lines start.
struct LineIndex(Vec<usize>);

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex(starts)
    }

    /// Byte offset of 1-based `line`:`col` in `text`.
    fn offset_of(&self, text: &str, line: usize, col: usize) -> Option<usize> {
        let start = *self.0.get(line.checked_sub(1)?)?;
        let rest = text.get(start..)?;
        let within = rest
            .char_indices()
            .nth(col.checked_sub(1)?)
            .map_or(rest.len(), |(i, _)| i);
        Some(start + within)
    }

    /// 1-based line:column (in characters) of byte offset `at` in `text`.
    fn line_col_of(&self, text: &str, at: usize) -> Option<(usize, usize)> {
        let line = self.0.partition_point(|s| *s <= at);
        let start = *self.0.get(line.checked_sub(1)?)?;
        let col = text.get(start..at)?.chars().count() + 1;
        Some((line, col))
    }
}

/// Byte offsets where `text` can be cut so that each piece compiles to the same
/// elements as it does inside the whole: line starts outside every block, tag,
/// comment and raw block, with no `~` trimming white space across the cut; each
/// at least `every` bytes after the previous cut.
pub(crate) fn cut_points(text: &str, every: usize) -> Vec<usize> {
    let mut cuts = Vec::new();
    let mut last = 0usize;
    let mut depth = 0usize;
    // The end of the previous tag, and whether white space after it is trimmed.
    let mut gap_start = 0usize;
    let mut trims_after = false;
    let mut consider = |from: usize, to: usize, allowed: bool, cuts: &mut Vec<usize>| {
        let Some(gap) = text.get(from..to).filter(|_| allowed) else {
            return;
        };
        for (i, _) in gap.match_indices('\n') {
            let p = from + i + 1;
            if p < text.len() && p >= last + every {
                cuts.push(p);
                last = p;
            }
        }
    };
    for tag in tags::scan(text) {
        // The gap before the tag; a cut right at the tag's `{{` is allowed.
        consider(
            gap_start,
            tag.start,
            depth == 0 && !trims_after && !tag.trims_before(),
            &mut cuts,
        );
        match tag.kind {
            Kind::Open => depth += 1,
            Kind::Close => depth = depth.saturating_sub(1),
            _ => {}
        }
        gap_start = tag.end;
        // A `~}}` trims the next text even past comments.
        trims_after = if tag.kind == Kind::Comment {
            trims_after || tag.trims_after()
        } else {
            tag.trims_after()
        };
    }
    consider(gap_start, text.len(), depth == 0 && !trims_after, &mut cuts);
    cuts
}

/// Compile the pieces between `cuts` one by one and join them, or `None` if
/// one fails.
fn compile_pieces(text: &str, cuts: &[usize]) -> Option<Template> {
    let mut whole = Template::default();
    let mut lines = 0usize;
    let mut start = 0usize;
    for &end in cuts.iter().chain(std::iter::once(&text.len())) {
        let piece = text.get(start..end)?;
        start = end;
        let mut t = Template::compile(piece).ok()?;
        if lines > 0 {
            visit(&mut t, &mut |e| {
                if let Visit::Mapping(m) = e {
                    m.0 += lines;
                }
            })
            .then_some(())?;
        }
        append(&mut whole, t);
        lines += piece.bytes().filter(|b| *b == b'\n').count();
    }
    Some(whole)
}

/// What [`visit`] hands over.
enum Visit<'t> {
    Text(&'t mut String),
    Mapping(&'t mut TemplateMapping),
}

/// Call `f` on every text element and every line mapping of `t` and of the
/// templates nested in it; false if `t` holds an element of a kind this version
/// does not know (which might nest templates of its own).
#[must_use]
fn visit(t: &mut Template, f: &mut dyn FnMut(Visit<'_>)) -> bool {
    for m in &mut t.mapping {
        f(Visit::Mapping(m));
    }
    for e in &mut t.elements {
        match e {
            TemplateElement::HtmlExpression(h)
            | TemplateElement::Expression(h)
            | TemplateElement::HelperBlock(h) => {
                for inner in [&mut h.template, &mut h.inverse].into_iter().flatten() {
                    if !visit(inner, f) {
                        return false;
                    }
                }
            }
            TemplateElement::DecoratorExpression(d)
            | TemplateElement::DecoratorBlock(d)
            | TemplateElement::PartialExpression(d)
            | TemplateElement::PartialBlock(d) => {
                if let Some(inner) = &mut d.template {
                    if !visit(inner, f) {
                        return false;
                    }
                }
            }
            TemplateElement::RawString(s) => f(Visit::Text(s)),
            TemplateElement::Comment(_) => {}
            _ => return false,
        }
    }
    true
}

/// Append `next`'s elements to `whole`, joining text split by the cut.
fn append(whole: &mut Template, next: Template) {
    let mut elements = next.elements.into_iter().zip(next.mapping).peekable();
    if let (Some(TemplateElement::RawString(tail)), Some((TemplateElement::RawString(head), _))) =
        (whole.elements.last_mut(), elements.peek())
    {
        tail.push_str(head);
        elements.next();
    }
    for (e, m) in elements {
        whole.elements.push(e);
        whole.mapping.push(m);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Forget where text elements start: Handlebars places text after a tag at
    /// the tag's line or the next one depending on the token stream; only text,
    /// which renders without error, is affected.
    fn without_text_lines(t: &mut Template) {
        for (e, m) in t.elements.iter_mut().zip(t.mapping.iter_mut()) {
            match e {
                TemplateElement::RawString(_) => {
                    m.0 = 0;
                    m.1 = 0;
                }
                TemplateElement::HtmlExpression(h)
                | TemplateElement::Expression(h)
                | TemplateElement::HelperBlock(h) => {
                    for inner in [&mut h.template, &mut h.inverse].into_iter().flatten() {
                        without_text_lines(inner);
                    }
                }
                TemplateElement::DecoratorExpression(d)
                | TemplateElement::DecoratorBlock(d)
                | TemplateElement::PartialExpression(d)
                | TemplateElement::PartialBlock(d) => {
                    if let Some(inner) = &mut d.template {
                        without_text_lines(inner);
                    }
                }
                _ => {}
            }
        }
    }

    /// Pieces cut at every allowed line give Handlebars' own template: the same
    /// elements, and the same line and column for every tag.
    fn same_as_whole(text: &str) {
        let whole = Template::compile_with_name(text, "t".to_string()).map(|mut t| {
            without_text_lines(&mut t);
            t
        });
        let cuts = cut_points(text, 1);
        let pieces = compile_fast(text, 1).map(|mut t| {
            t.name = Some("t".to_string());
            without_text_lines(&mut t);
            t
        });
        match (whole, pieces) {
            (Ok(w), Some(p)) => assert_eq!(w, p, "cuts {cuts:?} of {text:?}"),
            (Ok(_), None) => panic!("pieces failed where the whole compiles: {cuts:?} {text:?}"),
            (Err(_), Some(_)) => panic!("pieces compiled where the whole fails: {text:?}"),
            (Err(_), None) => {}
        }
    }

    #[test]
    fn the_bac_kan_template_compiles_to_handlebars_own_template() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/bac-kan-2021/bao-cao.md.hbs"
        ))
        .unwrap();
        let mut own = Template::compile(&text).unwrap();
        own.name = Some("t".to_string());
        assert_eq!(compile("t", &text).unwrap(), own);
    }

    #[test]
    fn pieces_equal_the_whole() {
        for t in [
            "a\nb\nc\n",
            "# Tiêu đề\n\n{{#if a}}\nx\n\ny\n{{/if}}\nz\n{{b}}\n\nw",
            "{{#each xs}}\n- {{this}}\n{{/each}}\n\nsau\n",
            "trước\n  {{#if a}}\n  x\n  {{else}}\n  y\n  {{/if}}\nsau\n",
            "a\n\n{{~b}}\n\nc\n",
            "a {{b~}}\n\n   c\n\nd\n",
            "{{!-- chú thích\n\n{{#if x}}\n--}}\nx\n\ny\n",
            "{{{{raw}}}}\n{{#if}}\n\n{{{{/raw}}}}\nz\n\n",
            "\\{{#if a}}\nb\n\nc\n",
            "a\r\n\r\n{{#if b}}\r\nc\r\n{{/if}}\r\n\r\nd",
            "{{#*inline \"p\"}}\nx\n{{/inline}}\n\n{{> p}}\n\n  {{> p}}\ny\n",
            "{{#if a}}\nx\n{{else if b}}\ny\n{{^}}\nz\n{{/if}}\n\nw\n",
            "{{#if a}}\nunclosed\n\nz\n",
            "a\n}}\n{{/if}}\nb\n",
            "{{x}}\n{{y}}\n\n{{z}}",
            "{{z~}}{{!c}}\n\n",
        ] {
            same_as_whole(t);
        }
    }

    #[test]
    fn example_templates_compile_the_same_in_pieces() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
        let mut seen = 0;
        for dir in std::fs::read_dir(root).into_iter().flatten().flatten() {
            for f in std::fs::read_dir(dir.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let p = f.path();
                if p.to_string_lossy().ends_with(".hbs") {
                    let text = std::fs::read_to_string(&p).unwrap_or_default();
                    // Cutting works: at least one cut per 4 KB (blocks are kept whole).
                    assert!(cut_points(&text, 1024).len() >= text.len() / 4096);
                    same_as_whole(&text);
                    let compact = Compact::new(&text).map(|c| c.subs.len());
                    assert!(compact > Some(5), "{compact:?} placeholders");
                    let whole = Template::compile_with_name(&text, "x".to_string());
                    let pieces = compile("x", &text);
                    assert_eq!(whole.is_ok(), pieces.is_ok());
                    seen += 1;
                }
            }
        }
        assert!(seen >= 3, "examples not found");
    }

    #[test]
    fn cuts_respect_blocks_and_trimming() {
        let t = "a\n{{#if x}}\nb\n{{/if}}\nc\n{{~d}}\ne\n";
        let cuts = cut_points(t, 1);
        for c in &cuts {
            assert_eq!(t.as_bytes()[c - 1], b'\n');
        }
        // Before the block, not inside it, not before `{{~d}}`, not at the end.
        assert_eq!(cuts, vec![2, 31]);
    }

    /// Well-formed templates (balanced blocks) from tricky fragments, with a
    /// sprinkle of broken ones.
    fn template() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let leaf = proptest::sample::select(FRAGMENTS).prop_map(str::to_string);
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..8).prop_map(|v| v.concat()),
                (
                    proptest::sample::select(OPENERS),
                    inner.clone(),
                    proptest::option::of((proptest::sample::select(ELSES), inner.clone())),
                    proptest::sample::select(&["", "\n", "  \n", "\r\n"][..]),
                )
                    .prop_map(|((open, close), body, alt, nl)| {
                        let alt = alt.map(|(e, b)| format!("{e}{nl}{b}")).unwrap_or_default();
                        format!("{open}{nl}{body}{alt}{close}{nl}")
                    }),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// Pieces always compile to the whole's elements.
        #[test]
        fn random_templates_compile_the_same_in_pieces(text in template()) {
            same_as_whole(&text);
        }
    }

    const OPENERS: &[(&str, &str)] = &[
        ("{{#if a}}", "{{/if}}"),
        ("{{~#if a~}}", "{{~/if~}}"),
        ("  {{#if a}}", "  {{/if}}"),
        ("{{#each xs}}", "{{/each}}"),
        ("{{^each xs}}", "{{/each}}"),
        ("{{#unless b}}", "{{/unless}}"),
        ("{{#> p}}", "{{/p}}"),
        ("{{#*inline \"p\"}}", "{{/inline}}"),
        ("{{#with c as |d|}}", "{{/with}}"),
    ];

    const ELSES: &[&str] = &[
        "{{else}}",
        "{{^}}",
        "{{else if b}}",
        "{{~else~}}",
        "  {{else}}",
    ];

    const FRAGMENTS: &[&str] = &[
        "a",
        "chữ ",
        "\n",
        "\n",
        "\n\n",
        "  ",
        "\t",
        "\r\n",
        "{{x}}",
        "{{{t}}}",
        "{{~y}}",
        "{{z~}}",
        "{{!c}}",
        "{{!-- c\n{{#if}} --}}",
        "{{{{raw}}}}\n{{#if}}\n{{{{/raw}}}}",
        "\\{{w}}",
        "{{> p}}",
        "  {{> p}}\n",
        "}}",
        "# Đề\n",
        "- ý\n",
        "{{cong (nhan 1 2) 3}}",
        "Một đoạn văn bản dài hơn mười sáu byte",
        "dòng một khá dài\ndòng hai cũng dài\n",
        "  thụt đầu dòng rồi chữ tiếp theo nữa  \n",
        "x\r\ny dài dài dài dài dài\r\nz",
        "chữ } lẻ và { lẻ trong đoạn dài",
    ];
}
