//! The JSON Schema of data files, read by Taplo (the TOML toolkit behind VS
//! Code's Even Better TOML), as an editor would: every example and every
//! built-in template's sample data validate; a misspelt key in `[van_ban]`, a
//! string where a number goes and a `so` below 1 are caught. Taplo comes from
//! `tests/node` (`npm ci --prefix tests/node`, which `.ci/run` does).

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The schema written to a fresh folder, and Taplo's binary.
fn setup(tag: &str) -> (PathBuf, PathBuf) {
    let taplo = root().join("tests/node/node_modules/.bin/taplo");
    assert!(
        taplo.exists(),
        "Taplo is not installed for the schema test: run `npm ci --prefix tests/node` (.ci/run does)"
    );
    let dir = scratch(tag);
    let schema = dir.join("baocao.schema.json");
    std::fs::write(&schema, baocao::schema::json()).expect("write the schema");
    (schema, taplo)
}

/// Taplo's verdict on `file` against `schema`: (passed, what it printed).
fn lint(taplo: &Path, schema: &Path, file: &Path) -> (bool, String) {
    let out = Command::new(taplo)
        .args(["lint", "--no-auto-config", "--colors", "never", "--schema"])
        .arg(format!("file://{}", schema.display()))
        .arg(file)
        .output()
        .expect("run taplo");
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

/// Every data file of the examples and the built-in templates.
fn data_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for folder in ["examples", "templates"] {
        for entry in std::fs::read_dir(root().join(folder))
            .expect("read folder")
            .flatten()
        {
            let data = entry.path().join("bao-cao.toml");
            if data.is_file() {
                files.push(data);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_example_and_builtin_sample_validates() {
    let (schema, taplo) = setup("schema-valid");
    let files = data_files();
    assert!(files.len() >= 9, "found only {files:?}");
    for file in files {
        let (ok, text) = lint(&taplo, &schema, &file);
        assert!(ok, "{} does not validate:\n{text}", file.display());
    }
}

#[test]
fn a_misspelt_key_a_string_for_a_number_and_a_bad_number_are_caught() {
    let (schema, taplo) = setup("schema-invalid");
    let good = std::fs::read_to_string(root().join("examples/bac-kan-2021/bao-cao.toml"))
        .expect("read the example");
    let cases = [
        ("co_quan = ", "co_qaun = ", "co_qaun"),
        (
            "don_vi = \"tỷ đồng\"\nke_hoach = 3240",
            "don_vi = \"tỷ đồng\"\nke_hoach = \"3240\"",
            "3240",
        ),
        ("so = 125", "so = 0", "so"),
    ];
    for (from, to, named) in cases {
        assert!(good.contains(from), "the example has no `{from}`");
        let file = schema.with_file_name(format!("{named}.toml"));
        std::fs::write(&file, good.replacen(from, to, 1)).expect("write");
        let (ok, text) = lint(&taplo, &schema, &file);
        assert!(!ok, "`{to}` passed the schema:\n{text}");
        assert!(
            text.contains(named),
            "Taplo's message does not name `{named}`:\n{text}"
        );
    }
}

/// A `[dinh_dang]` value outside its choices is flagged in the editor, as
/// `baocao` refuses it.
#[test]
fn a_formatting_choice_outside_its_values_is_caught() {
    let (schema, taplo) = setup("schema-choice");
    let good = std::fs::read_to_string(root().join("examples/bac-kan-2021/bao-cao.toml"))
        .expect("read the example");
    assert!(
        !good.contains("[dinh_dang]"),
        "the example has its own [dinh_dang]"
    );
    for (line, ok_expected) in [
        ("kieu_muc = \"I.\"", true),
        ("ket_thuc = \".\"", true),
        ("kieu_muc = \"I)\"", false),
        ("kieu_ngay = \"dd/mm/yyyy\"", false),
    ] {
        let file = schema.with_file_name("choice.toml");
        std::fs::write(&file, format!("{good}\n[dinh_dang]\n{line}\n")).expect("write");
        let (ok, text) = lint(&taplo, &schema, &file);
        assert_eq!(ok, ok_expected, "`{line}`:\n{text}");
    }
}

#[test]
fn a_sheet_reference_validates_and_its_misspelt_key_is_caught() {
    let (schema, taplo) = setup("schema-sheet");
    let good = std::fs::read_to_string(root().join("examples/kt-xh-bang-tinh/bao-cao.toml"))
        .expect("read the example");
    let from = "trang = \"Chỉ tiêu\"";
    assert!(good.contains(from), "the example has no `{from}`");
    let file = schema.with_file_name("trnag.toml");
    std::fs::write(&file, good.replacen(from, "trnag = \"Chỉ tiêu\"", 1)).expect("write");
    let (ok, text) = lint(&taplo, &schema, &file);
    assert!(!ok, "a misspelt `trnag` passed the schema:\n{text}");
}
