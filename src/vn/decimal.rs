//! Exact decimal plumbing: JSON numbers ⇄ `Decimal`, half-up rounding and an
//! exactly rounded quotient.
//!
//! Takes the exact shortest text of a `serde_json::Number` (the crate enables
//! `arbitrary_precision`, so TOML 158.3 arrives as "158.3", 1e20 as "1e20") and
//! returns a normalised `Decimal` (no trailing zeros, never -0), or a
//! Vietnamese [`VnError`] for text that is not a number or does not fit (28
//! significant digits). [`div_round_half_up`] returns a/b·10^k rounded half-up
//! from the exact rational value (a small big-integer long division), so
//! 200.01 / 200 gives 100.01 %, which binary floats and banker's rounding miss.

use std::cmp::Ordering;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Number, Value};

use super::{VnError, VnResult};

/// Most decimals a `Decimal` can hold.
const MAX_SCALE: u32 = 28;

/// Parses a number's text ("3250", "158.3", "-5.06", "1e20", "1.5E-7") into a
/// normalised `Decimal`.
pub fn decimal_from_text(text: &str) -> VnResult<Decimal> {
    let t = text.trim();
    let parsed = if t.contains(['e', 'E']) {
        Decimal::from_scientific(t)
    } else {
        Decimal::from_str_exact(t)
    };
    match parsed {
        Ok(d) => Ok(d.normalize()),
        Err(_) if is_numeric_text(t) => Err(VnError(format!(
            "số {t} vượt quá giới hạn tính toán (tối đa 28 chữ số có nghĩa)"
        ))),
        Err(_) => Err(VnError(format!("\"{t}\" không phải là số"))),
    }
}

/// Why a number's text cannot be held exactly (see [`canonical_number`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutOfRange {
    /// More significant digits than 28 (how many it has).
    Digits(usize),
    /// More than 28 digits before the decimal point.
    Large,
    /// A digit more than 28 places after the decimal point.
    Small,
}

/// Most significant digits, digits before the point, or places after it.
pub const MAX_DIGITS: usize = 28;

/// The plain decimal text of a number written as `text` (an optional sign,
/// digits with an optional fraction, an optional exponent: "-1.50", "1e20",
/// "+2.5E-3"), exactly: no exponent, no leading `+`, no leading or trailing
/// zeros ("-1.5", "100000000000000000000", "0.0025"; zero is "0"). A number
/// that a [`Decimal`] cannot hold exactly is refused, saying why. `None` for
/// text that is not such a number.
pub fn canonical_number(text: &str) -> Option<Result<String, OutOfRange>> {
    let t = text.trim();
    if !is_numeric_text(t) {
        return None;
    }
    let (negative, body) = match t.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (mantissa, exp) = body.split_once(['e', 'E']).unwrap_or((body, "0"));
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all: String = int.chars().chain(frac.chars()).collect();
    let digits = all.trim_start_matches('0');
    let kept = digits.trim_end_matches('0');
    if kept.is_empty() {
        return Some(Ok("0".to_string()));
    }
    // value = kept × 10^shift
    let exp: i64 = match exp.strip_prefix('+').unwrap_or(exp).parse() {
        Ok(e) => e,
        // An exponent too long for i64: as far out as it goes.
        Err(_) if exp.starts_with('-') => i64::MIN / 2,
        Err(_) => i64::MAX / 2,
    };
    let shift = exp
        .saturating_add((digits.len() - kept.len()) as i64)
        .saturating_sub(frac.len() as i64);
    let max = MAX_DIGITS as i64;
    if kept.len() > MAX_DIGITS {
        return Some(Err(OutOfRange::Digits(kept.len())));
    }
    if (kept.len() as i64).saturating_add(shift) > max {
        return Some(Err(OutOfRange::Large));
    }
    if shift < -max {
        return Some(Err(OutOfRange::Small));
    }
    let mut out = String::with_capacity(2 * MAX_DIGITS + 3);
    if negative {
        out.push('-');
    }
    if shift >= 0 {
        out.push_str(kept);
        out.extend(std::iter::repeat_n('0', shift as usize));
    } else {
        let places = shift.unsigned_abs() as usize;
        let (i, f) = if places >= kept.len() {
            (String::from("0"), "0".repeat(places - kept.len()) + kept)
        } else {
            let (i, f) = kept.split_at(kept.len() - places);
            (i.to_string(), f.to_string())
        };
        out.push_str(&i);
        out.push('.');
        out.push_str(&f);
    }
    Some(Ok(out))
}

/// True when `t` looks like a decimal or exponent number ("-1.5e3").
pub(crate) fn is_numeric_text(t: &str) -> bool {
    let t = t.trim();
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    let (mant, exp) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (body, None),
    };
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let mant_ok = !(int.is_empty() && frac.is_empty()) && digits(int) && digits(frac);
    let exp_ok = match exp {
        None => true,
        Some(e) => {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && digits(e)
        }
    };
    mant_ok && exp_ok
}

/// Reads a JSON number as a normalised `Decimal`; any other JSON kind is an
/// error (the helper glue words the kind).
pub fn decimal_from_json(v: &Value) -> VnResult<Decimal> {
    match v {
        Value::Number(n) => decimal_from_text(&n.to_string()),
        _ => Err(VnError("giá trị không phải là số".into())),
    }
}

/// Builds a JSON number holding the exact, normalised text of `d` ("1.5", not
/// "1.50"), so results of arithmetic helpers feed other helpers exactly.
pub fn decimal_to_json(d: Decimal) -> VnResult<Value> {
    let text = d.normalize().to_string();
    Number::from_str(&text)
        .map(Value::Number)
        .map_err(|_| VnError(format!("không tạo được số từ \"{text}\"")))
}

/// Rounds half-up (away from zero on a tie) to at most `dp` decimals; the
/// scale of the result is `dp` (or less when `d` had fewer decimals).
pub fn round_half_up(d: Decimal, dp: u32) -> Decimal {
    d.round_dp_with_strategy(dp.min(MAX_SCALE), RoundingStrategy::MidpointAwayFromZero)
}

/// a / b · 10^k rounded half-up to `dp` decimals, computed from the exact
/// rational value. Errors: b = 0 ("chia cho 0"), a result too large for a
/// `Decimal`.
pub fn div_round_half_up(a: Decimal, b: Decimal, k: u32, dp: u32) -> VnResult<Decimal> {
    if b.is_zero() {
        return Err(VnError("chia cho 0 (mẫu số bằng 0)".into()));
    }
    let dp = dp.min(MAX_SCALE);
    if a.is_zero() {
        return Ok(Decimal::ZERO);
    }
    let negative = a.is_sign_negative() != b.is_sign_negative();
    let mut num = Big::from_u128(a.mantissa().unsigned_abs());
    num.mul_pow10(b.scale() + k + dp);
    let mut den = Big::from_u128(b.mantissa().unsigned_abs());
    den.mul_pow10(a.scale());
    let (mut q, r) = div_rem(&num, &den);
    let mut twice = r;
    twice.shl1_or(false);
    if twice.cmp_big(&den) != Ordering::Less {
        q.add_small(1);
    }
    let too_big = || VnError("kết quả quá lớn, vượt giới hạn tính toán".into());
    let q = q.to_u128().ok_or_else(too_big)?;
    let q = i128::try_from(q).map_err(|_| too_big())?;
    let signed = if negative { -q } else { q };
    Decimal::try_from_i128_with_scale(signed, dp)
        .map(|d| d.normalize())
        .map_err(|_| too_big())
}

/// Unsigned big integer, little-endian 64-bit limbs without high zero limbs.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Big(Vec<u64>);

impl Big {
    fn from_u128(v: u128) -> Big {
        let mut b = Big(vec![v as u64, (v >> 64) as u64]);
        b.trim();
        b
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn mul_small(&mut self, m: u64) {
        let mut carry: u128 = 0;
        for limb in self.0.iter_mut() {
            let p = u128::from(*limb) * u128::from(m) + carry;
            *limb = p as u64;
            carry = p >> 64;
        }
        if carry > 0 {
            self.0.push(carry as u64);
        }
        self.trim();
    }

    fn mul_pow10(&mut self, mut k: u32) {
        while k > 0 {
            let step = k.min(19);
            self.mul_small(10u64.pow(step));
            k -= step;
        }
    }

    fn add_small(&mut self, a: u64) {
        let mut carry = a;
        for limb in self.0.iter_mut() {
            let (s, o) = limb.overflowing_add(carry);
            *limb = s;
            carry = u64::from(o);
            if carry == 0 {
                return;
            }
        }
        if carry > 0 {
            self.0.push(carry);
        }
    }

    fn bits(&self) -> u64 {
        match self.0.last() {
            None => 0,
            Some(top) => (self.0.len() as u64 - 1) * 64 + u64::from(64 - top.leading_zeros()),
        }
    }

    fn bit(&self, i: u64) -> bool {
        let limb = (i / 64) as usize;
        self.0.get(limb).is_some_and(|l| (l >> (i % 64)) & 1 == 1)
    }

    fn set_bit(&mut self, i: u64) {
        let limb = (i / 64) as usize;
        if self.0.len() <= limb {
            self.0.resize(limb + 1, 0);
        }
        if let Some(l) = self.0.get_mut(limb) {
            *l |= 1 << (i % 64);
        }
    }

    /// self = self·2 + bit.
    fn shl1_or(&mut self, bit: bool) {
        let mut carry = u64::from(bit);
        for limb in self.0.iter_mut() {
            let next = *limb >> 63;
            *limb = (*limb << 1) | carry;
            carry = next;
        }
        if carry > 0 {
            self.0.push(carry);
        }
    }

    fn cmp_big(&self, o: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&o.0.len())
            .then_with(|| self.0.iter().rev().cmp(o.0.iter().rev()))
    }

    /// self -= o, for self ≥ o.
    fn sub_assign(&mut self, o: &Big) {
        let mut borrow = false;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let sub = o.0.get(i).copied().unwrap_or(0);
            let (d1, o1) = limb.overflowing_sub(sub);
            let (d2, o2) = d1.overflowing_sub(u64::from(borrow));
            *limb = d2;
            borrow = o1 || o2;
        }
        self.trim();
    }

    fn to_u128(&self) -> Option<u128> {
        match self.0.as_slice() {
            [] => Some(0),
            [lo] => Some(u128::from(*lo)),
            [lo, hi] => Some(u128::from(*lo) | (u128::from(*hi) << 64)),
            _ => None,
        }
    }
}

/// Binary long division: (n div d, n mod d) for d > 0.
fn div_rem(n: &Big, d: &Big) -> (Big, Big) {
    let mut q = Big(Vec::new());
    let mut r = Big(Vec::new());
    for i in (0..n.bits()).rev() {
        r.shl1_or(n.bit(i));
        if r.cmp_big(d) != Ordering::Less {
            r.sub_assign(d);
            q.set_bit(i);
        }
    }
    q.trim();
    (q, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        decimal_from_text(s).unwrap()
    }

    #[test]
    fn parses_json_number_texts() {
        assert_eq!(d("158.3").to_string(), "158.3");
        assert_eq!(d("3250.0").to_string(), "3250");
        assert_eq!(d("-0.0").to_string(), "0");
        assert_eq!(d("1e20").to_string(), "100000000000000000000");
        assert_eq!(d("1.5E-7").to_string(), "0.00000015");
        assert_eq!(d("2.5e+3").to_string(), "2500");
        assert!(decimal_from_text("1e300")
            .unwrap_err()
            .0
            .contains("vượt quá"));
        assert!(decimal_from_text("1e-40").is_err());
        assert!(decimal_from_text("123456789012345678901234567890")
            .unwrap_err()
            .0
            .contains("28"));
        assert!(decimal_from_text("abc")
            .unwrap_err()
            .0
            .contains("không phải là số"));
        assert!(decimal_from_text("").is_err());
    }

    #[test]
    fn json_round_trip_is_exact_and_normalised() {
        let v: Value = serde_json::from_str("158.3").unwrap();
        assert_eq!(decimal_from_json(&v).unwrap(), d("158.3"));
        let out = decimal_to_json(Decimal::new(150, 2)).unwrap();
        assert_eq!(out.to_string(), "1.5");
        assert!(decimal_from_json(&Value::String("3".into())).is_err());
    }

    #[test]
    fn exact_quotient_rounds_half_up() {
        // 200.01 / 200 · 100 = 100.005 exactly → 100.01
        let q = div_round_half_up(d("200.01"), d("200"), 2, 2).unwrap();
        assert_eq!(q.to_string(), "100.01");
        let q = div_round_half_up(d("1"), d("3"), 2, 2).unwrap();
        assert_eq!(q.to_string(), "33.33");
        let q = div_round_half_up(d("-2"), d("3"), 2, 2).unwrap();
        assert_eq!(q.to_string(), "-66.67");
        let q = div_round_half_up(d("0"), d("3"), 2, 2).unwrap();
        assert_eq!(q.to_string(), "0");
        assert!(div_round_half_up(d("1"), d("0"), 2, 2)
            .unwrap_err()
            .0
            .contains("chia cho 0"));
        let max = Decimal::MAX;
        assert!(div_round_half_up(max, d("0.0000001"), 2, 2).is_err());
    }

    #[test]
    fn round_half_up_is_away_from_zero() {
        assert_eq!(round_half_up(d("2.345"), 2).to_string(), "2.35");
        assert_eq!(round_half_up(d("-2.345"), 2).to_string(), "-2.35");
        assert_eq!(round_half_up(d("2.5"), 0).to_string(), "3");
    }

    #[test]
    fn canonical_numbers_are_exact() {
        let c = |t: &str| canonical_number(t).unwrap();
        assert_eq!(c("12345678901234.567"), Ok("12345678901234.567".into()));
        assert_eq!(c("9007199254740993.0"), Ok("9007199254740993".into()));
        assert_eq!(
            c("1234567890123456789.12"),
            Ok("1234567890123456789.12".into())
        );
        assert_eq!(c("+1.50e+3"), Ok("1500".into()));
        assert_eq!(c("-0.0"), Ok("0".into()));
        assert_eq!(c("0e99999999999999999999"), Ok("0".into()));
        assert_eq!(c("1.5E-7"), Ok("0.00000015".into()));
        assert_eq!(c("0012.3400"), Ok("12.34".into()));
        assert_eq!(c("1e27"), Ok(format!("1{}", "0".repeat(27))));
        assert_eq!(c("1e28"), Err(OutOfRange::Large));
        assert_eq!(c("1e-28"), Ok(format!("0.{}1", "0".repeat(27))));
        assert_eq!(c("1e-29"), Err(OutOfRange::Small));
        assert_eq!(c("1e-400"), Err(OutOfRange::Small));
        assert_eq!(c("1e99999999999999999999"), Err(OutOfRange::Large));
        assert_eq!(c(&"9".repeat(28)), Ok("9".repeat(28)));
        assert_eq!(c(&"9".repeat(29)), Err(OutOfRange::Digits(29)));
        assert_eq!(
            c("0.1234567890123456789012345678"),
            Ok("0.1234567890123456789012345678".into())
        );
        assert_eq!(
            c("1.000000000000000000000000001"),
            Ok("1.000000000000000000000000001".into())
        );
        assert_eq!(
            c("1.0000000000000000000000000001"),
            Err(OutOfRange::Digits(29))
        );
        assert_eq!(canonical_number("abc"), None);
        // Every accepted text is a Decimal exactly.
        for t in [
            "9999999999999999999999999999",
            "0.0000000000000000000000000001",
            "-7.5",
        ] {
            let text = c(t).unwrap();
            assert_eq!(decimal_from_text(&text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn numeric_text_detection() {
        for t in ["3250", "-1.5", "1e5", ".5", "2.", "1E-3"] {
            assert!(is_numeric_text(t), "{t}");
        }
        for t in ["", "abc", "1,5", "1e", "-", "1.2.3", "e5"] {
            assert!(!is_numeric_text(t), "{t}");
        }
    }
}
