//! Issue 2, item 6: a failed render names the file and `line:col` of the fault,
//! exits non-zero, and writes nothing (an existing output file is left as it was).
mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const DATA: &str = "bao-cao.toml";
const OUT: &str = "ra.pdf";

/// 1-based line and column (in characters) of the first `needle` in `text`.
fn locate(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the planted file"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map(|i| i + 1).unwrap_or(0)..]
        .chars()
        .count()
        + 1;
    (line, col)
}

/// Every file of `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap_or_default();
            (p, bytes)
        })
        .collect()
}

/// Replace the first `from` in `dir/name` with `to`; returns the new text.
fn edit(dir: &Path, name: &str, from: &str, to: &str) -> String {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).expect("read file to edit");
    assert!(text.contains(from), "{from:?} not in {name}");
    let new = text.replacen(from, to, 1);
    std::fs::write(&path, &new).expect("write edited file");
    new
}

/// Run `baocao render bao-cao.toml -o ra.pdf` in `dir`; returns (success, stderr).
fn run(dir: &Path) -> (Option<i32>, String) {
    let out = bin()
        .current_dir(dir)
        .args(["render", DATA, "-o", OUT])
        .output()
        .expect("run baocao");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// The failure must exit non-zero, point at `file:line:col` after `──▶ `, mention
/// `mentions`, and leave the folder exactly as it was — with and without an
/// existing output file.
fn assert_fails_at(dir: &Path, file: &str, line: usize, col: usize, mentions: &[&str]) {
    for existing in [false, true] {
        let out = dir.join(OUT);
        if existing {
            std::fs::write(
                &out,
                b"%PDF-1.7\n% an older report, must survive a failed render\n",
            )
            .expect("write old output");
        } else if out.exists() {
            std::fs::remove_file(&out).expect("remove output");
        }
        let before = snapshot(dir);
        let (code, stderr) = run(dir);
        assert!(
            code.is_some() && code != Some(0),
            "render should fail (exit code {code:?}); stderr:\n{stderr}"
        );
        assert!(
            stderr.contains("lỗi"),
            "the message should say \"lỗi\":\n{stderr}"
        );
        let at = stderr
            .lines()
            .find_map(|l| l.split_once("──▶ ").map(|(_, r)| r.trim().to_string()))
            .unwrap_or_else(|| panic!("no `──▶ file:line:col` in stderr:\n{stderr}"));
        let mut parts = at.rsplitn(3, ':');
        let (c, l, f) = (parts.next(), parts.next(), parts.next());
        let (Some(c), Some(l), Some(f)) = (c, l, f) else {
            panic!("location `{at}` is not file:line:col\n{stderr}")
        };
        let named = dir.join(f).canonicalize().ok();
        assert!(
            named.is_some() && named == dir.join(file).canonicalize().ok(),
            "location `{at}` should name {file}\n{stderr}"
        );
        assert_eq!(
            (l.parse::<usize>().ok(), c.parse::<usize>().ok()),
            (Some(line), Some(col)),
            "location `{at}` should be {file}:{line}:{col}\n{stderr}"
        );
        for m in mentions {
            assert!(
                stderr.contains(m),
                "the message should mention {m:?}:\n{stderr}"
            );
        }
        let after = snapshot(dir);
        if existing {
            assert!(
                after.get(&out) == before.get(&out),
                "a failed render changed the existing {OUT}"
            );
        } else {
            assert!(!out.exists(), "a failed render created {OUT}");
        }
        let added: Vec<_> = after.keys().filter(|k| !before.contains_key(*k)).collect();
        assert!(
            added.is_empty(),
            "a failed render left files behind: {added:?}"
        );
        assert!(before == after, "a failed render changed the folder");
    }
}

#[test]
fn toml_syntax_error_names_the_data_file_line_and_column() {
    let dir = copy_example("err-toml");
    let text = edit(&dir, DATA, "\nso = 125\n", "\nso = = 125\n");
    let (line, col) = locate(&text, "= = 125");
    assert_fails_at(&dir, DATA, line, col + 2, &[]);
}

#[test]
fn unclosed_template_block_points_at_its_opening_tag() {
    let dir = copy_example("err-block");
    edit(
        &dir,
        DATA,
        "mau = \"bao-cao.md.hbs\"",
        "mau = \"mau-loi.hbs\"",
    );
    let tpl =
        "# I- ĐẶC ĐIỂM TÌNH HÌNH\n\nĐoạn thứ nhất.\n\nĐoạn {{#if ky}}thứ hai.\n\nĐoạn thứ ba.\n";
    std::fs::write(dir.join("mau-loi.hbs"), tpl).expect("write template");
    let (line, col) = locate(tpl, "{{#if");
    assert_fails_at(&dir, "mau-loi.hbs", line, col, &[]);
}

#[test]
fn mismatched_template_block_points_at_the_wrong_closing_tag() {
    let dir = copy_example("err-close");
    edit(
        &dir,
        DATA,
        "mau = \"bao-cao.md.hbs\"",
        "mau = \"mau-loi.hbs\"",
    );
    let tpl = "# I- ĐẶC ĐIỂM TÌNH HÌNH\n\nĐoạn {{#if ky}}thứ hai{{/each}}.\n\nĐoạn thứ ba.\n";
    std::fs::write(dir.join("mau-loi.hbs"), tpl).expect("write template");
    let (line, col) = locate(tpl, "{{/each}}");
    assert_fails_at(&dir, "mau-loi.hbs", line, col, &[]);
}

#[test]
fn missing_variable_points_at_its_use_in_the_template() {
    let dir = copy_example("err-var");
    let tpl = edit(
        &dir,
        "bao-cao.md.hbs",
        "Đảng bộ thành phố có ",
        "Đảng bộ thành phố {{khong_co}} có ",
    );
    let (line, col) = locate(&tpl, "{{khong_co}}");
    assert_fails_at(&dir, "bao-cao.md.hbs", line, col, &["khong_co"]);
}

#[test]
fn missing_template_file_points_at_the_mau_key() {
    let dir = copy_example("err-mau");
    let text = edit(
        &dir,
        DATA,
        "mau = \"bao-cao.md.hbs\"",
        "mau = \"khong-co.hbs\"",
    );
    let (line, col) = locate(&text, "\"khong-co.hbs\"");
    assert_fails_at(&dir, DATA, line, col, &["khong-co.hbs"]);
}
