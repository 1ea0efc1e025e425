//! Percents, comparisons and approximations (docs/vn-formatting.md §2.3–§2.4).
//!
//! Takes exact `Decimal`s and a [`Rounding`] (decimals + keep-zeros) and
//! returns report phrases: "106,72%", "tăng 6,72%", "giảm 27,11%", "bằng cùng
//! kỳ", "gấp 2,12 lần", "giảm 3,87 điểm phần trăm", "gần 916", and the
//! plan status [`Assessment`]. Quotients are rounded half-up from the exact
//! rational value; every status is judged on the unrounded value (99,995%
//! prints "100%" but is "không đạt").

use std::cmp::Ordering;

use rust_decimal::Decimal;

use super::decimal::{div_round_half_up, round_half_up};
use super::number::{format_fixed, format_number};
use super::{Settings, VnError, VnResult};

/// How a computed figure is rounded and printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rounding {
    /// Maximum decimals (exact count when `keep_zeros`).
    pub decimals: u32,
    /// Keep trailing zeros ("102,40%").
    pub keep_zeros: bool,
}

impl Rounding {
    /// The percent rounding of a profile (`chu_so_phan_tram`, `giu_so_0`).
    pub fn percent(s: &Settings) -> Rounding {
        Rounding {
            decimals: s.percent_decimals(),
            keep_zeros: s.keep_trailing_zeros,
        }
    }

    /// Prints an already rounded (or exact) value.
    fn show(&self, d: &Decimal) -> String {
        if self.keep_zeros {
            format_fixed(d, self.decimals)
        } else {
            format_number(d, Some(self.decimals))
        }
    }

    /// The smallest positive step at this rounding, printed ("0,01").
    fn step(&self) -> String {
        format_number(&Decimal::new(1, self.decimals.min(28)), None)
    }
}

/// a / b × 100 as a percent: 3250 / 3045.35 → "106,72%", 145 / 250 → "58%".
pub fn percent(a: Decimal, b: Decimal, r: Rounding) -> VnResult<String> {
    let q = div_round_half_up(a, b, 2, r.decimals)?;
    Ok(format!("{}%", r.show(&q)))
}

/// An existing rate as a percent: 96.3 → "96,3%", -5.06 → "-5,06%".
pub fn rate(x: Decimal, r: Rounding) -> String {
    format!("{}%", r.show(&round_half_up(x, r.decimals)))
}

fn positive_reference(b: Decimal, what: &str) -> VnResult<()> {
    if b.is_zero() {
        Err(VnError(format!("chia cho 0 ({what} bằng 0)")))
    } else if b.is_sign_negative() {
        Err(VnError(format!(
            "{what} âm ({}), không so sánh theo tỷ lệ được",
            format_number(&b, None)
        )))
    } else {
        Ok(())
    }
}

/// Change of `a` (current value) against `b` (reference, > 0): "tăng 6,72%",
/// "giảm 27,11%", or "bằng cùng kỳ" when exactly equal. A change that rounds
/// to zero prints "tăng dưới 0,01%" / "giảm dưới 0,01%".
pub fn change(a: Decimal, b: Decimal, r: Rounding) -> VnResult<String> {
    positive_reference(b, "giá trị kỳ so sánh")?;
    let diff = a
        .checked_sub(b)
        .ok_or_else(|| VnError("hiệu số vượt giới hạn tính toán".into()))?;
    let word = match diff.cmp(&Decimal::ZERO) {
        Ordering::Equal => return Ok("bằng cùng kỳ".into()),
        Ordering::Greater => "tăng",
        Ordering::Less => "giảm",
    };
    let y = div_round_half_up(diff.abs(), b, 2, r.decimals)?;
    if y.is_zero() {
        return Ok(format!("{word} dưới {}%", r.step()));
    }
    Ok(format!("{word} {}%", r.show(&y)))
}

/// How many times `a` is `b` (ratio ≥ 1, b > 0): 212 / 100 → "gấp 2,12 lần".
pub fn times(a: Decimal, b: Decimal, r: Rounding) -> VnResult<String> {
    positive_reference(b, "giá trị so sánh")?;
    if a < b {
        return Err(VnError(format!(
            "{} nhỏ hơn {}, không nói \"gấp … lần\" được (dùng tang_giam)",
            format_number(&a, None),
            format_number(&b, None)
        )));
    }
    let q = div_round_half_up(a, b, 0, r.decimals)?;
    Ok(format!("gấp {} lần", r.show(&q)))
}

/// Difference between two rates in percentage points, `a` the new rate and
/// `b` the old one: 1.33 vs 5.2 → "giảm 3,87 điểm phần trăm"; equal →
/// "không đổi"; a difference that rounds to zero → "tăng dưới 0,01 điểm phần
/// trăm".
pub fn points_change(a: Decimal, b: Decimal, r: Rounding) -> VnResult<String> {
    let diff = a
        .checked_sub(b)
        .ok_or_else(|| VnError("hiệu số vượt giới hạn tính toán".into()))?;
    let word = match diff.cmp(&Decimal::ZERO) {
        Ordering::Equal => return Ok("không đổi".into()),
        Ordering::Greater => "tăng",
        Ordering::Less => "giảm",
    };
    let y = round_half_up(diff.abs(), r.decimals);
    if y.is_zero() {
        return Ok(format!("{word} dưới {} điểm phần trăm", r.step()));
    }
    Ok(format!("{word} {} điểm phần trăm", r.show(&y)))
}

/// Status of a result against a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assessment {
    /// Ratio above 100%: "vượt".
    Exceeded,
    /// Ratio exactly 100%: "đạt".
    Met,
    /// Ratio below 100%: "không đạt".
    NotMet,
}

impl Assessment {
    /// The Vietnamese word.
    pub fn text(self) -> &'static str {
        match self {
            Assessment::Exceeded => "vượt",
            Assessment::Met => "đạt",
            Assessment::NotMet => "không đạt",
        }
    }
}

/// Judges `a` (result) against `b` (plan, > 0) on the unrounded ratio.
pub fn assess(a: Decimal, b: Decimal) -> VnResult<Assessment> {
    positive_reference(b, "chỉ tiêu kế hoạch")?;
    Ok(match a.cmp(&b) {
        Ordering::Greater => Assessment::Exceeded,
        Ordering::Equal => Assessment::Met,
        Ordering::Less => Assessment::NotMet,
    })
}

/// Judges `a` (result) against `b` (plan) for an indicator where lower is
/// better (the poor-household rate): a < b → "vượt", a = b → "đạt", a > b →
/// "không đạt". Any plan, 0 included, is a valid target.
pub fn assess_lower(a: Decimal, b: Decimal) -> Assessment {
    match a.cmp(&b) {
        Ordering::Less => Assessment::Exceeded,
        Ordering::Equal => Assessment::Met,
        Ordering::Greater => Assessment::NotMet,
    }
}

/// For an indicator where lower is better: the reduction achieved against
/// the planned reduction, both measured from `last` (the same period last
/// year): (last − actual) / (last − plan) × 100. From 4,37% with a plan of
/// 3,5% to 3,21% → "133,33%". The plan must be below `last`; a rise gives a
/// negative figure.
pub fn reduction_percent(
    actual: Decimal,
    plan: Decimal,
    last: Decimal,
    r: Rounding,
) -> VnResult<String> {
    let overflow = || VnError("hiệu số vượt giới hạn tính toán".into());
    let planned = last.checked_sub(plan).ok_or_else(overflow)?;
    if planned <= Decimal::ZERO {
        return Err(VnError(format!(
            "kế hoạch ({}) không thấp hơn cùng kỳ ({}), không có mức giảm để so",
            format_number(&plan, None),
            format_number(&last, None)
        )));
    }
    let achieved = last.checked_sub(actual).ok_or_else(overflow)?;
    percent(achieved, planned, r)
}

/// Rounds `x` half-up to `r.decimals` and says which way: "gần 916" when the
/// printed figure is larger in magnitude than `x`, "hơn 51" when smaller, the
/// bare figure when exact.
pub fn approx(x: Decimal, r: Rounding) -> String {
    let rounded = round_half_up(x, r.decimals);
    let shown = r.show(&rounded);
    match rounded.abs().cmp(&x.abs()) {
        Ordering::Greater => format!("gần {shown}"),
        Ordering::Less => format!("hơn {shown}"),
        Ordering::Equal => shown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vn::decimal_from_text;

    fn d(s: &str) -> Decimal {
        decimal_from_text(s).unwrap()
    }
    const R2: Rounding = Rounding {
        decimals: 2,
        keep_zeros: false,
    };
    const K2: Rounding = Rounding {
        decimals: 2,
        keep_zeros: true,
    };
    const R0: Rounding = Rounding {
        decimals: 0,
        keep_zeros: false,
    };

    fn pct(a: &str, b: &str) -> String {
        percent(d(a), d(b), R2).unwrap()
    }

    #[test]
    fn spec_2_3_ratio_vectors() {
        assert_eq!(pct("3250", "3200"), "101,56%");
        assert_eq!(pct("3250", "3045.35"), "106,72%");
        assert_eq!(pct("4230", "4067.3"), "104%");
        assert_eq!(pct("286000", "249000"), "114,86%");
        assert_eq!(pct("158.3", "155.2"), "102%");
        assert_eq!(pct("200.01", "200"), "100,01%");
        assert_eq!(pct("99.995", "100"), "100%");
        assert_eq!(pct("40.154", "55.088"), "72,89%");
        assert_eq!(pct("1", "3"), "33,33%");
        assert_eq!(pct("2", "3"), "66,67%");
        assert_eq!(pct("212", "100"), "212%");
        assert_eq!(pct("145", "250"), "58%");
    }

    #[test]
    fn spec_2_3_rate_vectors() {
        assert_eq!(rate(d("102.40"), R2), "102,4%");
        assert_eq!(rate(d("102.40"), K2), "102,40%");
        assert_eq!(rate(d("100"), R2), "100%");
        assert_ne!(rate(d("100"), R2), "100,00%");
        assert_eq!(rate(d("-5.06"), R2), "-5,06%");
        assert_eq!(rate(d("0.36"), R2), "0,36%");
        assert_eq!(rate(d("96.3"), R2), "96,3%");
        assert_eq!(rate(d("7.5"), K2), "7,50%");
        assert_eq!(rate(d("0.004"), R2), "0%");
    }

    #[test]
    fn spec_2_3_change_vectors() {
        assert_eq!(change(d("3250"), d("3045.35"), R2).unwrap(), "tăng 6,72%");
        assert_eq!(change(d("40.154"), d("55.088"), R2).unwrap(), "giảm 27,11%");
        assert_eq!(change(d("5"), d("5.0"), R2).unwrap(), "bằng cùng kỳ");
        assert_eq!(
            change(d("100.001"), d("100"), R2).unwrap(),
            "tăng dưới 0,01%"
        );
        assert_eq!(change(d("99.999"), d("100"), R0).unwrap(), "giảm dưới 1%");
        assert!(change(d("1"), d("0"), R2)
            .unwrap_err()
            .0
            .contains("chia cho 0"));
        assert!(change(d("1"), d("-2"), R2).unwrap_err().0.contains("âm"));
        assert_eq!(change(d("-50"), d("100"), R2).unwrap(), "giảm 150%");
    }

    #[test]
    fn spec_2_3_times_and_points() {
        assert_eq!(times(d("212"), d("100"), R2).unwrap(), "gấp 2,12 lần");
        assert_eq!(times(d("230"), d("100"), R2).unwrap(), "gấp 2,3 lần");
        assert!(times(d("50"), d("100"), R2).is_err());
        assert!(times(d("50"), d("0"), R2).is_err());
        assert_eq!(
            points_change(d("1.33"), d("5.2"), R2).unwrap(),
            "giảm 3,87 điểm phần trăm"
        );
        assert_eq!(
            points_change(d("5.2"), d("1.33"), R2).unwrap(),
            "tăng 3,87 điểm phần trăm"
        );
        assert_eq!(points_change(d("2"), d("2"), R2).unwrap(), "không đổi");
        assert_eq!(
            points_change(d("2.001"), d("2"), R2).unwrap(),
            "tăng dưới 0,01 điểm phần trăm"
        );
    }

    #[test]
    fn spec_2_3_rule_2_status_uses_unrounded_ratio() {
        assert_eq!(pct("99.995", "100"), "100%");
        assert_eq!(assess(d("99.995"), d("100")).unwrap(), Assessment::NotMet);
        assert_eq!(assess(d("99.995"), d("100")).unwrap().text(), "không đạt");
        assert_eq!(assess(d("100"), d("100.0")).unwrap().text(), "đạt");
        assert_eq!(assess(d("3250"), d("3200")).unwrap().text(), "vượt");
        assert!(assess(d("1"), d("0")).is_err());
    }

    #[test]
    fn lower_is_better_reduction_and_status() {
        assert_eq!(
            reduction_percent(d("3.21"), d("3.5"), d("4.37"), R2).unwrap(),
            "133,33%"
        );
        assert_eq!(
            reduction_percent(d("3.5"), d("3.5"), d("4.37"), R2).unwrap(),
            "100%"
        );
        assert_eq!(
            reduction_percent(d("4.0"), d("3.5"), d("4.37"), R2).unwrap(),
            "42,53%"
        );
        assert_eq!(
            reduction_percent(d("4.5"), d("3.5"), d("4.37"), R2).unwrap(),
            "-14,94%"
        );
        assert_eq!(
            reduction_percent(d("30"), d("36"), d("40"), R0).unwrap(),
            "250%"
        );
        let e = reduction_percent(d("3"), d("4.37"), d("4.37"), R2).unwrap_err();
        assert!(e.0.contains("không thấp hơn cùng kỳ (4,37)"), "{e}");
        assert!(reduction_percent(d("3"), d("5"), d("4.37"), R2).is_err());
        assert_eq!(assess_lower(d("3.21"), d("3.5")).text(), "vượt");
        assert_eq!(assess_lower(d("3.5"), d("3.50")).text(), "đạt");
        assert_eq!(assess_lower(d("3.505"), d("3.5")).text(), "không đạt");
        assert_eq!(assess_lower(d("0"), d("0")).text(), "đạt");
    }

    #[test]
    fn spec_2_4_approximators() {
        assert_eq!(approx(d("915.6"), R0), "gần 916");
        assert_eq!(approx(d("51.3"), R0), "hơn 51");
        assert_eq!(approx(d("51"), R0), "51");
        assert_eq!(approx(d("1915.6"), R0), "gần 1.916");
        assert_eq!(approx(d("-915.6"), R0), "gần -916");
        assert_eq!(approx(d("51.34"), R2), "51,34");
        assert_eq!(
            approx(
                d("51.34"),
                Rounding {
                    decimals: 1,
                    keep_zeros: false
                }
            ),
            "hơn 51,3"
        );
    }
}
