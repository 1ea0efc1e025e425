//! Formatting settings (the `[dinh_dang]` table of a layout profile or data file).
//!
//! Takes TOML/serde input with Vietnamese field names without diacritics and
//! returns a [`Settings`] value; [`Settings::default`] is the default profile
//! of `docs/vn-formatting.md` (linh, tư, nghìn, tỷ; percents to 2 decimals with
//! trailing zeros dropped; Party-36 document numbers "Số 05-BC/TU" and citation
//! dates "18-01-2022"; period dash "2021-2025"; zero-padded counts for `dem`).
//! [`Settings::validate`] checks the enumerated values.

use crate::source::nfc;
use serde::Deserialize;

use super::{VnError, VnResult};

/// Formatting knobs. Every field has a default; unknown fields are rejected.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
#[schemars(
    description = "Cách đọc và viết số, ngày, số hiệu văn bản. Mọi mục đều có giá trị mặc định."
)]
pub struct Settings {
    /// Word for a zero tens digit after hundreds: "linh" (default) or "lẻ".
    #[serde(rename = "linh")]
    #[schemars(
        description = "Chữ đọc số 0 ở hàng chục sau hàng trăm: \"linh\" (mặc định) hoặc \"lẻ\" (một trăm linh năm).",
        extend("enum" = ["linh", "lẻ"])
    )]
    pub zero_tens: String,
    /// Units digit 4 after "mươi": "tư" (default) or "bốn".
    #[serde(rename = "tu")]
    #[schemars(
        description = "Chữ đọc số 4 sau \"mươi\": \"tư\" (mặc định) hoặc \"bốn\" (hai mươi tư).",
        extend("enum" = ["tư", "bốn"])
    )]
    pub four: String,
    /// Thousand: "nghìn" (default) or "ngàn".
    #[serde(rename = "nghin")]
    #[schemars(
        description = "Chữ đọc hàng nghìn: \"nghìn\" (mặc định) hoặc \"ngàn\".",
        extend("enum" = ["nghìn", "ngàn"])
    )]
    pub thousand: String,
    /// Billion: "tỷ" (default) or "tỉ".
    #[serde(rename = "ty")]
    #[schemars(
        description = "Chữ đọc hàng tỷ: \"tỷ\" (mặc định) hoặc \"tỉ\".",
        extend("enum" = ["tỷ", "tỉ"])
    )]
    pub billion: String,
    /// Maximum decimals of percents, ratios and rate differences (default 2).
    #[serde(rename = "chu_so_phan_tram")]
    #[schemars(description = "Số chữ số thập phân tối đa của phần trăm và tỷ lệ (mặc định 2).")]
    pub percent_decimals: u32,
    /// Keep trailing zeros after rounding ("102,40%"); default false ("102,4%").
    #[serde(rename = "giu_so_0")]
    #[schemars(
        description = "true: giữ số 0 thừa sau khi làm tròn (\"102,40%\"); mặc định false (\"102,4%\")."
    )]
    pub keep_trailing_zeros: bool,
    /// Document-number style: "dang" (default, "Số 05-BC/TU") or "nha-nuoc"
    /// ("Số: 05/BC-UBND").
    #[serde(rename = "kieu_so_hieu")]
    #[schemars(
        description = "Kiểu số, ký hiệu: \"dang\" (\"Số 05-BC/TU\") hoặc \"nha-nuoc\" (\"Số: 05/BC-UBND\").",
        extend("enum" = ["dang", "nha-nuoc"])
    )]
    pub number_style: String,
    /// Citation date style: "d-m-yyyy" (default, Party, "18-01-2022") or
    /// "d/m/yyyy" (State, "18/01/2022").
    #[serde(rename = "kieu_ngay")]
    #[schemars(
        description = "Kiểu ngày trong trích dẫn: \"d-m-yyyy\" (Đảng, \"18-01-2022\") hoặc \"d/m/yyyy\" (Nhà nước, \"18/01/2022\").",
        extend("enum" = ["d-m-yyyy", "d/m/yyyy"])
    )]
    pub date_style: String,
    /// Dash between the years of a period: "-" (default, "2021-2025") or " - ".
    #[serde(rename = "gach_giai_doan")]
    #[schemars(
        description = "Gạch nối giữa hai năm của giai đoạn: \"-\" (mặc định, \"2021-2025\") hoặc \" - \".",
        extend("enum" = ["-", " - "])
    )]
    pub period_dash: String,
    /// Money in words ends with "đồng chẵn" instead of "đồng" (default false).
    #[serde(rename = "dong_chan")]
    #[schemars(
        description = "true: số tiền bằng chữ kết thúc bằng \"đồng chẵn\" (mặc định false: \"đồng\")."
    )]
    pub money_even: bool,
    /// Read "không trăm" in full groups after "triệu"/"tỷ" (default true,
    /// accounting style "một triệu không trăm linh một"); false gives the
    /// spoken CLDR style "một triệu linh một".
    #[serde(rename = "khong_tram_sau_trieu")]
    #[schemars(
        description = "true (mặc định): đọc đủ \"không trăm\" sau triệu, tỷ (\"một triệu không trăm linh một\"); false: \"một triệu linh một\"."
    )]
    pub full_groups: bool,
    /// `dem` pads counts 1–9 with a zero ("02 doanh nghiệp"); default true.
    #[serde(rename = "dem_so_0")]
    #[schemars(
        description = "true (mặc định): hàm dem thêm số 0 trước số đếm từ 1 đến 9 (\"02 doanh nghiệp\")."
    )]
    pub pad_counts: bool,
    /// What follows the Roman numeral of a top-level heading (`so_muc`): "I-"
    /// (default, Party, "I- KẾT QUẢ") or "I." (State, "I. KẾT QUẢ").
    #[serde(rename = "kieu_muc")]
    #[schemars(
        description = "Số thứ tự của mục lớn (hàm so_muc): \"I-\" (mặc định, Đảng: \"I- KẾT QUẢ\") hoặc \"I.\" (Nhà nước: \"I. KẾT QUẢ\").",
        extend("enum" = ["I-", "I."])
    )]
    pub heading_style: String,
    /// The mark that ends the body (`ket_thuc`): "./." (default; Hướng dẫn
    /// 36-HD/VPTW, Nghị định 30/2020/NĐ-CP) or "." (Hướng dẫn 05-HD/VPTW).
    #[serde(rename = "ket_thuc")]
    #[schemars(
        description = "Dấu kết thúc thân văn bản (hàm ket_thuc): \"./.\" (mặc định) hoặc \".\" (Hướng dẫn 05-HD/VPTW).",
        extend("enum" = ["./.", "."])
    )]
    pub ending: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            zero_tens: "linh".into(),
            four: "tư".into(),
            thousand: "nghìn".into(),
            billion: "tỷ".into(),
            percent_decimals: 2,
            keep_trailing_zeros: false,
            number_style: "dang".into(),
            date_style: "d-m-yyyy".into(),
            period_dash: "-".into(),
            money_even: false,
            full_groups: true,
            pad_counts: true,
            heading_style: "I-".into(),
            ending: "./.".into(),
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
        check("linh", &self.zero_tens, &["linh", "lẻ"])?;
        check("tu", &self.four, &["tư", "bốn"])?;
        check("nghin", &self.thousand, &["nghìn", "ngàn"])?;
        check("ty", &self.billion, &["tỷ", "tỉ"])?;
        check("kieu_so_hieu", &self.number_style, &["dang", "nha-nuoc"])?;
        check("kieu_ngay", &self.date_style, &["d-m-yyyy", "d/m/yyyy"])?;
        check("gach_giai_doan", &self.period_dash, &["-", " - "])?;
        check("kieu_muc", &self.heading_style, &["I-", "I."])?;
        check("ket_thuc", &self.ending, &["./.", "."])?;
        if self.percent_decimals > MAX_DECIMALS {
            return Err(VnError(format!(
                "[dinh_dang] chu_so_phan_tram = {} không hợp lệ; chỉ được từ 0 đến {MAX_DECIMALS}",
                self.percent_decimals
            )));
        }
        Ok(())
    }

    /// Document-number style (an unknown value falls back to the default).
    pub fn doc_style(&self) -> DocStyle {
        if self.number_style == "nha-nuoc" {
            DocStyle::State
        } else {
            DocStyle::Party
        }
    }

    /// Citation date style (an unknown value falls back to the default).
    pub fn date_style(&self) -> DateStyle {
        if self.date_style == "d/m/yyyy" {
            DateStyle::Slash
        } else {
            DateStyle::Dash
        }
    }

    /// The mark after a top-level heading's Roman numeral ("-" unless "I." is
    /// chosen).
    pub(crate) fn heading_mark(&self) -> &'static str {
        if self.heading_style == "I." {
            "."
        } else {
            "-"
        }
    }

    /// Percent decimals, capped at the accepted maximum.
    pub(crate) fn percent_decimals(&self) -> u32 {
        self.percent_decimals.min(MAX_DECIMALS)
    }

    /// The period dash ("-" unless " - " is chosen).
    pub(crate) fn dash(&self) -> &str {
        if self.period_dash == " - " {
            " - "
        } else {
            "-"
        }
    }

    /// Word for a zero tens digit ("linh" or "lẻ"), NFC.
    pub(crate) fn word_zero_tens(&self) -> &'static str {
        word(&self.zero_tens, "lẻ", "linh")
    }

    /// Units 4 after "mươi" ("tư" or "bốn").
    pub(crate) fn word_four(&self) -> &'static str {
        word(&self.four, "bốn", "tư")
    }

    /// Thousand ("nghìn" or "ngàn").
    pub(crate) fn word_thousand(&self) -> &'static str {
        word(&self.thousand, "ngàn", "nghìn")
    }

    /// Billion ("tỷ" or "tỉ").
    pub(crate) fn word_billion(&self) -> &'static str {
        word(&self.billion, "tỉ", "tỷ")
    }
}

/// `other` when the setting `value` (NFC) chooses it, else `usual`.
fn word(value: &str, other: &'static str, usual: &'static str) -> &'static str {
    if nfc(value) == other {
        other
    } else {
        usual
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
            (
                s.word_zero_tens(),
                s.word_four(),
                s.word_thousand(),
                s.word_billion()
            ),
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
        assert_eq!(s.word_zero_tens(), "lẻ");
        assert_eq!(s.doc_style(), DocStyle::State);
        assert_eq!(s.percent_decimals, 2);
        assert!(serde_json::from_str::<Settings>(r#"{"linhh":"lẻ"}"#).is_err());
    }

    #[test]
    fn validate_names_the_field_in_vietnamese() {
        let s = Settings {
            four: "four".into(),
            ..Settings::default()
        };
        let e = s.validate().unwrap_err();
        assert!(e.0.contains("tu = \"four\""), "{e}");
        assert!(e.0.contains("\"tư\" hoặc \"bốn\""), "{e}");
        let s = Settings {
            percent_decimals: 11,
            ..Settings::default()
        };
        assert!(s.validate().is_err());
        let s = Settings {
            period_dash: "–".into(),
            ..Settings::default()
        };
        assert!(s.validate().is_err());
    }

    #[test]
    fn nfd_spellings_are_accepted() {
        let s = Settings {
            zero_tens: "lẻ".nfd().collect(),
            ..Settings::default()
        };
        assert_eq!(s.validate(), Ok(()));
        assert_eq!(s.word_zero_tens(), "lẻ");
    }
}
