//! Every character is drawn or named: symbols Tinos lacks (✓ ★ ① ⇒ …) come
//! from the bundled fallback face, embedded as a subset with its ToUnicode map,
//! in place on the line; a character no face has is an error in PDF/A (the
//! default), and in a plain PDF (`--pdfa khong`) prints as the empty box and
//! reads back as itself (poppler follows `/ActualText`) or as nothing (MuPDF),
//! never as another character; white space the font lacks (a tab) is a space.

use crate::common::*;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

const DATA: &str = "bao-cao.toml";
const TPL: &str = "mau.md.hbs";
const OUT: &str = "ra.pdf";

/// Render the small report with `template` (and `data`, or the small data)
/// in a fresh folder; returns the PDF and what the run printed on stderr.
fn render_with(tag: &str, template: &str, data: Option<&str>) -> (PathBuf, String) {
    render_args(tag, template, data, &[])
}

/// [`render_with`], with more arguments for `render`.
fn render_args(tag: &str, template: &str, data: Option<&str>, more: &[&str]) -> (PathBuf, String) {
    let dir = scratch(tag);
    put(&dir, DATA, data.unwrap_or(SMALL_DATA));
    put(&dir, TPL, template);
    let out = bin()
        .current_dir(&dir)
        .args(["render", DATA, "-o", OUT])
        .args(more)
        .env("CI", "1")
        .output()
        .expect("run baocao");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(0), "render failed:\n{stderr}");
    (dir.join(OUT), stderr)
}

/// The lines of a run's output that are diagnostics.
fn diagnostics(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("lỗi: ") || l.starts_with("cảnh báo: "))
        .collect()
}

/// `pdffonts` rows: (base name without the subset tag, type, emb, sub, uni).
fn fonts_of(pdf: &Path) -> Vec<(String, String, String, String, String)> {
    let out = tool_stdout("pdffonts", &[pdf]);
    out.lines()
        .skip_while(|l| !l.starts_with("----"))
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|row| {
            let cols: Vec<&str> = row.split_whitespace().collect();
            assert!(cols.len() >= 8, "unexpected pdffonts row: {row}");
            let n = cols.len();
            let (prefix, base) = cols[0]
                .split_once('+')
                .unwrap_or_else(|| panic!("font name has no subset tag: {row}"));
            assert!(
                prefix.len() == 6 && prefix.chars().all(|c| c.is_ascii_uppercase()),
                "subset tag must be 6 capitals: {row}"
            );
            (
                base.to_string(),
                cols[1..n - 6].join(" "),
                cols[n - 5].to_string(),
                cols[n - 4].to_string(),
                cols[n - 3].to_string(),
            )
        })
        .collect()
}

fn qpdf_check(pdf: &Path) {
    let out = tool("qpdf", &[OsStr::new("--check"), pdf.as_os_str()]);
    assert!(
        out.status.success(),
        "qpdf --check failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// MuPDF's text of a PDF.
fn mutool_text(pdf: &Path) -> String {
    tool_stdout(
        "mutool",
        &[
            OsStr::new("draw"),
            OsStr::new("-N"),
            OsStr::new("-F"),
            OsStr::new("txt"),
            OsStr::new("-o"),
            OsStr::new("-"),
            pdf.as_os_str(),
        ],
    )
}

const SYMBOLS: &str = "✓ ✔ ★ ☐ ☑ ⇒ ① ② ➢ ❖ Ⅳ ⟹ ■ ◆";

#[test]
fn symbols_come_from_the_fallback_face_in_place_and_read_back_exactly() {
    let template = format!(
        "# I- KẾT QUẢ ★\n\nKý hiệu: {SYMBOLS} hết.\n\n\
         Đậm **x✓y★z** và nghiêng *p⇒q①r*.\n\n\
         | Việc | Xong |\n|---|:-:|\n| Báo cáo ① | ✓ |\n"
    );
    let (pdf, stderr) = render_with("glyphs-symbols", &template, None);
    assert!(diagnostics(&stderr).is_empty(), "warnings:\n{stderr}");
    qpdf_check(&pdf);
    let text = pdftotext(&pdf);
    for want in [
        format!("Ký hiệu: {SYMBOLS} hết."),
        "Đậm x✓y★z và nghiêng p⇒q①r.".to_string(),
        "I- KẾT QUẢ ★".to_string(),
        "Báo cáo ①".to_string(),
    ] {
        assert!(fold(&text).contains(&want), "no {want:?} in:\n{text}");
    }
    // MuPDF reads the fallback's ToUnicode map too.
    let mu = mutool_text(&pdf);
    assert!(
        fold(&mu).contains(&format!("Ký hiệu: {SYMBOLS} hết.")),
        "{mu}"
    );
    // Tinos and the fallback, each embedded as a subset with a ToUnicode map.
    let fonts = fonts_of(&pdf);
    assert!(fonts.iter().any(|f| f.0 == "DejaVuSans"), "{fonts:?}");
    assert!(fonts.iter().any(|f| f.0 == "Tinos-Regular"), "{fonts:?}");
    for (name, ty, emb, sub, uni) in &fonts {
        assert_eq!(ty, "CID TrueType", "{name}");
        assert_eq!((&**emb, &**sub, &**uni), ("yes", "yes", "yes"), "{name}");
    }
    // In place: a symbol starts where the letter before it ends and the
    // letter after it starts where it ends, on the same baseline, in bold or
    // italic runs too (the fallback face is regular for every style).
    let page = &trace_pages(&pdf)[0];
    let g = &page.glyphs;
    for word in ["x✓y★z", "p⇒q①r"] {
        let chars: Vec<String> = word.chars().map(String::from).collect();
        let at = (0..g.len())
            .find(|&i| (0..chars.len()).all(|k| g.get(i + k).is_some_and(|x| x.ch == chars[k])))
            .unwrap_or_else(|| panic!("{word} not drawn in order:\n{}", page.dump()));
        for k in 0..chars.len() - 1 {
            let (a, b) = (&g[at + k], &g[at + k + 1]);
            assert!(
                (a.x_end - b.x).abs() < 0.05 && (a.y - b.y).abs() < 0.01,
                "{word}: {:?} then {:?}",
                a,
                b
            );
            let symbol = k % 2 == 1;
            assert_eq!(a.font == "DejaVuSans", symbol, "{:?}", a);
        }
    }
}

#[test]
fn characters_no_face_has_are_named_and_never_read_back_as_another() {
    let source = "Đối tác: 中国 日本語 và 한국, hết.";
    let template = format!("# I- KẾT QUẢ\n\n{source}\n");
    // A plain PDF: PDF/A (the default) may hold no empty box.
    let (pdf, stderr) = render_args("glyphs-missing", &template, None, &["--pdfa", "khong"]);
    let warned = diagnostics(&stderr);
    assert_eq!(warned.len(), 1, "{stderr}");
    for name in [
        "\"中\" (U+4E2D)",
        "\"国\" (U+56FD)",
        "\"語\" (U+8A9E)",
        "\"국\" (U+AD6D)",
    ] {
        assert!(warned[0].contains(name), "{name} not named:\n{stderr}");
    }
    assert!(warned[0].starts_with("cảnh báo: 7 ký tự"), "{stderr}");
    assert!(stderr.contains("──▶ mau.md.hbs:3:1"), "{stderr}");
    qpdf_check(&pdf);
    // poppler follows /ActualText: the source text, each character itself.
    let text = pdftotext(&pdf);
    assert!(fold(&text).contains(source), "{text}");
    // MuPDF does not: it must then give no character, or the right one.
    let missing: Vec<char> = "中国日本語한국".chars().collect();
    let mu = mutool_text(&pdf);
    let seen: String = mu.chars().filter(|c| missing.contains(c)).collect();
    assert!(seen.is_empty() || seen == "中国日本語한국", "{mu}");
    assert!(mu.contains("Đối tác:") && mu.contains("hết."), "{mu}");
    // The .notdef glyph has no ToUnicode entry.
    let cmaps = to_unicode_maps(&pdf);
    assert!(!cmaps.is_empty());
    for cmap in &cmaps {
        let entries: Vec<&str> = cmap
            .split("beginbfchar")
            .skip(1)
            .filter_map(|s| s.split("endbfchar").next())
            .flat_map(str::lines)
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert!(!entries.is_empty(), "{cmap}");
        assert!(
            !entries.iter().any(|l| l.starts_with("<0000>")),
            "the empty box maps to a character:\n{cmap}"
        );
    }
}

#[test]
fn white_space_the_font_lacks_prints_as_a_space_not_a_box() {
    // A tab in a value printed as it is (the signer's name) is a space.
    let data = SMALL_DATA.replace("ho_ten = \"Nguyễn Văn A\"", "ho_ten = \"Nguyễn Văn\tA\"");
    let (pdf, stderr) = render_with("glyphs-tab", SMALL_TEMPLATE, Some(&data));
    assert!(diagnostics(&stderr).is_empty(), "warnings:\n{stderr}");
    let page = &trace_pages(&pdf)[0];
    let at = page
        .glyphs
        .iter()
        .enumerate()
        .position(|(i, g)| g.ch == "V" && page.glyphs.get(i + 1).is_some_and(|n| n.ch == "ă"))
        .unwrap_or_else(|| panic!("no signer name:\n{}", page.dump()));
    let name: Vec<&str> = page.glyphs[at..at + 5].iter().map(|g| &*g.ch).collect();
    assert_eq!(name, ["V", "ă", "n", " ", "A"], "{}", page.dump());
    let space = &page.glyphs[at + 3];
    assert!(space.x_end - space.x > 2.0, "{space:?}");
}

/// The decoded ToUnicode streams of a PDF (qpdf writes them uncompressed).
fn to_unicode_maps(pdf: &Path) -> Vec<String> {
    let qdf = pdf.with_extension("qdf.pdf");
    let out = tool(
        "qpdf",
        &[
            OsStr::new("--qdf"),
            OsStr::new("--object-streams=disable"),
            pdf.as_os_str(),
            qdf.as_os_str(),
        ],
    );
    assert!(out.status.success(), "qpdf --qdf failed");
    let bytes = std::fs::read(&qdf).expect("read the qdf file");
    let all = String::from_utf8_lossy(&bytes);
    all.split("begincmap")
        .skip(1)
        .filter_map(|s| s.split("endcmap").next())
        .map(str::to_string)
        .collect()
}
