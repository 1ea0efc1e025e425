//! Every bad input gets a clear Vietnamese error, nothing panics, nothing is lost:
//! one table of cases, each with its expected output.
//!
//! Each `[[case]]` of `tests/it/errors/cases.toml` (and of any other `*.toml`
//! beside it, one file per feature) plants a small report (or one
//! of the examples) in a fresh folder, changes it as the case says, and runs the
//! `baocao` binary there with relative paths. Its exit code, stdout and stderr
//! must equal `tests/it/errors/expected/<case>.txt` byte for byte (the case
//! folder's absolute path, where it shows, is written `[CASE]`, and the size of a
//! PDF written `[N] byte`). Adding a case is
//! one entry in the table, and blessing it (below) writes its expected file.
//!
//! Whether blessing or comparing, every run is also checked against what no
//! expected file can make right:
//!
//! - nothing panicked (no exit code 101, no `panicked`, no death by a signal);
//! - the places after `──▶`, one per diagnostic, are the ones the case's `at`
//!   computes from the text it planted (`file:line:col`, or a file alone where no
//!   line can be named, or none for a command-line mistake);
//! - no English word in any `lỗi:` / `cảnh báo:` message or `gợi ý:` hint;
//! - nothing lost: the folder is byte-for-byte as it was but for the files the
//!   case says the run writes (none for a failed run). With `keep`, the run is
//!   made without that output file and again with an older one there, which must
//!   survive; both runs must print the expected output.
//!
//! To write the expected files from what the binary prints now (a new case, or
//! a message changed on purpose), run
//!
//! ```text
//! BAOCAO_BLESS=1 cargo test --release --test it errors::
//! ```
//!
//! and review the diff of `tests/it/errors/expected/` before committing it.
//! Blessing also deletes the expected files of cases that are gone.
//! `BAOCAO_CASE=<part of a name>` runs only the matching cases.

use crate::common::*;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Set to rewrite the expected files instead of comparing with them.
const BLESS: &str = "BAOCAO_BLESS";
/// Set to a part of a case name to run only the cases whose name holds it.
const ONLY: &str = "BAOCAO_CASE";

/// The data file of the small report, and the output of the default command.
const DATA: &str = "bao-cao.toml";
const OUT: &str = "ra.pdf";

/// Bytes of an older report that a failed run must leave as they are.
const OLD_PDF: &[u8] = b"%PDF-1.7\n% an older report, must survive a failed run\n";

/// The case files: `cases.toml`, and any other `*.toml` beside it (one per
/// feature), read in name order.
fn case_files() -> Vec<PathBuf> {
    let dir = root().join("tests/it/errors");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read tests/it/errors")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

fn expected_dir() -> PathBuf {
    root().join("tests/it/errors/expected")
}

// ---------------------------------------------------------------------------
// The table

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    case: Vec<Case>,
}

/// One entry of `cases.toml` (the fields are described at the top of that file).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(default)]
    base: Base,
    #[serde(default)]
    cwd: Option<String>,
    #[serde(default)]
    dirs: Vec<String>,
    #[serde(default)]
    copy: BTreeMap<String, String>,
    #[serde(default)]
    write: BTreeMap<String, String>,
    #[serde(default)]
    fixture: BTreeMap<String, String>,
    #[serde(default)]
    replace: Vec<[String; 3]>,
    #[serde(default)]
    bytes: Vec<[String; 3]>,
    #[serde(default)]
    crlf: Vec<String>,
    #[serde(default)]
    bom: Vec<String>,
    #[serde(default)]
    links: BTreeMap<String, String>,
    #[serde(default)]
    args: Option<Vec<String>>,
    #[serde(default)]
    keep: Option<String>,
    #[serde(default)]
    writes: Vec<String>,
    at: Vec<At>,
    #[serde(default)]
    pdf_text: Vec<String>,
    #[serde(default)]
    pdf_chars: Vec<String>,
}

/// What a case starts from.
#[derive(Debug, Default, Deserialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "lowercase")]
enum Base {
    /// The small report: `bao-cao.toml` and `mau.md.hbs`.
    #[default]
    Report,
    /// The files of `examples/bac-kan-2021`.
    Example,
    /// The files of `examples/phuong-tan-dinh-2025`.
    Ward,
}

/// Where one diagnostic must point.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct At {
    /// The file, relative to where baocao runs.
    file: String,
    /// The place of the `nth` (0-based) `find` in the file's text, moved right by
    /// `plus` characters, or by the length of `find` with `after`.
    find: Option<String>,
    #[serde(default)]
    nth: usize,
    #[serde(default)]
    plus: usize,
    #[serde(default)]
    after: bool,
    /// Or a place given by number; a line without a column leaves the column
    /// unchecked.
    line: Option<usize>,
    col: Option<usize>,
}

impl Case {
    fn args(&self) -> Vec<String> {
        self.args
            .clone()
            .unwrap_or_else(|| ["render", DATA, "-o", OUT].map(String::from).to_vec())
    }

    /// The output file to run without and with: `keep`, or `ra.pdf` for the
    /// default command.
    fn keep(&self) -> Option<String> {
        match (&self.keep, &self.args) {
            (Some(k), _) => Some(k.clone()),
            (None, None) => Some(OUT.to_string()),
            (None, Some(_)) => None,
        }
    }
}

fn load_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for file in case_files() {
        let text = std::fs::read_to_string(&file).expect("read a case file");
        let table: Table =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        cases.extend(table.case);
    }
    let mut names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        panic!("two cases are named {}", w[0]);
    }
    cases
}

// ---------------------------------------------------------------------------
// Planting a case

/// Bytes of a hex string (`"FA"`, `"C3 BA"`).
fn hex(s: &str) -> Vec<u8> {
    s.split_whitespace()
        .flat_map(|w| {
            (0..w.len())
                .step_by(2)
                .map(move |i| u8::from_str_radix(&w[i..i + 2], 16).expect("hex byte"))
        })
        .collect()
}

/// Replace the first `from` in `dir/file` with `to`.
fn replace_bytes(dir: &Path, file: &str, from: &[u8], to: &[u8], case: &str) {
    let path = dir.join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{case}: read {file}: {e}"));
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .unwrap_or_else(|| {
            panic!(
                "{case}: {:?} is not in {file}",
                String::from_utf8_lossy(from)
            )
        });
    let mut new = bytes[..at].to_vec();
    new.extend_from_slice(to);
    new.extend_from_slice(&bytes[at + from.len()..]);
    std::fs::write(&path, new).expect("write changed file");
}

/// Plant `case` in a fresh folder; returns (the case folder, where baocao runs).
fn plant(case: &Case) -> (PathBuf, PathBuf) {
    let top = scratch(&format!("errors-{}", case.name));
    let dir = match &case.cwd {
        Some(c) => top.join(c),
        None => top.clone(),
    };
    std::fs::create_dir_all(&dir).expect("create the run folder");
    match case.base {
        Base::Report => {
            put(&dir, DATA, SMALL_DATA);
            put(&dir, "mau.md.hbs", SMALL_TEMPLATE);
        }
        Base::Example | Base::Ward => {
            let from = if case.base == Base::Example {
                example_dir()
            } else {
                ward_dir()
            };
            let copy = copy_dir(&from, &format!("errors-base-{}", case.name));
            for e in std::fs::read_dir(&copy).expect("read copy").flatten() {
                std::fs::rename(e.path(), dir.join(e.file_name())).expect("move base file");
            }
            let _ = std::fs::remove_dir(&copy);
        }
    }
    for d in &case.dirs {
        std::fs::create_dir_all(dir.join(d)).expect("create folder");
    }
    for (new, existing) in &case.copy {
        std::fs::copy(dir.join(existing), dir.join(new)).expect("copy planted file");
    }
    for (file, text) in &case.write {
        put(&dir, file, text);
    }
    for (file, from) in &case.fixture {
        let bytes = std::fs::read(root().join(from)).expect("read fixture");
        put(&dir, file, bytes);
    }
    for [file, from, to] in &case.replace {
        replace_bytes(&dir, file, from.as_bytes(), to.as_bytes(), &case.name);
    }
    for [file, from, to] in &case.bytes {
        replace_bytes(&dir, file, from.as_bytes(), &hex(to), &case.name);
    }
    for file in &case.crlf {
        let text = std::fs::read_to_string(dir.join(file)).expect("read file for CRLF");
        put(&dir, file, text.replace('\n', "\r\n"));
    }
    for file in &case.bom {
        let text = std::fs::read(dir.join(file)).expect("read file for BOM");
        put(&dir, file, [&b"\xef\xbb\xbf"[..], &text].concat());
    }
    for (link, target) in &case.links {
        std::os::unix::fs::symlink(target, dir.join(link)).expect("symlink");
    }
    (top, dir)
}

/// The places `case.at` names, as baocao should print them.
fn expected_places(case: &Case, dir: &Path) -> Vec<(String, Option<usize>, Option<usize>)> {
    case.at
        .iter()
        .map(|at| {
            let (line, col) = match (&at.find, at.line) {
                (Some(needle), _) => {
                    let bytes = std::fs::read(dir.join(&at.file)).unwrap_or_else(|e| {
                        panic!(
                            "{}: `at` names {}, which cannot be read: {e}",
                            case.name, at.file
                        )
                    });
                    // Columns are counted as an author sees them: without a BOM,
                    // a byte that is not UTF-8 as one character.
                    let text = String::from_utf8_lossy(&bytes);
                    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
                    let (l, c) = locate(text, needle, at.nth);
                    let shift = at.plus + if at.after { needle.chars().count() } else { 0 };
                    (Some(l), Some(c + shift))
                }
                (None, Some(l)) => (Some(l), at.col),
                (None, None) => (None, None),
            };
            (at.file.clone(), line, col)
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Running

/// What one run printed.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The run as its expected file holds it.
    fn expected_text(&self) -> String {
        let code = self.code.map_or_else(
            || "none (killed by a signal)".to_string(),
            |c| c.to_string(),
        );
        format!(
            "exit code: {code}\n--- stdout\n{}--- stderr\n{}",
            self.stdout, self.stderr
        )
    }
}

/// `text` with the byte counts of written PDFs (`đã tạo ra.pdf (1 trang, 13159
/// byte)`) as `[N]`: they change with every change to the typesetting, which
/// the error cases do not test.
fn hide_sizes(text: &str) -> String {
    const UNIT: &str = " byte)";
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(UNIT) {
        let head = &rest[..i];
        let digits = head.len() - head.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 && head[..head.len() - digits].ends_with(", ") {
            out.push_str(&head[..head.len() - digits]);
            out.push_str("[N]");
        } else {
            out.push_str(head);
        }
        out.push_str(UNIT);
        rest = &rest[i + UNIT.len()..];
    }
    out.push_str(rest);
    out
}

/// Run baocao with `args` in `dir`; the case folder `top` shows as `[CASE]`.
fn run(top: &Path, dir: &Path, args: &[String]) -> Run {
    let out = bin()
        .current_dir(dir)
        .args(args)
        .env("CI", "1")
        .env_remove("BAOCAO_TIMINGS")
        .env_remove("BAOCAO_NEN")
        .output()
        .expect("run baocao");
    let stable = |bytes: &[u8]| {
        let mut s = String::from_utf8_lossy(bytes).to_string();
        let mut prefixes = vec![top.display().to_string()];
        if let Ok(c) = top.canonicalize() {
            prefixes.insert(0, c.display().to_string());
        }
        for p in prefixes {
            s = s.replace(&p, "[CASE]");
        }
        hide_sizes(&s)
    };
    Run {
        code: out.status.code(),
        stdout: stable(&out.stdout),
        stderr: stable(&out.stderr),
    }
}

/// One diagnostic as printed.
#[derive(Debug)]
struct Diag {
    message: String,
    at: Option<String>,
    hints: Vec<String>,
}

/// Every `lỗi:` / `cảnh báo:` of a run's stderr, with its place and hints.
fn diagnostics(stderr: &str) -> Vec<Diag> {
    let mut out: Vec<Diag> = Vec::new();
    for line in stderr.lines() {
        let start = ["lỗi: ", "cảnh báo: "]
            .iter()
            .find(|p| line.starts_with(*p));
        if start.is_some() {
            out.push(Diag {
                message: line.to_string(),
                at: None,
                hints: Vec::new(),
            });
        } else if let Some(d) = out.last_mut() {
            if let Some(a) = line.trim_start().strip_prefix("──▶ ") {
                if d.at.is_none() {
                    d.at = Some(a.trim().to_string());
                }
            } else if let Some(h) = line.strip_prefix("gợi ý: ") {
                d.hints.push(h.to_string());
            }
        }
    }
    out
}

/// True if the printed path `shown` names `expected` (both relative to `dir`).
fn same_file(dir: &Path, shown: &str, expected: &str) -> bool {
    let trim = |s: &str| s.trim_start_matches("./").to_string();
    if trim(shown) == trim(expected) {
        return true;
    }
    match (
        dir.join(shown).canonicalize(),
        dir.join(expected).canonicalize(),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Why the printed place `shown` is not the expected one (None if it is).
fn place_problem(
    dir: &Path,
    shown: &str,
    (file, line, col): &(String, Option<usize>, Option<usize>),
) -> Option<String> {
    let want = match (line, col) {
        (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
        (Some(l), None) => format!("{file}:{l}:…"),
        _ => file.clone(),
    };
    let ok = match line {
        None => same_file(dir, shown, file),
        Some(l) => {
            let mut parts = shown.rsplitn(3, ':');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(pc), Some(pl), Some(pf)) => {
                    same_file(dir, pf, file)
                        && pl.parse::<usize>().ok() == Some(*l)
                        && col.is_none_or(|c| pc.parse::<usize>().ok() == Some(c))
                }
                _ => false,
            }
        }
    };
    (!ok).then(|| format!("points at `{shown}`, expected `{want}`"))
}

/// English words that must not reach a report author.
const ENGLISH: &[&str] = &[
    "invalid",
    "expected",
    "missing",
    "unknown",
    "field",
    "duplicate",
    "key",
    "value",
    "string",
    "error",
    "found",
    "type",
    "the",
    "not",
    "and",
    "one",
    "for",
    "file",
    "directory",
    "such",
    "denied",
    "permission",
    "failed",
    "cannot",
    "unexpected",
    "end",
    "table",
    "array",
    "integer",
    "float",
    "boolean",
    "month",
    "day",
    "year",
    "digit",
    "between",
    "quoted",
    "must",
    "basic",
    "literal",
    "with",
    "variant",
    "u32",
    "i64",
];

/// English words in `s`, quoted parts (`"…"`, `` `…` ``, `'…'`: names and
/// values the author typed) left aside.
fn english_words(s: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '`' | '\'' | '“' | '”') => {
                quote = Some(if c == '“' { '”' } else { c })
            }
            None => plain.push(c),
        }
    }
    plain
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| w.is_ascii() && ENGLISH.contains(&w.to_lowercase().as_str()))
        .map(str::to_string)
        .collect()
}

/// What no expected file can make right: a crash, a wrong place, English.
fn run_problems(case: &Case, dir: &Path, run: &Run) -> Vec<String> {
    let mut problems = Vec::new();
    if run.stderr.contains("panicked") || run.code == Some(101) || run.code.is_none() {
        problems.push(format!(
            "baocao crashed (exit {:?}) instead of reporting an error",
            run.code
        ));
    }
    let diags = diagnostics(&run.stderr);
    let places = expected_places(case, dir);
    let shown: Vec<(&Diag, &str)> = diags
        .iter()
        .filter_map(|d| d.at.as_deref().map(|a| (d, a)))
        .collect();
    if shown.len() != places.len() {
        problems.push(format!(
            "{} places shown (`──▶`), the case's `at` names {}",
            shown.len(),
            places.len()
        ));
    }
    for ((d, a), want) in shown.iter().zip(&places) {
        if let Some(why) = place_problem(dir, a, want) {
            problems.push(format!("`{}` {why}", d.message));
        }
    }
    for d in &diags {
        for text in std::iter::once(&d.message).chain(d.hints.iter()) {
            let english = english_words(text);
            if !english.is_empty() {
                problems.push(format!("English in {text:?}: {english:?}"));
            }
        }
    }
    problems
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    File(Vec<u8>),
    Dir,
    Link(PathBuf),
}

/// Every file, folder and link below `dir`, with the bytes of the files.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Entry> {
    fn walk(root: &Path, d: &Path, out: &mut BTreeMap<PathBuf, Entry>) {
        let Ok(entries) = std::fs::read_dir(d) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap_or(&p).to_path_buf();
            let Ok(meta) = std::fs::symlink_metadata(&p) else {
                continue;
            };
            if meta.file_type().is_symlink() {
                out.insert(rel, Entry::Link(std::fs::read_link(&p).unwrap_or_default()));
            } else if meta.is_dir() {
                out.insert(rel, Entry::Dir);
                walk(root, &p, out);
            } else {
                out.insert(rel, Entry::File(std::fs::read(&p).unwrap_or_default()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// What changed between two trees but for the new PDFs `writes`, in words.
fn tree_changes(
    before: &BTreeMap<PathBuf, Entry>,
    after: &BTreeMap<PathBuf, Entry>,
    writes: &[PathBuf],
) -> Vec<String> {
    let mut v = Vec::new();
    for w in writes {
        match after.get(w) {
            Some(Entry::File(b)) if b.starts_with(b"%PDF-") && b != OLD_PDF => {}
            _ => v.push(format!("did not write the PDF {}", w.display())),
        }
    }
    for (p, e) in after {
        if writes.contains(p) {
            continue;
        }
        match before.get(p) {
            None => v.push(format!("created {}", p.display())),
            Some(b) if b != e => v.push(format!("changed {}", p.display())),
            _ => {}
        }
    }
    for p in before.keys().filter(|p| !after.contains_key(*p)) {
        v.push(format!("removed {}", p.display()));
    }
    v
}

/// Run `case`; returns its output and every problem found but a difference from
/// the expected file.
fn check(case: &Case) -> (Run, Vec<String>) {
    let (top, dir) = plant(case);
    let args = case.args();
    let rel = |f: &String| -> PathBuf {
        dir.join(f)
            .strip_prefix(&top)
            .expect("below the case folder")
            .to_path_buf()
    };
    let writes: Vec<PathBuf> = case.writes.iter().map(rel).collect();
    // Absolute output paths (outside the folder) must not appear either.
    let outside: Vec<&String> = args
        .iter()
        .filter(|a| Path::new(a).is_absolute() && !Path::new(a).exists())
        .collect();
    let variants: &[bool] = if case.keep().is_some() {
        &[false, true]
    } else {
        &[false]
    };
    let mut problems = Vec::new();
    let mut first: Option<Run> = None;
    for &existing in variants {
        if let Some(keep) = case.keep() {
            if existing {
                put(&dir, &keep, OLD_PDF);
            } else if dir.join(&keep).is_file() {
                std::fs::remove_file(dir.join(&keep)).expect("remove old output");
            }
        }
        let when = if existing {
            "with an older output file: "
        } else {
            ""
        };
        let before = tree(&top);
        let run = run(&top, &dir, &args);
        for c in tree_changes(&before, &tree(&top), &writes) {
            problems.push(format!("{when}the run {c}"));
        }
        for p in run_problems(case, &dir, &run) {
            problems.push(format!("{when}{p}"));
        }
        for o in &outside {
            if Path::new(o).exists() {
                problems.push(format!("{when}the run created {o}"));
            }
        }
        if !case.pdf_text.is_empty() || !case.pdf_chars.is_empty() {
            let pdf = dir.join(case.writes.first().expect("`writes` names the PDF to read"));
            let text = nfc(&pdftotext(&pdf));
            for want in &case.pdf_text {
                if !fold(&text).contains(&fold(want)) {
                    problems.push(format!("the PDF text lacks {want:?}:\n{text}"));
                }
            }
            let chars: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            for want in &case.pdf_chars {
                if !chars.contains(want.as_str()) {
                    problems.push(format!(
                        "the PDF's characters (spaces left out) lack {want:?}:\n{text}"
                    ));
                }
            }
        }
        match &first {
            None => first = Some(run),
            Some(f) if f.expected_text() != run.expected_text() => problems.push(format!(
                "with an older output file the run prints something else:\n{}",
                run.expected_text()
            )),
            Some(_) => {}
        }
    }
    problems.dedup();
    let _ = std::fs::remove_dir_all(&top);
    (first.expect("one run at least"), problems)
}

/// The lines of `expected` and `actual` around their first difference.
fn diff(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let same = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let mut out = format!("first difference on line {}:\n", same + 1);
    for l in e.iter().skip(same).take(6) {
        out.push_str(&format!("  - {l}\n"));
    }
    for l in a.iter().skip(same).take(6) {
        out.push_str(&format!("  + {l}\n"));
    }
    out
}

#[test]
fn every_error_case_prints_its_expected_output_and_loses_nothing() {
    let bless = std::env::var_os(BLESS).is_some();
    let only = std::env::var(ONLY).ok();
    let cases: Vec<Case> = load_cases()
        .into_iter()
        .filter(|c| only.as_ref().is_none_or(|o| c.name.contains(o.as_str())))
        .collect();
    assert!(!cases.is_empty(), "no case to run");
    if bless {
        std::fs::create_dir_all(expected_dir()).expect("create the expected dir");
    }
    let next = AtomicUsize::new(0);
    let failures: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                while let Some(case) = cases.get(next.fetch_add(1, Ordering::SeqCst)) {
                    let (run, mut problems) = check(case);
                    let path = expected_dir().join(format!("{}.txt", case.name));
                    let actual = run.expected_text();
                    if bless {
                        std::fs::write(&path, &actual).expect("write expected file");
                    } else {
                        match std::fs::read_to_string(&path) {
                            Ok(expected) if expected == actual => {}
                            Ok(expected) => problems.push(format!(
                                "the output differs from {} ({}):\n{}",
                                path.display(),
                                format_args!("rewrite it with {BLESS}=1"),
                                diff(&expected, &actual)
                            )),
                            Err(e) => problems.push(format!(
                                "no expected output {} ({e}); write it with {BLESS}=1",
                                path.display()
                            )),
                        }
                    }
                    if !problems.is_empty() {
                        failures.lock().expect("failures").push(format!(
                            "case `{}` (baocao {}):\n- {}\n--- the run printed ---\n{actual}",
                            case.name,
                            case.args().join(" "),
                            problems.join("\n- ")
                        ));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().expect("failures");
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} of {} error cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_expected_file_belongs_to_a_case_and_names_are_unique() {
    let cases = load_cases();
    let mut names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    names.sort();
    let dups: Vec<&&str> = names
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| &w[0])
        .collect();
    assert!(dups.is_empty(), "case names used twice: {dups:?}");
    for n in &names {
        assert!(
            n.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "case name `{n}` is not lowercase ASCII words joined by `-`"
        );
    }
    let mut orphans = Vec::new();
    for e in std::fs::read_dir(expected_dir()).expect("read expected dir") {
        let path = e.expect("entry").path();
        let stem = path.file_stem().map(|s| s.to_string_lossy().to_string());
        let known = path.extension().is_some_and(|x| x == "txt")
            && stem.as_deref().is_some_and(|s| names.contains(&s));
        if !known {
            if std::env::var_os(BLESS).is_some() {
                std::fs::remove_file(&path).expect("remove orphan expected file");
            } else {
                orphans.push(path.display().to_string());
            }
        }
    }
    assert!(
        orphans.is_empty(),
        "expected files without a case (remove them, or run with {BLESS}=1): {orphans:?}"
    );
}
