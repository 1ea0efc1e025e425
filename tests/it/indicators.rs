//! Indicators that agree everywhere. A `[[chi_tieu]]` row
//! typed in đồng is printed in tỷ by the table and cited by its code in the
//! prose in triệu and in đồng: every place prints the digits of one
//! computation. A lower-is-better row is compared by its reduction and in
//! percentage points, and judged downwards. `{{so x quy_doi=…}}` rounds to the
//! unit's customary precision. Read back from the PDF with MuPDF's trace device.

use crate::common::*;

/// A revenue row typed in đồng (rounded to 52,35 tỷ first, its ratios would print
/// 116,33 and 111,1), and a poor-household rate where lower is better.
const DATA: &str = r#"
[[chi_tieu]]
nhom = "I. Kinh tế"
ma = "thu_ngan_sach"
ten = "Thu ngân sách nhà nước trên địa bàn"
quy_doi = "ty"
ke_hoach = 45000000000
thuc_hien = 52345678000
cung_ky = 47120000000

[[chi_tieu]]
nhom = "II. Xã hội"
ma = "ho_ngheo"
ten = "Tỷ lệ hộ nghèo"
don_vi = "%"
ke_hoach = 3.5
thuc_hien = 3.21
cung_ky = 4.37
giam_la_tot = true
"#;

const TEMPLATE: &str = r#"# I- KẾT QUẢ

Thu ngân sách nhà nước trên địa bàn ước đạt {{chi_tieu "thu_ngan_sach" "thuc_hien" quy_doi="trieu"}} {{chi_tieu "thu_ngan_sach" "don_vi" quy_doi="trieu"}}, bằng {{chi_tieu "thu_ngan_sach" "so_ke_hoach"}} dự toán, {{chi_tieu "thu_ngan_sach" "tang_giam"}} so với cùng kỳ.

{{{bang_chi_tieu chi_tieu}}}

Tính bằng đồng, số thu là {{chi_tieu "thu_ngan_sach" "thuc_hien" quy_doi="dong"}} đồng, bằng {{chi_tieu "thu_ngan_sach" "so_cung_ky"}} cùng kỳ và {{chi_tieu "thu_ngan_sach" "so_ke_hoach"}} dự toán, {{chi_tieu "thu_ngan_sach" "danh_gia"}} dự toán. Tỷ lệ hộ nghèo còn {{chi_tieu "ho_ngheo" "thuc_hien"}}%, {{chi_tieu "ho_ngheo" "so_cung_ky"}}, {{chi_tieu "ho_ngheo" "danh_gia"}} kế hoạch (mức giảm bằng {{chi_tieu "ho_ngheo" "so_ke_hoach"}} mức giảm kế hoạch). Viết tay: {{so 52345678000 quy_doi="ty"}} tỷ đồng, {{so 52345678000 quy_doi="trieu"}} triệu đồng.
"#;

struct Report {
    /// Body text, lines joined by spaces.
    text: String,
    table: TableGrid,
}

fn render_report(tag: &str) -> Report {
    let data = format!("{}\n{DATA}", report_head!());
    let (pdf, stderr) = render_files(tag, &[("bao-cao.toml", &data), ("mau.md.hbs", TEMPLATE)]);
    assert!(!stderr.contains("cảnh báo"), "{stderr}");
    let pages = trace_pages(&pdf);
    let text = pages
        .iter()
        .flat_map(|p| p.lines())
        .map(|l| l.text())
        .collect::<Vec<_>>()
        .join(" ");
    let page = pages.first().expect("a page");
    let table = read_tables(page).into_iter().next().expect("a table");
    Report { text, table }
}

#[test]
fn one_indicator_prints_the_same_digits_in_the_table_and_in_prose_in_three_units() {
    let r = render_report("indicators-agree");
    let t = &r.table;
    assert_eq!(t.band_count(), 5, "header, two groups, two rows:\n{t:#?}");
    let revenue = t.band_texts(2);
    assert_eq!(
        revenue,
        [
            "1",
            "Thu ngân sách nhà nước trên địa bàn",
            "tỷ đồng",
            "45",
            "52,346",
            "116,32",
            "111,09"
        ]
    );
    // The prose cites the same row twice, in triệu and in đồng, and prints the
    // table's percentages digit for digit.
    let (vs_plan, vs_last) = (&revenue[5], &revenue[6]);
    for want in [
        format!("ước đạt 52.345,7 triệu đồng, bằng {vs_plan}% dự toán, tăng 11,09% so với cùng kỳ."),
        format!("số thu là 52.345.678.000 đồng, bằng {vs_last}% cùng kỳ và {vs_plan}% dự toán, vượt dự toán."),
        "Viết tay: 52,346 tỷ đồng, 52.345,7 triệu đồng.".to_string(),
    ] {
        assert!(r.text.contains(&want), "{want:?} not in {:?}", r.text);
    }
    // Ratios of the figures as typed, not of the rounded ones.
    for wrong in ["116,33", "111,1%", "52,345678"] {
        assert!(!r.text.contains(wrong), "{wrong} in {:?}", r.text);
    }
}

#[test]
fn a_lower_is_better_rate_is_compared_by_its_reduction_and_in_points() {
    let r = render_report("indicators-lower");
    let t = &r.table;
    assert_eq!(t.band_texts(3)[0], "II. Xã hội");
    let poor = t.band_texts(4);
    assert_eq!(
        poor,
        [
            "1",
            "Tỷ lệ hộ nghèo",
            "%",
            "3,5",
            "3,21",
            "133,33",
            "giảm 1,16 điểm phần trăm"
        ]
    );
    let want = format!(
        "Tỷ lệ hộ nghèo còn 3,21%, {}, vượt kế hoạch (mức giảm bằng {}% mức giảm kế hoạch).",
        poor[6], poor[5]
    );
    assert!(r.text.contains(&want), "{want:?} not in {:?}", r.text);
    // What the table printed before: thuc_hien / ke_hoach and / cung_ky.
    for wrong in ["91,71", "73,46"] {
        assert!(!r.text.contains(wrong), "{wrong} in {:?}", r.text);
    }
}
