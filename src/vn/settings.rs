//! Formatting settings (the `[dinh_dang]` table of a layout profile or data file).
//!
//! Takes TOML/serde input with Vietnamese field names without diacritics and
//! returns a [`Settings`] value; [`Settings::default`] is the default profile
//! of `vn-formatting.md` (linh, tư, nghìn, tỷ; percents to 2 decimals with
//! trailing zeros dropped; Party-36 document numbers "Số 05-BC/TU" and citation
//! dates "18-01-2022"; period dash "2021-2025"; zero-padded counts for `dem`).
//! [`Settings::validate`] checks the enumerated values.

use crate::source::nfc;
use serde::Deserialize;

use super::{VnError, VnResult};

/// Formatting knobs. Every field has a default; unknown fields are rejected.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Word for a zero tens digit after hundreds: "linh" (default) or "lẻ".
    pub linh: String,
    /// Units digit 4 after "mươi": "tư" (default) or "bốn".
    pub tu: String,
    /// Thousand: "nghìn" (default) or "ngàn".
    pub nghin: String,
    /// Billion: "tỷ" (default) or "tỉ".
    pub ty: String,
    /// Maximum decimals of percents, ratios and rate differences (default 2).
    pub chu_so_phan_tram: u32,
    /// Keep trailing zeros after rounding ("102,40%"); default false ("102,4%").
    pub giu_so_0: bool,
    /// Document-number style: "dang" (default, "Số 05-BC/TU") or "nha-nuoc"
    /// ("Số: 05/BC-UBND").
    pub kieu_so_hieu: String,
    /// Citation date style: "d-m-yyyy" (default, Party, "18-01-2022") or
    /// "d/m/yyyy" (State, "18/01/2022").
    pub kieu_ngay: String,
    /// Dash between the years of a period: "-" (default, "2021-2025") or " - ".
    pub gach_giai_doan: String,
    /// Money in words ends with "đồng chẵn" instead of "đồng" (default false).
    pub dong_chan: bool,
    /// Read "không trăm" in full groups after "triệu"/"tỷ" (default true,
    /// accounting style "một triệu không trăm linh một"); false gives the
    /// spoken CLDR style "một triệu linh một".
    pub khong_tram_sau_trieu: bool,
    /// `dem` pads counts 1–9 with a zero ("02 doanh nghiệp"); default true.
    pub dem_so_0: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            linh: "linh".into(),
            tu: "tư".into(),
            nghin: "nghìn".into(),
            ty: "tỷ".into(),
            chu_so_phan_tram: 2,
            giu_so_0: false,
            kieu_so_hieu: "dang".into(),
            kieu_ngay: "d-m-yyyy".into(),
            gach_giai_doan: "-".into(),
            dong_chan: false,
            khong_tram_sau_trieu: true,
            dem_so_0: true,
        }
    }
}

/// Document-number style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocStyle {
    /// Party (Hướng dẫn 36-HD/VPTW): "Số 05-BC/TU".
    Party,
    /// State (Nghị định 30/2020/NĐ-CP): "Số: 05/BC-UBND".
    State,
}

/// Citation date style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// "18-01-2022".
    Dash,
    /// "18/01/2022".
    Slash,
}

/// Largest accepted `chu_so_phan_tram`.
pub(crate) const MAX_DECIMALS: u32 = 10;

fn check(field: &str, value: &str, allowed: &[&str]) -> VnResult<()> {
    let v = nfc(value);
    if allowed.iter().any(|a| *a == v) {
        Ok(())
    } else {
        let list: Vec<String> = allowed.iter().map(|a| format!("\"{a}\"")).collect();
        Err(VnError(format!(
            "[dinh_dang] {field} = \"{value}\" không hợp lệ; chỉ được chọn {}",
            list.join(" hoặc ")
        )))
    }
}

impl Settings {
    /// Checks every enumerated field; the error names the field and the
    /// allowed values, in Vietnamese.
    pub fn validate(&self) -> VnResult<()> {
        check("linh", &self.linh, &["linh", "lẻ"])?;
        check("tu", &self.tu, &["tư", "bốn"])?;
        check("nghin", &self.nghin, &["nghìn", "ngàn"])?;
        check("ty", &self.ty, &["tỷ", "tỉ"])?;
        check("kieu_so_hieu", &self.kieu_so_hieu, &["dang", "nha-nuoc"])?;
        check("kieu_ngay", &self.kieu_ngay, &["d-m-yyyy", "d/m/yyyy"])?;
        check("gach_giai_doan", &self.gach_giai_doan, &["-", " - "])?;
        if self.chu_so_phan_tram > MAX_DECIMALS {
            return Err(VnError(format!(
                "[dinh_dang] chu_so_phan_tram = {} không hợp lệ; chỉ được từ 0 đến {MAX_DECIMALS}",
                self.chu_so_phan_tram
            )));
        }
        Ok(())
    }

    /// Document-number style (an unknown value falls back to the default).
    pub fn doc_style(&self) -> DocStyle {
        if self.kieu_so_hieu == "nha-nuoc" {
            DocStyle::State
        } else {
            DocStyle::Party
        }
    }

    /// Citation date style (an unknown value falls back to the default).
    pub fn date_style(&self) -> DateStyle {
        if self.kieu_ngay == "d/m/yyyy" {
            DateStyle::Slash
        } else {
            DateStyle::Dash
        }
    }

    /// Percent decimals, capped at the accepted maximum.
    pub(crate) fn percent_decimals(&self) -> u32 {
        self.chu_so_phan_tram.min(MAX_DECIMALS)
    }

    /// The period dash ("-" unless " - " is chosen).
    pub(crate) fn dash(&self) -> &str {
        if self.gach_giai_doan == " - " {
            " - "
        } else {
            "-"
        }
    }

    /// Word for a zero tens digit ("linh" or "lẻ"), NFC.
    pub(crate) fn word_linh(&self) -> &'static str {
        if nfc(&self.linh) == "lẻ" {
            "lẻ"
        } else {
            "linh"
        }
    }

    /// Units 4 after "mươi" ("tư" or "bốn").
    pub(crate) fn word_tu(&self) -> &'static str {
        if nfc(&self.tu) == "bốn" {
            "bốn"
        } else {
            "tư"
        }
    }

    /// Thousand ("nghìn" or "ngàn").
    pub(crate) fn word_nghin(&self) -> &'static str {
        if nfc(&self.nghin) == "ngàn" {
            "ngàn"
        } else {
            "nghìn"
        }
    }

    /// Billion ("tỷ" or "tỉ").
    pub(crate) fn word_ty(&self) -> &'static str {
        if nfc(&self.ty) == "tỉ" {
            "tỉ"
        } else {
            "tỷ"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn default_is_valid_and_matches_the_default_profile() {
        let s = Settings::default();
        assert_eq!(s.validate(), Ok(()));
        assert_eq!(s.doc_style(), DocStyle::Party);
        assert_eq!(s.date_style(), DateStyle::Dash);
        assert_eq!(s.dash(), "-");
        assert_eq!(
            (s.word_linh(), s.word_tu(), s.word_nghin(), s.word_ty()),
            ("linh", "tư", "nghìn", "tỷ")
        );
    }

    #[test]
    fn deserializes_partial_tables_and_rejects_unknown_fields() {
        let s: Settings = serde_json::from_str(
            r#"{"linh":"lẻ","tu":"bốn","kieu_so_hieu":"nha-nuoc","kieu_ngay":"d/m/yyyy"}"#,
        )
        .unwrap();
        assert_eq!(s.validate(), Ok(()));
        assert_eq!(s.word_linh(), "lẻ");
        assert_eq!(s.doc_style(), DocStyle::State);
        assert_eq!(s.chu_so_phan_tram, 2);
        assert!(serde_json::from_str::<Settings>(r#"{"linhh":"lẻ"}"#).is_err());
    }

    #[test]
    fn validate_names_the_field_in_vietnamese() {
        let s = Settings {
            tu: "four".into(),
            ..Settings::default()
        };
        let e = s.validate().unwrap_err();
        assert!(e.0.contains("tu = \"four\""), "{e}");
        assert!(e.0.contains("\"tư\" hoặc \"bốn\""), "{e}");
        let s = Settings {
            chu_so_phan_tram: 11,
            ..Settings::default()
        };
        assert!(s.validate().is_err());
        let s = Settings {
            gach_giai_doan: "–".into(),
            ..Settings::default()
        };
        assert!(s.validate().is_err());
    }

    #[test]
    fn nfd_spellings_are_accepted() {
        let s = Settings {
            linh: "lẻ".nfd().collect(),
            ..Settings::default()
        };
        assert_eq!(s.validate(), Ok(()));
        assert_eq!(s.word_linh(), "lẻ");
    }
}
