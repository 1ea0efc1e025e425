//! Money units in report prose (docs/vn-formatting.md §2.4).
//!
//! Takes amounts as exact `Decimal`s and a unit key ("dong", "nghin",
//! "trieu", "ty", "nghin-ty") and returns the amount converted exactly
//! between đồng and that unit (3.250.000.000.000 đồng → 3250 tỷ; 158,3 tỷ →
//! 158.300.000.000 đồng), or the mixed style "5 tỷ 137 triệu".

use rust_decimal::Decimal;

use super::decimal::round_half_up;
use super::number::{format_fixed, format_number};
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

    /// The unit's customary precision in report prose: the decimals an
    /// amount converted into it keeps by default (§0.5): đồng and nghìn
    /// whole, triệu 1 decimal, tỷ and nghìn tỷ 3 decimals (tỷ to the triệu).
    pub fn customary_decimals(self) -> u32 {
        match self {
            MoneyUnit::Dong | MoneyUnit::Nghin => 0,
            MoneyUnit::Trieu => 1,
            MoneyUnit::Ty | MoneyUnit::NghinTy => 3,
        }
    }

    /// The unit as a table's "Đơn vị tính" prints it: "tỷ đồng" ("tỉ đồng",
    /// "ngàn đồng" per settings).
    pub fn label(self, s: &Settings) -> String {
        match self {
            MoneyUnit::Dong => "đồng".into(),
            MoneyUnit::Nghin => format!("{} đồng", s.word_thousand()),
            MoneyUnit::Trieu => "triệu đồng".into(),
            MoneyUnit::Ty => format!("{} đồng", s.word_billion()),
            MoneyUnit::NghinTy => format!("{} {} đồng", s.word_thousand(), s.word_billion()),
        }
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

/// An amount in `from` expressed in `to` (exact).
pub fn convert(x: Decimal, from: MoneyUnit, to: MoneyUnit) -> VnResult<Decimal> {
    if from == to {
        return Ok(x);
    }
    to_unit(from_unit(x, from)?, to)
}

/// An amount in đồng converted into `unit` and printed with the unit's
/// customary precision (§0.5), or with exactly `decimals` when given
/// (`keep_zeros`: trailing zeros kept, as `giu_so_0 = true` asks):
/// 52.345.678.000 → "52,346" (tỷ), 8.254.817.000 → "8.254,8" (triệu).
pub fn format_in_unit(
    x: Decimal,
    from: MoneyUnit,
    unit: MoneyUnit,
    decimals: Option<u32>,
    keep_zeros: bool,
) -> VnResult<String> {
    let v = convert(x, from, unit)?;
    Ok(match decimals {
        Some(n) if keep_zeros => format_fixed(&v, n),
        Some(n) => format_number(&v, Some(n)),
        None => format_number(&v, Some(unit.customary_decimals())),
    })
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
    fn converted_amounts_round_to_the_units_customary_precision() {
        let f = |x: &str, u: &str, n: Option<u32>, keep: bool| {
            format_in_unit(d(x), MoneyUnit::Dong, MoneyUnit::parse(u).unwrap(), n, keep).unwrap()
        };
        assert_eq!(f("52345678000", "ty", None, false), "52,346");
        assert_eq!(f("52345678000", "ty", None, true), "52,346");
        assert_eq!(f("158300000000", "ty", None, false), "158,3");
        assert_eq!(f("158300000000", "ty", None, true), "158,3");
        assert_eq!(f("40154000000", "ty", None, false), "40,154");
        assert_eq!(f("40154500000", "ty", None, false), "40,155");
        assert_eq!(f("3250000000000", "ty", None, false), "3.250");
        assert_eq!(f("8254817000", "trieu", None, false), "8.254,8");
        assert_eq!(f("8254817000", "trieu", Some(3), false), "8.254,817");
        assert_eq!(f("8254850000", "trieu", None, false), "8.254,9");
        assert_eq!(f("40120000000", "trieu", None, false), "40.120");
        assert_eq!(f("4612345678901", "nghin-ty", None, false), "4,612");
        assert_eq!(f("1234567", "nghin", None, false), "1.235");
        assert_eq!(f("1234.5", "dong", None, false), "1.235");
        assert_eq!(f("52345678000", "ty", Some(1), false), "52,3");
        assert_eq!(f("52300000000", "ty", Some(2), true), "52,30");
        assert_eq!(f("52300000000", "ty", Some(2), false), "52,3");
        assert_eq!(f("-52345678000", "ty", None, false), "-52,346");
        assert_eq!(f("400000", "ty", None, false), "0");
        assert_eq!(
            format_in_unit(d("201.3"), MoneyUnit::Ty, MoneyUnit::Trieu, None, false).unwrap(),
            "201.300"
        );
        assert_eq!(
            format_in_unit(d("8254.817"), MoneyUnit::Trieu, MoneyUnit::Ty, None, false).unwrap(),
            "8,255"
        );
    }

    #[test]
    fn unit_labels_follow_the_word_settings() {
        let s = Settings::default();
        assert_eq!(MoneyUnit::Ty.label(&s), "tỷ đồng");
        assert_eq!(MoneyUnit::Trieu.label(&s), "triệu đồng");
        assert_eq!(MoneyUnit::NghinTy.label(&s), "nghìn tỷ đồng");
        assert_eq!(MoneyUnit::Dong.label(&s), "đồng");
        let other = Settings {
            billion: "tỉ".into(),
            thousand: "ngàn".into(),
            ..Settings::default()
        };
        assert_eq!(MoneyUnit::Ty.label(&other), "tỉ đồng");
        assert_eq!(MoneyUnit::Nghin.label(&other), "ngàn đồng");
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
