//! Property tests of `crate::vn` against independent references written
//! differently from the code under test: a strict parser of Vietnamese number
//! words (words → number must give back the number), u128 integer arithmetic
//! with "add half, floor" rounding for percents, string-chunk grouping for
//! figures, a precomposed-letter table for collation, and a day-count round
//! trip for dates.

use std::cmp::Ordering;

use proptest::prelude::*;
use rust_decimal::Decimal;
use unicode_normalization::UnicodeNormalization;

use super::*;

// ---------------------------------------------------------------- words ----

/// Strict parser of the readings §1.2 allows; `None` for anything else.
struct WordParser<'a> {
    s: &'a Settings,
}

const DIGIT_WORDS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

fn digit_of(w: &str) -> Option<u128> {
    DIGIT_WORDS.iter().position(|d| *d == w).map(|p| p as u128)
}

impl WordParser<'_> {
    fn linh(&self) -> &str {
        if self.s.zero_tens == "lẻ" {
            "lẻ"
        } else {
            "linh"
        }
    }

    fn full_groups(&self) -> bool {
        self.s.full_groups
    }

    /// One non-zero group of three digits.
    fn triple(&self, t: &[&str], full: bool) -> Option<u128> {
        let (hundreds, rest) = match t {
            [d, "trăm", rest @ ..] => {
                let h = digit_of(d)?;
                if h == 0 && !full {
                    return None;
                }
                (Some(h), rest)
            }
            _ if full => return None,
            _ => (None, t),
        };
        let tens_units = match rest {
            [] => 0,
            [l, d] if *l == self.linh() => {
                hundreds?;
                let u = digit_of(d)?;
                (u > 0).then_some(u)?
            }
            ["mười"] => 10,
            ["mười", "lăm"] => 15,
            ["mười", u] => {
                let u = digit_of(u)?;
                (u > 0 && u != 5).then_some(10 + u)?
            }
            [d, "mươi"] => {
                let t = digit_of(d)?;
                (t >= 2).then_some(10 * t)?
            }
            [d, "mươi", u] => {
                let t = digit_of(d)?;
                let u = match *u {
                    "mốt" => 1,
                    "lăm" => 5,
                    w if w == self.s.word_four() => 4,
                    w => {
                        let u = digit_of(w)?;
                        if matches!(u, 0 | 1 | 4 | 5) {
                            return None;
                        }
                        u
                    }
                };
                (t >= 2).then_some(10 * t + u)?
            }
            [d] => {
                if hundreds.is_some() {
                    return None;
                }
                let u = digit_of(d)?;
                (u > 0).then_some(u)?
            }
            _ => return None,
        };
        let v = hundreds.unwrap_or(0) * 100 + tens_units;
        (v > 0).then_some(v)
    }

    /// 0 < n < 10^9; `leading` = first words of the reading.
    fn below(&self, t: &[&str], leading: bool) -> Option<u128> {
        let mut started = !leading;
        let mut total = 0;
        let mut rest = t;
        if let Some(p) = rest.iter().position(|w| *w == "triệu") {
            let (g, after) = (rest.get(..p)?, rest.get(p + 1..)?);
            total = self.triple(g, started)? * 1_000_000;
            started = true;
            if !self.full_groups() {
                return Some(total + self.after_scale(after)?);
            }
            rest = after;
        }
        let nghin = self.s.word_thousand();
        if let Some(p) = rest.iter().position(|w| *w == nghin) {
            let (g, after) = (rest.get(..p)?, rest.get(p + 1..)?);
            total += self.triple(g, started)? * 1_000;
            started = true;
            rest = after;
        }
        if !rest.is_empty() {
            total += self.triple(rest, started)?;
        }
        (total > 0).then_some(total)
    }

    /// What follows "triệu"/"tỷ" (possibly nothing).
    fn after_scale(&self, t: &[&str]) -> Option<u128> {
        if t.is_empty() {
            return Some(0);
        }
        if self.full_groups() {
            return self.below(t, false);
        }
        match t {
            [l, d] if *l == self.linh() => {
                let u = digit_of(d)?;
                (u > 0).then_some(u)
            }
            _ => self.below(t, true).filter(|v| *v >= 10),
        }
    }

    fn int(&self, t: &[&str]) -> Option<u128> {
        if t == ["không"] {
            return Some(0);
        }
        let ty = self.s.word_billion();
        match t.iter().rposition(|w| *w == ty) {
            Some(p) => {
                let left = self.int(t.get(..p)?)?;
                if left == 0 {
                    return None;
                }
                Some(left * 1_000_000_000 + self.after_scale(t.get(p + 1..)?)?)
            }
            None => self.below(t, true),
        }
    }

    /// A full reading (sign, integer, fraction) as normalised decimal text.
    fn number(&self, text: &str) -> Option<String> {
        let words: Vec<&str> = text.split(' ').collect();
        let (neg, words) = match words.split_first() {
            Some((&"âm", rest)) => (true, rest),
            _ => (false, &words[..]),
        };
        let (int_words, frac_words) = match words.iter().position(|w| *w == "phẩy") {
            Some(p) => (words.get(..p)?, Some(words.get(p + 1..)?)),
            None => (words, None),
        };
        let mut out = self.int(int_words)?.to_string();
        if let Some(f) = frac_words {
            let zeros = f.iter().take_while(|w| **w == "không").count();
            let rest = f.get(zeros..)?;
            let digits = if rest.is_empty() {
                return None;
            } else {
                self.int(rest)?.to_string()
            };
            if digits.ends_with('0') {
                return None;
            }
            out = format!("{out}.{}{digits}", "0".repeat(zeros));
        }
        if neg {
            if out == "0" {
                return None;
            }
            out.insert(0, '-');
        }
        Some(out)
    }
}

fn settings_strategy() -> impl Strategy<Value = Settings> {
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(le, bon, ngan, ti, full)| Settings {
            zero_tens: if le { "lẻ" } else { "linh" }.into(),
            four: if bon { "bốn" } else { "tư" }.into(),
            thousand: if ngan { "ngàn" } else { "nghìn" }.into(),
            billion: if ti { "tỉ" } else { "tỷ" }.into(),
            full_groups: full,
            ..Settings::default()
        })
}

/// Digit strings rich in zeros (the hard cases), up to 28 digits.
fn digits_strategy(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![3 => Just(0u8), 2 => 0u8..10], 1..=max)
        .prop_map(|v| v.iter().map(|d| char::from(b'0' + d)).collect())
}

fn decimal_strategy() -> impl Strategy<Value = Decimal> {
    (digits_strategy(28), 0u32..=12, any::<bool>()).prop_map(|(digits, scale, neg)| {
        let m: i128 = digits.parse().unwrap_or(0);
        let d = Decimal::from_i128_with_scale(if neg { -m } else { m }, scale);
        d.normalize()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn words_parse_back_to_the_number(d in decimal_strategy(), s in settings_strategy()) {
        let text = read_number(&d, &s);
        let parsed = WordParser { s: &s }.number(&text);
        prop_assert_eq!(parsed, Some(d.to_string()), "{}", text);
    }

    #[test]
    fn whole_numbers_parse_back(n in any::<u64>(), s in settings_strategy()) {
        let text = read_number(&Decimal::from(n), &s);
        prop_assert_eq!(WordParser { s: &s }.number(&text), Some(n.to_string()), "{}", text);
    }

    #[test]
    fn money_in_words_is_the_rounded_amount(
        cents in 0u64..10_000_000_000_000, s in settings_strategy()
    ) {
        let amount = Decimal::new(cents as i64, 2);
        let text = money_in_words(&amount, &s);
        let lower = format!("{}{}", text.chars().next().map(|c| c.to_lowercase().to_string()).unwrap_or_default(), text.chars().skip(1).collect::<String>());
        let words = lower.strip_suffix(" đồng").unwrap_or("?");
        let expected = (cents + 50) / 100;
        prop_assert_eq!(WordParser { s: &s }.number(words), Some(expected.to_string()), "{}", text);
    }
}

// ------------------------------------------------------------- percents ----

/// Reference: group an integer's digits in chunks of three from the right.
fn ref_group(int_digits: &str) -> String {
    let rev: Vec<char> = int_digits.chars().rev().collect();
    let chunks: Vec<String> = rev.chunks(3).map(|c| c.iter().rev().collect()).collect();
    chunks.into_iter().rev().collect::<Vec<_>>().join(".")
}

/// Reference: q·10^-dp as Vietnamese text, trailing zeros dropped.
fn ref_fixed(q: u128, dp: u32, keep: bool) -> String {
    let digits = format!("{q:0width$}", width = dp as usize + 1);
    let (int, frac) = digits.split_at(digits.len() - dp as usize);
    let frac = if keep {
        frac
    } else {
        frac.trim_end_matches('0')
    };
    if frac.is_empty() {
        ref_group(int)
    } else {
        format!("{},{}", ref_group(int), frac)
    }
}

/// Reference: (num/den) rounded half-up as "add half and floor".
fn ref_div_half_up(num: u128, den: u128) -> u128 {
    (2 * num + den) / (2 * den)
}

fn pow10(k: u32) -> u128 {
    10u128.pow(k)
}

fn rounding(dp: u32) -> Rounding {
    Rounding {
        decimals: dp,
        keep_zeros: false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn percent_matches_integer_reference(
        a in 0u64..1_000_000_000_000, sa in 0u32..=4,
        b in 1u64..1_000_000_000_000, sb in 0u32..=4,
        dp in 0u32..=4, na in any::<bool>(), nb in any::<bool>()
    ) {
        let da = Decimal::new(if na { -(a as i64) } else { a as i64 }, sa);
        let db = Decimal::new(if nb { -(b as i64) } else { b as i64 }, sb);
        let q = ref_div_half_up(u128::from(a) * pow10(sb + 2 + dp), u128::from(b) * pow10(sa));
        let sign = if na != nb && q != 0 { "-" } else { "" };
        let expected = format!("{sign}{}%", ref_fixed(q, dp, false));
        prop_assert_eq!(percent(da, db, rounding(dp)).ok(), Some(expected));
    }

    #[test]
    fn percent_exact_midpoints_round_up(
        b in 1u64..10_000_000, sb in 0u32..=3, p in 0u64..2_000_000, dp in 0u32..=3
    ) {
        // a / b · 100 = P / 10^(dp+1) with P ending in 5: an exact tie.
        let p = p * 10 + 5;
        let a_mant = i128::from(b) * i128::from(p);
        let da = Decimal::from_i128_with_scale(a_mant, dp + 3 + sb);
        let db = Decimal::new(b as i64, sb);
        let expected = format!("{}%", ref_fixed(u128::from(p / 10 + 1), dp, false));
        prop_assert_eq!(percent(da, db, rounding(dp)).ok(), Some(expected));
    }

    #[test]
    fn change_matches_integer_reference(
        a in 0u64..1_000_000_000_000, sa in 0u32..=4,
        b in 1u64..1_000_000_000_000, sb in 0u32..=4, dp in 0u32..=3
    ) {
        let s = sa.max(sb);
        let (ea, eb) = (u128::from(a) * pow10(s - sa), u128::from(b) * pow10(s - sb));
        let expected = match ea.cmp(&eb) {
            Ordering::Equal => "bằng cùng kỳ".to_string(),
            ord => {
                let word = if ord == Ordering::Greater { "tăng" } else { "giảm" };
                let q = ref_div_half_up(ea.abs_diff(eb) * pow10(2 + dp), eb);
                if q == 0 {
                    format!("{word} dưới {}%", ref_fixed(1, dp, false))
                } else {
                    format!("{word} {}%", ref_fixed(q, dp, false))
                }
            }
        };
        let got = change(Decimal::new(a as i64, sa), Decimal::new(b as i64, sb), rounding(dp));
        prop_assert_eq!(got.ok(), Some(expected));
    }

    #[test]
    fn assessment_matches_cross_multiplication(
        a in 0u64..1_000_000_000, sa in 0u32..=4, b in 1u64..1_000_000_000, sb in 0u32..=4
    ) {
        let lhs = u128::from(a) * pow10(sb);
        let rhs = u128::from(b) * pow10(sa);
        let expected = match lhs.cmp(&rhs) {
            Ordering::Greater => "vượt",
            Ordering::Equal => "đạt",
            Ordering::Less => "không đạt",
        };
        let got = assess(Decimal::new(a as i64, sa), Decimal::new(b as i64, sb)).map(|x| x.text());
        prop_assert_eq!(got.ok(), Some(expected));
    }

    #[test]
    fn figures_match_string_reference(m in any::<i64>(), scale in 0u32..=8, dp in 0u32..=4) {
        let d = Decimal::new(m, scale);
        // As the data has them (scale kept).
        let expected = {
            let sign = if m < 0 { "-" } else { "" };
            format!("{sign}{}", ref_fixed(u128::from(m.unsigned_abs()), scale, true))
        };
        let expected = if expected.trim_start_matches('-').chars().all(|c| matches!(c, '0' | ',' | '.')) {
            expected.trim_start_matches('-').to_string()
        } else {
            expected
        };
        prop_assert_eq!(format_number(&d, None), expected);
        // Rounded half-up to dp decimals, trailing zeros dropped.
        let mag = u128::from(m.unsigned_abs());
        let q = if dp >= scale {
            mag * pow10(dp - scale)
        } else {
            ref_div_half_up(mag, pow10(scale - dp))
        };
        let sign = if m < 0 && q != 0 { "-" } else { "" };
        prop_assert_eq!(format_number(&d, Some(dp)), format!("{sign}{}", ref_fixed(q, dp, false)));
    }
}

// ------------------------------------------------------------ collation ----

/// Vowel rows of precomposed letters: no tone, huyền, hỏi, ngã, sắc, nặng.
const VOWELS: [(&str, &str); 12] = [
    ("a", "aàảãáạ"),
    ("ă", "ăằẳẵắặ"),
    ("â", "âầẩẫấậ"),
    ("e", "eèẻẽéẹ"),
    ("ê", "êềểễếệ"),
    ("i", "iìỉĩíị"),
    ("o", "oòỏõóọ"),
    ("ô", "ôồổỗốộ"),
    ("ơ", "ơờởỡớợ"),
    ("u", "uùủũúụ"),
    ("ư", "ưừửữứự"),
    ("y", "yỳỷỹýỵ"),
];
const REF_ALPHABET: &str = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz";

/// A generated word: letters (alphabet index, upper case) and a tone on one
/// vowel position.
#[derive(Debug, Clone)]
struct GenWord {
    letters: Vec<(usize, bool)>,
    tone: usize,
    tone_at: usize,
}

impl GenWord {
    fn alphabet(i: usize) -> char {
        REF_ALPHABET.chars().nth(i % 33).unwrap_or('a')
    }

    fn vowel_positions(&self) -> Vec<usize> {
        (0..self.letters.len())
            .filter(|&p| {
                let c = Self::alphabet(self.letters[p].0).to_string();
                VOWELS.iter().any(|(v, _)| *v == c)
            })
            .collect()
    }

    /// The word's tone as placed (0 when no vowel).
    fn effective_tone(&self) -> usize {
        if self.vowel_positions().is_empty() {
            0
        } else {
            self.tone
        }
    }

    fn render(&self) -> String {
        let vp = self.vowel_positions();
        let toned = vp.get(self.tone_at % vp.len().max(1)).copied();
        let mut out = String::new();
        for (p, &(i, upper)) in self.letters.iter().enumerate() {
            let base = Self::alphabet(i);
            let mut c = base;
            if Some(p) == toned {
                let row = VOWELS
                    .iter()
                    .find(|(v, _)| v.starts_with(base))
                    .map(|(_, r)| *r);
                c = row.and_then(|r| r.chars().nth(self.tone)).unwrap_or(base);
            }
            if upper {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
        }
        out
    }
}

fn word_strategy() -> impl Strategy<Value = GenWord> {
    (
        prop::collection::vec((0usize..33, prop::bool::weighted(0.2)), 1..5),
        0usize..6,
        0usize..4,
    )
        .prop_map(|(letters, tone, tone_at)| GenWord {
            letters,
            tone,
            tone_at,
        })
}

/// Reference key from the generation data (not from the text).
fn ref_key(words: &[GenWord]) -> (Vec<Vec<usize>>, Vec<usize>, Vec<bool>) {
    (
        words
            .iter()
            .map(|w| w.letters.iter().map(|l| l.0).collect())
            .collect(),
        words.iter().map(GenWord::effective_tone).collect(),
        words
            .iter()
            .flat_map(|w| w.letters.iter().map(|l| l.1))
            .collect(),
    )
}

fn render_words(words: &[GenWord]) -> String {
    words
        .iter()
        .map(GenWord::render)
        .collect::<Vec<_>>()
        .join(" ")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn collation_matches_letter_table(
        a in prop::collection::vec(word_strategy(), 1..4),
        b in prop::collection::vec(word_strategy(), 1..4),
        nfd in any::<bool>()
    ) {
        let (ta, tb) = (render_words(&a), render_words(&b));
        let ta = if nfd { ta.nfd().collect() } else { ta };
        prop_assert_eq!(compare_text(&ta, &tb), ref_key(&a).cmp(&ref_key(&b)), "{} vs {}", ta, tb);
    }

    #[test]
    fn names_compare_given_name_first(
        a in prop::collection::vec(word_strategy(), 1..4),
        b in prop::collection::vec(word_strategy(), 1..4)
    ) {
        let split = |w: &[GenWord]| {
            let (last, rest) = w.split_last().map(|(l, r)| (vec![l.clone()], r.to_vec())).unwrap_or_default();
            (ref_key(&last), ref_key(&rest))
        };
        let (ta, tb) = (render_words(&a), render_words(&b));
        prop_assert_eq!(compare_names(&ta, &tb), split(&a).cmp(&split(&b)), "{} vs {}", ta, tb);
    }
}

// ---------------------------------------------------------------- dates ----

/// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Civil date of a day count (inverse of [`days_from_civil`]).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn dates_valid_iff_day_count_round_trips(y in 1000i64..=9999, m in 0i64..=13, d in 0i64..=32) {
        let text = format!("{y:04}-{m:02}-{d:02}");
        let valid = (1..=12).contains(&m) && d >= 1
            && civil_from_days(days_from_civil(y, m, d)) == (y, m, d);
        let parsed = parse_date(&text);
        prop_assert_eq!(parsed.is_ok(), valid, "{}", text);
        if let Ok(date) = parsed {
            let day = if d < 10 { format!("0{d}") } else { d.to_string() };
            let month = match m { 1 => "01".to_string(), 2 => "02".to_string(), _ => m.to_string() };
            prop_assert_eq!(format_date_long(&date), format!("ngày {day} tháng {month} năm {y}"));
            prop_assert_eq!(
                format_date_citation(&date, DateStyle::Slash),
                format!("{day}/{month}/{y}")
            );
        }
    }
}

#[test]
fn parser_rejects_known_bad_readings() {
    let s = Settings::default();
    let p = WordParser { s: &s };
    // §1.7 anti-vectors: never parsed as the number they were meant for.
    for (bad, meant) in [
        ("hai mươi một", "21"),
        ("một trăm linh lăm", "105"),
        ("một nghìn hai trăm linh bốn", "1234"),
        ("năm trăm hai mươi ba nghìn năm mươi sáu", "523056"),
        ("một nghìn tỷ một trăm tỷ", "1100000000000"),
        ("hai triệu không nghìn không trăm năm mươi", "2000050"),
        ("mười tư", "14"),
        ("không trăm năm", "5"),
    ] {
        assert_ne!(p.number(bad), Some(meant.to_string()), "{bad}");
    }
    assert_eq!(
        p.number("một nghìn một trăm tỷ"),
        Some("1100000000000".into())
    );
    assert_eq!(p.number("một tỷ tỷ"), Some("1000000000000000000".into()));
}
