//! Diagnostics: every problem baocao reports, as a value with a source span.
//!
//! A [`Span`] is a byte range in a named [`Source`] (a data file, a template, a
//! profile, the filled-in markup); line and column are worked out only when the
//! diagnostic is printed, for report authors, in Vietnamese:
//!
//! ```text
//! lỗi: giá trị không hợp lệ
//!   ──▶ bao-cao.toml:12:5
//!    │
//! 12 │ so = "abc"
//!    │      ^
//! gợi ý: bỏ dấu ngoặc kép quanh số?
//! ```
//!
//! Every stage returns a [`SourceResult`]; warnings go to one [`Sink`].
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Stops the render.
    Error,
    /// Reported; the render goes on (unless `--strict`).
    Warning,
}

/// A text a report is made from, shared by every span into it.
#[derive(Debug, PartialEq, Eq)]
pub struct Source {
    /// The name shown to the user (the path as given on the command line).
    name: String,
    text: String,
    /// Byte offset of each line's start.
    line_starts: Vec<usize>,
}

impl Source {
    /// The source `name` with `text`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Source> {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Arc::new(Source {
            name: name.into(),
            text,
            line_starts,
        })
    }

    /// The name shown to the user.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count());
        (line, col + 1)
    }

    /// The byte offset of 1-based `line` and `col` (in characters), as
    /// libraries that count lines give places.
    pub fn offset_of(&self, line: usize, col: usize) -> usize {
        let start = self
            .line_starts
            .get(line.max(1) - 1)
            .copied()
            .unwrap_or(self.text.len());
        let text = self.text.get(start..).unwrap_or("");
        let in_line = text
            .char_indices()
            .take_while(|(_, c)| *c != '\n')
            .nth(col.max(1) - 1)
            .map_or_else(|| text.find('\n').unwrap_or(text.len()), |(i, _)| i);
        start + in_line
    }

    /// The text of 1-based `line`, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_starts.get(line.max(1) - 1).copied().unwrap_or(0);
        let text = self.text.get(start..).unwrap_or("");
        let end = text.find('\n').unwrap_or(text.len());
        text.get(..end).unwrap_or("").trim_end_matches('\r')
    }
}

/// Where a problem is: a byte range in a source, or a whole file.
#[derive(Debug, Clone)]
pub struct Span {
    source: Arc<Source>,
    /// `None`: the file as a whole (no place within it is known).
    range: Option<Range<usize>>,
}

impl PartialEq for Span {
    fn eq(&self, other: &Span) -> bool {
        self.source.name == other.source.name && self.range == other.range
    }
}

impl Eq for Span {}

impl Span {
    /// The bytes `range` of `source`.
    pub fn new(source: &Arc<Source>, range: Range<usize>) -> Span {
        Span {
            source: Arc::clone(source),
            range: Some(range),
        }
    }

    /// The place at byte `offset` of `source`.
    pub fn at(source: &Arc<Source>, offset: usize) -> Span {
        Span::new(source, offset..offset)
    }

    /// The place at 1-based `line` and `col` of `source` (as Handlebars gives).
    pub fn at_line(source: &Arc<Source>, line: usize, col: usize) -> Span {
        Span::at(source, source.offset_of(line, col))
    }

    /// `source` as a whole.
    pub fn whole(source: &Arc<Source>) -> Span {
        Span {
            source: Arc::clone(source),
            range: None,
        }
    }

    /// A file named `name`, as a whole (one not read, or not read yet).
    pub fn file(name: &str) -> Span {
        Span::whole(&Source::new(name, ""))
    }

    /// The source.
    pub fn source(&self) -> &Arc<Source> {
        &self.source
    }

    /// The byte range, if a place within the source is known.
    pub fn range(&self) -> Option<Range<usize>> {
        self.range.clone()
    }

    /// The 1-based line and column of the start, if a place is known.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        self.range.as_ref().map(|r| self.source.line_col(r.start))
    }
}

/// One problem found in a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in Vietnamese.
    pub message: String,
    /// Where, if known.
    pub span: Option<Span>,
    /// Hints (`gợi ý: …`).
    pub hints: Vec<String>,
}

impl Diagnostic {
    /// An error with no place.
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span: None,
            hints: Vec::new(),
        }
    }

    /// A warning with no place.
    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Attach a place.
    pub fn with_span(mut self, span: Span) -> Diagnostic {
        self.span = Some(span);
        self
    }

    /// Attach a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hints.push(hint.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "lỗi",
            Severity::Warning => "cảnh báo",
        };
        writeln!(f, "{label}: {}", escape_controls(&self.message))?;
        if let Some(span) = &self.span {
            write_place(f, span)?;
        }
        for hint in &self.hints {
            writeln!(f, "gợi ý: {}", escape_controls(hint))?;
        }
        Ok(())
    }
}

/// How a character of an input is shown in a message: control characters
/// (an escape sequence could rewrite the terminal, a carriage return hide the
/// line) and the marks that reorder text are written as `\u{1b}`; `None` for
/// characters shown as they are. Tabs stay: they only move the text.
fn escaped(c: char) -> Option<String> {
    let reorders = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    ((c.is_control() && c != '\t') || reorders).then(|| format!("\\u{{{:x}}}", u32::from(c)))
}

/// `s` with its control characters escaped (see [`escaped`]).
fn escape_controls(s: &str) -> String {
    if !s.chars().any(|c| escaped(c).is_some()) {
        return s.to_string();
    }
    s.chars()
        .map(|c| escaped(c).unwrap_or_else(|| c.to_string()))
        .collect()
}

/// The `──▶ file:line:col` line, with the source line and a caret.
fn write_place(f: &mut fmt::Formatter<'_>, span: &Span) -> fmt::Result {
    let name = escape_controls(span.source.name());
    let Some((line, col)) = span.line_col() else {
        return writeln!(f, "  ──▶ {name}");
    };
    writeln!(f, "  ──▶ {name}:{line}:{col}")?;
    let src = span.source.line_text(line);
    let num = line.to_string();
    let pad = " ".repeat(num.len());
    let (shown, col) = excerpt(src, col);
    writeln!(f, "{pad} │")?;
    writeln!(f, "{num} │ {}", escape_controls(&shown))?;
    // The caret stays under its character however wide the escapes before it.
    let caret_pad: String = shown
        .chars()
        .take(col.saturating_sub(1))
        .map(|c| match (c, escaped(c)) {
            ('\t', _) => "\t".to_string(),
            (_, Some(e)) => " ".repeat(e.chars().count()),
            _ => " ".to_string(),
        })
        .collect();
    writeln!(f, "{pad} │ {caret_pad}^")
}

/// A long source line cut to a window around `col` (1-based, in characters),
/// with "…" where text was left out; returns the text and the column within it.
fn excerpt(line: &str, col: usize) -> (String, usize) {
    const BEFORE: usize = 40;
    const AFTER: usize = 60;
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= BEFORE + AFTER + 20 {
        return (line.to_string(), col);
    }
    let at = col.saturating_sub(1).min(chars.len());
    let start = at.saturating_sub(BEFORE);
    let end = (at + AFTER).min(chars.len());
    let mut out = String::new();
    let mut new_col = at - start + 1;
    if start > 0 {
        out.push('…');
        new_col += 1;
    }
    out.extend(chars.get(start..end).unwrap_or_default());
    if end < chars.len() {
        out.push('…');
    }
    (out, new_col)
}

/// Several problems from one run (at least one of them an error).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// True if any is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// What every stage returns: its value, or every error it found.
pub type SourceResult<T> = Result<T, Diagnostics>;

/// Where the warnings of a render go, in the order they are found.
#[derive(Debug, Default)]
pub struct Sink {
    warnings: Vec<Diagnostic>,
}

impl Sink {
    /// An empty sink.
    pub fn new() -> Sink {
        Sink::default()
    }

    /// Report a warning.
    pub fn warn(&mut self, d: Diagnostic) {
        self.warnings.push(d);
    }

    /// The warnings so far, in order.
    pub fn into_warnings(self) -> Vec<Diagnostic> {
        self.warnings
    }
}

impl std::error::Error for Diagnostic {}

/// The closest of `names` to `key` (edit distance ≤ 3).
pub fn nearest<'a>(key: &str, names: &[&'a str]) -> Option<&'a str> {
    names
        .iter()
        .map(|n| (edit_distance(key, n), *n))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, n)| n)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let diag = prev.get(j).copied().unwrap_or(usize::MAX - 1) + usize::from(ca != cb);
            let up = prev.get(j + 1).copied().unwrap_or(usize::MAX - 1) + 1;
            let left = cur.last().copied().unwrap_or(usize::MAX - 1) + 1;
            cur.push(diag.min(up).min(left));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_to_line_and_column_counts_characters() {
        let src = Source::new("t.toml", "a = 1\nbé = \"x\"\n");
        let eq = src.text().find('=').unwrap_or(0);
        assert_eq!(Span::at(&src, eq).line_col(), Some((1, 3)));
        let x = src.text().find("\"x").unwrap_or(0);
        assert_eq!(Span::at(&src, x).line_col(), Some((2, 6)));
        assert_eq!(src.line_text(2), "bé = \"x\"");
        assert_eq!(src.offset_of(2, 6), x);
        assert_eq!(Span::file("t.toml").line_col(), None);
    }

    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let line = format!("{}X{}", "a".repeat(500), "b".repeat(500));
        let d = Diagnostic::error("x").with_span(Span::at_line(&Source::new("t", line), 1, 501));
        let text = d.to_string();
        let src = text.lines().find(|l| l.starts_with("1 │")).unwrap_or("");
        let caret = text.lines().find(|l| l.ends_with('^')).unwrap_or("");
        assert!(src.chars().count() < 120, "{src}");
        let x = src.chars().position(|c| c == 'X').unwrap_or(0);
        assert_eq!(caret.chars().count() - 1, x);
    }

    #[test]
    fn control_characters_are_escaped_and_the_caret_stays_aligned() {
        let src = Source::new("t\u{1b}.toml", "a = \"\u{1b}[31mx\u{7}\" y\n");
        let y = src.text().find('y').unwrap_or(0);
        let d = Diagnostic::error("giá trị \"\u{1b}[31m\r\u{202e}\" sai")
            .with_span(Span::at(&src, y))
            .with_hint("xóa \u{1b}\n");
        let text = d.to_string();
        assert!(!text.contains('\u{1b}') && !text.contains('\r') && !text.contains('\u{202e}'));
        assert!(text.starts_with("lỗi: giá trị \"\\u{1b}[31m\\u{d}\\u{202e}\" sai\n"));
        assert!(text.contains("──▶ t\\u{1b}.toml:1:15\n"));
        assert!(text.contains("gợi ý: xóa \\u{1b}\\u{a}\n"));
        let src_line = text.lines().find(|l| l.starts_with("1 │")).unwrap_or("");
        assert_eq!(src_line, "1 │ a = \"\\u{1b}[31mx\\u{7}\" y");
        let caret = text.lines().find(|l| l.ends_with('^')).unwrap_or("");
        let y_at = src_line.chars().position(|c| c == 'y').unwrap_or(0);
        assert_eq!(caret.chars().count() - 1, y_at);
    }

    #[test]
    fn renders_arrow_line_and_caret() {
        let src = Source::new("bao-cao.toml", "so = \"abc\"\n");
        let d = Diagnostic::error("sai kiểu")
            .with_span(Span::at(&src, 5))
            .with_hint("bỏ dấu ngoặc kép quanh số?");
        let text = d.to_string();
        assert!(text.starts_with("lỗi: sai kiểu\n"));
        assert!(text.contains("──▶ bao-cao.toml:1:6"));
        assert!(text.contains("1 │ so = \"abc\""));
        assert!(text.contains("  │      ^"));
        assert!(text.contains("gợi ý: bỏ dấu ngoặc kép quanh số?"));
    }
}
