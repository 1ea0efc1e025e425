//! The Party example renders to a valid, searchable PDF — checked with poppler,
//! qpdf and MuPDF, never with our own code.

use crate::common::*;
use std::ffi::OsStr;

/// The published article the example reproduces.
const SEED: &str = include_str!("../fixtures/bac-kan-chi-thi-05.txt");
/// The article's byline: the only part of it that is not in the report.
const BYLINE: &str = "Hoàng Thạc";

/// The whole text, page by page with `pdftotext -f n -l n`, each page's leading
/// page number (pages ≥ 2) dropped, joined with a space.
fn joined_text() -> String {
    let ex = example();
    let n = page_count(&ex.pdf);
    assert!(n >= 2, "the example should run over several pages, got {n}");
    let mut parts = Vec::new();
    for page in 1..=n {
        let text = pdftotext_page(&ex.pdf, page);
        let mut lines: Vec<&str> = text.lines().collect();
        if page >= 2 && lines.first().map(|l| l.trim()) == Some(page.to_string().as_str()) {
            lines.remove(0);
        }
        parts.push(lines.join("\n"));
    }
    parts.join(" ")
}

fn seed_paragraphs() -> Vec<String> {
    let paras: Vec<String> = SEED
        .split("\n\n")
        .map(fold)
        .filter(|p| !p.is_empty())
        .collect();
    assert_eq!(
        paras.last().map(String::as_str),
        Some(BYLINE),
        "the seed should end with its byline"
    );
    paras
        .into_iter()
        .filter(|p| p != BYLINE)
        .map(|p| nfc(&p))
        .collect()
}

#[test]
fn pdf_text_contains_every_paragraph_of_the_article() {
    let text = fold(&joined_text());
    let paras = seed_paragraphs();
    assert!(
        paras.len() >= 8,
        "expected the title, caption and body paragraphs, got {}",
        paras.len()
    );
    let mut missing = Vec::new();
    for p in &paras {
        if !text.contains(p.as_str()) {
            // Show where the match stops.
            let mut k = 0;
            for (i, _) in p.char_indices().skip(1) {
                if text.contains(&p[..i]) {
                    k = i;
                } else {
                    break;
                }
            }
            let from = p[..k]
                .char_indices()
                .rev()
                .nth(40)
                .map(|(i, _)| i)
                .unwrap_or(0);
            let to = p[k..]
                .char_indices()
                .nth(40)
                .map(|(i, _)| k + i)
                .unwrap_or(p.len());
            missing.push(format!(
                "  \"{}…\"\n    matches up to: \"{}⟦here⟧{}\"",
                &p[..p.len().min(60)],
                &p[from..k],
                &p[k..to]
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "paragraphs of the article not found in the PDF text:\n{}",
        missing.join("\n")
    );
}

#[test]
fn pdf_text_contains_the_article_title_and_photo_caption() {
    let text = fold(&joined_text());
    for needle in [
        "Thành phố Bắc Kạn học tập và làm theo lời Bác",
        "Thành phố Bắc Kạn biểu dương các điển hình tiên tiến trong phong trào thi đua yêu nước giai đoạn 2015 -2020.",
    ] {
        assert!(text.contains(needle), "PDF text lacks \"{needle}\"");
    }
}

#[test]
fn pdf_text_has_no_template_or_markup_syntax() {
    let text = joined_text();
    for bad in ["{{", "}}", "**", "\\"] {
        if let Some(i) = text.find(bad) {
            let from = text[..i]
                .char_indices()
                .rev()
                .nth(30)
                .map(|(j, _)| j)
                .unwrap_or(0);
            let to = text[i..]
                .char_indices()
                .nth(30)
                .map(|(j, _)| i + j)
                .unwrap_or(text.len());
            panic!("PDF text contains {bad:?}: \"{}\"", &text[from..to]);
        }
    }
    for line in text.lines() {
        assert!(
            !line.trim_start().starts_with('#'),
            "PDF text has a line starting with '#': \"{line}\""
        );
    }
}

#[test]
fn pdf_text_is_nfc() {
    let text = pdftotext(&example().pdf);
    let normal = nfc(&text);
    if text != normal {
        let at = text
            .char_indices()
            .zip(normal.chars())
            .find(|((_, a), b)| a != b)
            .map(|((i, _), _)| i)
            .unwrap_or(0);
        let to = text[at..]
            .char_indices()
            .nth(20)
            .map(|(j, _)| at + j)
            .unwrap_or(text.len());
        panic!(
            "PDF text is not NFC near \"{}\" ({:?})",
            &text[at..to],
            text[at..to]
                .chars()
                .map(|c| format!("U+{:04X}", c as u32))
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn fonts_are_embedded_subset_unicode_tinos_cid_truetype() {
    let out = tool_stdout("pdffonts", &[&example().pdf]);
    let mut rows = out
        .lines()
        .skip_while(|l| !l.starts_with("----"))
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .peekable();
    assert!(rows.peek().is_some(), "pdffonts lists no font:\n{out}");
    for row in rows {
        // name type… encoding emb sub uni objnum gen — the type may contain spaces.
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(cols.len() >= 8, "unexpected pdffonts row: {row}");
        let n = cols.len();
        let (name, emb, sub, uni) = (cols[0], cols[n - 5], cols[n - 4], cols[n - 3]);
        let ty = cols[1..n - 6].join(" ");
        assert_eq!(
            (emb, sub, uni),
            ("yes", "yes", "yes"),
            "font not embedded+subset+ToUnicode: {row}"
        );
        assert_eq!(ty, "CID TrueType", "font type: {row}");
        let (prefix, base) = name
            .split_once('+')
            .unwrap_or_else(|| panic!("font name has no subset prefix: {row}"));
        assert!(
            prefix.len() == 6 && prefix.chars().all(|c| c.is_ascii_uppercase()),
            "subset prefix must be 6 capitals: {row}"
        );
        assert!(
            base == "Tinos" || base.starts_with("Tinos-"),
            "font family is not Tinos: {row}"
        );
    }
}

#[test]
fn qpdf_check_passes() {
    let out = tool("qpdf", &[OsStr::new("--check"), example().pdf.as_os_str()]);
    assert!(
        out.status.success(),
        "qpdf --check failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn mutool_draws_without_warnings() {
    let out = tool(
        "mutool",
        &[
            OsStr::new("draw"),
            OsStr::new("-N"),
            OsStr::new("-o"),
            OsStr::new("/dev/null"),
            example().pdf.as_os_str(),
        ],
    );
    let err = String::from_utf8_lossy(&out.stderr).to_lowercase();
    assert!(
        out.status.success(),
        "mutool draw failed ({}): {err}",
        out.status
    );
    assert!(
        !err.contains("warning") && !err.contains("error"),
        "mutool draw complained:\n{err}"
    );
}

fn info_field<'a>(info: &'a str, key: &str) -> &'a str {
    info.lines()
        .find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix(':')))
        .map(str::trim)
        .unwrap_or_else(|| panic!("pdfinfo has no {key}:\n{info}"))
}

#[test]
fn every_page_is_a4() {
    let pdf = &example().pdf;
    let n = page_count(pdf).to_string();
    let info = tool_stdout(
        "pdfinfo",
        &[
            OsStr::new("-f"),
            OsStr::new("1"),
            OsStr::new("-l"),
            OsStr::new(&n),
            pdf.as_os_str(),
        ],
    );
    let sizes: Vec<&str> = info
        .lines()
        .filter(|l| l.starts_with("Page ") && l.contains(" size:"))
        .collect();
    assert_eq!(
        sizes.len().to_string(),
        n,
        "pdfinfo lists a size per page:\n{info}"
    );
    for l in sizes {
        assert!(
            l.ends_with("595.276 x 841.89 pts (A4)"),
            "page is not A4 portrait: {l}"
        );
    }
}

#[test]
fn metadata_title_author_and_date_come_from_the_data() {
    let info = tool_stdout(
        "pdfinfo",
        &[OsStr::new("-isodates"), example().pdf.as_os_str()],
    );
    let d = data();
    let trich_yeu = d.s("van_ban.trich_yeu");
    let mut cs = trich_yeu.chars();
    let title: String = cs
        .next()
        .map(|c| c.to_uppercase().chain(cs).collect())
        .unwrap_or_default();
    assert_eq!(info_field(&info, "Title"), title);
    assert_eq!(info_field(&info, "Author"), d.s("van_ban.co_quan"));
    let date = d.v("van_ban.ngay").to_string();
    assert_eq!(date, "2021-12-15");
    let created = info_field(&info, "CreationDate");
    assert!(
        created.starts_with(&date),
        "CreationDate {created} is not the document date {date}"
    );
}

#[test]
fn same_input_gives_identical_bytes() {
    let first = std::fs::read(&example().pdf).expect("read first render");
    let again = render(&example_data(), &scratch("again"));
    let second = std::fs::read(&again).expect("read second render");
    assert!(
        first == second,
        "two renders of the same input differ ({} vs {} bytes)",
        first.len(),
        second.len()
    );
}

#[test]
fn output_does_not_depend_on_the_folder() {
    let first = std::fs::read(&example().pdf).expect("read first render");
    let dir = copy_example("elsewhere");
    let other = render(&dir.join("bao-cao.toml"), &dir);
    let second = std::fs::read(&other).expect("read render of the copy");
    assert!(
        first == second,
        "rendering a copy of the example in another folder gives other bytes ({} vs {})",
        first.len(),
        second.len()
    );
}
