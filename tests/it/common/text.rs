//! Text helpers and pdftotext / pdfinfo read-back.

use super::*;
use std::ffi::OsStr;
use std::path::Path;

use unicode_normalization::UnicodeNormalization;

/// Fold every run of Unicode whitespace (including U+00A0) to one space, trim.
pub fn fold(s: &str) -> String {
    s.split(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// NFC form of `s`.
pub fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// mm → pt.
pub fn mm(v: f64) -> f64 {
    v * 72.0 / 25.4
}

/// Text of one page as pdftotext extracts it (1-based page).
pub fn pdftotext_page(pdf: &Path, page: usize) -> String {
    let p = page.to_string();
    tool_stdout(
        "pdftotext",
        &[
            OsStr::new("-f"),
            OsStr::new(&p),
            OsStr::new("-l"),
            OsStr::new(&p),
            pdf.as_os_str(),
            OsStr::new("-"),
        ],
    )
}

/// Text of the whole document as pdftotext extracts it.
pub fn pdftotext(pdf: &Path) -> String {
    tool_stdout("pdftotext", &[pdf.as_os_str(), OsStr::new("-")])
}

/// Number of pages, from `pdfinfo`.
pub fn page_count(pdf: &Path) -> usize {
    let info = tool_stdout("pdfinfo", &[pdf]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("pdfinfo printed no page count:\n{info}"))
}

/// pdftotext's text split into pages, each without its page-number line
/// (the first line of pages ≥ 2 in reading order, the last with `-raw`). An
/// appendix numbers its own pages: a page that begins with its label
/// ("Phụ lục", "Phụ lục II") is page 1 again and shows no number.
pub fn pdftotext_pages(pdf: &Path, raw: bool) -> Vec<String> {
    let mut args: Vec<&OsStr> = Vec::new();
    if raw {
        args.push(OsStr::new("-raw"));
    }
    args.push(pdf.as_os_str());
    args.push(OsStr::new("-"));
    let text = tool_stdout("pdftotext", &args);
    let mut pages: Vec<String> = text.split('\x0c').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    let mut count = 0;
    for p in pages.iter_mut() {
        let first = p
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.chars().all(|c| c.is_ascii_digit()));
        let label = first.is_some_and(|l| {
            l.strip_prefix("Phụ lục")
                .is_some_and(|r| r.is_empty() || (r.starts_with(' ') && !r.trim().contains(' ')))
        });
        count = if label { 1 } else { count + 1 };
        let n = count.to_string();
        if count == 1 {
            continue;
        }
        let mut lines: Vec<&str> = p.lines().collect();
        let at = if raw {
            lines.iter().rposition(|l| l.trim() == n)
        } else {
            lines.iter().position(|l| l.trim() == n)
        };
        let at =
            at.unwrap_or_else(|| panic!("pdftotext shows no page number {n} on page {n}:\n{p}"));
        lines.remove(at);
        *p = lines.join("\n");
    }
    pages
}
