//! Tests of the template helpers (`helpers::tests`): every
//! helper rendered through Handlebars in strict mode, on data parsed from
//! TOML the way the loader does (numbers keep their exact text).

use std::sync::Arc;

use handlebars::Handlebars;
use serde_json::Value;

use super::register;
use crate::vn::Settings;

fn hb_with(settings: Settings) -> Handlebars<'static> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(handlebars::no_escape);
    register(&mut hb, Arc::new(settings));
    hb
}

fn state() -> Settings {
    Settings {
        number_style: "nha-nuoc".into(),
        date_style: "d/m/yyyy".into(),
        ..Settings::default()
    }
}

const DATA: &str = r#"
th = 3250
ck = 3045.35
kh = 3200
a = 200.01
b = 200
hs = 145
tong_hs = 250
ti_le = 96.3
ho_ngheo_cu = 5.2
ho_ngheo_moi = 1.33
thu = 158.3
lon = 1e20
chuoi_so = "3250"
chuoi = "abc"
ngay_bc = "2021-03-05"
ngay_qd = "2022-01-18"
ngay_sai = "2023-02-30"
so_dn = 2
khoa = 25
so_vb = 5
muc = [ { ten = "A", gia_tri = 1.1 }, { ten = "B", gia_tri = 2.2 }, { ten = "C" } ]
muc_du = [ { gia_tri = 1.1 }, { gia_tri = 2.2 } ]
so_lieu = [ 0.1, 0.2 ]
can_bo = [
  { ho_ten = "Nguyễn Văn An" },
  { ho_ten = "Trần Thị Bình" },
  { ho_ten = "Lê Văn Bình" },
  { ho_ten = "Phạm Thị Ánh" },
  { ho_ten = "Đỗ Anh" },
]
ten = ["Hà", "Dung", "Đào"]
"#;

fn data() -> Value {
    toml::from_str(DATA).unwrap()
}

fn render_with(settings: Settings, tpl: &str) -> Result<String, handlebars::RenderError> {
    hb_with(settings).render_template(tpl, &data())
}

fn r(tpl: &str) -> String {
    render_with(Settings::default(), tpl).unwrap_or_else(|e| panic!("{tpl}: {e}"))
}

fn err(tpl: &str) -> String {
    match render_with(Settings::default(), tpl) {
        Ok(out) => panic!("{tpl} rendered {out:?}, expected an error"),
        Err(e) => e.reason().to_string(),
    }
}

#[test]
fn data_numbers_keep_their_exact_text() {
    let d = data();
    assert_eq!(d["ck"].to_string(), "3045.35");
    assert_eq!(d["thu"].to_string(), "158.3");
}

#[test]
fn numbers() {
    assert_eq!(r("{{so th}}"), "3.250");
    assert_eq!(r("{{so thu}}"), "158,3");
    assert_eq!(r("{{so 7175.4}}"), "7.175,4");
    assert_eq!(r("{{so ck chu_so=1}}"), "3.045,4");
    assert_eq!(r("{{so 2.345 chu_so=2}}"), "2,35");
    assert_eq!(r("{{so 2.5 chu_so=2}}"), "2,5");
    assert_eq!(r("{{so lon}}"), "100.000.000.000.000.000.000");
    assert_eq!(
        r("{{so 158300000000 quy_doi=\"ty\"}} tỷ đồng"),
        "158,3 tỷ đồng"
    );
    assert_eq!(r("{{dem so_dn}} doanh nghiệp"), "02 doanh nghiệp");
    assert_eq!(r("{{dem 16}} sản phẩm"), "16 sản phẩm");
    assert_eq!(r("khóa {{la_ma khoa}}"), "khóa XXV");
    assert_eq!(r("quý {{la_ma 4}}"), "quý IV");
    let keep = Settings {
        keep_trailing_zeros: true,
        ..Settings::default()
    };
    assert_eq!(render_with(keep, "{{so 2.5 chu_so=2}}").unwrap(), "2,50");
    let no_pad = Settings {
        pad_counts: false,
        ..Settings::default()
    };
    assert_eq!(render_with(no_pad, "{{dem 2}}").unwrap(), "2");
}

#[test]
fn heading_numbers_and_the_ending_follow_the_profile() {
    // Party (the default): "II- KẾT QUẢ", ending "./.".
    assert_eq!(r("# {{so_muc 2}} KẾT QUẢ"), "# II- KẾT QUẢ");
    assert_eq!(r("# {{so_muc khoa}} X"), "# XXV- X");
    assert_eq!(r("của Ban Thường vụ{{ket_thuc}}"), "của Ban Thường vụ./.");
    let state = Settings {
        heading_style: "I.".into(),
        ..state()
    };
    assert_eq!(
        render_with(state, "# {{so_muc 2}} KẾT QUẢ").unwrap(),
        "# II. KẾT QUẢ"
    );
    let party_05 = Settings {
        ending: ".".into(),
        ..Settings::default()
    };
    assert_eq!(render_with(party_05, "vụ{{ket_thuc}}").unwrap(), "vụ.");
    assert!(err("{{so_muc 0}}").contains("La Mã"));
    assert!(err("{{so_muc \"II\"}}").contains("so_muc"));
    assert!(err("{{ket_thuc 1}}").contains("ket_thuc"));
    // Only the two forms each.
    let wrong = Settings {
        heading_style: "I)".into(),
        ending: "..".into(),
        ..Settings::default()
    };
    assert!(wrong.validate().unwrap_err().0.contains("kieu_muc"));
}

#[test]
fn percents_and_comparisons() {
    assert_eq!(r("{{phan_tram th ck}}"), "106,72%");
    assert_eq!(r("{{phan_tram hs tong_hs}}"), "58%");
    assert_eq!(r("{{phan_tram a b}}"), "100,01%");
    assert_eq!(r("{{phan_tram th kh}}"), "101,56%");
    assert_eq!(r("{{phan_tram th ck chu_so=0}}"), "107%");
    assert_eq!(r("{{ty_le ti_le}}"), "96,3%");
    assert_eq!(r("{{tang_giam th ck}}"), "tăng 6,72%");
    assert_eq!(r("{{tang_giam 40.154 55.088}}"), "giảm 27,11%");
    assert_eq!(r("{{tang_giam 5 5}}"), "bằng cùng kỳ");
    assert_eq!(r("{{gap_lan 212 100}}"), "gấp 2,12 lần");
    assert_eq!(
        r("{{diem_phan_tram ho_ngheo_moi ho_ngheo_cu}}"),
        "giảm 3,87 điểm phần trăm"
    );
    assert_eq!(r("{{danh_gia th kh}}"), "vượt");
    assert_eq!(r("{{danh_gia 100 100}}"), "đạt");
    assert_eq!(
        r("{{phan_tram 99.995 100}} ({{danh_gia 99.995 100}})"),
        "100% (không đạt)"
    );
    assert_eq!(r("{{xap_xi 915.6}} tỷ đồng"), "gần 916 tỷ đồng");
    assert_eq!(r("{{xap_xi 51.3}}%"), "hơn 51%");
    assert_eq!(r("{{xap_xi 51}}"), "51");
    assert_eq!(r("{{xap_xi 51.34 chu_so=1}}"), "hơn 51,3");
}

#[test]
fn words_and_money() {
    assert_eq!(r("{{bang_chu 1001}}"), "một nghìn không trăm linh một");
    assert_eq!(r("{{bang_chu -5}}"), "âm năm");
    assert_eq!(r("{{bang_chu 3.05}}"), "ba phẩy không năm");
    assert_eq!(r("{{bang_chu lon}}"), "một trăm tỷ tỷ");
    assert_eq!(
        r("{{tien_bang_chu 3250000000000}}"),
        "Ba nghìn hai trăm năm mươi tỷ đồng"
    );
    assert_eq!(
        r("{{tien_bang_chu thu don_vi=\"ty\"}}"),
        "Một trăm năm mươi tám tỷ ba trăm triệu đồng"
    );
    assert_eq!(r("{{tien_hon_hop 5137000000}} đồng"), "5 tỷ 137 triệu đồng");
    let south = Settings {
        zero_tens: "lẻ".into(),
        thousand: "ngàn".into(),
        four: "bốn".into(),
        money_even: true,
        ..Settings::default()
    };
    assert_eq!(
        render_with(south, "{{tien_bang_chu 124001}}").unwrap(),
        "Một trăm hai mươi bốn ngàn không trăm lẻ một đồng chẵn"
    );
}

#[test]
fn dates_and_periods() {
    assert_eq!(r("{{ngay ngay_bc}}"), "ngày 05 tháng 3 năm 2021");
    assert_eq!(
        r("{{ngay \"2021-12-15\" \"Bắc Kạn\"}}"),
        "Bắc Kạn, ngày 15 tháng 12 năm 2021"
    );
    assert_eq!(r("{{ngay_ngan ngay_qd}}"), "18-01-2022");
    assert_eq!(
        render_with(state(), "{{ngay_ngan ngay_qd}}").unwrap(),
        "18/01/2022"
    );
    assert_eq!(
        render_with(state(), "{{ngay_ngan \"2022-04-19\"}}").unwrap(),
        "19/4/2022"
    );
    assert_eq!(r("{{quy 1 2021}}"), "quý I/2021");
    assert_eq!(r("{{quy 3}}"), "quý III");
    assert_eq!(r("{{ky_bao_cao \"6-thang\" 2023}}"), "6 tháng đầu năm 2023");
    assert_eq!(
        r("{{ky_bao_cao \"giai-doan\" 2021 2025}}"),
        "giai đoạn 2021-2025"
    );
    assert_eq!(r("{{ky_bao_cao \"quy\" 1 2023}}"), "quý I năm 2023");
    let spaced = Settings {
        period_dash: " - ".into(),
        ..Settings::default()
    };
    assert_eq!(
        render_with(spaced, "{{ky_bao_cao \"giai-doan\" 2021 2025}}").unwrap(),
        "giai đoạn 2021 - 2025"
    );
    assert_eq!(
        r("{{trich_dan \"Chỉ thị\" \"05-CT/TW\" \"2016-05-15\" \"Bộ Chính trị\"}}"),
        "Chỉ thị số 05-CT/TW, ngày 15-5-2016 của Bộ Chính trị"
    );
}

#[test]
fn document_numbers() {
    assert_eq!(r("{{so_hieu 125 \"BC/TU\"}}"), "Số 125-BC/TU");
    assert_eq!(r("{{so_hieu so_vb \"BC/TU\"}}"), "Số 05-BC/TU");
    let s = state();
    assert_eq!(
        render_with(s.clone(), "{{so_hieu 5 \"BC-UBND\"}}").unwrap(),
        "Số: 05/BC-UBND"
    );
    assert_eq!(
        render_with(s, "{{so_hieu 4544 \"KH-UBND\"}}").unwrap(),
        "Số: 4544/KH-UBND"
    );
    assert!(err("{{so_hieu 0 \"BC/TU\"}}").contains("từ 1 trở lên"));
    assert!(err("{{so_hieu 5 \"BC / TU\"}}").contains("dấu cách"));
    assert!(err("{{so_hieu 5.5 \"BC/TU\"}}").contains("số nguyên"));
}

#[test]
fn arithmetic_is_exact_and_composes() {
    assert_eq!(r("{{cong 0.1 0.2}}"), "0.3");
    assert_eq!(r("{{cong 1.25 1.25 1}}"), "3.5");
    assert_eq!(r("{{tru 10 2.5 0.5}}"), "7");
    assert_eq!(r("{{nhan 1.5 2}}"), "3");
    assert_eq!(r("{{chia 1 4}}"), "0.25");
    assert_eq!(r("{{so (cong th 0.5)}}"), "3.250,5");
    assert_eq!(r("{{phan_tram (cong 100 100.01) (nhan b 1)}}"), "100,01%");
    assert_eq!(r("{{so (tong muc_du \"gia_tri\")}}"), "3,3");
    assert_eq!(r("{{so (tong so_lieu)}}"), "0,3");
    assert!(err("{{so (tong (sap_xep_ten ten))}}").contains("phải là số, nhận được chuỗi \"Dung\""));
}

#[test]
fn sorting_names() {
    assert_eq!(
        r("{{#each (sap_xep_ten can_bo \"ho_ten\")}}{{ho_ten}}; {{/each}}"),
        "Nguyễn Văn An; Đỗ Anh; Phạm Thị Ánh; Lê Văn Bình; Trần Thị Bình; "
    );
    assert_eq!(
        r("{{#each (sap_xep_ten ten)}}{{this}} {{/each}}"),
        "Dung Đào Hà "
    );
}

#[test]
fn error_messages_name_the_helper_and_the_value() {
    assert_eq!(
        err("{{phan_tram 1 \"abc\"}}"),
        "hàm 'phan_tram': tham số thứ 2 phải là số, nhận được chuỗi \"abc\""
    );
    assert_eq!(
        err("{{phan_tram 1 0}}"),
        "hàm 'phan_tram': chia cho 0 (mẫu số bằng 0)"
    );
    assert_eq!(
        err("{{so chuoi_so}}"),
        "hàm 'so': tham số thứ 1 phải là số, nhận được chuỗi \"3250\" (bỏ dấu ngoặc kép quanh số?)"
    );
    assert!(err("{{so \"3.250,5\"}}").contains("ví dụ 158.3"));
    assert!(err("{{ngay ngay_sai}}")
        .starts_with("hàm 'ngay': tham số thứ 1: \"2023-02-30\" không phải là ngày hợp lệ"));
    assert!(err("{{ngay th}}").contains("phải là ngày"));
    assert!(err("{{phan_tram th}}").starts_with("hàm 'phan_tram': thiếu tham số thứ 2"));
    assert!(err("{{so}}").starts_with("hàm 'so': thiếu tham số thứ 1"));
    assert!(err("{{so 1 2}}").contains("thừa tham số"));
    assert_eq!(
        err("{{phan_tram th khong_co}}"),
        "hàm 'phan_tram': tham số thứ 2: không có dữ liệu 'khong_co'"
    );
    assert!(err("{{so th chu_so=\"2\"}}").contains("chu_so phải là số nguyên"));
    assert!(err("{{so th chuso=2}}").contains("không có tham số đặt tên 'chuso'"));
    assert!(err("{{chia 1 0}}").contains("chia cho 0"));
    assert!(err("{{cong 1}}").contains("thiếu tham số thứ 2"));
    assert!(err("{{tong th}}").contains("phải là danh sách, nhận được số 3250"));
    assert_eq!(
        err("{{tong muc \"gia_tri\"}}"),
        "hàm 'tong': phần tử thứ 3 (chỉ số 2) không có trường \"gia_tri\""
    );
    assert!(err("{{sap_xep_ten can_bo \"ten\"}}").contains("phần tử thứ 1 (chỉ số 0)"));
    assert!(err("{{gap_lan 1 2}}").contains("tang_giam"));
    assert!(err("{{ky_bao_cao \"6thang\" 2023}}").contains("\"6-thang\""));
    assert!(err("{{tien_bang_chu 5 don_vi=\"usd\"}}").contains("don_vi"));
    assert!(err("{{so true}}").contains("giá trị đúng/sai"));
    assert!(err("{{so can_bo}}").contains("danh sách (5 phần tử)"));
    assert!(err("{{la_ma 0}}").contains("La Mã"));
}

#[test]
fn errors_carry_template_name_line_and_column() {
    let mut hb = hb_with(Settings::default());
    hb.register_template_string("bao_cao", "Dòng một\n  {{phan_tram th \"abc\"}}")
        .unwrap();
    let e = hb.render("bao_cao", &data()).unwrap_err();
    assert_eq!(e.template_name.as_deref(), Some("bao_cao"));
    assert_eq!(e.line_no, Some(2));
    assert_eq!(e.column_no, Some(3));
    let shown = e.to_string();
    assert!(shown.contains("line 2, col 3"), "{shown}");
    assert!(shown.contains("hàm 'phan_tram'"), "{shown}");
}

#[test]
fn never_prints_empty_null_or_nan() {
    let tpls = [
        "{{so 0}}",
        "{{so -0.0}}",
        "{{phan_tram 0 5}}",
        "{{tang_giam 0 5}}",
        "{{bang_chu 0}}",
        "{{tien_bang_chu 0}}",
        "{{xap_xi 0.4}}",
        "{{cong 0 0}}",
    ];
    for t in tpls {
        let out = r(t);
        assert!(!out.is_empty(), "{t}");
        for bad in ["NaN", "inf", "null", "-0"] {
            assert!(!out.contains(bad), "{t}: {out}");
        }
    }
}

#[test]
fn percent_without_its_sign_for_table_cells() {
    assert_eq!(r("{{phan_tram th ck dau=false}}"), "106,72");
    assert_eq!(r("{{ty_le ti_le dau=false}}"), "96,3");
    assert_eq!(r("{{phan_tram th ck dau=true}}"), "106,72%");
    assert!(err("{{phan_tram th ck dau=1}}").contains("dau"));
}

#[test]
fn so_rounds_converted_amounts_to_the_units_precision() {
    assert_eq!(r("{{so 52345678000 quy_doi=\"ty\"}}"), "52,346");
    assert_eq!(r("{{so 52345678000 quy_doi=\"tỷ\"}}"), "52,346");
    assert_eq!(r("{{so 52345678000 quy_doi=\"ty\" chu_so=6}}"), "52,345678");
    assert_eq!(r("{{so 52345678000 quy_doi=\"ty\" chu_so=0}}"), "52");
    assert_eq!(r("{{so 8254817000 quy_doi=\"trieu\"}}"), "8.254,8");
    assert_eq!(
        r("{{so 8254817000 quy_doi=\"trieu\" chu_so=3}}"),
        "8.254,817"
    );
    assert_eq!(r("{{so 4612345678901 quy_doi=\"nghin-ty\"}}"), "4,612");
    assert_eq!(r("{{so 1234567 quy_doi=\"nghin\"}}"), "1.235");
    assert_eq!(r("{{so 3250000000000 quy_doi=\"ty\"}}"), "3.250");
    let keep = Settings {
        keep_trailing_zeros: true,
        ..Settings::default()
    };
    assert_eq!(
        render_with(keep.clone(), "{{so 52300000000 quy_doi=\"ty\"}}").unwrap(),
        "52,3"
    );
    assert_eq!(
        render_with(keep, "{{so 52300000000 quy_doi=\"ty\" chu_so=2}}").unwrap(),
        "52,30"
    );
}

#[test]
fn danh_gia_can_judge_downwards() {
    assert_eq!(r("{{danh_gia 3.21 3.5 giam_la_tot=true}}"), "vượt");
    assert_eq!(r("{{danh_gia 3.5 3.5 giam_la_tot=true}}"), "đạt");
    assert_eq!(r("{{danh_gia 3.6 3.5 giam_la_tot=true}}"), "không đạt");
    assert_eq!(r("{{danh_gia 0 0 giam_la_tot=true}}"), "đạt");
    assert_eq!(r("{{danh_gia 3.6 3.5 giam_la_tot=false}}"), "vượt");
    assert!(err("{{danh_gia 1 2 giam_la_tot=\"true\"}}")
        .contains("giam_la_tot phải là true hoặc false, nhận được chuỗi \"true\""));
}

const INDICATORS: &str = r#"
[[chi_tieu]]
ma = "thu_ngan_sach"
ten = "Thu ngân sách nhà nước trên địa bàn"
quy_doi = "ty"
ke_hoach = 45000000000
thuc_hien = 52345678000
cung_ky = 47120000000

[[chi_tieu]]
ma = "ho_ngheo"
ten = "Tỷ lệ hộ nghèo"
don_vi = "%"
ke_hoach = 3.5
thuc_hien = 3.21
cung_ky = 4.37
giam_la_tot = true

[[chi_tieu]]
ten = "Lao động được giải quyết việc làm"
don_vi = "người"
ke_hoach = 1800
thuc_hien = 1750
"#;

fn ind(tpl: &str) -> Result<String, String> {
    let data: Value = toml::from_str(INDICATORS).unwrap();
    hb_with(Settings::default())
        .render_template(tpl, &data)
        .map_err(|e| e.reason().to_string())
}

#[test]
fn chi_tieu_prints_what_the_table_prints() {
    let ok = |tpl: &str| ind(tpl).unwrap_or_else(|e| panic!("{tpl}: {e}"));
    let table = ok("{{{bang_chi_tieu chi_tieu}}}");
    assert!(
        table.contains(
            "| 1 | Thu ngân sách nhà nước trên địa bàn | tỷ đồng | 45 | 52,346 | 116,32 | 111,09 |"
        ),
        "{table}"
    );
    assert!(
        table.contains(
            "| 2 | Tỷ lệ hộ nghèo | % | 3,5 | 3,21 | 133,33 | giảm 1,16 điểm phần trăm |"
        ),
        "{table}"
    );
    assert_eq!(
        ok("{{chi_tieu \"thu_ngan_sach\" \"thuc_hien\"}} {{chi_tieu \"thu_ngan_sach\" \"don_vi\"}}, \
            bằng {{chi_tieu \"thu_ngan_sach\" \"so_ke_hoach\"}} dự toán, \
            {{chi_tieu \"thu_ngan_sach\" \"tang_giam\"}} so với cùng kỳ"),
        "52,346 tỷ đồng, bằng 116,32% dự toán, tăng 11,09% so với cùng kỳ"
    );
    assert_eq!(
        ok("{{chi_tieu \"thu_ngan_sach\" \"thuc_hien\" quy_doi=\"trieu\"}} triệu đồng"),
        "52.345,7 triệu đồng"
    );
    assert_eq!(
        ok("{{chi_tieu \"thu_ngan_sach\" \"so_ke_hoach\" dau=false chu_so=1}}"),
        "116,3"
    );
    assert_eq!(
        ok("{{chi_tieu \"ho_ngheo\" \"thuc_hien\"}}%, {{chi_tieu \"ho_ngheo\" \"so_cung_ky\"}}, \
            {{chi_tieu \"ho_ngheo\" \"danh_gia\"}} kế hoạch ({{chi_tieu \"ho_ngheo\" \"so_ke_hoach\"}})"),
        "3,21%, giảm 1,16 điểm phần trăm, vượt kế hoạch (133,33%)"
    );
    assert_eq!(
        ok("{{#each chi_tieu}}{{ten}}: {{chi_tieu this \"danh_gia\"}}; {{/each}}"),
        "Thu ngân sách nhà nước trên địa bàn: vượt; Tỷ lệ hộ nghèo: vượt; \
         Lao động được giải quyết việc làm: không đạt; "
    );
    let small = ok("{{{bang_chi_tieu chi_tieu chu_so_phan_tram=1 chu_so=1}}}");
    assert!(
        small.contains("| tỷ đồng | 45 | 52,3 | 116,3 | 111,1 |"),
        "{small}"
    ); // A column's decimals are the table's alone: the prose keeps its own.
    let cols = ok(
        "{{{bang_chi_tieu chi_tieu chu_so_ke_hoach=2 chu_so_so_cung_ky=3 \
                   ten_bang=\"Chỉ tiêu chủ yếu\" don_vi_tinh=\"tỷ đồng\"}}}",
    );
    assert!(
        cols.starts_with("\\ten_bang Chỉ tiêu chủ yếu\n\\don_vi_tinh tỷ đồng\n| TT |"),
        "{cols}"
    );
    assert!(
        cols.contains("| tỷ đồng | 45,00 | 52,346 | 116,32 | 111,090 |"),
        "{cols}"
    );
    assert_eq!(
        ok("{{chi_tieu \"thu_ngan_sach\" \"so_cung_ky\" chu_so=1}}"),
        "111,1%"
    );
    assert!(ind("{{{bang_chi_tieu chi_tieu chu_so_thuc_hien=\"2\"}}}")
        .unwrap_err()
        .contains("chu_so_thuc_hien phải là số nguyên từ 0 đến 10"));
    assert!(ind("{{{bang_chi_tieu chi_tieu ten_bang=3}}}")
        .unwrap_err()
        .contains("ten_bang phải là chuỗi"));
}

#[test]
fn chi_tieu_errors_say_what_to_do() {
    assert_eq!(
        ind("{{chi_tieu \"thu_ngan_sac\" \"thuc_hien\"}}").unwrap_err(),
        "hàm 'chi_tieu': không có chỉ tiêu nào có ma = \"thu_ngan_sac\"\u{1F}có phải ý bạn là \"thu_ngan_sach\"?"
    );
    let e = ind("{{#each chi_tieu}}{{chi_tieu this \"cung_ky\"}}{{/each}}").unwrap_err();
    assert_eq!(
        e,
        "hàm 'chi_tieu': chỉ tiêu thứ 3 (“Lao động được giải quyết việc làm”) không có `cung_ky`"
    );
    assert!(ind("{{chi_tieu 5 \"ten\"}}")
        .unwrap_err()
        .contains("tham số thứ 1 phải là mã chỉ tiêu"));
    assert!(
        ind("{{chi_tieu \"ho_ngheo\" \"thuc_hien\" quy_doi=\"ty\"}}")
            .unwrap_err()
            .contains("không có `quy_doi` hay `don_vi_goc`")
    );
    assert!(ind("{{chi_tieu \"ho_ngheo\" \"ti_le\"}}")
        .unwrap_err()
        .contains("không có trường \"ti_le\""));
    assert!(ind("{{{bang_chi_tieu chi_tieu chu_so_phan_tram=11}}}")
        .unwrap_err()
        .contains("chu_so_phan_tram phải là số nguyên từ 0 đến 10"));
    // No [[chi_tieu]] at all.
    assert!(err("{{chi_tieu \"x\" \"ten\"}}").contains("ghi ma = \"…\" vào khối [[chi_tieu]]"));
}
