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
            // A group row the PDF repeats with "(tiếp)" on the page a group
            // continues on: where pages break is the word processor's to
            // decide, so Word has no such row (the README lists it among what
            // Word cannot show).
            if reference.is_none() && line.text().trim_end().ends_with(" (tiếp)") {
                continue;
            }
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

/// The checks that cannot hold on the DOCX, and why.
const NOT_IN_WORD: &[NotInWord] = &[
    NotInWord {
        doc: "bac-kan-2021/bao-cao",
        check: "justified_lines",
        why: JUSTIFIED,
    },
    NotInWord {
        doc: "phuong-tan-dinh-2025/bao-cao",
        check: "justified_lines",
        why: JUSTIFIED,
    },
];

/// Why justified lines do not end on the margin in LibreOffice.
const JUSTIFIED: &str = "LibreOffice spreads a justified line's spaces in whole device units: \
its last glyph ends up to 1.5 pt before the right margin, past the 1 pt the PDF check allows";

/// The lines of the body's paragraphs on portrait pages (an appendix's
/// landscape pages have other edges).
fn portrait_paragraphs(doc: &Doc) -> impl Iterator<Item = &Vec<Line>> {
    let wide = |l: &Line| doc.ex.pages[l.page - 1].width > doc.ex.pages[l.page - 1].height;
    doc.flow
        .body
        .iter()
        .filter(move |(b, ls)| b.kind == BlockKind::Paragraph && !ls.iter().any(wide))
        .map(|(_, ls)| ls)
}

/// The check of `layout.rs` on indents: first lines are indented by
/// `than.thut_dau_dong`, others start at the margin (±0.5 pt).
fn paragraph_indents(doc: &Doc) {
    let g = doc.geo1();
    let indent = g.left + mm(doc.p.f("than.thut_dau_dong"));
    for lines in portrait_paragraphs(doc) {
        for (k, l) in lines.iter().enumerate() {
            let start = if k == 0 { indent } else { g.left };
            assert!(
                (l.x0() - start).abs() <= 0.5,
                "line starts at {:.2}, expected {start:.2}: {}",
                l.x0(),
                l.describe()
            );
        }
    }
}

/// The check of `layout.rs` on justified lines: every line of a paragraph
/// but its last ends on the right margin (±1 pt).
fn justified_lines(doc: &Doc) {
    let g = doc.geo1();
    let mut checked = 0;
    for lines in portrait_paragraphs(doc) {
        for l in &lines[..lines.len() - 1] {
            checked += 1;
            assert!(
                (l.x1() - g.right).abs() <= 1.0,
                "justified line ends at {:.2}, the margin is {:.2}: {}",
                l.x1(),
                g.right,
                l.describe()
            );
        }
    }
    assert!(checked > 20, "only {checked} justified lines");
}

/// The checks of `layout.rs` on page breaks: no heading ends a page, no
/// paragraph leaves one line alone at the bottom or top of a page.
fn page_breaks(doc: &Doc) {
    let lines: Vec<(&Block, &Line)> = doc
        .flow
        .body
        .iter()
        .flat_map(|(b, ls)| ls.iter().map(move |l| (b, l)))
        .collect();
    for w in lines.windows(2) {
        if w[0].1.page != w[1].1.page {
            assert!(
                !matches!(w[0].0.kind, BlockKind::Heading(_)),
                "a heading ends page {}: {}",
                w[0].1.page,
                w[0].1.describe()
            );
        }
    }
    for (b, ls) in &doc.flow.body {
        if b.kind != BlockKind::Paragraph {
            continue;
        }
        let (first, last) = (ls[0].page, ls[ls.len() - 1].page);
        if first != last {
            let on = |p: usize| ls.iter().filter(|l| l.page == p).count();
            assert!(
                on(first) >= 2 && on(last) >= 2,
                "a lone line of a paragraph split over pages {first}–{last}: {}",
                ls[0].describe()
            );
        }
    }
}

/// A layout check of `profiles.rs`.
type Check = fn(&Doc);

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
    let checks: [(&str, Check); 9] = [
        ("header", profiles::check_header),
        ("number_date_baseline", profiles::check_number_date_baseline),
        ("title", profiles::check_title),
        ("closing", profiles::check_closing),
        ("body", profiles::check_body),
        (
            "margins_and_page_numbers",
            profiles::check_margins_and_page_numbers,
        ),
        ("paragraph_indents", paragraph_indents),
        ("justified_lines", justified_lines),
        ("page_breaks", page_breaks),
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

/// What python-docx reads in the DOCX of `pair`.
fn python_docx(p: &Pair) -> serde_json::Value {
    let script = root().join("tests/it/docx/read_docx.py");
    // Debian's Python, which python3-docx installs into.
    let run = match Command::new("/usr/bin/python3")
        .arg(script)
        .arg(&p.docx)
        .output()
    {
        Ok(r) => r,
        Err(e) => panic!("cannot run /usr/bin/python3 (Debian package python3-docx): {e}"),
    };
    assert!(
        run.status.success(),
        "python-docx could not read {} (install the Debian package python3-docx):\n{}",
        p.docx.display(),
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).expect("JSON from read_docx.py")
}

/// A JSON value's text.
fn text(v: &serde_json::Value) -> String {
    fold(v.as_str().unwrap_or_else(|| panic!("not text: {v}")))
}

/// "kết quả …" → "Kết quả …".
fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Word's own structures in the DOCX of `name`, as python-docx reads them,
/// against the markup and data they come from.
fn word_structures(name: &str) {
    let p = pair(name);
    let j = python_docx(p);
    let d = Toml::load(&p.data);
    let blocks = blocks(&emit_markup(&p.data));
    let parts = usize::from(blocks.iter().any(|b| b.kind == BlockKind::Heading(0)));
    // Headings: Word's built-in heading styles, the outline of the markup.
    let want: Vec<(String, String)> = blocks
        .iter()
        .filter_map(|b| match b.kind {
            BlockKind::Heading(l) => Some((
                format!("Heading {}", l.max(1) + parts - usize::from(l == 0)),
                b.text.clone(),
            )),
            _ => None,
        })
        .collect();
    let got: Vec<(String, String)> = j["headings"]
        .as_array()
        .expect("headings")
        .iter()
        .map(|h| (text(&h[0]), text(&h[1])))
        .collect();
    assert_eq!(got, want, "{name}: heading styles and texts");
    // Lists are Word lists.
    let items = blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Paragraph)
        .filter(|b| {
            b.text.starts_with("- ")
                || b.text
                    .split_once(". ")
                    .is_some_and(|(n, _)| n.parse::<u64>().is_ok())
        })
        .count();
    assert_eq!(
        j["list_items"].as_u64(),
        Some(items as u64),
        "{name}: list items as Word lists"
    );
    // The header block: a borderless two-column table.
    let tables = j["tables"].as_array().expect("tables");
    let head = &tables[0];
    assert_eq!(
        (head["columns"].as_u64(), head["borders"].clone()),
        (Some(2), serde_json::json!(["nil"])),
        "{name}: the header block"
    );
    assert!(
        text(&head["first_row"][0]).contains(&fold(&d.s("van_ban.co_quan"))),
        "{name}: the issuing body in the header's left column: {head}"
    );
    // Body tables: ruled, their header rows repeated, merged cells merged.
    let ruled: Vec<&serde_json::Value> = tables
        .iter()
        .filter(|t| t["borders"] == serde_json::json!(["single"]))
        .collect();
    let marked: Vec<&Block> = blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Table)
        .collect();
    assert_eq!(
        ruled.len(),
        marked.len(),
        "{name}: one ruled table per markup table"
    );
    for (t, b) in ruled.iter().zip(&marked) {
        let header_rows = 1 + b
            .cells
            .iter()
            .skip(1)
            .take_while(|r| r.iter().any(|c| c == "^"))
            .count();
        let want: Vec<u64> = (0..header_rows as u64).collect();
        assert_eq!(
            t["header_rows"],
            serde_json::json!(want),
            "{name}: repeated header rows of {t}"
        );
        let has = |m: &str| b.cells.iter().flatten().any(|c| c == m);
        assert_eq!(
            t["spans"].as_u64().is_some_and(|n| n > 0),
            has("<"),
            "{name}: cells joined left (<) in {t}"
        );
        assert_eq!(
            t["merged_down"].as_u64().is_some_and(|n| n > 0),
            has("^"),
            "{name}: cells joined down (^) in {t}"
        );
    }
    word_sections(name, &j, &d, &blocks);
}

/// Sections, page numbers and document properties.
fn word_sections(name: &str, j: &serde_json::Value, d: &Toml, blocks: &[Block]) {
    let profile = builtin_profile(&d.s("van_ban.the_thuc").replace("dang", "dang-36"));
    let sections = j["sections"].as_array().expect("sections");
    let mut want = vec![false];
    want.extend(blocks.iter().filter_map(|b| match b.kind {
        BlockKind::Section(l) => Some(l),
        _ => None,
    }));
    let got: Vec<bool> = sections.iter().map(|s| s["landscape"] == true).collect();
    assert_eq!(got, want, "{name}: sections, landscape or not");
    let (w, h) = (mm(profile.f("trang.rong")), mm(profile.f("trang.cao")));
    for (s, landscape) in sections.iter().zip(&want) {
        let (sw, sh) = (
            s["width"].as_f64().expect("width"),
            s["height"].as_f64().expect("height"),
        );
        let (ww, wh) = if *landscape { (h, w) } else { (w, h) };
        assert!(
            (sw - ww).abs() < 0.5 && (sh - wh).abs() < 0.5,
            "{name}: page {sw}×{sh}, profile {ww:.1}×{wh:.1}"
        );
        assert_eq!(
            s["page_field"], true,
            "{name}: a PAGE field in the header of {s}"
        );
    }
    assert_eq!(
        sections[0]["different_first_page"], true,
        "{name}: page 1 has its own header"
    );
    assert_eq!(
        sections[0]["first_page_header_text"], "",
        "{name}: page 1 shows no number"
    );
    assert_eq!(
        text(&j["title"]),
        upper_first(&fold(&d.s("van_ban.trich_yeu"))),
        "{name}: title"
    );
    assert_eq!(
        text(&j["author"]),
        fold(&d.s("van_ban.co_quan")),
        "{name}: author"
    );
    let kind = d
        .get("van_ban.loai")
        .and_then(|v| v.as_str())
        .unwrap_or("BÁO CÁO")
        .to_string();
    assert_eq!(text(&j["subject"]), kind, "{name}: subject");
    assert_eq!(
        j["fonts"],
        serde_json::json!(["Times New Roman"]),
        "{name}: every font named"
    );
}

#[test]
fn python_docx_reads_word_structures_in_the_party_example() {
    word_structures("bac-kan-2021/bao-cao");
}

#[test]
fn python_docx_reads_word_structures_in_the_state_example() {
    word_structures("phuong-tan-dinh-2025/bao-cao");
}

#[test]
fn o_docx_writes_the_same_docx_bytes_every_run_dated_by_the_document() {
    let dir = scratch("docx-same");
    let run = |name: &str| {
        let out = dir.join(name);
        let r = bin()
            .arg("render")
            .arg(example_data())
            .arg("-o")
            .arg(&out)
            .output()
            .expect("run baocao");
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
        std::fs::read(out).expect("the DOCX")
    };
    let (a, b) = (run("a.docx"), run("b.docx"));
    assert!(a == b, "two runs gave different DOCX bytes");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(a)).expect("a ZIP package");
    let mut names = Vec::new();
    for i in 0..zip.len() {
        let f = zip.by_index(i).expect("entry");
        let name = f.name().map(|n| n.to_string()).unwrap_or_default();
        let t = f.last_modified().expect("a date");
        assert_eq!(
            (t.year(), t.month(), t.day(), t.hour(), t.minute()),
            (2021, 12, 15, 0, 0),
            "{name} is dated {t:?}, not by the document (van_ban.ngay)"
        );
        names.push(name);
    }
    assert_eq!(
        names.first().map(String::as_str),
        Some("[Content_Types].xml"),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n == "word/document.xml"), "{names:?}");
}

#[test]
fn numbered_lists_start_at_the_number_typed_in_word() {
    let dir = scratch("docx-lists");
    put(&dir, "bao-cao.toml", SMALL_DATA);
    put(
        &dir,
        "mau.md.hbs",
        "# I- KẾT QUẢ\n\nĐoạn đầu.\n\n3. ba\n4. bốn\n\nĐoạn giữa.\n\n1. một\n\n- gạch\n",
    );
    let r = bin()
        .current_dir(&dir)
        .args(["render", "bao-cao.toml", "-o", "ra.docx"])
        .output()
        .expect("run baocao");
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    soffice_to_pdf(&dir, &dir, &[dir.join("ra.docx")]);
    let text = fold(&pdftotext(&dir.join("ra.pdf")));
    let want = "Đoạn đầu. 3. ba 4. bốn Đoạn giữa. 1. một - gạch";
    assert!(text.contains(want), "the lists in Word read: {text}");
}
