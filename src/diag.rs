//! Diagnostics: every problem baocao reports, as a value with a source span.
//!
//! Takes a message, a severity and optionally a place (`file:line:col`) with the
//! source line; renders it for report authors, in Vietnamese:
//!
//! ```text
//! lỗi: giá trị không hợp lệ
//!   ──▶ bao-cao.toml:12:5
//!    │
//! 12 │ so = "abc"
//!    │      ^
//! gợi ý: bỏ dấu ngoặc kép quanh số?
//! ```
use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Stops the render.
    Error,
    /// Reported; the render goes on (unless `--strict`).
    Warning,
}

/// A place in a source file, 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The file as the user should read it (as given on the command line).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// The text of that line, if known.
    pub source_line: Option<String>,
}

impl Span {
    /// A span from a byte offset into `source`.
    pub fn from_offset(file: &str, source: &str, offset: usize) -> Span {
        let offset = offset.min(source.len());
        let before = source.get(..offset).unwrap_or(source);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let col = source
            .get(line_start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0)
            + 1;
        Span::at_line(file, source, line, col)
    }

    /// A span from a 1-based line and column in `source`.
    pub fn at_line(file: &str, source: &str, line: usize, col: usize) -> Span {
        let source_line = source
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| l.trim_end_matches('\r').to_string());
        Span {
            file: file.to_string(),
            line: line.max(1),
            col: col.max(1),
            source_line,
        }
    }

    /// A span naming only a file (no line known).
    pub fn file_only(file: &str) -> Span {
        Span {
            file: file.to_string(),
            line: 0,
            col: 0,
            source_line: None,
        }
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
        writeln!(f, "{label}: {}", self.message)?;
        if let Some(span) = &self.span {
            if span.line == 0 {
                writeln!(f, "  ──▶ {}", span.file)?;
            } else {
                writeln!(f, "  ──▶ {}:{}:{}", span.file, span.line, span.col)?;
                if let Some(src) = &span.source_line {
                    let num = span.line.to_string();
                    let pad = " ".repeat(num.len());
                    let (shown, col) = excerpt(src, span.col);
                    writeln!(f, "{pad} │")?;
                    writeln!(f, "{num} │ {shown}")?;
                    let caret_pad: String = shown
                        .chars()
                        .take(col.saturating_sub(1))
                        .map(|c| if c == '\t' { '\t' } else { ' ' })
                        .collect();
                    writeln!(f, "{pad} │ {caret_pad}^")?;
                }
            }
        }
        for hint in &self.hints {
            writeln!(f, "gợi ý: {hint}")?;
        }
        Ok(())
    }
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
        let src = "a = 1\nbé = \"x\"\n";
        let span = Span::from_offset("t.toml", src, src.find('=').unwrap_or(0));
        assert_eq!((span.line, span.col), (1, 3));
        let off = src.find("\"x").unwrap_or(0);
        let span = Span::from_offset("t.toml", src, off);
        assert_eq!((span.line, span.col), (2, 6));
        assert_eq!(span.source_line.as_deref(), Some("bé = \"x\""));
    }

    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let line = format!("{}X{}", "a".repeat(500), "b".repeat(500));
        let d = Diagnostic::error("x").with_span(Span::at_line("t", &line, 1, 501));
        let text = d.to_string();
        let src = text.lines().find(|l| l.starts_with("1 │")).unwrap_or("");
        let caret = text.lines().find(|l| l.ends_with('^')).unwrap_or("");
        assert!(src.chars().count() < 120, "{src}");
        let x = src.chars().position(|c| c == 'X').unwrap_or(0);
        assert_eq!(caret.chars().count() - 1, x);
    }

    #[test]
    fn renders_arrow_line_and_caret() {
        let src = "so = \"abc\"\n";
        let d = Diagnostic::error("sai kiểu")
            .with_span(Span::from_offset("bao-cao.toml", src, 5))
            .with_hint("bỏ dấu ngoặc kép quanh số?");
        let text = d.to_string();
        assert!(text.starts_with("lỗi: sai kiểu\n"));
        assert!(text.contains("──▶ bao-cao.toml:1:6"));
        assert!(text.contains("1 │ so = \"abc\""));
        assert!(text.contains("  │      ^"));
        assert!(text.contains("gợi ý: bỏ dấu ngoặc kép quanh số?"));
    }
}
