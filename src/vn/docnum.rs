//! Document numbers ("số, ký hiệu", docs/vn-formatting.md §4).
//!
//! Takes the running number, the symbol and the [`Settings`] style and returns
//! the header line: State (Nghị định 30/2020) "Số: 05/BC-UBND", Party
//! (36-HD/VPTW) "Số 05-BC/TU". Numbers below 10 get a leading zero; numbers
//! are never grouped ("Số: 4544/KH-UBND"). [`citation`] cites a document in
//! the text: "Chỉ thị số 05-CT/TW, ngày 15-5-2016 của Bộ Chính trị" (Party:
//! comma before "ngày") or "… số 05-CT/TW ngày 15/5/2016 …" (State).

use super::date::{format_date_citation, Date};
use super::{DocStyle, Settings};

/// Formats a document number. `so` is the running number (≥ 1 in real
/// documents; the helper checks that), `ky_hieu` the symbol as written in
/// the chosen style ("BC-UBND" for State, "BC/TU" for Party), trimmed.
pub fn document_number(so: i64, ky_hieu: &str, settings: &Settings) -> String {
    let number = if (0..10).contains(&so) {
        format!("{so:02}")
    } else {
        so.to_string()
    };
    let symbol = ky_hieu.trim();
    match settings.doc_style() {
        DocStyle::State => format!("Số: {number}/{symbol}"),
        DocStyle::Party => format!("Số {number}-{symbol}"),
    }
}

/// Cites a document inside the text: `kind` ("Chỉ thị"), its number and
/// symbol as printed ("05-CT/TW"), its date and optionally its issuer. The
/// Party style (`kieu_so_hieu = "dang"`) puts a comma before "ngày"; the date
/// follows `kieu_ngay`.
pub fn citation(
    kind: &str,
    number: &str,
    date: &Date,
    issuer: Option<&str>,
    settings: &Settings,
) -> String {
    let comma = match settings.doc_style() {
        DocStyle::Party => ",",
        DocStyle::State => "",
    };
    let mut out = format!(
        "{} số {}{comma} ngày {}",
        kind.trim(),
        number.trim(),
        format_date_citation(date, settings.date_style())
    );
    if let Some(issuer) = issuer {
        out.push_str(" của ");
        out.push_str(issuer.trim());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vn::parse_date;

    #[test]
    fn spec_3_2_citations() {
        let date = parse_date("2016-05-15").unwrap();
        let state = Settings {
            number_style: "nha-nuoc".into(),
            date_style: "d/m/yyyy".into(),
            ..Settings::default()
        };
        assert_eq!(
            citation("Chỉ thị", "05-CT/TW", &date, Some("Bộ Chính trị"), &state),
            "Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị"
        );
        assert_eq!(
            citation(
                "Chỉ thị",
                "05-CT/TW",
                &date,
                Some("Bộ Chính trị"),
                &Settings::default()
            ),
            "Chỉ thị số 05-CT/TW, ngày 15-5-2016 của Bộ Chính trị"
        );
        let party_05 = Settings {
            date_style: "d/m/yyyy".into(),
            ..Settings::default()
        };
        let date = parse_date("2026-09-05").unwrap();
        assert_eq!(
            citation("Nghị quyết", "12-NQ/ĐU", &date, None, &party_05),
            "Nghị quyết số 12-NQ/ĐU, ngày 05/9/2026"
        );
    }

    fn state() -> Settings {
        Settings {
            number_style: "nha-nuoc".into(),
            ..Settings::default()
        }
    }

    #[test]
    fn spec_4_1_state_numbers() {
        let s = state();
        assert_eq!(document_number(15, "BC-UBND", &s), "Số: 15/BC-UBND");
        assert_eq!(document_number(5, "BC-UBND", &s), "Số: 05/BC-UBND");
        assert_eq!(document_number(4544, "KH-UBND", &s), "Số: 4544/KH-UBND");
        assert_eq!(document_number(123, "UBND-VX", &s), "Số: 123/UBND-VX");
        assert_eq!(document_number(30, "2020/NĐ-CP", &s), "Số: 30/2020/NĐ-CP");
    }

    #[test]
    fn spec_4_2_party_numbers() {
        let s = Settings::default();
        assert_eq!(document_number(125, "BC/TU", &s), "Số 125-BC/TU");
        assert_eq!(document_number(5, "BC/TU", &s), "Số 05-BC/TU");
        assert_eq!(document_number(12, "BC/HU", &s), "Số 12-BC/HU");
        assert_eq!(document_number(234, "CV/BTGTU", &s), "Số 234-CV/BTGTU");
        assert_eq!(document_number(5, "NQ/ĐU", &s), "Số 05-NQ/ĐU");
        assert_eq!(document_number(12345, " BC/TU ", &s), "Số 12345-BC/TU");
    }
}
