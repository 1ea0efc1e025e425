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
/// (the first line of pages ≥ 2 in reading order, the last with `-raw`).
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
    for (i, p) in pages.iter_mut().enumerate() {
        let n = (i + 1).to_string();
        if i == 0 {
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
