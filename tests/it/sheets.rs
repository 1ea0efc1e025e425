//! Figures read straight from spreadsheets (`bang_tinh`): the indicator table of
//! the built-in `kt-xh-nam` read from XLSX, ODS and CSV files made by real
//! spreadsheet libraries (`tests/fixtures/sheets/make.py`) gives the same PDF,
//! byte for byte, as the same figures typed in TOML. The errors are in
//! `errors/sheets.toml`.

use crate::common::*;
use std::path::{Path, PathBuf};

/// The `kt-xh-nam` data file with its `[[chi_tieu]]` blocks taken out and
/// `chi_tieu = <reference>` put after `mau`.
fn data_reading(reference: &str) -> String {
    let toml = std::fs::read_to_string(root().join("templates/kt-xh-nam/bao-cao.toml"))
        .expect("read kt-xh-nam data");
    let cut = toml
        .find("\n[[chi_tieu]]")
        .expect("the data has [[chi_tieu]]");
    let head = &toml[..cut];
    let mau = head.find("\n[").expect("a table after mau");
    format!(
        "{}\nchi_tieu = {reference}\n{}\n",
        &head[..mau],
        &head[mau..]
    )
}

/// A folder with the built-in `kt-xh-nam` (template, partials, data).
fn kt_xh_nam(tag: &str) -> PathBuf {
    copy_dir(&root().join("templates/kt-xh-nam"), tag)
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/sheets").join(name)
}

/// Render `data` (written as `name` in `dir`) and return the PDF's bytes.
fn render_bytes(dir: &Path, name: &str, data: &str) -> Vec<u8> {
    put(dir, name, data);
    let pdf = render(&dir.join(name), dir);
    std::fs::read(pdf).expect("read PDF")
}

const XLSX_REF: &str = r#"{ bang_tinh = "chi-tieu.xlsx", trang = "Chỉ tiêu", tu_dong = 3, cot = { "Tên chỉ tiêu" = "ten", "Đơn vị tính" = "don_vi" } }"#;
const CSV_REF: &str =
    r#"{ bang_tinh = "chi-tieu.csv", cot = { "Tên chỉ tiêu" = "ten", "Đơn vị tính" = "don_vi" } }"#;

#[test]
fn xlsx_ods_and_csv_give_the_toml_reports_pdf_byte_for_byte() {
    let dir = kt_xh_nam("sheets-same");
    let typed = render(&dir.join("bao-cao.toml"), &dir);
    let typed_bytes = std::fs::read(&typed).expect("read PDF");
    // The table is really there: figures, a group, a computed percentage.
    let text = fold(&pdftotext(&typed));
    for want in [
        "9.912,4",
        "I. Kinh tế",
        "Thiệt hại do bão số 3",
        "Tỷ lệ hộ nghèo",
    ] {
        assert!(text.contains(want), "{want} not in the typed report");
    }
    for file in ["chi-tieu.xlsx", "chi-tieu.ods", "chi-tieu.csv"] {
        std::fs::copy(fixture(file), dir.join(file)).expect("copy fixture");
        let reference = if file.ends_with(".csv") {
            CSV_REF.to_string()
        } else {
            XLSX_REF.replace("chi-tieu.xlsx", file)
        };
        let stem = file.replace('.', "-");
        let bytes = render_bytes(&dir, &format!("{stem}.toml"), &data_reading(&reference));
        assert!(
            bytes == typed_bytes,
            "{file}: the PDF differs from the one typed in TOML ({} and {} bytes)",
            bytes.len(),
            typed_bytes.len()
        );
    }
}

#[test]
fn a_range_reads_only_its_cells() {
    let dir = kt_xh_nam("sheets-range");
    std::fs::copy(fixture("chi-tieu.xlsx"), dir.join("chi-tieu.xlsx")).expect("copy");
    // Rows 3 (header) to 6: the first three indicators, columns A to G.
    let reference = r#"{ bang_tinh = "chi-tieu.xlsx", trang = "Chỉ tiêu", vung = "A3:G6", cot = { "Tên chỉ tiêu" = "ten", "Đơn vị tính" = "don_vi" } }"#;
    put(&dir, "vung.toml", data_reading(reference));
    let markup = emit_markup(&dir.join("vung.toml"));
    assert!(markup.contains("Giá trị sản xuất công nghiệp - tiểu thủ công nghiệp"));
    assert!(
        !markup.contains("Tổng mức bán lẻ"),
        "row 7 is outside A3:G6"
    );
    // Column H (Ghi chú) is outside: its note is not in the table.
    assert!(!markup.contains("Thiệt hại do bão số 3"));
}

#[test]
fn kiem_tra_checks_the_sheet() {
    let dir = kt_xh_nam("sheets-check");
    std::fs::copy(fixture("loi-cong-thuc.xlsx"), dir.join("chi-tieu.xlsx")).expect("copy");
    put(&dir, "bao-cao.toml", data_reading(XLSX_REF));
    let run = bin()
        .current_dir(&dir)
        .args(["kiem-tra", "bao-cao.toml"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(err.contains("──▶ chi-tieu.xlsx › Chỉ tiêu › E7"), "{err}");
    assert!(err.contains("#DIV/0!"), "{err}");
    assert!(err.contains("──▶ chi-tieu.xlsx › Chỉ tiêu › F9"), "{err}");
    assert!(err.contains("#REF!"), "{err}");
}

#[test]
fn a_sheet_larger_than_64_mb_is_refused_before_it_is_read() {
    let dir = scratch("sheets-big");
    put(
        &dir,
        "bao-cao.toml",
        SMALL_DATA.replace(
            "mau = \"mau.md.hbs\"",
            "mau = \"mau.md.hbs\"\nchi_tieu = { bang_tinh = \"so-lieu.xlsx\" }",
        ),
    );
    put(&dir, "mau.md.hbs", SMALL_TEMPLATE);
    // A sparse file: 64 MiB + 1 byte that take no room on the disk.
    let f = std::fs::File::create(dir.join("so-lieu.xlsx")).expect("create");
    f.set_len((64 << 20) + 1).expect("set length");
    let run = bin()
        .current_dir(&dir)
        .args(["render", "bao-cao.toml", "-o", "ra.pdf"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{err}");
    assert!(
        err.starts_with(
            "lỗi: không đọc được tệp bảng tính \"so-lieu.xlsx\": tệp quá lớn (tối đa 64 MB)\n  ──▶ bao-cao.toml:2:26\n"
        ),
        "{err}"
    );
    assert!(!dir.join("ra.pdf").exists());
}

#[test]
fn each_unit_may_read_its_own_sheet() {
    let dir = scratch("sheets-units");
    let data = format!(
        "{}\nchi_tieu = {{ bang_tinh = \"chung.csv\" }}\n{}\n[[don_vi]]\nten_tep = \"xa-a\"\nchi_tieu = {{ bang_tinh = \"xa-a.csv\" }}\n\n[[don_vi]]\nten_tep = \"xa-b\"\n",
        "mau = \"mau.md.hbs\"",
        SMALL_DATA.trim_start_matches("mau = \"mau.md.hbs\"\n")
    );
    put(&dir, "bao-cao.toml", data);
    put(
        &dir,
        "mau.md.hbs",
        "# I- KẾT QUẢ\n\n{{#each chi_tieu}}\n{{ten}}: {{so ke_hoach}}.\n\n{{/each}}\n",
    );
    put(&dir, "chung.csv", "Tên,Kế hoạch\nChung,1.5\n");
    put(&dir, "xa-a.csv", "Tên,Kế hoạch\nRiêng xã A,2.25\n");
    let out = scratch("sheets-units-out");
    let run = bin()
        .current_dir(&dir)
        .args(["render", "bao-cao.toml", "-o"])
        .arg(format!("{}/", out.display()))
        .output()
        .expect("run");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let a = fold(&pdftotext(&out.join("xa-a.pdf")));
    let b = fold(&pdftotext(&out.join("xa-b.pdf")));
    assert!(
        a.contains("Riêng xã A: 2,25.") && !a.contains("Chung"),
        "{a}"
    );
    assert!(b.contains("Chung: 1,5.") && !b.contains("Riêng"), "{b}");
}

#[test]
fn dates_arrive_as_dates_and_empty_cells_as_missing_values() {
    let dir = scratch("sheets-dates");
    std::fs::copy(fixture("ngay.xlsx"), dir.join("ngay.xlsx")).expect("copy");
    let data = SMALL_DATA.replace(
        "mau = \"mau.md.hbs\"",
        "mau = \"mau.md.hbs\"\nvan_ban_den = { bang_tinh = \"ngay.xlsx\" }",
    );
    put(&dir, "bao-cao.toml", data);
    put(
        &dir,
        "mau.md.hbs",
        "# I- KẾT QUẢ\n\n{{#each van_ban_den}}\n{{this.so_hieu}}: {{ngay_ban_hanh}}, {{ngay_ngan ngay_ban_hanh}}, {{#if so_trang}}{{so_trang}} trang{{else}}chưa rõ số trang{{/if}}.\n\n{{/each}}\n",
    );
    let markup = emit_markup(&dir.join("bao-cao.toml"));
    assert!(
        markup.contains("2150/SKHĐT-TH: 2024-11-15, 15-11-2024, 3 trang."),
        "{markup}"
    );
    // A date with no time of day is a date; the empty cell is no value (not 0).
    assert!(
        markup.contains("412/BC-UBND: 2024-12-05, 05-12-2024, chưa rõ số trang."),
        "{markup}"
    );
}

#[test]
fn a_range_leaves_a_stray_cell_far_away_out() {
    let dir = kt_xh_nam("sheets-stray");
    std::fs::copy(fixture("loi-o-xa.xlsx"), dir.join("chi-tieu.xlsx")).expect("copy");
    let reference = XLSX_REF.replace("tu_dong = 3", "vung = \"A3:I\"");
    let typed = render(&dir.join("bao-cao.toml"), &dir);
    let bytes = render_bytes(&dir, "vung.toml", &data_reading(&reference));
    assert!(
        bytes == std::fs::read(typed).expect("read"),
        "the PDF differs"
    );
}

#[test]
fn a_header_maps_to_its_normalised_key_or_to_the_key_cot_gives() {
    let dir = scratch("sheets-keys");
    put(
        &dir,
        "bao-cao.toml",
        SMALL_DATA.replace(
            "mau = \"mau.md.hbs\"",
            "mau = \"mau.md.hbs\"\nbang = { bang_tinh = \"so-lieu.csv\", cot = { ten_chi_tieu = \"ten\" } }",
        ),
    );
    put(
        &dir,
        "mau.md.hbs",
        "# I- KẾT QUẢ\n\n{{#each bang}}\n{{ten}} | {{ke_hoach_nam_toi}} | {{don_vi_tinh}} | {{this.ty_le}}\n\n{{/each}}\n",
    );
    put(
        &dir,
        "so-lieu.csv",
        "Tên chỉ tiêu;Kế hoạch năm tới;  Đơn vị tính ;Tỷ lệ (%)\nThu ngân sách;205;tỷ đồng;110.4\n",
    );
    let markup = emit_markup(&dir.join("bao-cao.toml"));
    assert!(
        markup.contains("Thu ngân sách | 205 | tỷ đồng | 110,4"),
        "{markup}"
    );
}
