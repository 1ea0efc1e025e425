//! Numbers in words (docs/vn-formatting.md §1): "bằng chữ".
//!
//! Takes an exact `Decimal` and the [`Settings`] word choices (linh/lẻ,
//! tư/bốn, nghìn/ngàn, tỷ/tỉ, "không trăm" after triệu/tỷ) and returns the
//! reading of §1.2: 1.001 → "một nghìn không trăm linh một", 10^18 → "một tỷ
//! tỷ", 3,05 → "ba phẩy không năm", -5 → "âm năm". [`money_in_words`] rounds to
//! whole đồng first and returns "Một tỷ hai trăm ba mươi tư triệu đồng".

use rust_decimal::Decimal;

use super::decimal::round_half_up;
use super::Settings;

const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

fn digit(n: u128) -> &'static str {
    DIGITS.get(n as usize % 10).copied().unwrap_or("không")
}

/// Word collector carrying the settings' word choices.
struct Reader<'s> {
    s: &'s Settings,
    out: Vec<&'static str>,
}

impl Reader<'_> {
    fn push(&mut self, w: &'static str) {
        self.out.push(w);
    }

    /// One group of three digits; `full` reads the hundreds even when zero.
    fn triple(&mut self, n: u128, full: bool) {
        let (h, t, u) = (n / 100 % 10, n / 10 % 10, n % 10);
        let has_hundreds = full || h > 0;
        if has_hundreds {
            self.push(digit(h));
            self.push("trăm");
        }
        match t {
            0 => {
                if u > 0 {
                    if has_hundreds {
                        self.push(self.s.word_zero_tens());
                    }
                    self.push(digit(u));
                }
            }
            1 => {
                self.push("mười");
                match u {
                    0 => {}
                    5 => self.push("lăm"),
                    _ => self.push(digit(u)),
                }
            }
            _ => {
                self.push(digit(t));
                self.push("mươi");
                match u {
                    0 => {}
                    1 => self.push("mốt"),
                    4 => self.push(self.s.word_four()),
                    5 => self.push("lăm"),
                    _ => self.push(digit(u)),
                }
            }
        }
    }

    /// 0 < n < 10^9. `leading`: this is the start of the reading (no
    /// "không trăm" on the first group).
    fn below_billion(&mut self, n: u128, leading: bool) {
        if !self.s.full_groups && leading && n >= 1_000_000 {
            // Spoken (CLDR) style: the rest after "triệu" is read on its own.
            self.triple(n / 1_000_000, false);
            self.push("triệu");
            self.spoken_rest(n % 1_000_000);
            return;
        }
        let groups = [
            (n / 1_000_000, "triệu"),
            (n / 1_000 % 1_000, self.s.word_thousand()),
            (n % 1_000, ""),
        ];
        let mut started = !leading;
        for (g, scale) in groups {
            if g == 0 {
                continue;
            }
            self.triple(g, started);
            if !scale.is_empty() {
                self.push(scale);
            }
            started = true;
        }
    }

    /// Spoken style after "triệu"/"tỷ": 1–9 as "linh x", otherwise as a
    /// number of its own.
    fn spoken_rest(&mut self, r: u128) {
        if r == 0 {
            return;
        }
        if r < 10 {
            self.push(self.s.word_zero_tens());
            self.push(digit(r));
        } else {
            self.below_billion(r, true);
        }
    }

    /// Any whole number; "tỷ" recurses, so 10^18 is "một tỷ tỷ".
    fn int(&mut self, n: u128, leading: bool) {
        if n == 0 {
            self.push("không");
        } else if n >= 1_000_000_000 {
            let (a, b) = (n / 1_000_000_000, n % 1_000_000_000);
            self.int(a, leading);
            self.push(self.s.word_billion());
            if self.s.full_groups {
                if b > 0 {
                    self.below_billion(b, false);
                }
            } else {
                self.spoken_rest(b);
            }
        } else {
            self.below_billion(n, leading);
        }
    }
}

/// Reads a whole number (0 ≤ n < 2^128) in words.
fn read_whole(n: u128, s: &Settings) -> Vec<&'static str> {
    let mut r = Reader { s, out: Vec::new() };
    r.int(n, true);
    r.out
}

/// Reads any decimal in words: "âm" for negatives, "phẩy" before the
/// fraction; the fraction drops trailing zeros, reads its leading zeros as
/// "không" one by one and the rest as a whole number.
pub fn read_number(d: &Decimal, s: &Settings) -> String {
    let v = d.normalize();
    let text = v.abs().to_string();
    let (int_text, frac_text) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let mut words: Vec<&'static str> = Vec::new();
    if v.is_sign_negative() && !v.is_zero() {
        words.push("âm");
    }
    // A Decimal's integer part is below 8·10^28, well within u128.
    words.extend(read_whole(int_text.parse().unwrap_or(0), s));
    let frac = frac_text.trim_end_matches('0');
    if !frac.is_empty() {
        words.push("phẩy");
        let rest = frac.trim_start_matches('0');
        words.extend(std::iter::repeat_n("không", frac.len() - rest.len()));
        if !rest.is_empty() {
            words.extend(read_whole(rest.parse().unwrap_or(0), s));
        }
    }
    words.join(" ")
}

/// Upper-cases the first letter ("một" → "Một", "âm" → "Âm").
pub(crate) fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Money in words for "Bằng chữ: …": the amount in đồng is rounded half-up to
/// whole đồng, read, followed by "đồng" ("đồng chẵn" with `dong_chan`), and
/// capitalised.
pub fn money_in_words(dong: &Decimal, s: &Settings) -> String {
    let whole = round_half_up(*dong, 0);
    let unit = if s.money_even {
        "đồng chẵn"
    } else {
        "đồng"
    };
    capitalise(&format!("{} {unit}", read_number(&whole, s)))
}

#[cfg(test)]
mod tests;
