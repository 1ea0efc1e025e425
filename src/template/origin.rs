//! Origins: which template line each line of the filled-in markup came from.
//!
//! Before a template (or partial) is compiled, a marker character is put at the
//! first character of each of its lines that starts with literal text or a
//! plain `{{expression}}`; each marker is one private-use character numbering an
//! [`Origin`]. Handlebars copies the markers into its output like any text, so
//! after rendering [`Origins::strip`] takes them out again and keeps, for each,
//! its offset in the clean markup. A problem found later in the markup (by the
//! markup parser or the layout) is then reported at the template line the text
//! came from, through `{{#each}}` and partials alike.
//!
//! No marker goes before a block, `else`, partial, comment or `{{~` tag, nor at a
//! line start inside a tag spread over lines: those decide Handlebars' standalone-line and
//! white-space trimming rules, which a marker would change. A marker goes after
//! a line's indentation, so trimming stops exactly where it stopped before.
use super::tags::{self, Kind};

/// The first marker: Supplementary Private Use Area-A (U+F0000–U+FFFFD).
const FIRST: u32 = 0xF_0000;
/// How many markers there are.
const COUNT: usize = 0xF_FFFD - 0xF_0000;

/// A template line that markup came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The template's (or partial's) registered name.
    pub template: String,
    /// 1-based line, and 1-based column in characters, of the marked character.
    pub line: usize,
    pub col: usize,
}

/// Every origin of an engine's templates, numbered by their markers.
#[derive(Debug, Default, Clone)]
pub struct Origins {
    list: Vec<Origin>,
}

/// A marker's place in the marked text, to correct Handlebars' columns: the
/// 1-based line and the column the marker takes.
pub type Mark = (usize, usize);

impl Origins {
    /// `text` of template `name` with its markers, and where each went.
    pub fn mark(&mut self, name: &str, text: &str) -> (String, Vec<Mark>) {
        let tags: Vec<tags::Tag> = tags::scan(text).collect();
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        let mut marks = Vec::new();
        let mut line_start = 0usize;
        for (i, line) in text.split_inclusive('\n').enumerate() {
            let at =
                mark_at(text, line_start, line.len(), &tags).filter(|_| self.list.len() < COUNT);
            let (head, rest) = line.split_at(at.map_or(line.len(), |a| a - line_start));
            out.push_str(head);
            if let Some(c) = char::from_u32(FIRST + self.list.len() as u32).filter(|_| at.is_some())
            {
                let col = head.chars().count() + 1;
                out.push(c);
                marks.push((i + 1, col));
                self.list.push(Origin {
                    template: name.to_string(),
                    line: i + 1,
                    col,
                });
            }
            out.push_str(rest);
            line_start += line.len();
        }
        (out, marks)
    }

    /// Rendered `text` without its markers, and for each marker its offset in
    /// the returned text and its origin's number, in order.
    pub fn strip(&self, text: &str) -> (String, Vec<(usize, usize)>) {
        let mut out = String::with_capacity(text.len());
        let mut found = Vec::new();
        for c in text.chars() {
            match self.number(c) {
                Some(n) => found.push((out.len(), n)),
                None => out.push(c),
            }
        }
        (out, found)
    }

    /// The origin numbered `n`.
    pub fn get(&self, n: usize) -> Option<&Origin> {
        self.list.get(n)
    }

    /// The number of the origin `c` marks, if it is one of ours.
    fn number(&self, c: char) -> Option<usize> {
        let n = (c as u32).checked_sub(FIRST)? as usize;
        (n < self.list.len()).then_some(n)
    }
}

/// Where the line at `start..start + len` of `text` gets its marker: its
/// first character after the indentation when that is text or a plain
/// expression; else the first text after the tags that open the line (the line
/// is not standalone then), unless one of them trims what follows it.
fn mark_at(text: &str, start: usize, len: usize, tags: &[tags::Tag]) -> Option<usize> {
    let end = start + len;
    let skip_blank = |from: usize| {
        let rest = text.get(from..end).unwrap_or("");
        from + rest.len() - rest.trim_start_matches([' ', '\t']).len()
    };
    // A line start inside a tag over lines: none (inside a comment or a raw
    // block a marker is harmless: dropped, or copied like the text around it).
    let inside = |t: &tags::Tag| !matches!(t.kind, Kind::Comment | Kind::Raw);
    if tags
        .iter()
        .any(|t| t.start < start && start < t.end && inside(t))
    {
        return None;
    }
    let mut at = skip_blank(start);
    let mut opened_by_tags = false;
    loop {
        let c = text.get(at..end).and_then(|t| t.chars().next())?;
        if matches!(c, '\n' | '\r') {
            return None;
        }
        let Some(t) = tags.iter().find(|t| t.start == at) else {
            return Some(at);
        };
        if !opened_by_tags && plain_expression(t) {
            return Some(at);
        }
        if t.trims_after() || t.end >= end {
            return None;
        }
        opened_by_tags = true;
        at = skip_blank(t.end);
    }
}

/// A tag that prints a value: no block, `else`, partial, comment or `{{~`.
fn plain_expression(t: &tags::Tag) -> bool {
    t.kind == Kind::Other
        && !t.trims_before()
        && !t.head().starts_with(['>', '&', '*'])
        && !t.inner.starts_with("{{")
}

/// A column Handlebars gives for the marked text, as a column of the text
/// the author wrote: one less past a marker on the same line.
pub fn unmarked_col(marks: &[Mark], line: usize, col: usize) -> usize {
    match marks.iter().find(|(l, _)| *l == line) {
        Some((_, m)) if col > *m => col - 1,
        _ => col,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_go_before_text_and_expressions_only() {
        let mut o = Origins::default();
        let text = "# I. A\n{{#if x}}\n  - {{a}} b\n{{/if}}\n{{b}} c\n{{> p}}\n{{~c}}\n\n";
        let (marked, marks) = o.mark("t", text);
        assert_eq!(marks, vec![(1, 1), (3, 3), (5, 1)]);
        let (clean, found) = o.strip(&marked);
        assert_eq!(clean, text);
        assert_eq!(found.len(), 3);
        assert_eq!(o.get(1).map(|x| (x.line, x.col)), Some((3, 3)));
        assert_eq!(found.get(1), Some(&(text.find("- {{a}}").unwrap_or(0), 1)));
    }

    #[test]
    fn no_marker_inside_a_tag_over_lines() {
        let mut o = Origins::default();
        let (_, marks) = o.mark("t", "{{so\n  x}} a\nb\n{{!--\nc\n--}}\n");
        assert_eq!(marks, vec![(1, 1), (3, 1), (5, 1), (6, 1)]);
    }

    #[test]
    fn text_after_opening_tags_is_marked_unless_a_tag_trims_it() {
        let mut o = Origins::default();
        let (_, marks) = o.mark("t", "{{#if a}}{{/if}} x\n{{#if b~}} y{{/if}}\n");
        assert_eq!(marks, vec![(1, 18)]);
    }

    #[test]
    fn columns_past_a_marker_lose_one() {
        assert_eq!(unmarked_col(&[(2, 3)], 2, 7), 6);
        assert_eq!(unmarked_col(&[(2, 3)], 2, 3), 3);
        assert_eq!(unmarked_col(&[(2, 3)], 1, 7), 7);
    }
}
