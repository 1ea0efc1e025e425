//! Vietnamese formatting rules (specification: `docs/vn-formatting.md`).
//!
//! Takes exact decimals (`rust_decimal::Decimal`), dates, document numbers and
//! names, plus a [`Settings`] profile; returns the plain text a report prints:
//! grouped numbers ("7.175,4"), percents ("106,72%"), numbers in words, header
//! and citation dates, period phrases, document numbers ("Số 05-BC/TU") and
//! name lists in Vietnamese collation order. Errors are [`VnError`] values with
//! a Vietnamese message; nothing here panics on input.
//!
//! The Handlebars glue that exposes these functions to templates is
//! `crate::template` (the helpers).

mod date;
mod decimal;
mod docnum;
mod lexicon;
mod money;
mod names;
mod number;
mod percent;
mod settings;
mod words;

#[cfg(test)]
mod proptests;

pub use date::{
    format_date_citation, format_date_long, parse_date, period, quarter, Date, PERIOD_KINDS,
};
pub(crate) use decimal::is_numeric_text;
pub use decimal::{
    canonical_number, decimal_from_json, decimal_from_text, decimal_to_json, div_round_half_up,
    round_half_up, OutOfRange, MAX_DIGITS,
};
pub use docnum::{citation, document_number};
pub use lexicon::Lexicon;
pub use money::{convert, format_in_unit, format_money_mixed, from_unit, to_unit, MoneyUnit};
pub use names::{compare_names, compare_text, sort_names, NameKey};
pub use number::{count, format_fixed, format_number, roman};
pub use percent::{
    approx, assess, assess_lower, change, percent, points_change, rate, reduction_percent, times,
    Assessment, Rounding,
};
pub use settings::{DateStyle, DocStyle, Settings};
pub use words::{money_in_words, read_number};

use std::fmt;

/// A character no report may hold: a control character other than tab and
/// line feed (U+0000–U+001F, U+007F–U+009F), or one of the private-use
/// planes 15 and 16 (U+F0000–U+10FFFF), which mark the template's output
/// internally and which no bundled font can print.
pub fn forbidden_char(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || c >= '\u{F0000}'
}

/// A character named for a message: "ký tự điều khiển U+0000 (NUL)",
/// "ký tự dùng riêng U+F0000".
pub fn char_name(c: char) -> String {
    let code = format!("U+{:04X}", u32::from(c));
    let name = match c {
        '\0' => " (NUL)",
        '\u{7}' => " (BEL)",
        '\u{8}' => " (BS)",
        '\u{b}' => " (VT)",
        '\u{c}' => " (FF)",
        '\r' => " (CR)",
        '\u{1b}' => " (ESC)",
        '\u{7f}' => " (DEL)",
        _ => "",
    };
    if c.is_control() {
        format!("ký tự điều khiển {code}{name}")
    } else {
        format!("ký tự dùng riêng {code}")
    }
}

/// An error from a formatting function; the message is Vietnamese and is shown
/// to report authors (the helper glue prefixes the helper's name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VnError(pub String);

impl VnError {
    /// Builds an error from any message.
    pub fn new(msg: impl Into<String>) -> Self {
        VnError(msg.into())
    }
}

impl fmt::Display for VnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for VnError {}

/// Result type of this module.
pub type VnResult<T> = Result<T, VnError>;

/// `text` with its first letter in capitals ("tình hình …" → "Tình hình …"),
/// when nothing but punctuation comes before it; otherwise as it is.
pub fn capitalize_first(text: &str) -> String {
    let Some((i, c)) = text.char_indices().find(|(_, c)| c.is_alphanumeric()) else {
        return text.to_string();
    };
    if !c.is_lowercase() {
        return text.to_string();
    }
    let head = text.get(..i).unwrap_or_default();
    let rest = text.get(i + c.len_utf8()..).unwrap_or_default();
    format!("{head}{}{rest}", c.to_uppercase())
}
