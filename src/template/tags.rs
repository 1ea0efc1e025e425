//! A light scanner of Handlebars tags, shared by the checks made before a template
//! reaches Handlebars (nesting limits, partials, unclosed blocks) and by the
//! piecewise compiler.
//!
//! It follows Handlebars' lexical rules where they decide what is a tag: `\{{` is
//! text, `{{!-- … --}}` may hold braces, `{{{{raw}}}} … {{{{/raw}}}}` is text.
//! Every use of it is safe against a misjudged tag: the checks only refine an
//! error Handlebars reports anyway, and the piecewise compiler falls back to a
//! whole compile whenever a piece does not compile on its own.

/// What a tag is, as far as the scanners care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `{{#name …}}`, `{{^name …}}`, `{{#> partial}}`, `{{#*inline …}}`.
    Open,
    /// `{{/name}}`.
    Close,
    /// `{{else}}`, `{{^}}` or `{{else if …}}` (`chained`).
    Else {
        /// An `{{else name …}}` link, which Handlebars nests one level deeper.
        chained: bool,
    },
    /// `{{!-- … --}}` or `{{! … }}`.
    Comment,
    /// `{{{{raw}}}} … {{{{/raw}}}}`, whole.
    Raw,
    /// Any other tag: an expression, a partial, a triple-stash.
    Other,
}

/// One tag of a template.
#[derive(Debug, Clone, Copy)]
pub struct Tag<'a> {
    /// Byte offset of its `{{`.
    pub start: usize,
    /// Byte offset just past its closing braces (the text's end if unclosed).
    pub end: usize,
    /// The text between the braces, `~` and inner braces included.
    pub inner: &'a str,
    pub kind: Kind,
}

impl<'a> Tag<'a> {
    /// The tag's content after the opening braces, `~` and spaces.
    pub fn head(&self) -> &'a str {
        self.inner.trim_start_matches(['{', '~']).trim_start()
    }

    /// The name after the block sigil: `if` for `{{#if a}}` and `{{/if}}`.
    pub fn name(&self) -> String {
        let h = self.head();
        let h = h.strip_prefix(['#', '^', '/']).unwrap_or(h);
        let h = h.strip_prefix(['>', '*']).unwrap_or(h).trim_start();
        h.chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, '}' | '~'))
            .collect()
    }

    /// `{{~`: trims the white space before it.
    pub fn trims_before(&self) -> bool {
        self.inner.trim_start_matches('{').starts_with('~')
    }

    /// `~}}`: trims the white space after it.
    pub fn trims_after(&self) -> bool {
        self.inner.trim_end_matches('}').ends_with('~')
    }
}

/// The tags of `text`, in order.
pub fn scan(text: &str) -> Tags<'_> {
    Tags { text, at: 0 }
}

/// Iterator over the tags of a text.
pub struct Tags<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Iterator for Tags<'a> {
    type Item = Tag<'a>;

    fn next(&mut self) -> Option<Tag<'a>> {
        let text = self.text;
        loop {
            let start = self.at + text.get(self.at..)?.find("{{")?;
            // `\{{…` is text.
            if start > 0 && text.as_bytes().get(start - 1) == Some(&b'\\') {
                self.at = start + 2;
                continue;
            }
            let rest = text.get(start..).unwrap_or("");
            let (kind, end, inner_end) = if rest.starts_with("{{{{") && !rest.starts_with("{{{{/") {
                // A raw block runs to its closing `{{{{/…}}}}`.
                match rest.find("{{{{/") {
                    Some(c) => {
                        let close = rest.get(c..).and_then(|r| r.find("}}}}"));
                        let end = close.map_or(text.len(), |e| start + c + e + 4);
                        (Kind::Raw, end, end.saturating_sub(4).max(start + 2))
                    }
                    None => (Kind::Raw, text.len(), text.len()),
                }
            } else if rest.starts_with("{{!--") {
                match rest.get(5..).and_then(|r| r.find("--}}")) {
                    Some(e) => (Kind::Comment, start + 5 + e + 4, start + 5 + e + 2),
                    None => (Kind::Comment, text.len(), text.len()),
                }
            } else {
                let close = rest.get(2..).and_then(|r| r.find("}}"));
                match close {
                    Some(e) => {
                        let mut end = start + 2 + e + 2;
                        // `{{{x}}}` closes with three braces.
                        if rest.starts_with("{{{") && text.as_bytes().get(end) == Some(&b'}') {
                            end += 1;
                        }
                        (Kind::Other, end, end - 2)
                    }
                    None => (Kind::Other, text.len(), text.len()),
                }
            };
            self.at = end.max(start + 2);
            let inner = text.get(start + 2..inner_end.max(start + 2)).unwrap_or("");
            let mut tag = Tag {
                start,
                end,
                inner,
                kind,
            };
            if kind == Kind::Other {
                tag.kind = classify(tag.head());
            }
            return Some(tag);
        }
    }
}

fn classify(head: &str) -> Kind {
    if head.starts_with('!') {
        return Kind::Comment;
    }
    if let Some(r) = head.strip_prefix('^') {
        let r = r.trim_start_matches('~').trim();
        return if r.is_empty() || r.starts_with('}') {
            Kind::Else { chained: false }
        } else {
            Kind::Open
        };
    }
    if head.starts_with('#') {
        return Kind::Open;
    }
    if head.starts_with('/') {
        return Kind::Close;
    }
    if let Some(r) = head.strip_prefix("else") {
        let r = r.trim_end_matches(['}', '~']);
        if r.is_empty() {
            return Kind::Else { chained: false };
        }
        if r.starts_with(char::is_whitespace) {
            return Kind::Else {
                chained: !r.trim().is_empty(),
            };
        }
    }
    Kind::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(t: &str) -> Vec<(Kind, String)> {
        scan(t).map(|g| (g.kind, g.name())).collect()
    }

    #[test]
    fn classifies_tags() {
        use Kind::*;
        let t = "a {{#if x}}b{{else if y}}c{{else}}d{{^}}{{/if}} {{~> p ~}} {{{raw x}}} {{^each z}}{{/each}}";
        assert_eq!(
            kinds(t),
            vec![
                (Open, "if".into()),
                (Else { chained: true }, "else".into()),
                (Else { chained: false }, "else".into()),
                (Else { chained: false }, "".into()),
                (Close, "if".into()),
                (Other, "p".into()),
                (Other, "raw".into()),
                (Open, "each".into()),
                (Close, "each".into()),
            ]
        );
    }

    #[test]
    fn skips_what_is_text() {
        let t = "\\{{#if a}} {{!-- {{#if b}} }} --}} {{{{raw}}}} {{#if c}} {{{{/raw}}}} {{! x }}";
        let tags: Vec<Tag> = scan(t).collect();
        assert_eq!(tags.len(), 3);
        assert_eq!(tags[0].kind, Kind::Comment);
        assert_eq!(tags[1].kind, Kind::Raw);
        assert_eq!(
            &t[tags[1].start..tags[1].end],
            "{{{{raw}}}} {{#if c}} {{{{/raw}}}}"
        );
        assert_eq!(tags[2].kind, Kind::Comment);
        assert_eq!(tags[2].end, t.len());
    }

    #[test]
    fn triple_stash_and_whitespace_control() {
        let t = "{{{a}}}b{{~c~}}";
        let tags: Vec<Tag> = scan(t).collect();
        assert_eq!((tags[0].start, tags[0].end), (0, 7));
        assert_eq!(tags[0].inner, "{a}");
        assert!(!tags[0].trims_before() && !tags[0].trims_after());
        assert!(tags[1].trims_before() && tags[1].trims_after());
    }

    #[test]
    fn unclosed_tag_runs_to_the_end() {
        let tags: Vec<Tag> = scan("a {{#if b").collect();
        assert_eq!(tags.len(), 1);
        assert_eq!(tags[0].end, 9);
        assert_eq!(tags[0].kind, Kind::Open);
    }
}
