//! Issue 6, acceptance 1: every bad input gets a clear Vietnamese error, nothing
//! panics, nothing is lost.
//!
//! Each case plants one fault (or a few) in a small, otherwise good report, runs
//! the `baocao` binary, and checks:
//!
//! - the exact exit code (1 for a failed report, 2 for a command-line mistake,
//!   0 when only warnings were met), and that nothing panicked;
//! - the `lỗi:` / `cảnh báo:` line with its Vietnamese wording, and no English
//!   words in any message or hint;
//! - the place after `──▶`: the file, and the `line:col` computed from the text we
//!   planted (a file alone where no line can be named: an output path, a file
//!   that cannot be read);
//! - nothing lost: the folder is byte-for-byte as it was, with and without an
//!   output PDF already there (no PDF created, none overwritten, no temporary
//!   file left).
mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const DATA: &str = "bao-cao.toml";
const TPL: &str = "mau.md.hbs";
const OUT: &str = "ra.pdf";

/// A small report that renders: every required field, one number table.
const GOOD_DATA: &str = concat!(
    report_head!(),
    "\n[so_lieu]\nthuc_hien = 3250\nke_hoach = 3240\n"
);

/// Its body template.
const GOOD_TPL: &str = "# I- KẾT QUẢ\n\nNăm 2021 thực hiện {{so so_lieu.thuc_hien}} tỷ đồng, \
{{danh_gia so_lieu.thuc_hien so_lieu.ke_hoach}} kế hoạch.\n";

/// The body the good report prints.
const GOOD_BODY: &str = "Năm 2021 thực hiện 3.250 tỷ đồng, vượt kế hoạch.";

/// Bytes of an older report that a failed run must leave as they are.
const OLD_PDF: &[u8] = b"%PDF-1.7\n% an older report, must survive a failed run\n";

// ---------------------------------------------------------------------------
// Planting files

/// A fresh folder holding the good report (`bao-cao.toml`, `mau.md.hbs`).
fn report(tag: &str) -> PathBuf {
    let dir = scratch(&format!("i6-{tag}"));
    put(&dir, DATA, GOOD_DATA);
    put(&dir, TPL, GOOD_TPL);
    dir
}

/// Write `text` to `dir/name` (creating folders on the way).
fn put(dir: &Path, name: &str, text: impl AsRef<[u8]>) {
    let path = dir.join(name);
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).expect("create folder");
    }
    std::fs::write(&path, text).expect("write planted file");
}

/// Replace the first `from` in `dir/name` with `to`; returns the new text.
fn change(dir: &Path, name: &str, from: &str, to: &str) -> String {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).expect("read file to change");
    assert!(text.contains(from), "{from:?} not in {name}");
    let new = text.replacen(from, to, 1);
    std::fs::write(&path, &new).expect("write changed file");
    new
}

/// 1-based line and column (in characters) of the `n`-th (0-based) `needle`.
fn locate_nth(text: &str, needle: &str, n: usize) -> (usize, usize) {
    let at = text
        .match_indices(needle)
        .nth(n)
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("{needle:?} #{n} not in the planted text"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map(|i| i + 1).unwrap_or(0)..]
        .chars()
        .count()
        + 1;
    (line, col)
}

/// 1-based line and column of the first `needle`.
fn locate(text: &str, needle: &str) -> (usize, usize) {
    locate_nth(text, needle, 0)
}

/// The place of the first `needle` in `file` (whose text is `text`).
fn at(file: &str, text: &str, needle: &str) -> Loc {
    let (l, c) = locate(text, needle);
    Loc::Pos(file.to_string(), l, c)
}

/// The place just after the first `needle` (the value after `key = `).
fn after(file: &str, text: &str, needle: &str) -> Loc {
    let (l, c) = locate(text, needle);
    Loc::Pos(file.to_string(), l, c + needle.chars().count())
}

// ---------------------------------------------------------------------------
// Running and reading diagnostics

struct Run {
    code: Option<i32>,
    stderr: String,
}

fn baocao(dir: &Path, args: &[&str]) -> Run {
    let out = bin()
        .current_dir(dir)
        .args(args)
        .env("CI", "1")
        .env_remove("BAOCAO_TIMINGS")
        .output()
        .expect("run baocao");
    Run {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).to_string(),
    }
}

/// One diagnostic as printed.
#[derive(Debug, Clone)]
struct Diag {
    label: &'static str,
    message: String,
    at: Option<String>,
    hints: Vec<String>,
}

/// Every `lỗi:` / `cảnh báo:` of a run's stderr, with its place and hints.
fn diagnostics(stderr: &str) -> Vec<Diag> {
    let mut out: Vec<Diag> = Vec::new();
    for line in stderr.lines() {
        let start = [("lỗi", "lỗi: "), ("cảnh báo", "cảnh báo: ")]
            .iter()
            .find_map(|(label, p)| line.strip_prefix(p).map(|m| (*label, m)));
        if let Some((label, message)) = start {
            out.push(Diag {
                label,
                message: message.to_string(),
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

/// Where a diagnostic must point.
#[derive(Debug, Clone)]
enum Loc {
    /// `file:line:col`.
    Pos(String, usize, usize),
    /// A file (or folder) alone: no line can be named.
    File(String),
    /// No place at all (a command-line mistake).
    Nowhere,
}

/// One diagnostic a run must print.
#[derive(Debug, Clone)]
struct Want {
    label: &'static str,
    fragments: Vec<String>,
    hints: Vec<String>,
    loc: Loc,
}

fn error(fragment: &str, loc: Loc) -> Want {
    Want {
        label: "lỗi",
        fragments: vec![fragment.to_string()],
        hints: Vec::new(),
        loc,
    }
}

fn warning(fragment: &str, loc: Loc) -> Want {
    Want {
        label: "cảnh báo",
        ..error(fragment, loc)
    }
}

impl Want {
    /// The message must also hold `fragment`.
    fn and(mut self, fragment: &str) -> Want {
        self.fragments.push(fragment.to_string());
        self
    }
    /// A hint (`gợi ý:`) must hold `fragment`.
    fn hint(mut self, fragment: &str) -> Want {
        self.hints.push(fragment.to_string());
        self
    }
}

/// True if the printed place `shown` names `expected` (relative to `dir`).
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

/// Why the printed place `shown` is not `loc` (None if it is).
fn place_problem(dir: &Path, shown: Option<&str>, loc: &Loc) -> Option<String> {
    match (loc, shown) {
        (Loc::Nowhere, None) => None,
        (Loc::Nowhere, Some(s)) => Some(format!("should name no place, names `{s}`")),
        (_, None) => Some(format!("names no place (no `──▶`), expected {loc:?}")),
        (Loc::File(f), Some(s)) => {
            (!same_file(dir, s, f)).then(|| format!("points at `{s}`, expected `{f}`"))
        }
        (Loc::Pos(f, l, c), Some(s)) => {
            let mut parts = s.rsplitn(3, ':');
            let (pc, pl, pf) = (parts.next(), parts.next(), parts.next());
            let pos = match (pc, pl, pf) {
                (Some(pc), Some(pl), Some(pf)) => pc
                    .parse::<usize>()
                    .ok()
                    .zip(pl.parse::<usize>().ok())
                    .map(|(pc, pl)| (pf, pl, pc)),
                _ => None,
            };
            match pos {
                Some((pf, pl, pc)) if same_file(dir, pf, f) && (pl, pc) == (*l, *c) => None,
                _ => Some(format!("points at `{s}`, expected `{f}:{l}:{c}`")),
            }
        }
    }
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

/// Check a run's diagnostics: each of `wants` printed (in any order), with its
/// place; `errors`, if given, is the exact number of `lỗi:`; every message and
/// hint Vietnamese. Returns the problems found.
fn diag_problems(dir: &Path, run: &Run, wants: &[Want], errors: Option<usize>) -> Vec<String> {
    let mut problems = Vec::new();
    if run.stderr.contains("panicked") || run.code == Some(101) || run.code.is_none() {
        problems.push(format!(
            "baocao crashed (exit {:?}) instead of reporting an error",
            run.code
        ));
    }
    let diags = diagnostics(&run.stderr);
    for w in wants {
        let candidates: Vec<&Diag> = diags
            .iter()
            .filter(|d| d.label == w.label && w.fragments.iter().all(|f| d.message.contains(f)))
            .collect();
        if candidates.is_empty() {
            problems.push(format!(
                "no `{}: …{}…` message",
                w.label,
                w.fragments.join("…")
            ));
            continue;
        }
        let placed: Vec<&&Diag> = candidates
            .iter()
            .filter(|d| place_problem(dir, d.at.as_deref(), &w.loc).is_none())
            .collect();
        if placed.is_empty() {
            let why = place_problem(dir, candidates[0].at.as_deref(), &w.loc).unwrap_or_default();
            problems.push(format!(
                "`{}: {}` {why}",
                candidates[0].label, candidates[0].message
            ));
            continue;
        }
        for h in &w.hints {
            if !placed.iter().any(|d| d.hints.iter().any(|x| x.contains(h))) {
                problems.push(format!(
                    "`{}: {}` has no hint `gợi ý: …{h}…` (hints: {:?})",
                    placed[0].label, placed[0].message, placed[0].hints
                ));
            }
        }
    }
    if let Some(n) = errors {
        let got = diags.iter().filter(|d| d.label == "lỗi").count();
        if got != n {
            problems.push(format!("{got} `lỗi:` messages, expected exactly {n}"));
        }
    }
    for d in &diags {
        for text in std::iter::once(&d.message).chain(d.hints.iter()) {
            let english = english_words(text);
            if !english.is_empty() {
                problems.push(format!(
                    "English in `{}: {}` / {text:?}: {english:?}",
                    d.label, d.message
                ));
            }
        }
    }
    problems
}

// ---------------------------------------------------------------------------
// Nothing lost

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

/// What changed between two trees, in words.
fn tree_changes(
    before: &BTreeMap<PathBuf, Entry>,
    after: &BTreeMap<PathBuf, Entry>,
) -> Vec<String> {
    let mut v = Vec::new();
    for (p, e) in after {
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

/// A failing run and what it must print.
struct Case<'a> {
    dir: &'a Path,
    args: Vec<&'a str>,
    code: i32,
    wants: Vec<Want>,
    /// Exact number of `lỗi:` messages, if it matters.
    errors: Option<usize>,
    /// An output file (relative to `dir`): the run is made without it and again
    /// with an older file there, which must stay byte-identical.
    out: Option<&'a str>,
}

impl<'a> Case<'a> {
    fn new(dir: &'a Path, args: &[&'a str], code: i32, wants: Vec<Want>) -> Case<'a> {
        Case {
            dir,
            args: args.to_vec(),
            code,
            wants,
            errors: None,
            out: None,
        }
    }

    /// `baocao render bao-cao.toml -o ra.pdf` failing with exit 1.
    fn render(dir: &'a Path, wants: Vec<Want>) -> Case<'a> {
        let mut c = Case::new(dir, &["render", DATA, "-o", OUT], 1, wants);
        c.out = Some(OUT);
        c
    }

    fn errors(mut self, n: usize) -> Case<'a> {
        self.errors = Some(n);
        self
    }

    fn out(mut self, out: &'a str) -> Case<'a> {
        self.out = Some(out);
        self
    }

    /// Run and check; panics with every problem found.
    fn check(self) {
        let variants: &[bool] = if self.out.is_some() {
            &[false, true]
        } else {
            &[false]
        };
        let mut problems = Vec::new();
        let mut last = String::new();
        for &existing in variants {
            if let Some(out) = self.out {
                let path = self.dir.join(out);
                if existing {
                    put(self.dir, out, OLD_PDF);
                } else if path.is_file() {
                    std::fs::remove_file(&path).expect("remove old output");
                }
            }
            let when = if existing {
                "with an older output file"
            } else {
                "without an output file"
            };
            let before = tree(self.dir);
            let run = baocao(self.dir, &self.args);
            let after = tree(self.dir);
            if run.code != Some(self.code) {
                problems.push(format!(
                    "{when}: exit code {:?}, expected {}",
                    run.code, self.code
                ));
            }
            for p in diag_problems(self.dir, &run, &self.wants, self.errors) {
                problems.push(format!("{when}: {p}"));
            }
            for c in tree_changes(&before, &after) {
                problems.push(format!("{when}: a failed run {c}"));
            }
            last = run.stderr;
        }
        problems.dedup();
        assert!(
            problems.is_empty(),
            "baocao {}:\n- {}\n--- stderr ---\n{last}",
            self.args.join(" "),
            problems.join("\n- ")
        );
    }
}

/// The report renders with exactly the warnings `wants` (exit 0, the PDF written,
/// no error); under `--strict` it fails with them and writes nothing. Returns the
/// PDF of the normal run.
fn warns(dir: &Path, wants: Vec<Want>) -> PathBuf {
    let pdf = dir.join(OUT);
    let _ = std::fs::remove_file(&pdf);
    let run = baocao(dir, &["render", DATA, "-o", OUT]);
    let mut problems = diag_problems(dir, &run, &wants, Some(0));
    if run.code != Some(0) {
        problems.push(format!("exit code {:?}, expected 0", run.code));
    }
    let n = diagnostics(&run.stderr)
        .iter()
        .filter(|d| d.label == "cảnh báo")
        .count();
    if n != wants.len() {
        problems.push(format!("{n} warnings, expected exactly {}", wants.len()));
    }
    let bytes = std::fs::read(&pdf).unwrap_or_default();
    if !bytes.starts_with(b"%PDF-") {
        problems.push(format!("no PDF written at {OUT}"));
    }
    assert!(
        problems.is_empty(),
        "baocao render (warnings only):\n- {}\n--- stderr ---\n{}",
        problems.join("\n- "),
        run.stderr
    );
    let kept = dir.join("giu-lai.pdf");
    std::fs::rename(&pdf, &kept).expect("move the PDF aside");
    let mut strict = wants.clone();
    strict.push(error("--strict", Loc::File(DATA.to_string())).and("cảnh báo"));
    let mut c = Case::new(dir, &["render", "--strict", DATA, "-o", OUT], 1, strict);
    c.out = Some(OUT);
    c.errors(1).check();
    kept
}

// ---------------------------------------------------------------------------
// TOML syntax

#[test]
fn toml_unclosed_string_points_where_the_quote_is_missing() {
    let dir = report("toml-string");
    let text = change(&dir, DATA, "ky_hieu = \"BC/TU\"", "ky_hieu = \"BC/TU");
    let (line, _) = locate(&text, "ky_hieu = \"BC/TU");
    let end = "ky_hieu = \"BC/TU".chars().count() + 1;
    Case::render(
        &dir,
        vec![error("sai cú pháp TOML", Loc::Pos(DATA.into(), line, end))],
    )
    .errors(1)
    .check();
}

#[test]
fn toml_missing_equals_sign() {
    let dir = report("toml-equals");
    let text = change(&dir, DATA, "so = 125", "so 125");
    let (line, col) = locate(&text, "so 125");
    Case::render(
        &dir,
        vec![error(
            "sai cú pháp TOML",
            Loc::Pos(DATA.into(), line, col + 3),
        )],
    )
    .errors(1)
    .check();
}

#[test]
fn toml_duplicate_key_points_at_the_second_one() {
    let dir = report("toml-dup");
    let text = change(&dir, DATA, "so = 125\n", "so = 125\nso = 126\n");
    Case::render(
        &dir,
        vec![error("sai cú pháp TOML", at(DATA, &text, "so = 126"))],
    )
    .errors(1)
    .check();
}

#[test]
fn toml_bad_date_literal() {
    let dir = report("toml-date");
    let text = change(&dir, DATA, "ngay = 2021-12-15", "ngay = 2021-13-45");
    Case::render(
        &dir,
        vec![error("sai cú pháp TOML", at(DATA, &text, "2021-13-45"))],
    )
    .errors(1)
    .check();
}

#[test]
fn error_in_a_bom_and_crlf_file_keeps_true_columns() {
    let dir = report("toml-crlf");
    let text = GOOD_DATA.replace("so = 125", "so = \"125\"");
    put(
        &dir,
        DATA,
        format!("\u{feff}{}", text.replace('\n', "\r\n")),
    );
    Case::render(
        &dir,
        vec![
            error("`so` phải là số nguyên dương", at(DATA, &text, "\"125\""))
                .hint("bỏ dấu ngoặc kép"),
        ],
    )
    .errors(1)
    .check();
}

// ---------------------------------------------------------------------------
// Wrong kinds of value in [van_ban] and [ky]

#[test]
fn number_written_as_text_hints_to_drop_the_quotes() {
    let dir = report("so-text");
    let text = change(&dir, DATA, "so = 125", "so = \"125\"");
    Case::render(
        &dir,
        vec![
            error("`so` phải là số nguyên dương", at(DATA, &text, "\"125\""))
                .and("chuỗi \"125\"")
                .hint("bỏ dấu ngoặc kép"),
        ],
    )
    .errors(1)
    .check();
}

#[test]
fn document_number_zero_is_refused() {
    let dir = report("so-zero");
    let text = change(&dir, DATA, "so = 125", "so = 0");
    Case::render(
        &dir,
        vec![error("`so` phải là số nguyên dương", after(DATA, &text, "so = ")).and("số 0")],
    )
    .errors(1)
    .check();
}

#[test]
fn date_that_is_not_a_date() {
    let dir = report("ngay-text");
    let text = change(&dir, DATA, "ngay = 2021-12-15", "ngay = \"15/12/2021\"");
    Case::render(
        &dir,
        vec![
            error("`ngay` phải là một ngày", at(DATA, &text, "\"15/12/2021\""))
                .and("\"15/12/2021\"")
                .hint("ngay = 2021-12-15"),
        ],
    )
    .errors(1)
    .check();
}

#[test]
fn recipients_not_a_list() {
    let dir = report("noi-nhan");
    let text = change(
        &dir,
        DATA,
        "noi_nhan = [\"Ban Thường vụ Tỉnh ủy (b/c),\", \"Lưu Văn phòng Thành ủy.\"]",
        "noi_nhan = \"Lưu Văn phòng Thành ủy.\"",
    );
    Case::render(
        &dir,
        vec![error(
            "`noi_nhan` phải là danh sách",
            at(DATA, &text, "\"Lưu Văn phòng"),
        )],
    )
    .errors(1)
    .check();
}

#[test]
fn signer_name_not_text() {
    let dir = report("ho-ten");
    let text = change(&dir, DATA, "ho_ten = \"Nguyễn Văn A\"", "ho_ten = 5");
    Case::render(
        &dir,
        vec![error("`ho_ten` phải là chữ", after(DATA, &text, "ho_ten = ")).hint("ngoặc kép")],
    )
    .errors(1)
    .check();
}

#[test]
fn non_finite_number_is_located() {
    let dir = report("nan");
    let text = change(&dir, DATA, "ke_hoach = 3240", "ke_hoach = nan");
    Case::render(
        &dir,
        vec![error("không phải là một số hữu hạn", at(DATA, &text, "nan")).and("so_lieu.ke_hoach")],
    )
    .errors(1)
    .check();
}

// ---------------------------------------------------------------------------
// Missing fields, unknown keys

#[test]
fn missing_required_field_points_at_its_table() {
    let dir = report("thieu");
    let text = change(&dir, DATA, "dia_danh = \"Bắc Kạn\"\n", "");
    Case::render(
        &dir,
        vec![error(
            "[van_ban] thiếu mục bắt buộc `dia_danh`",
            at(DATA, &text, "van_ban]"),
        )],
    )
    .errors(1)
    .check();
}

#[test]
fn missing_template_key_points_at_the_top() {
    let dir = report("thieu-mau");
    change(&dir, DATA, "mau = \"mau.md.hbs\"\n", "");
    Case::render(
        &dir,
        vec![error("thiếu `mau`", Loc::Pos(DATA.into(), 1, 1)).hint("mau = ")],
    )
    .errors(1)
    .check();
}

/// Five mistakes, five messages, each at its place. A misspelt required key is
/// one mistake: reported as the unknown key with the right name as a hint, not a
/// second time as missing.
#[test]
fn every_header_problem_in_one_run() {
    let dir = report("nhieu");
    change(&dir, DATA, "so = 125", "so = \"125\"");
    change(&dir, DATA, "ngay = 2021-12-15", "ngay = \"15/12/2021\"");
    change(&dir, DATA, "co_quan = ", "co_qaun = ");
    change(&dir, DATA, "dia_danh = \"Bắc Kạn\"\n", "");
    let text = change(&dir, DATA, "ho_ten = \"Nguyễn Văn A\"\n", "");
    Case::render(
        &dir,
        vec![
            error(
                "[van_ban] không có mục `co_qaun`",
                at(DATA, &text, "co_qaun"),
            )
            .hint("`co_quan`"),
            error(
                "[van_ban] thiếu mục bắt buộc `dia_danh`",
                at(DATA, &text, "van_ban]"),
            ),
            error("`so` phải là số nguyên dương", at(DATA, &text, "\"125\"")),
            error("`ngay` phải là một ngày", at(DATA, &text, "\"15/12/2021\"")),
            error("[ky] thiếu mục bắt buộc `ho_ten`", at(DATA, &text, "ky]")),
        ],
    )
    .errors(5)
    .check();
}

#[test]
fn unknown_key_in_van_ban_suggests_the_nearest() {
    let dir = report("co-qaun");
    let text = change(
        &dir,
        DATA,
        "co_quan = \"THÀNH ỦY BẮC KẠN\"\n",
        "co_quan = \"THÀNH ỦY BẮC KẠN\"\nco_qaun = \"THÀNH ỦY\"\n",
    );
    Case::render(
        &dir,
        vec![error(
            "[van_ban] không có mục `co_qaun`",
            at(DATA, &text, "co_qaun"),
        )
        .hint("có phải ý bạn là `co_quan`?")],
    )
    .errors(1)
    .check();
}

#[test]
fn unknown_key_in_ky_suggests_the_nearest() {
    let dir = report("ho-tne");
    let text = change(
        &dir,
        DATA,
        "chuc_vu = \"BÍ THƯ\"\n",
        "chuc_vu = \"BÍ THƯ\"\nho_tne = \"Lê Văn B\"\n",
    );
    Case::render(
        &dir,
        vec![error("[ky] không có mục `ho_tne`", at(DATA, &text, "ho_tne")).hint("`ho_ten`")],
    )
    .errors(1)
    .check();
}

// ---------------------------------------------------------------------------
// Templates

/// The good report with `tpl` as its template; returns the folder.
fn with_template(tag: &str, tpl: &str) -> PathBuf {
    let dir = report(tag);
    put(&dir, TPL, tpl);
    dir
}

#[test]
fn unclosed_if_points_at_its_opening_tag() {
    let tpl = "# I- KẾT QUẢ\n\nĐoạn {{#if so_lieu}}thứ hai.\n\nĐoạn thứ ba.\n";
    let dir = with_template("tpl-if", tpl);
    Case::render(
        &dir,
        vec![error("khối {{#if}} chưa được đóng", at(TPL, tpl, "{{#if")).hint("{{/if}}")],
    )
    .errors(1)
    .check();
}

#[test]
fn wrong_closing_tag_points_at_it() {
    let tpl = "# I- KẾT QUẢ\n\nĐoạn {{#if so_lieu}}thứ hai{{/each}}.\n";
    let dir = with_template("tpl-close", tpl);
    Case::render(
        &dir,
        vec![error("sai cú pháp mẫu", at(TPL, tpl, "{{/each}}"))
            .and("\"if\"")
            .and("\"each\"")],
    )
    .errors(1)
    .check();
}

#[test]
fn stray_closing_braces_are_a_template_error() {
    let tpl = "# I- KẾT QUẢ\n\nĐoạn có dấu thừa }} ở giữa.\n";
    let dir = with_template("tpl-stray", tpl);
    Case::render(&dir, vec![error("sai cú pháp mẫu", at(TPL, tpl, "}}"))])
        .errors(1)
        .check();
}

#[test]
fn missing_variable_points_at_the_variable() {
    let tpl = "# I- KẾT QUẢ\n\nĐoạn có {{so_lieu.khong_co}} ở giữa.\n";
    let dir = with_template("tpl-var", tpl);
    Case::render(
        &dir,
        vec![error(
            "không có dữ liệu \"so_lieu.khong_co\"",
            at(TPL, tpl, "{{so_lieu.khong_co"),
        )],
    )
    .errors(1)
    .check();
}

#[test]
fn unknown_helper_points_at_the_call() {
    let tpl = "# I- KẾT QUẢ\n\nTỷ lệ {{ti_le so_lieu.thuc_hien}} cả năm.\n";
    let dir = with_template("tpl-helper", tpl);
    Case::render(
        &dir,
        vec![error("không có hàm \"ti_le\"", at(TPL, tpl, "{{ti_le"))],
    )
    .errors(1)
    .check();
}

#[test]
fn helper_given_text_for_a_number_names_helper_and_value() {
    let tpl = "# I- KẾT QUẢ\n\nThực hiện {{so \"ba nghìn\"}} tỷ đồng.\n";
    let dir = with_template("tpl-so", tpl);
    Case::render(
        &dir,
        vec![error("hàm 'so'", at(TPL, tpl, "{{so")).and("chuỗi \"ba nghìn\"")],
    )
    .errors(1)
    .check();
}

#[test]
fn helper_division_by_zero_names_helper_and_value() {
    let tpl = "# I- KẾT QUẢ\n\nBình quân {{so (chia so_lieu.thuc_hien 0)}} tỷ đồng.\n";
    let dir = with_template("tpl-chia", tpl);
    Case::render(
        &dir,
        vec![error("hàm 'chia'", at(TPL, tpl, "{{so")).and("chia cho 0")],
    )
    .errors(1)
    .check();
}

#[test]
fn helper_given_a_bad_date_names_helper_and_value() {
    let tpl = "# I- KẾT QUẢ\n\nHọp {{ngay \"2021-02-30\"}} tại trụ sở.\n";
    let dir = with_template("tpl-ngay", tpl);
    Case::render(
        &dir,
        vec![error("hàm 'ngay'", at(TPL, tpl, "{{ngay")).and("\"2021-02-30\"")],
    )
    .errors(1)
    .check();
}

#[test]
fn missing_partial_points_at_the_reference() {
    let tpl = "# I- KẾT QUẢ\n\nĐoạn đầu.\n\n{{> khong-co}}\n";
    let dir = with_template("tpl-partial", tpl);
    Case::render(
        &dir,
        vec![error(
            "không tìm thấy mẫu con \"khong-co\"",
            at(TPL, tpl, "{{> khong-co"),
        )
        .hint("khong-co.hbs")],
    )
    .errors(1)
    .check();
}

#[test]
fn missing_partial_hint_names_a_folder() {
    let tpl = "# I- KẾT QUẢ\n\nĐoạn đầu.\n\n{{> khong-co}}\n";
    let dir = with_template("tpl-partial-hint", tpl);
    let run = baocao(&dir, &["render", DATA, "-o", OUT]);
    let d = diagnostics(&run.stderr);
    let hint = d
        .iter()
        .flat_map(|d| d.hints.iter())
        .find(|h| h.contains("khong-co.hbs"))
        .unwrap_or_else(|| panic!("no hint naming khong-co.hbs:\n{}", run.stderr));
    let folder = hint.split("thư mục").nth(1).map(str::trim).unwrap_or("");
    assert!(
        !folder.is_empty(),
        "the hint names an empty folder: `gợi ý: {hint}`"
    );
}

#[test]
fn partial_outside_the_template_folder_is_refused() {
    // bao-cao.toml and ngoai.hbs side by side; the template in mau/.
    let dir = report("tpl-escape");
    change(
        &dir,
        DATA,
        "mau = \"mau.md.hbs\"",
        "mau = \"mau/chinh.md.hbs\"",
    );
    let tpl = "# I- KẾT QUẢ\n\nĐoạn đầu {{> ../ngoai}} hết.\n";
    put(&dir, "mau/chinh.md.hbs", tpl);
    put(&dir, "ngoai.hbs", "chữ ở ngoài thư mục mẫu");
    Case::render(
        &dir,
        vec![error(
            "mẫu con \"../ngoai\" nằm ngoài thư mục",
            at("mau/chinh.md.hbs", tpl, "{{>"),
        )],
    )
    .errors(1)
    .check();
}

#[test]
fn partial_linked_from_outside_the_folder_is_refused() {
    // The report in bao-cao/, run from there; lien.hbs links to ../ngoai.hbs.
    let top = scratch("i6-tpl-link");
    let dir = top.join("bao-cao");
    put(&dir, DATA, GOOD_DATA);
    let tpl = "# I- KẾT QUẢ\n\nĐoạn đầu {{> lien}} hết.\n";
    put(&dir, TPL, tpl);
    put(&top, "ngoai.hbs", "chữ ở ngoài thư mục mẫu");
    std::os::unix::fs::symlink("../ngoai.hbs", dir.join("lien.hbs")).expect("symlink");
    Case::render(
        &dir,
        vec![error(
            "mẫu con \"lien\" nằm ngoài thư mục",
            at(TPL, tpl, "{{> lien"),
        )],
    )
    .errors(1)
    .check();
}

#[test]
fn recursive_partials_are_an_error_not_a_stack_overflow() {
    // The main template a.hbs includes b.hbs, which includes a.hbs again.
    let dir = report("tpl-loop");
    change(&dir, DATA, "mau = \"mau.md.hbs\"", "mau = \"a.hbs\"");
    let a = "# I- MỞ ĐẦU\n\nĐoạn a {{> b}} hết.\n";
    let b = "Đoạn b, gọi lại a: {{> a}} hết.";
    put(&dir, "a.hbs", a);
    put(&dir, "b.hbs", b);
    Case::render(
        &dir,
        vec![error("gọi lại chính nó", at("b.hbs", b, "{{> a"))],
    )
    .errors(1)
    .check();
}

#[test]
fn recursive_partials_below_the_main_template() {
    // mau.md.hbs includes a; a includes b; b includes a.
    let dir = report("tpl-loop2");
    put(&dir, TPL, "# I- MỞ ĐẦU\n\nĐoạn đầu {{> a}} hết.\n");
    let a = "Đoạn a {{> b}} hết.";
    let b = "Đoạn b, gọi lại a: {{> a}} hết.";
    put(&dir, "a.hbs", a);
    put(&dir, "b.hbs", b);
    Case::render(
        &dir,
        vec![error("gọi lại chính nó", at("b.hbs", b, "{{> a"))],
    )
    .errors(1)
    .check();
}

#[test]
fn missing_template_points_at_the_mau_line() {
    let dir = report("mau-missing");
    let text = change(&dir, DATA, "mau = \"mau.md.hbs\"", "mau = \"khong-co.hbs\"");
    Case::render(
        &dir,
        vec![error(
            "không đọc được tệp mẫu \"khong-co.hbs\"",
            at(DATA, &text, "\"khong-co.hbs\""),
        )
        .and("không tìm thấy tệp")],
    )
    .errors(1)
    .check();
}

#[test]
fn template_that_is_a_folder_points_at_the_mau_line() {
    let dir = report("mau-dir");
    std::fs::create_dir(dir.join("mau")).expect("create folder");
    let text = change(&dir, DATA, "mau = \"mau.md.hbs\"", "mau = \"mau\"");
    Case::render(
        &dir,
        vec![error("không đọc được tệp mẫu \"mau\"", at(DATA, &text, "\"mau\"")).and("thư mục")],
    )
    .errors(1)
    .check();
}

#[test]
fn empty_body_is_an_error() {
    let dir = with_template("tpl-empty", "{{#if so_lieu.co}}\nKhông in.\n{{/if}}\n  \n");
    change(&dir, DATA, "ke_hoach = 3240", "ke_hoach = 3240\nco = false");
    Case::render(
        &dir,
        vec![error("thân báo cáo trống", Loc::File(TPL.into()))],
    )
    .errors(1)
    .check();
}

// ---------------------------------------------------------------------------
// Profiles and [dinh_dang]

#[test]
fn unknown_font_in_a_user_profile_at_its_line() {
    let dir = report("font");
    change(
        &dir,
        DATA,
        "the_thuc = \"dang\"",
        "the_thuc = \"rieng.toml\"",
    );
    let profile = "ke_thua = \"dang-36\"\n\n[chu]\nphong = \"Arial\"\n";
    put(&dir, "rieng.toml", profile);
    Case::render(
        &dir,
        vec![error(
            "không có phông chữ \"Arial\"",
            at("rieng.toml", profile, "\"Arial\""),
        )
        .hint("Tinos")],
    )
    .errors(1)
    .check();
}

#[test]
fn unknown_key_in_a_user_profile_suggests_the_nearest() {
    let dir = report("profile-key");
    change(
        &dir,
        DATA,
        "the_thuc = \"dang\"",
        "the_thuc = \"rieng.toml\"",
    );
    let profile = "ke_thua = \"nha-nuoc\"\n\n[trang]\nle_trai = 30.0\nle_phia = 15.0\n";
    put(&dir, "rieng.toml", profile);
    Case::render(
        &dir,
        vec![error("`trang.le_phia`", at("rieng.toml", profile, "le_phia")).hint("`le_phai`")],
    )
    .errors(1)
    .check();
}

#[test]
fn unknown_layout_name_at_the_the_thuc_value() {
    let dir = report("the-thuc");
    let text = change(&dir, DATA, "the_thuc = \"dang\"", "the_thuc = \"dang-99\"");
    Case::render(
        &dir,
        vec![error(
            "không có thể thức \"dang-99\"",
            at(DATA, &text, "\"dang-99\""),
        )
        .hint("dang-36")],
    )
    .errors(1)
    .check();
}

#[test]
fn bad_dinh_dang_value_at_its_line() {
    let dir = report("dinh-dang");
    let text = change(
        &dir,
        DATA,
        "[so_lieu]",
        "[dinh_dang]\nlinh = \"xx\"\n\n[so_lieu]",
    );
    Case::render(
        &dir,
        vec![error("linh = \"xx\" không hợp lệ", at(DATA, &text, "\"xx\"")).and("\"lẻ\"")],
    )
    .errors(1)
    .check();
}

#[test]
fn unknown_dinh_dang_key_in_vietnamese_with_the_nearest() {
    let dir = report("dinh-dang-key");
    let text = change(
        &dir,
        DATA,
        "[so_lieu]",
        "[dinh_dang]\nlinhh = \"lẻ\"\n\n[so_lieu]",
    );
    Case::render(
        &dir,
        vec![error("[dinh_dang]", at(DATA, &text, "linhh"))
            .and("linhh")
            .hint("`linh`")],
    )
    .errors(1)
    .check();
}

// ---------------------------------------------------------------------------
// Markup baocao does not typeset: warnings, or errors under --strict

#[test]
fn raw_html_is_a_warning_and_an_error_under_strict() {
    let tpl = "# I- KẾT QUẢ\n\nĐoạn đầu.\n\n<div>khối HTML</div>\n\nĐoạn cuối.\n";
    let dir = with_template("html", tpl);
    let pdf = warns(
        &dir,
        vec![warning("HTML", at(TPL, tpl, "<div>")).and("bỏ qua")],
    );
    let text = fold(&pdftotext(&pdf));
    assert!(
        text.contains("Đoạn đầu.") && text.contains("Đoạn cuối."),
        "the text around the HTML is lost:\n{text}"
    );
}

#[test]
fn image_is_a_warning_and_an_error_under_strict() {
    let tpl = "# I- KẾT QUẢ\n\nĐoạn đầu.\n\n![sơ đồ tổ chức](so-do.png)\n\nĐoạn cuối.\n";
    let dir = with_template("image", tpl);
    let pdf = warns(&dir, vec![warning("hình ảnh", at(TPL, tpl, "![sơ đồ"))]);
    let text = fold(&pdftotext(&pdf));
    assert!(
        text.contains("Đoạn đầu.") && text.contains("Đoạn cuối."),
        "the text around the image is lost:\n{text}"
    );
}

#[test]
fn word_longer_than_a_line_is_a_warning_and_kept_whole() {
    let word: String =
        "Quyếtđịnhsố2345/QĐ-UBNDngày15tháng12năm2021ĐườngdẫnvănbảnchínhphủViệtNam".repeat(3);
    let tpl = format!("# I- KẾT QUẢ\n\n{word} là một từ rất dài.\n\nĐoạn cuối.\n");
    let dir = with_template("long-word", &tpl);
    let pdf = warns(
        &dir,
        vec![warning("dài hơn một dòng", at(TPL, &tpl, &word)).and("Quyếtđịnhsố")],
    );
    let text: String = pdftotext(&pdf)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(
        nfc(&text).contains(&format!("{word}làmộttừrấtdài.")),
        "characters of the long word are lost or invented:\n{text}"
    );
}

// ---------------------------------------------------------------------------
// Output paths

#[test]
fn output_in_a_missing_folder() {
    let dir = report("out-missing");
    Case::new(
        &dir,
        &["render", DATA, "-o", "khong-co/ra.pdf"],
        1,
        vec![error(
            "thư mục đầu ra \"khong-co\" không tồn tại",
            Loc::File("khong-co/ra.pdf".into()),
        )],
    )
    .errors(1)
    .check();
}

#[test]
fn output_path_that_is_a_folder() {
    // No -o: the PDF would go to bao-cao.pdf, which is a folder (with a file).
    let dir = report("out-dir");
    put(&dir, "bao-cao.pdf/giu.txt", "không được đụng tới");
    Case::new(
        &dir,
        &["render", DATA],
        1,
        vec![error(
            "đường dẫn đầu ra là một thư mục",
            Loc::File("bao-cao.pdf".into()),
        )],
    )
    .errors(1)
    .check();
}

#[test]
fn output_below_a_file() {
    // tep.pdf is a file; it cannot hold ra.pdf and must stay as it is.
    let dir = report("out-file");
    put(&dir, "tep.pdf", OLD_PDF);
    Case::new(
        &dir,
        &["render", DATA, "-o", "tep.pdf/ra.pdf"],
        1,
        vec![error(
            "thư mục đầu ra \"tep.pdf\"",
            Loc::File("tep.pdf/ra.pdf".into()),
        )],
    )
    .errors(1)
    .check();
}

#[test]
fn output_where_writing_fails_even_for_root() {
    let dir = report("out-proc");
    for out in ["/proc/baocao-i6.pdf", "/sys/baocao-i6.pdf"] {
        Case::new(
            &dir,
            &["render", DATA, "-o", out],
            1,
            vec![error("không ghi được tệp đầu ra", Loc::File(out.into()))],
        )
        .errors(1)
        .check();
        assert!(!Path::new(out).exists(), "{out} was created");
    }
}

// ---------------------------------------------------------------------------
// Data files that cannot be read

#[test]
fn missing_data_file() {
    let dir = report("data-missing");
    Case::new(
        &dir,
        &["render", "khong-co.toml"],
        1,
        vec![error(
            "không đọc được tệp dữ liệu: không tìm thấy tệp",
            Loc::File("khong-co.toml".into()),
        )],
    )
    .errors(1)
    .out("khong-co.pdf")
    .check();
}

#[test]
fn data_file_that_is_a_folder() {
    let dir = report("data-dir");
    std::fs::create_dir(dir.join("la-thu-muc.toml")).expect("create folder");
    Case::new(
        &dir,
        &["render", "la-thu-muc.toml"],
        1,
        vec![error(
            "thư mục không có tệp dữ liệu báo cáo nào",
            Loc::File("la-thu-muc.toml".into()),
        )],
    )
    .errors(1)
    .out("la-thu-muc.pdf")
    .check();
}

#[test]
fn data_file_not_utf8_points_at_the_bad_byte() {
    let dir = report("utf8");
    let head = "mau = \"mau.md.hbs\"\n# ghi ch";
    let mut bytes = head.as_bytes().to_vec();
    bytes.push(0xFA); // "ú" in Windows-1258/Latin-1, not UTF-8
    bytes.extend_from_slice(b" sai\n");
    bytes.extend_from_slice(
        GOOD_DATA
            .replacen("mau = \"mau.md.hbs\"\n", "", 1)
            .as_bytes(),
    );
    put(&dir, DATA, bytes);
    let (line, col) = locate(&format!("{head}X"), "X");
    Case::render(&dir, vec![error("UTF-8", Loc::Pos(DATA.into(), line, col))])
        .errors(1)
        .check();
}

// ---------------------------------------------------------------------------
// Inputs that must render fine

#[test]
fn bom_and_crlf_render_fine() {
    let dir = report("bom-crlf");
    put(
        &dir,
        DATA,
        format!("\u{feff}{}", GOOD_DATA.replace('\n', "\r\n")),
    );
    put(
        &dir,
        TPL,
        format!("\u{feff}{}", GOOD_TPL.replace('\n', "\r\n")),
    );
    let run = baocao(&dir, &["render", DATA, "-o", OUT]);
    assert_eq!(run.code, Some(0), "render failed:\n{}", run.stderr);
    assert!(
        diagnostics(&run.stderr).is_empty(),
        "warnings or errors for a BOM/CRLF file:\n{}",
        run.stderr
    );
    let text = pdftotext(&dir.join(OUT));
    assert!(
        fold(&text).contains(GOOD_BODY) && fold(&text).contains("Nguyễn Văn A"),
        "the body or the signer is missing:\n{text}"
    );
    assert!(
        !text.contains('\u{feff}') && !text.contains('\r'),
        "BOM or CR in the PDF text"
    );
}

#[test]
fn nfd_and_stray_nbsp_come_out_nfc_with_single_spaces() {
    let dir = report("nfd");
    let nfd = |s: &str| -> String {
        use unicode_normalization::UnicodeNormalization;
        s.nfd().collect()
    };
    let data = GOOD_DATA
        .replace(
            "ho_ten = \"Nguyễn Văn A\"",
            &format!("ho_ten = \"{}\u{a0} Văn\t\u{a0}A\"", nfd("Nguyễn")),
        )
        .replace(
            "[so_lieu]",
            &format!(
                "[so_lieu]\nghi_chu = \"{} \u{a0}\t có\u{a0}\u{a0}dấu\"",
                nfd("Tiếng Việt")
            ),
        );
    put(&dir, DATA, data);
    let tpl = format!(
        "# I- KẾT QUẢ\n\n{} \u{a0} có\t\u{a0}khoảng trắng \u{a0}lạ: {{{{so_lieu.ghi_chu}}}}.\n",
        nfd("Đoạn văn")
    );
    put(&dir, TPL, tpl);
    let run = baocao(&dir, &["render", DATA, "-o", OUT]);
    assert_eq!(run.code, Some(0), "render failed:\n{}", run.stderr);
    let text = pdftotext(&dir.join(OUT));
    assert_eq!(text, nfc(&text), "pdftotext shows decomposed letters");
    assert!(
        !text.contains('\u{a0}'),
        "a no-break space reached the PDF text"
    );
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    for want in [
        "Đoạn văn có khoảng trắng lạ: Tiếng Việt có dấu.",
        "Nguyễn Văn A",
    ] {
        assert!(
            lines.contains(&want),
            "no line `{want}` (NFC, single spaces) in:\n{text}"
        );
    }
}

// ---------------------------------------------------------------------------
// Batches, units, kiem-tra

/// Files of `dir` (not below), sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .map(|e| e.file_name().to_string_lossy().to_string())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn batch_with_one_broken_report_writes_the_good_one() {
    let dir = report("batch");
    let bad = GOOD_DATA.replace("so = 125", "so = \"125\"");
    put(&dir, "hong.toml", &bad);
    put(&dir, "ra/hong.pdf", OLD_PDF);
    let run = baocao(&dir, &["render", DATA, "hong.toml", "-o", "ra/"]);
    let mut problems = diag_problems(
        &dir,
        &run,
        &[error(
            "`so` phải là số nguyên dương",
            at("hong.toml", &bad, "\"125\""),
        )],
        Some(1),
    );
    if run.code != Some(1) {
        problems.push(format!("exit code {:?}, expected 1", run.code));
    }
    if !run.stderr.contains("đã tạo 1 tệp PDF, 1 lỗi") {
        problems.push("no summary `đã tạo 1 tệp PDF, 1 lỗi`".into());
    }
    let good = std::fs::read(dir.join("ra/bao-cao.pdf")).unwrap_or_default();
    if !good.starts_with(b"%PDF-") {
        problems.push("the good report's PDF ra/bao-cao.pdf was not written".into());
    }
    if std::fs::read(dir.join("ra/hong.pdf")).ok().as_deref() != Some(OLD_PDF) {
        problems.push("the broken report's older ra/hong.pdf changed".into());
    }
    if names(&dir.join("ra")) != ["bao-cao.pdf", "hong.pdf"] {
        problems.push(format!("ra/ holds {:?}", names(&dir.join("ra"))));
    }
    assert!(
        problems.is_empty(),
        "- {}\n--- stderr ---\n{}",
        problems.join("\n- "),
        run.stderr
    );
}

#[test]
fn batch_where_one_template_fails_writes_the_other() {
    let dir = report("batch-tpl");
    let bad_tpl = "# I- KẾT QUẢ\n\nĐoạn {{#each so_lieu}}không đóng.\n";
    put(&dir, "hong.md.hbs", bad_tpl);
    put(
        &dir,
        "hong.toml",
        GOOD_DATA.replace("mau = \"mau.md.hbs\"", "mau = \"hong.md.hbs\""),
    );
    put(&dir, "hong.pdf", OLD_PDF);
    let run = baocao(&dir, &["render", "hong.toml", DATA]);
    let mut problems = diag_problems(
        &dir,
        &run,
        &[error(
            "chưa được đóng",
            at("hong.md.hbs", bad_tpl, "{{#each"),
        )],
        Some(1),
    );
    if run.code != Some(1) {
        problems.push(format!("exit code {:?}, expected 1", run.code));
    }
    if !run.stderr.contains("đã tạo 1 tệp PDF, 1 lỗi") {
        problems.push("no summary `đã tạo 1 tệp PDF, 1 lỗi`".into());
    }
    if !std::fs::read(dir.join("bao-cao.pdf"))
        .unwrap_or_default()
        .starts_with(b"%PDF-")
    {
        problems.push("the good report's bao-cao.pdf was not written".into());
    }
    if std::fs::read(dir.join("hong.pdf")).ok().as_deref() != Some(OLD_PDF) {
        problems.push("the broken report's older hong.pdf changed".into());
    }
    let stray: Vec<String> = names(&dir)
        .into_iter()
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    if !stray.is_empty() {
        problems.push(format!("temporary files left: {stray:?}"));
    }
    assert!(
        problems.is_empty(),
        "- {}\n--- stderr ---\n{}",
        problems.join("\n- "),
        run.stderr
    );
}

/// The good report followed by `units`; returns the data text.
fn with_units(dir: &Path, units: &str) -> String {
    let text = format!("{GOOD_DATA}\n{units}");
    put(dir, DATA, &text);
    text
}

#[test]
fn unit_without_ten_tep_points_at_that_unit() {
    let dir = report("unit-missing");
    let text = with_units(
        &dir,
        "[[don_vi]]\nten_tep = \"phuong-1\"\n\n[[don_vi]]\nten = \"Phường 2\"\n",
    );
    let (line, col) = locate_nth(&text, "don_vi]]", 1);
    Case::new(
        &dir,
        &["render", DATA, "-o", "ra/"],
        1,
        vec![error(
            "[[don_vi]] thứ 2: thiếu `ten_tep`",
            Loc::Pos(DATA.into(), line, col),
        )],
    )
    .errors(1)
    .check();
}

#[test]
fn unit_with_a_duplicate_ten_tep_points_at_it() {
    let dir = report("unit-dup");
    let text = with_units(
        &dir,
        "[[don_vi]]\nten_tep = \"phuong-1\"\n\n[[don_vi]]\nten_tep = \"Phuong-1\"\n",
    );
    Case::new(
        &dir,
        &["render", DATA, "-o", "ra/"],
        1,
        vec![error(
            "[[don_vi]] thứ 2: `ten_tep` \"Phuong-1\" trùng",
            at(DATA, &text, "\"Phuong-1\""),
        )],
    )
    .errors(1)
    .check();
}

#[test]
fn unit_ten_tep_with_a_slash_points_at_it() {
    let dir = report("unit-slash");
    let text = with_units(
        &dir,
        "[[don_vi]]\nten_tep = \"phuong-1\"\n\n[[don_vi]]\nten_tep = \"phuong/2\"\n",
    );
    Case::new(
        &dir,
        &["render", DATA, "-o", "ra/"],
        1,
        vec![error(
            "[[don_vi]] thứ 2: `ten_tep` \"phuong/2\"",
            at(DATA, &text, "\"phuong/2\""),
        )
        .and("tên tệp")],
    )
    .errors(1)
    .check();
}

#[test]
fn kiem_tra_reports_every_problem_and_writes_nothing() {
    let dir = report("kiem-tra-bad");
    change(&dir, DATA, "so = 125", "so = \"125\"");
    change(&dir, DATA, "co_quan = ", "co_qaun = ");
    change(&dir, DATA, "dia_danh = \"Bắc Kạn\"\n", "");
    let text = change(&dir, DATA, "ho_ten = \"Nguyễn Văn A\"\n", "");
    Case::new(
        &dir,
        &["kiem-tra", DATA],
        1,
        vec![
            error(
                "[van_ban] không có mục `co_qaun`",
                at(DATA, &text, "co_qaun"),
            )
            .hint("`co_quan`"),
            error(
                "[van_ban] thiếu mục bắt buộc `dia_danh`",
                at(DATA, &text, "van_ban]"),
            ),
            error("`so` phải là số nguyên dương", at(DATA, &text, "\"125\"")),
            error("[ky] thiếu mục bắt buộc `ho_ten`", at(DATA, &text, "ky]")),
        ],
    )
    .errors(4)
    .out("bao-cao.pdf")
    .check();
}

#[test]
fn kiem_tra_reports_data_and_template_problems_together() {
    let dir = report("kiem-tra-both");
    let text = change(&dir, DATA, "so = 125", "so = \"125\"");
    let tpl = "# I- KẾT QUẢ\n\nĐoạn {{#if so_lieu}}không đóng.\n";
    put(&dir, TPL, tpl);
    Case::new(
        &dir,
        &["kiem-tra", DATA],
        1,
        vec![
            error("`so` phải là số nguyên dương", at(DATA, &text, "\"125\"")),
            error("chưa được đóng", at(TPL, tpl, "{{#if")),
        ],
    )
    .errors(2)
    .out("bao-cao.pdf")
    .check();
}

#[test]
fn kiem_tra_on_a_good_report_exits_0_and_writes_nothing() {
    let dir = report("kiem-tra-good");
    for existing in [false, true] {
        if existing {
            put(&dir, "bao-cao.pdf", OLD_PDF);
        }
        let before = tree(&dir);
        let run = baocao(&dir, &["kiem-tra", DATA]);
        let changes = tree_changes(&before, &tree(&dir));
        assert_eq!(run.code, Some(0), "kiem-tra failed:\n{}", run.stderr);
        assert!(
            diagnostics(&run.stderr).is_empty(),
            "problems reported for a good report:\n{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("không có lỗi"),
            "no `không có lỗi`:\n{}",
            run.stderr
        );
        assert!(changes.is_empty(), "kiem-tra wrote files: {changes:?}");
    }
}

// ---------------------------------------------------------------------------
// Command line

#[test]
fn unknown_option_is_a_vietnamese_usage_error() {
    let dir = report("cli");
    Case::new(
        &dir,
        &["render", "--khong-co", DATA],
        2,
        vec![error("không có tùy chọn \"--khong-co\"", Loc::Nowhere).hint("baocao --help")],
    )
    .errors(1)
    .out("bao-cao.pdf")
    .check();
}
