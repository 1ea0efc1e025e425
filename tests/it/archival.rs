//! Archival and accessible PDF: PDF/A-2 (level A by default, `--pdfa u|b|khong`
//! for the others), PDF/UA-1 structure tags, bookmarks, and the same bytes on
//! every run — read back with `qpdf --json` (object streams resolved), never
//! with baocao's own code.

use crate::common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// A PDF's objects as `qpdf --json` shows them.
struct Objects {
    objs: serde_json::Map<String, Value>,
}

impl Objects {
    fn read(pdf: &Path) -> Objects {
        let out = tool_stdout("qpdf", &[OsStr::new("--json"), pdf.as_os_str()]);
        let j: Value = serde_json::from_str(&out).expect("qpdf --json is JSON");
        let objs = j["qpdf"][1]
            .as_object()
            .expect("qpdf --json v2 objects")
            .clone();
        Objects { objs }
    }

    /// `v`, or the object it refers to ("12 0 R").
    fn get<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v.as_str() {
            Some(r) if r.ends_with(" R") => {
                let o = &self.objs[&format!("obj:{r}")];
                if o.get("stream").is_some() {
                    &o["stream"]["dict"]
                } else {
                    &o["value"]
                }
            }
            _ => v,
        }
    }

    fn trailer(&self) -> &Value {
        &self.objs["trailer"]["value"]
    }

    fn catalog(&self) -> &Value {
        self.get(&self.trailer()["/Root"])
    }

    /// The page references in order.
    fn pages(&self) -> Vec<String> {
        let kids = &self.get(&self.catalog()["/Pages"])["/Kids"];
        kids.as_array()
            .expect("page kids")
            .iter()
            .map(|k| k.as_str().expect("page ref").to_string())
            .collect()
    }

    /// The structure elements under `v`, depth first in reading order: each
    /// its type and the types of its ancestors, innermost last.
    fn elements(&self, v: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        let v = self.get(v);
        if let Some(kids) = v.as_array() {
            for k in kids {
                self.elements(k, path, out);
            }
            return;
        }
        let Some(d) = v.as_object() else { return };
        if let Some(s) = d.get("/S").and_then(Value::as_str) {
            path.push(s.to_string());
            out.push(path.clone());
            if let Some(k) = d.get("/K") {
                self.elements(k, path, out);
            }
            path.pop();
        }
    }

    /// Every structure element, with its ancestors' types.
    fn structure(&self) -> Vec<Vec<String>> {
        let root = self.get(&self.catalog()["/StructTreeRoot"]);
        let mut out = Vec::new();
        self.elements(&root["/K"], &mut Vec::new(), &mut out);
        // One Document element holds everything.
        assert_eq!(
            out.first().map(|p| p.as_slice()),
            Some(&["/Document".to_string()][..])
        );
        out.into_iter()
            .skip(1)
            .map(|p| {
                assert_eq!(p[0], "/Document", "an element outside the Document");
                p[1..].to_vec()
            })
            .collect()
    }

    /// The bookmarks in order: (depth, title, page index).
    fn outline(&self) -> Vec<(usize, String, usize)> {
        let pages = self.pages();
        let mut out = Vec::new();
        let root = self.get(&self.catalog()["/Outlines"]);
        self.items(&root["/First"], 0, &pages, &mut out);
        out
    }

    fn items(
        &self,
        first: &Value,
        depth: usize,
        pages: &[String],
        out: &mut Vec<(usize, String, usize)>,
    ) {
        let mut at = first.clone();
        while at.is_string() {
            let item = self.get(&at).clone();
            let title = text(&item["/Title"]);
            let dest = self.get(&item["/Dest"]);
            let page = dest[0].as_str().expect("destination page");
            let n = pages.iter().position(|p| p == page).expect("a page");
            out.push((depth, title, n));
            if item.get("/First").is_some() {
                self.items(&item["/First"], depth + 1, pages, out);
            }
            at = item.get("/Next").cloned().unwrap_or(Value::Null);
        }
    }
}

/// A text string of `qpdf --json` ("u:…").
fn text(v: &Value) -> String {
    let s = v.as_str().expect("a string");
    s.strip_prefix("u:").unwrap_or(s).to_string()
}

/// The XMP packet of `pdf` (a metadata stream is never compressed in PDF/A).
fn xmp(pdf: &Path) -> String {
    let bytes = std::fs::read(pdf).expect("read PDF");
    let s = String::from_utf8_lossy(&bytes);
    let start = s.find("<x:xmpmeta").expect("an XMP packet");
    let end = s[start..].find("</x:xmpmeta>").expect("end of XMP") + start;
    s[start..end].to_string()
}

/// The Bắc Kạn example rendered with `--pdfa level` (none: the default).
fn render_level(level: Option<&str>) -> PathBuf {
    let dir = scratch(&format!("archival-{}", level.unwrap_or("mac-dinh")));
    let out = dir.join("bao-cao.pdf");
    let mut cmd = bin();
    cmd.arg("render").arg(example_data()).arg("-o").arg(&out);
    if let Some(l) = level {
        cmd.arg("--pdfa").arg(l);
    }
    let run = cmd.output().expect("run baocao");
    assert!(
        run.status.success(),
        "render --pdfa {level:?} failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    out
}

#[test]
fn the_default_file_is_pdfa_2a_and_pdfua_1_with_metadata_from_van_ban() {
    let pdf = &example().pdf;
    let x = xmp(pdf);
    for want in [
        "<pdfaid:part>2</pdfaid:part>",
        "<pdfaid:conformance>A</pdfaid:conformance>",
        "<pdfuaid:part>1</pdfuaid:part>",
        // Title: the summary; author: the issuing body; subject: the type.
        "Kết quả học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm 2021",
        "<dc:creator><rdf:Seq><rdf:li>THÀNH ỦY BẮC KẠN</rdf:li>",
        "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">BÁO CÁO</rdf:li>",
        "<xmp:CreateDate>2021-12-15",
        "<rdf:li>vi-VN</rdf:li>",
    ] {
        assert!(x.contains(want), "XMP lacks {want}:\n{x}");
    }
    let o = Objects::read(pdf);
    let cat = o.catalog();
    assert_eq!(cat["/Lang"], "u:vi-VN");
    assert_eq!(cat["/MarkInfo"]["/Marked"], true);
    assert_eq!(
        cat["/PageMode"], "/UseOutlines",
        "bookmarks shown on opening"
    );
    let intents = o.get(&cat["/OutputIntents"]);
    let intent = o.get(&intents[0]);
    assert_eq!(intent["/S"], "/GTS_PDFA1");
    let icc = o.get(&intent["/DestOutputProfile"]);
    assert_eq!(icc["/N"], 3, "an RGB ICC profile");
    // The document information says the same as the XMP.
    let info = o.get(&o.trailer()["/Info"]);
    assert_eq!(text(&info["/Author"]), "THÀNH ỦY BẮC KẠN");
    assert_eq!(text(&info["/Subject"]), "BÁO CÁO");
}

/// Readers we did not write read every level without a complaint: poppler
/// (`pdfinfo`, which reads the catalog's /MarkInfo, and `pdftotext`) prints
/// nothing on stderr, and `qpdf --check` finds no warning.
#[test]
fn poppler_and_qpdf_read_every_level_without_a_complaint() {
    for level in [None, Some("u"), Some("b"), Some("khong")] {
        let pdf = render_level(level);
        for (name, args) in [
            ("pdfinfo", vec![pdf.as_os_str()]),
            ("pdftotext", vec![pdf.as_os_str(), OsStr::new("-")]),
        ] {
            let out = tool(name, &args);
            assert!(
                out.status.success() && out.stderr.is_empty(),
                "{name} on --pdfa {level:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let out = tool("qpdf", &[OsStr::new("--check"), pdf.as_os_str()]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && !stdout.contains("WARNING"),
            "qpdf --check on --pdfa {level:?}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn each_level_says_its_conformance_and_keeps_the_text() {
    let base = tool_stdout("pdftotext", &[example().pdf.as_os_str(), OsStr::new("-")]);
    for (level, conformance) in [
        ("a", Some("A")),
        ("u", Some("U")),
        ("b", Some("B")),
        ("khong", None),
    ] {
        let pdf = render_level(Some(level));
        let x = std::fs::read(&pdf).map(|b| String::from_utf8_lossy(&b).to_string());
        let x = x.expect("read PDF");
        match conformance {
            Some(c) => {
                assert!(x.contains("<pdfaid:part>2</pdfaid:part>"), "--pdfa {level}");
                let want = format!("<pdfaid:conformance>{c}</pdfaid:conformance>");
                assert!(x.contains(&want), "--pdfa {level}: no {want}");
            }
            None => assert!(!x.contains("pdfaid:part"), "--pdfa khong claims PDF/A"),
        }
        assert_eq!(
            x.contains("pdfuaid:part"),
            level == "a",
            "--pdfa {level}: PDF/UA"
        );
        let o = Objects::read(&pdf);
        let tagged = o.catalog().get("/StructTreeRoot").is_some();
        assert_eq!(tagged, level == "a", "--pdfa {level}: structure tags");
        let out = tool("qpdf", &[OsStr::new("--check"), pdf.as_os_str()]);
        assert!(out.status.success(), "qpdf --check --pdfa {level}");
        let t = tool_stdout("pdftotext", &[pdf.as_os_str(), OsStr::new("-")]);
        assert_eq!(t, base, "--pdfa {level}: text differs from the default's");
        if level != "a" {
            let size = std::fs::metadata(&pdf).expect("size").len();
            let tagged = std::fs::metadata(&example().pdf).expect("size").len();
            assert!(
                size < tagged,
                "--pdfa {level} ({size} B) is not smaller than tagged ({tagged} B)"
            );
        }
    }
}

/// What the markup has: its headings by level, paragraphs, list items, and
/// each table's rows and cells (span markers are no cells).
struct Expected {
    headings: BTreeMap<String, usize>,
    paragraphs: usize,
    items: usize,
    tables: usize,
    rows: usize,
    header_cells: usize,
    cells: usize,
}

fn expected(markup: &str) -> Expected {
    let bl = blocks(markup);
    let mut headings = BTreeMap::new();
    let (mut paragraphs, mut tables, mut rows, mut header_cells, mut cells) = (0, 0, 0, 0, 0);
    for b in &bl {
        match b.kind {
            BlockKind::Heading(l) => *headings.entry(format!("/H{}", l.max(1))).or_insert(0) += 1,
            BlockKind::Paragraph => paragraphs += 1,
            BlockKind::Table => {
                tables += 1;
                rows += b.cells.len();
                let real = |r: &Vec<String>| r.iter().filter(|c| *c != "<" && *c != "^").count();
                header_cells += b.cells.first().map_or(0, real);
                cells += b.cells.iter().map(real).sum::<usize>();
            }
            _ => {}
        }
    }
    let items = pulldown_cmark::Parser::new_ext(markup, pulldown_cmark::Options::ENABLE_TABLES)
        .filter(|e| matches!(e, pulldown_cmark::Event::Start(pulldown_cmark::Tag::Item)))
        .count();
    Expected {
        headings,
        paragraphs: paragraphs - items,
        items,
        tables,
        rows,
        header_cells,
        cells,
    }
}

#[test]
fn structure_tags_count_what_the_markup_has() {
    let ex = example();
    let want = expected(&ex.markup);
    let tree = Objects::read(&ex.pdf).structure();
    // The body: outside the header, signature and recipients blocks (Div).
    let body: Vec<&Vec<String>> = tree
        .iter()
        .filter(|p| !p.contains(&"/Div".to_string()))
        .collect();
    let count = |s: &str| {
        body.iter()
            .filter(|p| p.last().is_some_and(|l| l == s))
            .count()
    };
    let mut headings = BTreeMap::new();
    for h in ["/H1", "/H2", "/H3", "/H4"] {
        if count(h) > 0 {
            headings.insert(h.to_string(), count(h));
        }
    }
    assert_eq!(headings, want.headings, "headings by level");
    assert_eq!(count("/P"), want.paragraphs, "paragraphs");
    assert_eq!(count("/LI"), want.items, "list items");
    assert_eq!(count("/Lbl"), want.items, "each list item has its label");
    assert_eq!(count("/LBody"), want.items, "each list item has its body");
    assert_eq!(count("/Table"), want.tables, "tables");
    assert_eq!(count("/TR"), want.rows, "table rows");
    assert_eq!(count("/TH"), want.header_cells, "header cells");
    assert_eq!(count("/TH") + count("/TD"), want.cells, "table cells");
    assert_eq!(count("/Title"), 1, "one title");
    // The frame: the header block, the signature, the recipients as a list.
    let divs = tree
        .iter()
        .filter(|p| p.len() == 1 && p[0] == "/Div")
        .count();
    assert_eq!(divs, 3, "header, signature and recipients blocks");
    let recipients = tree
        .iter()
        .filter(|p| p.len() == 3 && p[0] == "/Div" && p[1] == "/L" && p[2] == "/LI")
        .count();
    let data: toml::Table = std::fs::read_to_string(example_data())
        .expect("data file")
        .parse()
        .expect("data file is TOML");
    let noi_nhan = data["van_ban"]["noi_nhan"]
        .as_array()
        .expect("noi_nhan")
        .len();
    assert_eq!(recipients, noi_nhan, "one list item per recipient");
    // Reading order: header, title, body, signature, recipients.
    let tops: Vec<&str> = tree
        .iter()
        .filter(|p| p.len() == 1)
        .map(|p| p[0].as_str())
        .collect();
    assert_eq!(tops.first(), Some(&"/Div"), "the header block first");
    assert_eq!(tops.get(1), Some(&"/Title"), "then the title");
    assert_eq!(
        &tops[tops.len() - 2..],
        ["/Div", "/Div"],
        "signature and recipients last"
    );
}

#[test]
fn one_bookmark_per_heading_in_order_at_its_page() {
    let ex = example();
    let headings: Vec<(usize, String)> = blocks(&ex.markup)
        .into_iter()
        .filter_map(|b| match b.kind {
            BlockKind::Heading(l) => Some((l, b.text)),
            _ => None,
        })
        .collect();
    let outline = Objects::read(&ex.pdf).outline();
    let titles: Vec<String> = outline.iter().map(|(_, t, _)| fold(&nfc(t))).collect();
    let want: Vec<String> = headings.iter().map(|(_, t)| t.clone()).collect();
    assert_eq!(titles, want, "bookmark titles as printed, in order");
    for ((depth, title, page), (level, _)) in outline.iter().zip(&headings) {
        assert_eq!(*depth + 1, (*level).max(1), "{title}: nested by level");
        // The page where the heading's first line is printed.
        let first_words: String = title
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        let printed = ex
            .pages
            .iter()
            .position(|p| {
                p.lines()
                    .iter()
                    .any(|l| fold(&l.text()).starts_with(&first_words))
            })
            .unwrap_or_else(|| panic!("heading {title:?} not printed"));
        assert_eq!(*page, printed, "{title}: bookmark page");
    }
}

#[test]
fn same_bytes_every_run_and_for_any_jobs() {
    let a = std::fs::read(&example().pdf).expect("read");
    let b = std::fs::read(render_level(None)).expect("read");
    assert!(a == b, "two runs differ");
    let data = root().join("examples/thu-ngan-sach-xa-2025");
    let mut outs = Vec::new();
    for j in ["1", "2"] {
        let dir = scratch(&format!("archival-j{j}"));
        let run = bin()
            .arg("render")
            .arg(&data)
            .arg("-o")
            .arg(&dir)
            .arg("-j")
            .arg(j)
            .output()
            .expect("run baocao");
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
            .expect("out dir")
            .map(|e| {
                let p = e.expect("entry").path();
                (
                    p.display()
                        .to_string()
                        .replace(&dir.display().to_string(), ""),
                    std::fs::read(&p).expect("read"),
                )
            })
            .collect();
        files.sort();
        assert!(files.len() >= 2, "a batch of units");
        outs.push(files);
    }
    assert!(outs[0] == outs[1], "-j 1 and -j 2 write different bytes");
}

#[test]
fn pdf_js_reads_the_same_text_and_the_same_bookmarks() {
    let script = root().join("tests/node/pdfjs.mjs");
    assert!(
        root().join("tests/node/node_modules/pdfjs-dist").exists(),
        "pdfjs-dist is not installed for this test: run `npm ci --prefix tests/node` (.ci/run does)"
    );
    let ex = example();
    let out = tool_stdout("node", &[script.as_os_str(), ex.pdf.as_os_str()]);
    let j: Value = serde_json::from_str(&out).expect("pdfjs.mjs prints JSON");
    let pages = j["pages"].as_array().expect("pages");
    assert_eq!(pages.len(), ex.pages.len(), "page count");
    // Word for word what MuPDF reads on each page (pdf.js puts its line
    // breaks elsewhere in a line of columns: compare words).
    for (n, page) in pages.iter().enumerate() {
        let js = fold(&nfc(page.as_str().expect("page text")));
        // MuPDF's text (poppler joins "-----" with the next line's first word
        // as a hyphenated word).
        let first = (n + 1).to_string();
        let mupdf = tool_stdout(
            "mutool",
            &[
                OsStr::new("draw"),
                OsStr::new("-F"),
                OsStr::new("txt"),
                OsStr::new("-o"),
                OsStr::new("-"),
                ex.pdf.as_os_str(),
                OsStr::new(&first),
            ],
        );
        let mut a: Vec<&str> = js.split_whitespace().collect();
        let p = fold(&nfc(&mupdf));
        let mut b: Vec<&str> = p.split_whitespace().collect();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(
            a,
            b,
            "page {}: pdf.js and MuPDF read different words",
            n + 1
        );
    }
    let outline: Vec<(usize, String, usize)> = j["outline"]
        .as_array()
        .expect("outline")
        .iter()
        .map(|e| {
            let depth = e[0].as_u64().expect("depth") as usize;
            let title = e[1].as_str().expect("title").to_string();
            let page = e[2].as_u64().expect("page") as usize;
            (depth, title, page)
        })
        .collect();
    assert_eq!(
        outline,
        Objects::read(&ex.pdf).outline(),
        "pdf.js's outline"
    );
    assert!(outline.len() >= 3, "the example has bookmarks");
}
