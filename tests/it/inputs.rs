//! Unusual but valid input text renders fine: a byte-order mark and CRLF line
//! ends, decomposed (NFD) letters and stray no-break spaces come out as NFC text
//! with single spaces.

use crate::common::*;
use std::path::Path;

const DATA: &str = "bao-cao.toml";
const TPL: &str = "mau.md.hbs";
const OUT: &str = "ra.pdf";

/// Render `bao-cao.toml` to `ra.pdf` in `dir`; returns the PDF's text after
/// checking that the run succeeded without a warning or an error.
fn render_clean(dir: &Path, what: &str) -> String {
    let out = bin()
        .current_dir(dir)
        .args(["render", DATA, "-o", OUT])
        .env("CI", "1")
        .output()
        .expect("run baocao");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "render failed:\n{stderr}");
    let diagnostics: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("lỗi: ") || l.starts_with("cảnh báo: "))
        .collect();
    assert!(
        diagnostics.is_empty(),
        "warnings or errors for {what}:\n{stderr}"
    );
    pdftotext(&dir.join(OUT))
}

#[test]
fn bom_and_crlf_render_fine() {
    let dir = scratch("bom-crlf");
    put(
        &dir,
        DATA,
        format!("\u{feff}{}", SMALL_DATA.replace('\n', "\r\n")),
    );
    put(
        &dir,
        TPL,
        format!("\u{feff}{}", SMALL_TEMPLATE.replace('\n', "\r\n")),
    );
    let text = render_clean(&dir, "a BOM/CRLF file");
    assert!(
        fold(&text).contains(SMALL_BODY) && fold(&text).contains("Nguyễn Văn A"),
        "the body or the signer is missing:\n{text}"
    );
    assert!(
        !text.contains('\u{feff}') && !text.contains('\r'),
        "BOM or CR in the PDF text"
    );
}

#[test]
fn nfd_and_stray_nbsp_come_out_nfc_with_single_spaces() {
    let dir = scratch("nfd");
    let nfd = |s: &str| -> String {
        use unicode_normalization::UnicodeNormalization;
        s.nfd().collect()
    };
    let data = SMALL_DATA
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
    let text = render_clean(&dir, "NFD text and no-break spaces");
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
