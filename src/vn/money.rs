//! Money units in report prose (docs/vn-formatting.md §2.4).
//!
//! Takes amounts as exact `Decimal`s and a unit key ("dong", "nghin",
//! "trieu", "ty", "nghin-ty") and returns the amount converted exactly
//! between đồng and that unit (3.250.000.000.000 đồng → 3250 tỷ; 158,3 tỷ →
//! 158.300.000.000 đồng), or the mixed style "5 tỷ 137 triệu".

use rust_decimal::Decimal;

use super::decimal::round_half_up;
use super::number::format_number;
use super::{Settings, VnError, VnResult};

/// A money unit (all amounts are in đồng unless a unit says otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyUnit {
    /// đồng (×1).
    Dong,
    /// nghìn đồng (×10^3).
    Nghin,
    /// triệu đồng (×10^6).
    Trieu,
    /// tỷ đồng (×10^9).
    Ty,
    /// nghìn tỷ đồng (×10^12).
    NghinTy,
}

/// Unit keys accepted by [`MoneyUnit::parse`].
pub const UNIT_KEYS: &str = "\"dong\", \"nghin\", \"trieu\", \"ty\" hoặc \"nghin-ty\"";

impl MoneyUnit {
    /// Parses a unit key, with or without diacritics ("ty" or "tỷ").
    pub fn parse(key: &str) -> VnResult<MoneyUnit> {
        Ok(match key.trim() {
            "dong" | "đồng" => MoneyUnit::Dong,
            "nghin" | "nghìn" | "ngan" | "ngàn" => MoneyUnit::Nghin,
            "trieu" | "triệu" => MoneyUnit::Trieu,
            "ty" | "tỷ" | "tỉ" => MoneyUnit::Ty,
            "nghin-ty" | "nghìn-tỷ" | "nghìn tỷ" | "ngan-ty" => MoneyUnit::NghinTy,
            other => {
                return Err(VnError(format!(
                    "đơn vị \"{other}\" không hợp lệ; chọn {UNIT_KEYS}"
                )))
            }
        })
    }

    /// How many đồng one unit is.
    pub fn factor(self) -> Decimal {
        match self {
            MoneyUnit::Dong => Decimal::ONE,
            MoneyUnit::Nghin => Decimal::from(1_000u64),
            MoneyUnit::Trieu => Decimal::from(1_000_000u64),
            MoneyUnit::Ty => Decimal::from(1_000_000_000u64),
            MoneyUnit::NghinTy => Decimal::from(1_000_000_000_000u64),
        }
    }
}

fn too_big() -> VnError {
    VnError("số tiền vượt giới hạn tính toán".into())
}

/// An amount in đồng expressed in `unit` (exact: a shift of the decimal point).
pub fn to_unit(dong: Decimal, unit: MoneyUnit) -> VnResult<Decimal> {
    dong.checked_div(unit.factor())
        .map(|d| d.normalize())
        .ok_or_else(too_big)
}

/// An amount in `unit` expressed in đồng.
pub fn from_unit(x: Decimal, unit: MoneyUnit) -> VnResult<Decimal> {
    x.checked_mul(unit.factor())
        .map(|d| d.normalize())
        .ok_or_else(too_big)
}

/// Mixed style "5 tỷ 137 triệu" (the amount in đồng rounded half-up to whole
/// triệu; "tỷ" spelt per settings). Amounts below half a triệu or negative
/// are errors: use plain figures for them.
pub fn format_money_mixed(dong: &Decimal, s: &Settings) -> VnResult<String> {
    if dong.is_sign_negative() && !dong.is_zero() {
        return Err(VnError(format!(
            "số tiền âm ({}) không viết kiểu \"… tỷ … triệu\" được",
            format_number(dong, None)
        )));
    }
    let trieu = round_half_up(to_unit(*dong, MoneyUnit::Trieu)?, 0);
    if trieu.is_zero() {
        return Err(VnError(format!(
            "số tiền {} đồng nhỏ hơn 1 triệu, không viết kiểu \"… tỷ … triệu\" được",
            format_number(dong, None)
        )));
    }
    let thousand = Decimal::from(1000);
    let ty = (trieu / thousand).trunc();
    let rest = trieu - ty * thousand;
    let mut parts = Vec::new();
    if !ty.is_zero() {
        parts.push(format!("{} {}", format_number(&ty, None), s.word_billion()));
    }
    if !rest.is_zero() {
        parts.push(format!("{} triệu", format_number(&rest, None)));
    }
    Ok(parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vn::{approx, decimal_from_text, Rounding};

    fn d(s: &str) -> Decimal {
        decimal_from_text(s).unwrap()
    }

    fn in_unit(dong: &str, unit: &str, max: Option<u32>) -> String {
        let v = to_unit(d(dong), MoneyUnit::parse(unit).unwrap()).unwrap();
        format_number(&v, max)
    }

    #[test]
    fn spec_2_4_money_units() {
        assert_eq!(
            format!("{} tỷ đồng", in_unit("3250000000000", "ty", None)),
            "3.250 tỷ đồng"
        );
        assert_eq!(in_unit("158300000000", "ty", None), "158,3");
        assert_eq!(in_unit("40154000000", "ty", Some(3)), "40,154");
        assert_eq!(in_unit("1262300000000", "ty", None), "1.262,3");
        assert_eq!(in_unit("8254817000", "trieu", None), "8.254,817");
        assert_eq!(in_unit("40120000000", "trieu", None), "40.120");
        assert_eq!(
            format!(
                "{} nghìn tỷ đồng",
                in_unit("4600000000000", "nghin-ty", None)
            ),
            "4,6 nghìn tỷ đồng"
        );
        let s = Settings::default();
        assert_eq!(
            format!("{} đồng", format_money_mixed(&d("5137000000"), &s).unwrap()),
            "5 tỷ 137 triệu đồng"
        );
        assert_eq!(
            format_money_mixed(&d("119214000000"), &s).unwrap(),
            "119 tỷ 214 triệu"
        );
        let r0 = Rounding {
            decimals: 0,
            keep_zeros: false,
        };
        assert_eq!(
            format!("{} tỷ đồng", approx(d("915.6"), r0)),
            "gần 916 tỷ đồng"
        );
        assert_eq!(format!("{}%", approx(d("51.3"), r0)), "hơn 51%");
    }

    #[test]
    fn mixed_style_edges() {
        let s = Settings::default();
        let m = |x: &str| format_money_mixed(&d(x), &s);
        assert_eq!(m("5000000000").unwrap(), "5 tỷ");
        assert_eq!(m("137000000").unwrap(), "137 triệu");
        assert_eq!(m("1262300000000").unwrap(), "1.262 tỷ 300 triệu");
        assert_eq!(m("4999600000").unwrap(), "5 tỷ");
        assert!(m("400000").is_err());
        assert!(m("-5000000000").is_err());
        let ti = Settings {
            billion: "tỉ".into(),
            ..Settings::default()
        };
        assert_eq!(
            format_money_mixed(&d("5137000000"), &ti).unwrap(),
            "5 tỉ 137 triệu"
        );
    }

    #[test]
    fn unit_conversion_is_exact() {
        assert_eq!(
            from_unit(d("158.3"), MoneyUnit::Ty).unwrap(),
            d("158300000000")
        );
        assert_eq!(
            to_unit(d("1"), MoneyUnit::NghinTy).unwrap(),
            d("0.000000000001")
        );
        assert!(MoneyUnit::parse("usd").unwrap_err().0.contains("\"ty\""));
        assert!(from_unit(Decimal::MAX, MoneyUnit::Ty).is_err());
    }
}
