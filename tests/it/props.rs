//! Property tests: random markup through the whole pipeline
//! loses nothing and invents nothing.
//!
//! Random documents — headings, paragraphs of Vietnamese words (letters with
//! diacritics, digits, “ ” … – , . ; : ( ) % /), `**bold**` and `*italic*` runs,
//! bullet and numbered lists, small GFM tables — are written verbatim as the
//! template of a report and rendered in-process with `baocao::render_file`. The
//! PDF is read back with `pdftotext -raw` (poppler, not ours), and the sequence of
//! its non-space characters between two sentinel paragraphs must equal the one we
//! expect, computed from the generated document (markup syntax left out, list
//! markers in), not by parsing the markup.

use crate::common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use std::path::Path;

/// A report whose template is `mau.md.hbs`.
const DATA: &str = report_head!();

/// The first and last paragraphs of every document ("QQ" never occurs in words).
const START: &str = "QQĐẦUQQ";
const END: &str = "QQCUỐIQQ";

const LOWER: &str = "aăâbcdđeêghiklmnoôơpqrstuưvxy\
áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ";
const UPPER: &str = "ĐĂÂÊÔƠƯÁÀẢẠẾỀỐỘỚỜỨỰÝBCDGHKLMNPRSTVX";

// ---------------------------------------------------------------------------
// The document model

#[derive(Debug, Clone)]
enum Inline {
    Plain(Vec<String>),
    Bold(Vec<String>),
    Italic(Vec<String>),
}

#[derive(Debug, Clone)]
enum Block {
    Heading(usize, Vec<String>),
    Paragraph(Vec<Inline>),
    Bullets(Vec<Vec<String>>),
    Numbered(Vec<Vec<String>>),
    /// Header row first; every row has the same number of cells.
    Table(Vec<Vec<Vec<String>>>),
}

/// A piece of the expected text.
#[derive(Debug, Clone)]
enum Seg {
    Text(String),
    /// A table's header row, which may be repeated here (a page break inside
    /// the table).
    MayRepeat(String),
}

impl Inline {
    fn markup(&self) -> String {
        match self {
            Inline::Plain(w) => w.join(" "),
            Inline::Bold(w) => format!("**{}**", w.join(" ")),
            Inline::Italic(w) => format!("*{}*", w.join(" ")),
        }
    }
    fn text(&self) -> String {
        match self {
            Inline::Plain(w) | Inline::Bold(w) | Inline::Italic(w) => w.join(" "),
        }
    }
}

fn cells_markup(row: &[Vec<String>]) -> String {
    let cells: Vec<String> = row.iter().map(|c| c.join(" ")).collect();
    format!("| {} |", cells.join(" | "))
}

fn cells_text(row: &[Vec<String>]) -> String {
    let cells: Vec<String> = row.iter().map(|c| c.join(" ")).collect();
    cells.join(" ")
}

impl Block {
    fn markup(&self) -> String {
        match self {
            Block::Heading(level, w) => format!("{} {}", "#".repeat(*level), w.join(" ")),
            Block::Paragraph(inl) => inl.iter().map(Inline::markup).collect::<Vec<_>>().join(" "),
            Block::Bullets(items) => items
                .iter()
                .map(|w| format!("- {}", w.join(" ")))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Numbered(items) => items
                .iter()
                .enumerate()
                .map(|(i, w)| format!("{}. {}", i + 1, w.join(" ")))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Table(rows) => {
                let mut lines = vec![cells_markup(&rows[0])];
                lines.push(format!("|{}", "---|".repeat(rows[0].len())));
                lines.extend(rows[1..].iter().map(|r| cells_markup(r)));
                lines.join("\n")
            }
        }
    }

    /// What the PDF must show for this block, in reading order.
    fn expected(&self, out: &mut Vec<Seg>) {
        match self {
            Block::Heading(_, w) => out.push(Seg::Text(w.join(" "))),
            Block::Paragraph(inl) => out.push(Seg::Text(
                inl.iter().map(Inline::text).collect::<Vec<_>>().join(" "),
            )),
            Block::Bullets(items) => {
                for w in items {
                    out.push(Seg::Text(format!("- {}", w.join(" "))));
                }
            }
            Block::Numbered(items) => {
                for (i, w) in items.iter().enumerate() {
                    out.push(Seg::Text(format!("{}. {}", i + 1, w.join(" "))));
                }
            }
            Block::Table(rows) => {
                let head = cells_text(&rows[0]);
                out.push(Seg::Text(head.clone()));
                for (i, r) in rows[1..].iter().enumerate() {
                    if i > 0 {
                        out.push(Seg::MayRepeat(head.clone()));
                    }
                    out.push(Seg::Text(cells_text(r)));
                }
            }
        }
    }
}

/// The template text of a document, sentinels included.
fn markup(doc: &[Block]) -> String {
    let mut parts = vec![START.to_string()];
    parts.extend(doc.iter().map(Block::markup));
    parts.push(END.to_string());
    parts.join("\n\n") + "\n"
}

// ---------------------------------------------------------------------------
// Strategies

fn set(s: &'static str) -> Vec<char> {
    s.chars().collect()
}

/// A word of letters, maybe capitalised.
fn letters(max: usize) -> impl Strategy<Value = String> {
    let all: Vec<char> = set(UPPER).into_iter().chain(set(LOWER)).collect();
    (
        prop::sample::select(all),
        prop::collection::vec(prop::sample::select(set(LOWER)), 0..max),
    )
        .prop_map(|(first, rest)| std::iter::once(first).chain(rest).collect())
}

/// A number as Vietnamese texts write it: 3250, 12,5.
fn number() -> impl Strategy<Value = String> {
    ("[0-9]{1,4}", prop::option::of("[0-9]{1,2}")).prop_map(|(a, b)| match b {
        Some(b) => format!("{a},{b}"),
        None => a,
    })
}

fn prefix() -> impl Strategy<Value = &'static str> {
    prop::option::weighted(0.12, prop::sample::select(vec!["“", "("]))
        .prop_map(Option::unwrap_or_default)
}

fn suffix() -> impl Strategy<Value = &'static str> {
    prop::option::weighted(
        0.3,
        prop::sample::select(vec!["”", ",", ".", ";", ":", ")", "%", "…"]),
    )
    .prop_map(Option::unwrap_or_default)
}

/// Any word: letters, a number, or a lone dash, ellipsis or slash, with
/// punctuation around.
fn word(max: usize) -> impl Strategy<Value = String> {
    let core = prop_oneof![
        6 => letters(max),
        2 => number(),
        1 => prop::sample::select(vec!["–", "…", "/"]).prop_map(str::to_string),
    ];
    (prefix(), core, suffix()).prop_map(|(p, c, s)| format!("{p}{c}{s}"))
}

/// A word that may start a block: it starts with a letter (after an opening
/// quote or bracket), so it is never read as a list marker.
fn first_word(max: usize) -> impl Strategy<Value = String> {
    (prefix(), letters(max), suffix()).prop_map(|(p, c, s)| format!("{p}{c}{s}"))
}

/// A run of words starting with a letter.
fn words(more: std::ops::Range<usize>, max: usize) -> impl Strategy<Value = Vec<String>> {
    (first_word(max), prop::collection::vec(word(max), more))
        .prop_map(|(f, rest)| std::iter::once(f).chain(rest).collect())
}

fn inline() -> impl Strategy<Value = Inline> {
    prop_oneof![
        4 => words(0..8, 8).prop_map(Inline::Plain),
        1 => words(0..3, 8).prop_map(Inline::Bold),
        1 => words(0..3, 8).prop_map(Inline::Italic),
    ]
}

fn table() -> impl Strategy<Value = Block> {
    (2usize..=4, 1usize..=3).prop_flat_map(|(cols, rows)| {
        prop::collection::vec(prop::collection::vec(words(0..2, 5), cols), rows + 1)
            .prop_map(Block::Table)
    })
}

fn block() -> impl Strategy<Value = Block> {
    prop_oneof![
        2 => (1usize..=3, words(0..6, 8)).prop_map(|(l, w)| Block::Heading(l, w)),
        5 => prop::collection::vec(inline(), 1..7).prop_map(Block::Paragraph),
        1 => prop::collection::vec(words(0..6, 8), 1..4).prop_map(Block::Bullets),
        1 => prop::collection::vec(words(0..6, 8), 1..4).prop_map(Block::Numbered),
        1 => table(),
    ]
}

/// Documents of 1–15 blocks (about a third run onto a second page). Numbered
/// lists one after the other are one list in CommonMark (numbering goes on):
/// the model merges them the same way.
fn document() -> impl Strategy<Value = Vec<Block>> {
    prop::collection::vec(block(), 1..16).prop_map(|blocks| {
        let mut out: Vec<Block> = Vec::new();
        for b in blocks {
            match (out.last_mut(), b) {
                (Some(Block::Numbered(prev)), Block::Numbered(items)) => prev.extend(items),
                (_, b) => out.push(b),
            }
        }
        out
    })
}

// ---------------------------------------------------------------------------
// Comparing

fn non_space(s: &str) -> Vec<char> {
    nfc(s).chars().filter(|c| !c.is_whitespace()).collect()
}

/// True if `act` is exactly `exp`, each `MayRepeat` standing for zero or one copy
/// of its text.
fn matches(exp: &[(bool, Vec<char>)], act: &[char]) -> bool {
    match exp.split_first() {
        None => act.is_empty(),
        Some(((optional, t), rest)) => {
            (act.starts_with(t) && matches(rest, &act[t.len()..]))
                || (*optional && matches(rest, act))
        }
    }
}

/// Render `doc` in `dir`; Err(message) if the PDF text differs.
fn check(dir: &Path, doc: &[Block]) -> Result<(), String> {
    let tpl = markup(doc);
    std::fs::write(dir.join("bao-cao.toml"), DATA).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("mau.md.hbs"), &tpl).map_err(|e| e.to_string())?;
    let r = baocao::render_file(&dir.join("bao-cao.toml"), baocao::Emit::Pdf)
        .map_err(|d| format!("render failed:\n{d}\n--- markup ---\n{tpl}"))?;
    let pdf = dir.join("ra.pdf");
    std::fs::write(&pdf, r.pdf.unwrap_or_default()).map_err(|e| e.to_string())?;
    let text = pdftotext_pages(&pdf, true).join("\n");
    let all = non_space(&text);
    let find = |needle: &str, from: usize| -> Option<usize> {
        let n = non_space(needle);
        (from..all.len().saturating_sub(n.len() - 1)).find(|&i| all[i..].starts_with(&n))
    };
    let start = find(START, 0).map(|i| i + START.chars().count());
    let end = start.and_then(|s| find(END, s));
    let (Some(start), Some(end)) = (start, end) else {
        return Err(format!(
            "sentinels {START} … {END} not found in the PDF text:\n{text}\n--- markup ---\n{tpl}"
        ));
    };
    let actual = &all[start..end];
    let mut segs = Vec::new();
    for b in doc {
        b.expected(&mut segs);
    }
    let exp: Vec<(bool, Vec<char>)> = segs
        .iter()
        .map(|s| match s {
            Seg::Text(t) => (false, non_space(t)),
            Seg::MayRepeat(t) => (true, non_space(t)),
        })
        .collect();
    if matches(&exp, actual) {
        return Ok(());
    }
    let want: String = exp
        .iter()
        .filter(|(o, _)| !o)
        .flat_map(|(_, t)| t)
        .collect();
    let got: String = actual.iter().collect();
    let same = want
        .chars()
        .zip(got.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let tail = |s: &str| {
        s.chars()
            .skip(same.saturating_sub(10))
            .take(50)
            .collect::<String>()
    };
    Err(format!(
        "the PDF text differs after {same} characters:\n  expected …{}\n  pdftotext …{}\n\
         --- markup ---\n{tpl}\n--- pdftotext -raw ---\n{text}",
        tail(&want),
        tail(&got)
    ))
}

fn config() -> Config {
    Config {
        cases: 64,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0x6261_6f63_616f_0006),
        max_shrink_iters: 256,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_markup_reaches_the_pdf_text_whole_and_in_order(doc in document()) {
        let dir = scratch("props");
        let result = check(&dir, &doc);
        let _ = std::fs::remove_dir_all(&dir);
        if let Err(e) = result {
            return Err(TestCaseError::fail(e));
        }
    }
}

/// The comparison itself catches a lost and an invented character.
#[test]
fn the_comparison_notices_lost_and_invented_characters() {
    let exp = vec![
        (false, non_space("Mở đầu")),
        (true, non_space("A B")),
        (false, non_space("kết")),
    ];
    assert!(matches(&exp, &non_space("Mởđầukết")));
    assert!(matches(&exp, &non_space("Mở đầu A B kết")));
    assert!(!matches(&exp, &non_space("Mở đầu kế")));
    assert!(!matches(&exp, &non_space("Mở đầu kếtt")));
    assert!(!matches(&exp, &non_space("Mở đầu A B A B kết")));
}
