//! Numbers in figures: Vietnamese grouping, zero-padded counts, Roman numerals.
//!
//! Takes exact `Decimal`s and returns text with "." between thousands and ","
//! before decimals (Luật Kế toán, Điều 12): 3250 → "3.250", 7175.4 →
//! "7.175,4", -1234 → "-1.234" (ASCII hyphen-minus); counts "02" (house style,
//! 1–9 only); Roman numerals "XXV". Never prints "-0" or a dangling ",".

use rust_decimal::Decimal;

use super::decimal::round_half_up;
use super::{VnError, VnResult};

/// Formats `d` with Vietnamese separators. With `Some(n)`, rounds half-up to
/// at most `n` decimals and drops trailing zeros; with `None`, prints the
/// decimals `d` has.
pub fn format_number(d: &Decimal, max_decimals: Option<u32>) -> String {
    let v = match max_decimals {
        Some(n) => round_half_up(*d, n).normalize(),
        None => *d,
    };
    group(&v.to_string())
}

/// Formats `d` rounded half-up to exactly `decimals` decimals, keeping
/// trailing zeros ("102,40").
pub fn format_fixed(d: &Decimal, decimals: u32) -> String {
    let mut v = round_half_up(*d, decimals);
    v.rescale(decimals.min(28));
    group(&v.to_string())
}

/// Groups the plain text of a decimal ("-1234.50") as "-1.234,50".
fn group(text: &str) -> String {
    let (neg, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, text),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let is_zero = int.chars().chain(frac.chars()).all(|c| c == '0');
    let mut out = String::with_capacity(text.len() + int.len() / 3 + 1);
    if neg && !is_zero {
        out.push('-');
    }
    let len = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (len - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}

/// Converts a whole, non-negative number to `u64` for counting; the error
/// says what was wrong.
pub(crate) fn whole_u64(d: &Decimal, what: &str) -> VnResult<u64> {
    if d.fract() != Decimal::ZERO {
        return Err(VnError(format!(
            "{what} phải là số nguyên, nhận được {}",
            format_number(d, None)
        )));
    }
    if d.is_sign_negative() && !d.is_zero() {
        return Err(VnError(format!(
            "{what} không được âm, nhận được {}",
            format_number(d, None)
        )));
    }
    u64::try_from(d.trunc())
        .map_err(|_| VnError(format!("{what} quá lớn: {}", format_number(d, None))))
}

/// House-style count: 1–9 are zero-padded when `pad` ("02 doanh nghiệp"),
/// 0 and ≥ 10 never are ("16 sản phẩm", "1.272 đảng viên"). The count must be
/// a whole, non-negative number.
pub fn count(d: &Decimal, pad: bool) -> VnResult<String> {
    let n = whole_u64(d, "số đếm")?;
    Ok(if pad && (1..10).contains(&n) {
        format!("0{n}")
    } else {
        format_number(&Decimal::from(n), None)
    })
}

/// Roman numeral of 1–3999 ("khóa XXV", "quý IV").
pub fn roman(d: &Decimal) -> VnResult<String> {
    let n = whole_u64(d, "số La Mã")?;
    if !(1..=3999).contains(&n) {
        return Err(VnError(format!(
            "số La Mã chỉ viết được từ 1 đến 3999, nhận được {n}"
        )));
    }
    const TABLE: [(u64, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut rest = n;
    let mut out = String::new();
    for (value, sym) in TABLE {
        while rest >= value {
            out.push_str(sym);
            rest -= value;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vn::decimal_from_text;

    fn d(s: &str) -> Decimal {
        decimal_from_text(s).unwrap()
    }

    fn f(s: &str) -> String {
        format_number(&d(s), None)
    }

    #[test]
    fn spec_2_2_grouping_vectors() {
        assert_eq!(f("3170"), "3.170");
        assert_eq!(f("286000"), "286.000");
        assert_eq!(f("3250"), "3.250");
        assert_eq!(f("11561.48"), "11.561,48");
        assert_eq!(f("22992.23"), "22.992,23");
        assert_eq!(f("1262.3"), "1.262,3");
        assert_eq!(f("0.5"), "0,5");
        assert_eq!(f("-1234"), "-1.234");
    }

    #[test]
    fn report_figures_and_edges() {
        assert_eq!(f("158.3"), "158,3");
        assert_eq!(f("7175.4"), "7.175,4");
        assert_eq!(f("999"), "999");
        assert_eq!(f("1000"), "1.000");
        assert_eq!(f("1000000"), "1.000.000");
        assert_eq!(f("-0.5"), "-0,5");
        assert_eq!(f("0"), "0");
        assert_eq!(f("-999.25"), "-999,25");
    }

    #[test]
    fn rounding_with_max_decimals() {
        assert_eq!(format_number(&d("2.345"), Some(2)), "2,35");
        assert_eq!(format_number(&d("2.5"), Some(0)), "3");
        assert_eq!(format_number(&d("102.40"), Some(2)), "102,4");
        assert_eq!(format_number(&d("99.999"), Some(2)), "100");
        assert_eq!(format_number(&d("-0.001"), Some(2)), "0");
        assert_eq!(format_number(&d("1234.5"), Some(3)), "1.234,5");
        assert_eq!(format_fixed(&d("102.4"), 2), "102,40");
        assert_eq!(format_fixed(&d("100"), 2), "100,00");
        assert_eq!(format_fixed(&d("-0.001"), 2), "0,00");
        assert_eq!(format_fixed(&d("7.5"), 0), "8");
    }

    #[test]
    fn counts_pad_below_ten_only() {
        assert_eq!(count(&d("2"), true).unwrap(), "02");
        assert_eq!(count(&d("9"), true).unwrap(), "09");
        assert_eq!(count(&d("10"), true).unwrap(), "10");
        assert_eq!(count(&d("16"), true).unwrap(), "16");
        assert_eq!(count(&d("1272"), true).unwrap(), "1.272");
        assert_eq!(count(&d("0"), true).unwrap(), "0");
        assert_eq!(count(&d("2"), false).unwrap(), "2");
        assert!(count(&d("2.5"), true).unwrap_err().0.contains("số nguyên"));
        assert!(count(&d("-2"), true).unwrap_err().0.contains("âm"));
    }

    #[test]
    fn roman_numerals() {
        let r = |s: &str| roman(&d(s)).unwrap();
        assert_eq!(r("25"), "XXV");
        assert_eq!(r("4"), "IV");
        assert_eq!(r("1"), "I");
        assert_eq!(r("3"), "III");
        assert_eq!(r("1994"), "MCMXCIV");
        assert_eq!(r("3999"), "MMMCMXCIX");
        assert!(roman(&d("0")).is_err());
        assert!(roman(&d("4000")).is_err());
        assert!(roman(&d("1.5")).is_err());
    }
}
