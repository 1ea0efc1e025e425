//! The command line — Vietnamese help, version, `--emit markup`, and the
//! default output path.

use crate::common::*;
use std::path::Path;

fn run(args: &[&str], cwd: Option<&Path>) -> (Option<i32>, String, String) {
    let mut cmd = bin();
    cmd.args(args);
    if let Some(d) = cwd {
        cmd.current_dir(d);
    }
    let out = cmd.output().expect("run baocao");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// A Vietnamese letter with a diacritic (the texts must be Vietnamese, not ASCII).
fn has_vietnamese(s: &str) -> bool {
    s.chars().any(|c| c.is_alphabetic() && !c.is_ascii())
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect();
    v.sort();
    v
}

/// What follows `flag` in a help text up to the next option line: its description.
fn description<'a>(help: &'a str, flag: &str) -> &'a str {
    let start = help
        .lines()
        .find(|l| l.trim_start().starts_with('-') && l.split([' ', ',']).any(|w| w == flag))
        .and_then(|l| help.find(l))
        .unwrap_or_else(|| panic!("help does not list {flag}:\n{help}"));
    let rest = &help[start..];
    let next = rest
        .lines()
        .skip(1)
        .find(|l| l.starts_with("  -") || l.starts_with("      --"))
        .and_then(|l| rest.find(l))
        .unwrap_or(rest.len());
    &rest[..next]
}

#[test]
fn top_level_help_is_vietnamese_and_lists_render() {
    let (code, out, err) = run(&["--help"], None);
    assert_eq!(code, Some(0), "baocao --help failed: {err}");
    assert!(
        out.contains("render"),
        "--help does not list the render command:\n{out}"
    );
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with("render"))
        .expect("render line");
    assert!(
        has_vietnamese(line),
        "the render command is not described in Vietnamese: {line}"
    );
    assert!(
        has_vietnamese(out.lines().next().unwrap_or("")),
        "--help does not open with a Vietnamese description:\n{out}"
    );
}

#[test]
fn render_help_describes_every_option_in_vietnamese() {
    let (code, out, err) = run(&["render", "--help"], None);
    assert_eq!(code, Some(0), "baocao render --help failed: {err}");
    for flag in ["-o", "--dinh-dang", "--emit", "--strict"] {
        let d = description(&out, flag);
        assert!(
            has_vietnamese(d),
            "{flag} has no Vietnamese description: {d:?}"
        );
    }
    assert!(
        description(&out, "-o").contains("--output"),
        "-o should have its long form --output:\n{out}"
    );
    let emit = description(&out, "--emit");
    assert!(
        emit.contains("pdf") && emit.contains("markup"),
        "--emit should name its values pdf and markup: {emit}"
    );
    let formats = description(&out, "--dinh-dang");
    assert!(
        formats.contains("pdf,docx") && description(&out, "-o").contains(".docx"),
        "--dinh-dang and -o should name the DOCX format:\n{out}"
    );
}

#[test]
fn help_has_no_english_boilerplate() {
    let english = [
        "Usage:",
        "Commands:",
        "Options:",
        "Arguments:",
        "Print help",
        "Print version",
        "Possible values",
        "[default:",
    ];
    for args in [&["--help"][..], &["render", "--help"][..]] {
        let (_, out, _) = run(args, None);
        let found: Vec<&str> = english
            .iter()
            .copied()
            .filter(|e| out.contains(e))
            .collect();
        assert!(
            found.is_empty(),
            "`baocao {}` prints English text {found:?}:\n{out}",
            args.join(" ")
        );
    }
}

#[test]
fn version_prints_the_crate_version() {
    for flag in ["--version", "-V"] {
        let (code, out, err) = run(&[flag], None);
        assert_eq!(code, Some(0), "baocao {flag} failed: {err}");
        assert_eq!(
            out.trim(),
            format!("baocao {}", env!("CARGO_PKG_VERSION")),
            "baocao {flag}"
        );
    }
}

#[test]
fn emit_markup_prints_the_filled_template_and_writes_no_pdf() {
    let dir = copy_example("emit");
    let before = files_in(&dir);
    let (code, out, err) = run(&["render", "bao-cao.toml", "--emit", "markup"], Some(&dir));
    assert_eq!(code, Some(0), "--emit markup failed: {err}");
    assert!(
        out.lines().any(|l| l.starts_with("# I-")),
        "markup lacks the heading \"# I-\":\n{out}"
    );
    assert!(
        out.contains("106,72%"),
        "markup lacks the computed figure 106,72%"
    );
    assert!(
        !out.contains("{{") && !out.starts_with("%PDF"),
        "markup is not the filled template:\n{out}"
    );
    assert_eq!(files_in(&dir), before, "--emit markup wrote files");
}

#[test]
fn without_output_option_the_pdf_goes_beside_the_data_file() {
    let dir = copy_example("default-out");
    let cwd = scratch("default-out-cwd");
    let data = dir.join("bao-cao.toml");
    let (code, _, err) = run(&["render", data.to_str().expect("utf-8 path")], Some(&cwd));
    assert_eq!(code, Some(0), "render without -o failed: {err}");
    let pdf = dir.join("bao-cao.pdf");
    let bytes = std::fs::read(&pdf).unwrap_or_else(|e| {
        panic!(
            "no {} beside the data file ({e}); folder has {:?}",
            pdf.display(),
            files_in(&dir)
        )
    });
    assert!(
        bytes.starts_with(b"%PDF-"),
        "{} is not a PDF",
        pdf.display()
    );
    assert_eq!(
        files_in(&cwd),
        Vec::<String>::new(),
        "render wrote into the working directory"
    );
    assert!(
        files_in(&dir).iter().all(|f| !f.ends_with(".tmp")),
        "temporary file left: {:?}",
        files_in(&dir)
    );
}

#[test]
fn example_renders_without_warnings_under_strict() {
    let dir = copy_example("strict");
    let (code, _, err) = run(
        &["render", "bao-cao.toml", "--strict", "-o", "ra.pdf"],
        Some(&dir),
    );
    assert_eq!(code, Some(0), "the example fails under --strict:\n{err}");
    assert!(
        !err.contains("cảnh báo"),
        "the example gives warnings:\n{err}"
    );
    let bytes = std::fs::read(dir.join("ra.pdf")).expect("--strict wrote no PDF");
    assert!(bytes.starts_with(b"%PDF-"), "ra.pdf is not a PDF");
}

#[test]
fn temporary_files_of_killed_runs_are_cleaned_from_the_output_folder() {
    let dir = copy_example("stale-temps");
    // A run killed before its rename (a process id no process has) leaves one;
    // a temporary file of a live process (this test's) and other files stay.
    let dead = dir.join(".baocao-4194399-k3Xq9a.tmp");
    let live = dir.join(format!(".baocao-{}-k3Xq9a.tmp", std::process::id()));
    let other = dir.join(".ghi-chu.tmp");
    for f in [&dead, &live, &other] {
        std::fs::write(f, b"half").expect("write");
    }
    let (code, _, err) = run(&["render", "bao-cao.toml", "-o", "ra.pdf"], Some(&dir));
    assert_eq!(code, Some(0), "render failed: {err}");
    assert!(
        !dead.exists(),
        "the killed run's temporary file is still there"
    );
    assert!(
        live.exists() && other.exists(),
        "files not ours were removed"
    );
}
