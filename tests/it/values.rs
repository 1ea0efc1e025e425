//! Data values print as typed: a value never changes the structure of the
//! markup it is put in (a line break stays inside its paragraph or cell, markup
//! characters print as characters), numbers keep every digit the author typed,
//! and a number put in `{{…}}` without a helper prints the Vietnamese way with a
//! warning at its `{{`. Read back from the PDF with MuPDF's trace device.

use crate::common::*;
use std::path::PathBuf;

/// The small report's header and signer, with `data` after them and the body
/// template `template`; rendered in a fresh folder.
struct Run {
    pdf: PathBuf,
    stderr: String,
    pages: Vec<Page>,
}

fn run(tag: &str, data: &str, template: &str) -> Run {
    let data = format!("{}\n{data}", report_head!());
    let (pdf, stderr) = render_files(tag, &[("bao-cao.toml", &data), ("mau.md.hbs", template)]);
    let pages = trace_pages(&pdf);
    Run { pdf, stderr, pages }
}

impl Run {
    /// Every line of text of the body's pages, in order.
    fn lines(&self) -> Vec<String> {
        self.pages
            .iter()
            .flat_map(|p| p.lines())
            .map(|l| l.text())
            .collect()
    }
    /// The first ruled table of the first page.
    fn table(&self) -> TableGrid {
        let page = self.pages.first().expect("a page");
        read_tables(page).into_iter().next().expect("a table")
    }
}

/// A TOML basic string holding `s`.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

#[test]
fn a_line_break_in_a_cell_stays_inside_the_cell() {
    let r = run(
        "values-cell-break",
        "[o]\nhai_dong = \"dòng một\\ndòng hai\"\n",
        "# I- KẾT QUẢ\n\n| Cột A | Cột B | Cột C |\n|---|---|---|\n| a1 | {{o.hai_dong}} | c1 |\n| a2 | b2 | c2 |\n",
    );
    let t = r.table();
    assert_eq!(t.band_count(), 3, "header and two rows:\n{t:#?}");
    assert_eq!(t.band_texts(0), ["Cột A", "Cột B", "Cột C"]);
    assert_eq!(t.band_texts(1), ["a1", "dòng một dòng hai", "c1"]);
    assert_eq!(t.band_texts(2), ["a2", "b2", "c2"]);
    let cell = t.band(1)[1];
    let lines: Vec<String> = cell.lines().iter().map(Line::text).collect();
    assert_eq!(lines, ["dòng một", "dòng hai"], "two lines in one cell");
}

#[test]
fn a_line_break_in_a_paragraph_value_is_a_line_break() {
    let r = run(
        "values-paragraph-break",
        "[o]\nghi_chu = \"\"\"\nDòng thứ nhất.\nDòng thứ hai.\n\"\"\"\n",
        "# I- KẾT QUẢ\n\nGhi chú: {{o.ghi_chu}} Hết.\n\n{{o.ghi_chu}}\n",
    );
    let lines = r.lines();
    let at = |needle: &str| {
        lines
            .iter()
            .position(|l| l == needle)
            .unwrap_or_else(|| panic!("no line {needle:?} in {lines:#?}"))
    };
    // The value's last line end (before `"""`) is not a line break of its own.
    let first = at("Ghi chú: Dòng thứ nhất.");
    assert_eq!(lines[first + 1], "Dòng thứ hai. Hết.");
    let alone = at("Dòng thứ nhất.");
    assert_eq!(lines[alone + 1], "Dòng thứ hai.");
}

/// Values that are markup when typed in a template.
const MARKUP: [&str; 18] = [
    "| a",
    "\\pagebreak",
    "> b",
    "# c",
    "- d",
    "1. e",
    "2) f",
    "a\\b",
    "g\\",
    "*h* _i_",
    "[j](k)",
    "<l>",
    "&amp;",
    "`m`",
    "~~n~~",
    "+ o",
    "= p",
    "x | y \\| z",
];

#[test]
fn markup_characters_in_values_print_as_typed() {
    let data: String = MARKUP
        .iter()
        .enumerate()
        .map(|(i, v)| format!("v{i} = {}\n", quoted(v)))
        .collect();
    let paragraphs: String = (0..MARKUP.len())
        .map(|i| format!("{{{{o.v{i}}}}}\n\n"))
        .collect();
    let r = run(
        "values-markup-paragraphs",
        &format!("[o]\n{data}"),
        &format!("# I- KẾT QUẢ\n\n{paragraphs}"),
    );
    // The body's lines, page numbers left out.
    let lines: Vec<String> = r
        .lines()
        .into_iter()
        .filter(|l| !l.chars().all(|c| c.is_ascii_digit()))
        .collect();
    let body = lines
        .iter()
        .position(|l| l == "I- KẾT QUẢ")
        .expect("the heading");
    let printed: Vec<&str> = lines[body + 1..=body + MARKUP.len()]
        .iter()
        .map(String::as_str)
        .collect();
    assert_eq!(printed, MARKUP, "one paragraph per value, as typed");
    let first_page: Vec<String> = r.pages[0].lines().iter().map(Line::text).collect();
    assert!(
        first_page.iter().any(|l| l == "> b"),
        "`\\pagebreak` in a value breaks no page: {first_page:#?}"
    );

    let rows: String = (0..MARKUP.len())
        .map(|i| format!("| {i} | {{{{o.v{i}}}}} | x |\n"))
        .collect();
    let r = run(
        "values-markup-cells",
        &format!("[o]\n{data}"),
        &format!("# I- KẾT QUẢ\n\n| TT | Giá trị | Khác |\n|---|---|---|\n{rows}"),
    );
    // The rows on every page (the header repeats on each).
    let rows: Vec<Vec<String>> = r
        .pages
        .iter()
        .flat_map(read_tables)
        .flat_map(|t| (1..t.band_count()).map(move |b| t.band_texts(b)))
        .collect();
    assert_eq!(rows.len(), MARKUP.len(), "{rows:#?}");
    for (i, v) in MARKUP.iter().enumerate() {
        assert_eq!(rows[i], [i.to_string().as_str(), v, "x"], "row {i}");
    }
}

#[test]
fn numbers_keep_every_digit_typed() {
    let r = run(
        "values-exact-numbers",
        "[o]\na = 12345678901234.567\nb = 9007199254740993.0\nc = 1234567890123456789.12\n\
         d = 1_234_567\ne = 0xff\nf = 0.1234567890123456789012345678\n",
        "# I- KẾT QUẢ\n\nA {{so o.a}}; B {{so o.b}}; C {{so o.c chu_so=2}}; D {{so o.d}}; \
         E {{so o.e}}; F {{so o.f}}.\n",
    );
    let text = fold(&r.lines().join(" "));
    for want in [
        "A 12.345.678.901.234,567;",
        "B 9.007.199.254.740.993;",
        "C 1.234.567.890.123.456.789,12;",
        "D 1.234.567;",
        "E 255;",
        "F 0,1234567890123456789012345678.",
    ] {
        assert!(text.contains(want), "{want:?} not in {text:?}");
    }
}

#[test]
fn a_number_without_a_helper_prints_the_vietnamese_way_with_a_warning_at_its_place() {
    let template =
        "# I- KẾT QUẢ\n\nNăm {{o.nam}}, bán lẻ {{o.ban_le}} tỷ đồng, dân số {{o.dan_so}}.\n\n\
                    {{#each o.xa}}{{cong @index 1}}. {{ten}}: {{{dien_tich}}} ha\n\n{{/each}}";
    let r = run(
        "values-raw-numbers",
        "[o]\nnam = 2021\nban_le = 3045.35\ndan_so = 158300\n\
         [[o.xa]]\nten = \"Xã A\"\ndien_tich = 12.5\n[[o.xa]]\nten = \"Xã B\"\ndien_tich = 40\n",
        template,
    );
    let text = fold(&r.lines().join(" "));
    for want in [
        "Năm 2021, bán lẻ 3.045,35 tỷ đồng, dân số 158.300.",
        "1. Xã A: 12,5 ha",
        "2. Xã B: 40 ha",
    ] {
        assert!(text.contains(want), "{want:?} not in {text:?}");
    }
    let stderr = &r.stderr;
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("cảnh báo:"))
        .collect();
    assert_eq!(
        warnings,
        [
            "cảnh báo: số 3045.35 được in thành 3.045,35 (cách viết số của Việt Nam: dấu chấm ngăn cách hàng nghìn, dấu phẩy thập phân)",
            "cảnh báo: số 158300 được in thành 158.300 (cách viết số của Việt Nam: dấu chấm ngăn cách hàng nghìn, dấu phẩy thập phân)",
            "cảnh báo: số 12.5 được in thành 12,5 (cách viết số của Việt Nam: dấu chấm ngăn cách hàng nghìn, dấu phẩy thập phân)",
        ],
        "{stderr}"
    );
    // Each at its `{{`, the year and the counts not at all.
    let places: Vec<&str> = stderr.lines().filter(|l| l.contains("──▶")).collect();
    let at = |needle: &str| {
        let (l, c) = locate(template, needle, 0);
        format!("──▶ mau.md.hbs:{l}:{c}")
    };
    assert_eq!(places.len(), 3, "{stderr}");
    assert!(places[0].ends_with(&at("{{o.ban_le}}")), "{stderr}");
    assert!(places[1].ends_with(&at("{{o.dan_so}}")), "{stderr}");
    assert!(places[2].ends_with(&at("{{{dien_tich}}}")), "{stderr}");
    assert!(
        stderr.contains("gợi ý: viết {{so o.ban_le}} để tự chọn cách in"),
        "{stderr}"
    );
    assert!(r.pdf.is_file());
}

#[test]
fn the_indicator_table_keeps_markup_and_line_breaks_in_its_cells() {
    let r = run(
        "values-indicators",
        "[[chi_tieu]]\nten = \"Thu | chi\"\ndon_vi = \"tỷ\\nđồng\"\nke_hoach = 100\nthuc_hien = 120\n\
         [[chi_tieu]]\nten = \"> Khác\"\ndon_vi = \"%\"\nthuc_hien = 5\n",
        "# I- KẾT QUẢ\n\n{{{bang_chi_tieu chi_tieu}}}\n",
    );
    let t = r.table();
    assert_eq!(t.band_count(), 3, "{t:#?}");
    let row = t.band_texts(1);
    assert_eq!(&row[..5], ["1", "Thu | chi", "tỷ đồng", "100", "120"]);
    let unit: Vec<String> = t.band(1)[2].lines().iter().map(Line::text).collect();
    assert_eq!(unit, ["tỷ", "đồng"]);
    assert_eq!(&t.band_texts(2)[..2], ["2", "> Khác"]);
}
