//! Vectors of docs/vn-formatting.md §1 (numbers in words) and the §1.7 anti-vectors.

use super::*;
use crate::vn::decimal_from_text;

fn d(s: &str) -> Decimal {
    decimal_from_text(s).unwrap()
}

fn read(s: &str) -> String {
    read_number(&d(s), &Settings::default())
}

fn read_with(s: &str, settings: &Settings) -> String {
    read_number(&d(s), settings)
}

/// §1.3, inputs written without grouping dots and with "." as the decimal point.
const VECTORS_1_3: &[(&str, &str)] = &[
    ("0", "không"),
    ("5", "năm"),
    ("10", "mười"),
    ("11", "mười một"),
    ("14", "mười bốn"),
    ("15", "mười lăm"),
    ("20", "hai mươi"),
    ("21", "hai mươi mốt"),
    ("24", "hai mươi tư"),
    ("25", "hai mươi lăm"),
    ("31", "ba mươi mốt"),
    ("55", "năm mươi lăm"),
    ("100", "một trăm"),
    ("101", "một trăm linh một"),
    ("104", "một trăm linh bốn"),
    ("105", "một trăm linh năm"),
    ("110", "một trăm mười"),
    ("111", "một trăm mười một"),
    ("115", "một trăm mười lăm"),
    ("134", "một trăm ba mươi tư"),
    ("1000", "một nghìn"),
    ("1001", "một nghìn không trăm linh một"),
    ("1005", "một nghìn không trăm linh năm"),
    ("1010", "một nghìn không trăm mười"),
    ("1015", "một nghìn không trăm mười lăm"),
    ("2023", "hai nghìn không trăm hai mươi ba"),
    ("4000", "bốn nghìn"),
    ("24000", "hai mươi tư nghìn"),
    ("100021", "một trăm nghìn không trăm hai mươi mốt"),
    ("145000", "một trăm bốn mươi lăm nghìn"),
    ("523056", "năm trăm hai mươi ba nghìn không trăm năm mươi sáu"),
    ("1000000", "một triệu"),
    ("1000001", "một triệu không trăm linh một"),
    ("1000500", "một triệu năm trăm"),
    ("1050000", "một triệu không trăm năm mươi nghìn"),
    ("1234000", "một triệu hai trăm ba mươi tư nghìn"),
    ("1234567", "một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy"),
    ("2000050", "hai triệu không trăm năm mươi"),
    ("5690700", "năm triệu sáu trăm chín mươi nghìn bảy trăm"),
    ("10000000", "mười triệu"),
    (
        "131050035",
        "một trăm ba mươi mốt triệu không trăm năm mươi nghìn không trăm ba mươi lăm",
    ),
    ("145001000", "một trăm bốn mươi lăm triệu không trăm linh một nghìn"),
    ("215342000", "hai trăm mười lăm triệu ba trăm bốn mươi hai nghìn"),
    ("854000900", "tám trăm năm mươi tư triệu chín trăm"),
    ("1000000000", "một tỷ"),
    ("1000000001", "một tỷ không trăm linh một"),
    ("1000005000", "một tỷ không trăm linh năm nghìn"),
    ("2050000000", "hai tỷ không trăm năm mươi triệu"),
    ("158300000000", "một trăm năm mươi tám tỷ ba trăm triệu"),
    ("1100000000000", "một nghìn một trăm tỷ"),
    (
        "1230950880055",
        "một nghìn hai trăm ba mươi tỷ chín trăm năm mươi triệu tám trăm tám mươi nghìn không trăm năm mươi lăm",
    ),
    ("3250000000000", "ba nghìn hai trăm năm mươi tỷ"),
    ("1000000000001", "một nghìn tỷ không trăm linh một"),
    ("1000000000000000", "một triệu tỷ"),
    ("1000000000000000000", "một tỷ tỷ"),
    ("5.5", "năm phẩy năm"),
    ("2.38", "hai phẩy ba mươi tám"),
    ("0.5", "không phẩy năm"),
    ("3.05", "ba phẩy không năm"),
    ("2.50", "hai phẩy năm"),
    ("106.72", "một trăm linh sáu phẩy bảy mươi hai"),
    ("-5", "âm năm"),
    ("-55", "âm năm mươi lăm"),
];

#[test]
fn spec_1_3_default_profile_vectors() {
    assert_eq!(VECTORS_1_3.len(), 63);
    for (input, expected) in VECTORS_1_3 {
        assert_eq!(read(input), *expected, "input {input}");
    }
}

#[test]
fn decimal_2_50_with_exact_scale_drops_trailing_zero() {
    // A Decimal that still carries the trailing zero (not from JSON).
    assert_eq!(
        read_number(&Decimal::new(250, 2), &Settings::default()),
        "hai phẩy năm"
    );
}

fn vi_nam() -> Settings {
    Settings {
        zero_tens: "lẻ".into(),
        thousand: "ngàn".into(),
        four: "bốn".into(),
        ..Settings::default()
    }
}

fn cldr_spoken() -> Settings {
    Settings {
        zero_tens: "lẻ".into(),
        full_groups: false,
        ..Settings::default()
    }
}

#[test]
fn spec_1_4_variant_profiles() {
    let rows: &[(&str, &str, &str)] = &[
        ("24", "hai mươi bốn", "hai mươi tư"),
        ("101", "một trăm lẻ một", "một trăm lẻ một"),
        ("1000", "một ngàn", "một nghìn"),
        (
            "1005",
            "một ngàn không trăm lẻ năm",
            "một nghìn không trăm lẻ năm",
        ),
        (
            "124001",
            "một trăm hai mươi bốn ngàn không trăm lẻ một",
            "một trăm hai mươi tư nghìn không trăm lẻ một",
        ),
        ("1000001", "một triệu không trăm lẻ một", "một triệu lẻ một"),
        (
            "1050000",
            "một triệu không trăm năm mươi ngàn",
            "một triệu năm mươi nghìn",
        ),
    ];
    let (nam, cldr) = (vi_nam(), cldr_spoken());
    for (input, south, spoken) in rows {
        assert_eq!(read_with(input, &nam), *south, "vi-nam {input}");
        assert_eq!(read_with(input, &cldr), *spoken, "cldr {input}");
    }
}

#[test]
fn spoken_style_after_ty_and_ti_spelling() {
    let cldr = cldr_spoken();
    assert_eq!(read_with("1000000005", &cldr), "một tỷ lẻ năm");
    assert_eq!(read_with("1000005000", &cldr), "một tỷ năm nghìn");
    assert_eq!(read_with("1000000000", &cldr), "một tỷ");
    let ti = Settings {
        billion: "tỉ".into(),
        ..Settings::default()
    };
    assert_eq!(read_with("1100000000000", &ti), "một nghìn một trăm tỉ");
}

#[test]
fn spec_1_5_money_in_words() {
    let s = Settings::default();
    let m = |x: &str| money_in_words(&d(x), &s);
    assert_eq!(m("1234000000"), "Một tỷ hai trăm ba mươi tư triệu đồng");
    assert_eq!(m("3250000000000"), "Ba nghìn hai trăm năm mươi tỷ đồng");
    assert_eq!(
        m("158300000000"),
        "Một trăm năm mươi tám tỷ ba trăm triệu đồng"
    );
    assert_eq!(
        m("215342000"),
        "Hai trăm mười lăm triệu ba trăm bốn mươi hai nghìn đồng"
    );
    assert_eq!(m("100021"), "Một trăm nghìn không trăm hai mươi mốt đồng");
    assert_eq!(m("0"), "Không đồng");
    // Rounded half-up to whole đồng first, never "phẩy".
    assert_eq!(m("1234.5"), "Một nghìn hai trăm ba mươi lăm đồng");
    assert_eq!(m("0.4"), "Không đồng");
    let chan = Settings {
        money_even: true,
        ..Settings::default()
    };
    assert_eq!(
        money_in_words(&d("215342000"), &chan),
        "Hai trăm mười lăm triệu ba trăm bốn mươi hai nghìn đồng chẵn"
    );
}

#[test]
fn spec_1_7_anti_vectors_never_occur() {
    let anti: &[(&str, &str)] = &[
        ("1234", "một nghìn hai trăm linh bốn"),
        ("523056", "năm trăm hai mươi ba nghìn năm mươi sáu"),
        ("1100000000000", "một nghìn tỉ một trăm tỉ"),
        ("1100000000000", "một nghìn tỷ một trăm tỷ"),
        ("1230950880055", "một hai trăm ba mươi tỷ"),
        ("1000000000000000", "một trăm nghìn tỷ"),
        ("2000050", "hai triệu không nghìn không trăm năm mươi"),
        ("21", "hai mươi một"),
        ("105", "một trăm linh lăm"),
    ];
    for settings in [Settings::default(), vi_nam(), cldr_spoken()] {
        for (input, wrong) in anti {
            let got = read_with(input, &settings);
            assert!(!got.starts_with(wrong), "{input}: {got}");
            assert_ne!(got, *wrong);
        }
    }
    assert_eq!(read("1234"), "một nghìn hai trăm ba mươi tư");
    assert!(!read("1000000000000000").contains("trăm nghìn"));
    assert!(!read("2000050").contains("không nghìn"));
}

#[test]
fn colloquial_forms_never_occur() {
    for n in [23u32, 25, 31, 1_400_000] {
        let got = read(&n.to_string());
        for w in ["nhăm", "hăm", "băm"] {
            assert!(!got.split(' ').any(|x| x == w), "{n}: {got}");
        }
    }
    assert_eq!(read("1400000"), "một triệu bốn trăm nghìn");
}

#[test]
fn extremes_do_not_panic() {
    let s = Settings::default();
    let max = read_number(&Decimal::MAX, &s);
    assert!(
        max.starts_with("bảy mươi chín tỷ hai trăm hai mươi tám triệu"),
        "{max}"
    );
    let min = read_number(&Decimal::MIN, &s);
    assert!(min.starts_with("âm bảy mươi chín"), "{min}");
    let tiny = read_number(&Decimal::new(1, 28), &s);
    assert_eq!(tiny.matches("không").count(), 28);
    assert!(tiny.ends_with("không một"));
    assert_eq!(read("-0.0"), "không");
}
