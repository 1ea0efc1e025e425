//! The flow of a rendered report read back against its markup: which PDF lines
//! show which block, the front matter and where the closing part starts.

use super::*;
use std::sync::OnceLock;

/// The page-number line of a page: the topmost line, if its text is a number
/// and it lies in the top 16 mm (above any text area the profiles allow). Each
/// appendix may number its own pages, so the number need not be the page's
/// place in the file: see [`printed_numbers`].
pub fn page_number_line(page: &Page) -> Option<Line> {
    let first = page.lines().into_iter().next()?;
    let t = first.text();
    let number = !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    (number && first.y < mm(16.0)).then_some(first)
}

/// True if vertical rules on `page` stand left and right of `line` across its
/// baseline: the line is text inside a ruled table.
pub fn inside_ruled_box(page: &Page, line: &Line) -> bool {
    let across = |r: &&Rule| r.is_vertical() && r.top() < line.y && r.bottom() > line.y;
    let (x0, x1) = (line.x0(), line.x1());
    page.rules.iter().filter(across).any(|r| r.x() <= x0 + 0.01)
        && page.rules.iter().filter(across).any(|r| r.x() >= x1 - 0.01)
}

/// Words of a text, as a multiset.
fn word_counts<'a>(
    texts: impl Iterator<Item = &'a str>,
) -> std::collections::BTreeMap<String, usize> {
    let mut m = std::collections::BTreeMap::new();
    for t in texts {
        for w in t.split_whitespace() {
            *m.entry(w.to_string()).or_insert(0) += 1;
        }
    }
    m
}

/// The flow of a rendered report, read back: front matter (page 1 down to the
/// end of the title block), the body's blocks with their lines, and where the
/// closing part (signature, recipients) starts.
pub struct Flow {
    /// Page 1 lines down to and including the last line of the title block
    /// (the "-----" line, or the summary when the profile has none).
    pub front: Vec<Line>,
    /// Each markup block with the PDF lines that show it (directives, which show
    /// nothing, are left out). A table's lines are every line inside its rules,
    /// repeated header rows included.
    pub body: Vec<(Block, Vec<Line>)>,
    /// The signature follows the last line of the main text: this page, below `closing_top`.
    pub closing_page: usize,
    pub closing_top: f64,
    /// Each appendix's head lines the layout adds (no markup block shows
    /// them): its label ("Phụ lục I") and its "(Kèm theo …)" lines.
    pub appendix_heads: Vec<(Line, Vec<Line>)>,
}

/// Read the flow of `pages` against `markup`, with the labels of `profile` and `data`.
pub fn read_flow(pages: &[Page], markup: &str, profile: &Toml, data: &Toml) -> Flow {
    read_flow_with(pages, markup, profile, data, false)
}

/// Where a line may end inside a word in a word processor (baocao breaks only
/// at spaces): after a hyphen, a dash, an ellipsis or a slash.
pub fn breaks_inside_word(line: &str) -> bool {
    line.ends_with(['-', '–', '…', '/'])
}

/// [`read_flow`]; with `inside_words`, a line ending as [`breaks_inside_word`]
/// says may continue its word on the next line (for documents a word
/// processor set, such as a DOCX converted by LibreOffice).
pub fn read_flow_with(
    pages: &[Page],
    markup: &str,
    profile: &Toml,
    data: &Toml,
    inside_words: bool,
) -> Flow {
    let mut lines: Vec<Line> = Vec::new();
    for p in pages {
        let mut ls = p.lines();
        if page_number_line(p).is_some() {
            ls.remove(0);
        }
        lines.extend(ls);
    }
    let page_of = |l: &Line| &pages[l.page - 1];
    let end_of_front = {
        let gach = profile.s("tieu_de.gach.chu");
        if !gach.trim().is_empty() {
            lines
                .iter()
                .position(|l| l.page == 1 && l.text() == gach)
                .unwrap_or_else(|| {
                    panic!(
                        "no \"{gach}\" line under the title on page 1:\n{}",
                        pages[0].dump()
                    )
                })
        } else {
            let loai = data
                .get("van_ban.loai")
                .and_then(|v| v.as_str())
                .unwrap_or("BÁO CÁO")
                .to_string();
            let title = lines
                .iter()
                .position(|l| l.page == 1 && l.text() == loai)
                .unwrap_or_else(|| panic!("no title \"{loai}\" on page 1:\n{}", pages[0].dump()));
            let summary = fold(&nfc(&summary_as_set(profile, &data.s("van_ban.trich_yeu"))));
            let mut acc = String::new();
            let mut k = title;
            while acc != summary {
                k += 1;
                let t = lines
                    .get(k)
                    .unwrap_or_else(|| panic!("the summary \"{summary}\" never completes"))
                    .text();
                acc = if acc.is_empty() {
                    t
                } else {
                    format!("{acc} {t}")
                };
                assert!(
                    summary.starts_with(&acc),
                    "the lines under the title do not spell the summary:\nsummary: \"{summary}\"\nPDF:     \"{acc}\""
                );
            }
            k
        }
    };
    let front = lines[..=end_of_front].to_vec();
    let mut i = end_of_front + 1;
    let mut body: Vec<(Block, Vec<Line>)> = Vec::new();
    let mut closing: Option<(usize, f64)> = None;
    // Set by a directive: (the page the next block must come after, landscape wanted).
    let mut new_page: Option<(usize, Option<bool>)> = None;
    // An appendix's label, waiting for its first block.
    let mut appendix: Option<String> = None;
    let mut appendix_heads = Vec::new();
    for mut block in blocks(markup) {
        if block.kind == BlockKind::Caption(true) {
            block.text = format!("{} {}", profile.s("bang.chu_don_vi_tinh"), block.text);
        }
        let last_page = i.checked_sub(1).map(|k| lines[k].page).unwrap_or(1);
        let section = match &block.kind {
            BlockKind::PageBreak => {
                new_page = Some((last_page, None));
                continue;
            }
            BlockKind::Section(landscape) => Some(*landscape),
            BlockKind::Appendix(number) => {
                appendix = Some(appendix_label(profile, number));
                // Portrait unless a `\ngang` follows.
                Some(false)
            }
            _ => None,
        };
        if let Some(landscape) = section {
            if closing.is_none() {
                // The signature closes the main text and precedes the sections:
                // skip it (down to the signer's name) and the rest of its page.
                let last = &lines[i - 1];
                closing = Some((last.page, last.y));
                let name = fold(&nfc(&data.s("ky.ho_ten")));
                let k = (i..lines.len())
                    .find(|&k| lines[k].text().contains(&name))
                    .unwrap_or_else(|| {
                        panic!(
                            "no signature (\"{name}\") before the section that starts after {}",
                            last.describe()
                        )
                    });
                let sig_page = lines[k].page;
                i = k + 1;
                while i < lines.len() && lines[i].page == sig_page {
                    i += 1;
                }
                new_page = Some((sig_page, Some(landscape)));
            } else {
                new_page = Some((last_page, Some(landscape)));
            }
            continue;
        }
        // An appendix's label comes first; its "(Kèm theo …)" line follows the
        // title (the heading right after `\phu_luc`), or comes first without one.
        let head = appendix.take().map(|label| {
            let l = lines
                .get(i)
                .unwrap_or_else(|| panic!("no appendix label \"{label}\""));
            assert_eq!(l.text(), label, "the appendix's label: {}", l.describe());
            i += 1;
            l.clone()
        });
        let with_line = |i: &mut usize| -> Vec<Line> {
            let mut got = Vec::new();
            let mut acc = String::new();
            while !acc.ends_with(')') {
                let l = lines.get(*i).expect("an appendix's \"(Kèm theo …)\" line");
                assert!(
                    !acc.is_empty() || l.text().starts_with("(Kèm theo"),
                    "the appendix's \"(Kèm theo …)\" line: {}",
                    l.describe()
                );
                acc.push_str(&l.text());
                got.push(l.clone());
                *i += 1;
            }
            got
        };
        let titled = matches!(block.kind, BlockKind::Heading(_));
        let mut with = Vec::new();
        if head.is_some() && !titled {
            with = with_line(&mut i);
        }
        let mut got: Vec<Line> = Vec::new();
        if block.kind == BlockKind::Table {
            while i < lines.len() && inside_ruled_box(page_of(&lines[i]), &lines[i]) {
                got.push(lines[i].clone());
                i += 1;
            }
            assert!(
                !got.is_empty(),
                "the markup has a table here (\"{}…\") but the next PDF line is not inside table rules: {}",
                block.text.chars().take(60).collect::<String>(),
                lines.get(i).map(Line::describe).unwrap_or_else(|| "(end of document)".into())
            );
            let have = word_counts(
                got.iter()
                    .map(Line::text)
                    .collect::<Vec<_>>()
                    .iter()
                    .map(String::as_str),
            );
            let need = word_counts(
                block
                    .cells
                    .iter()
                    .flatten()
                    .filter(|c| *c != "<" && *c != "^")
                    .map(String::as_str),
            );
            let missing: Vec<String> = need
                .iter()
                .filter(|(w, n)| have.get(*w).copied().unwrap_or(0) < **n)
                .map(|(w, n)| format!("{w:?}×{n} (PDF has {})", have.get(w).copied().unwrap_or(0)))
                .collect();
            assert!(
                missing.is_empty(),
                "words of the table's cells missing from its ruled lines (page {}..{}): {}",
                got[0].page,
                got[got.len() - 1].page,
                missing.join(", ")
            );
        } else {
            let mut acc = String::new();
            while acc != block.text {
                let Some(l) = lines.get(i) else {
                    panic!("the PDF ends before the markup block \"{}\" is complete; read so far: \"{acc}\"", block.text)
                };
                i += 1;
                let t = l.text();
                acc = if acc.is_empty() {
                    t
                } else if inside_words
                    && breaks_inside_word(&acc)
                    && block.text.starts_with(&format!("{acc}{t}"))
                {
                    format!("{acc}{t}")
                } else {
                    format!("{acc} {t}")
                };
                got.push(l.clone());
                assert!(
                    block.text.starts_with(&acc),
                    "PDF lines do not spell the markup block in order.\nblock: \"{}\"\nPDF:   \"{acc}\"\nlast line: {}",
                    block.text,
                    l.describe()
                );
            }
        }
        if let Some((after, landscape)) = new_page.take() {
            let first = &got[0];
            assert!(
                first.page > after,
                "a directive in the markup starts a new page, but \"{}\" is on page {} (the text before it ends on page {after})",
                block.text.chars().take(60).collect::<String>(),
                first.page
            );
            if let Some(l) = landscape {
                let p = page_of(first);
                assert_eq!(
                    p.width > p.height,
                    l,
                    "page {} ({:.1} × {:.1} pt) should be {}",
                    p.number,
                    p.width,
                    p.height,
                    if l { "landscape" } else { "portrait" }
                );
            }
        }
        if let Some(label) = head {
            if titled {
                with = with_line(&mut i);
            }
            appendix_heads.push((label, with));
        }
        body.push((block, got));
    }
    let (closing_page, closing_top) = closing.unwrap_or_else(|| {
        let last = body
            .last()
            .and_then(|(_, ls)| ls.last())
            .expect("the body has lines");
        (last.page, last.y)
    });
    Flow {
        front,
        body,
        closing_page,
        closing_top,
        appendix_heads,
    }
}

/// The flow of the Party example.
pub fn flow() -> &'static Flow {
    static F: OnceLock<Flow> = OnceLock::new();
    F.get_or_init(|| {
        let ex = example();
        read_flow(&ex.pages, &ex.markup, profile(), data())
    })
}
