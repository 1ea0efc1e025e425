//! Document numbers ("số, ký hiệu", vn-formatting.md §4).
//!
//! Takes the running number, the symbol and the [`Settings`] style and returns
//! the header line: State (Nghị định 30/2020) "Số: 05/BC-UBND", Party
//! (36-HD/VPTW) "Số 05-BC/TU". Numbers below 10 get a leading zero; numbers
//! are never grouped ("Số: 4544/KH-UBND").

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

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> Settings {
        Settings {
            kieu_so_hieu: "nha-nuoc".into(),
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
