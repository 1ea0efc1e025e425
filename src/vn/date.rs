//! Dates and reporting periods (docs/vn-formatting.md §3).
//!
//! Takes "YYYY-MM-DD" strings (TOML dates as the data loader passes them) and
//! period keys, returns header dates "ngày 05 tháng 3 năm 2021" (day below 10
//! and months 1–2 zero-padded, Nghị định 30/2020), citation dates
//! "18-01-2022" / "19/4/2022" (same padding), quarters "quý I/2021" and
//! period phrases "6 tháng đầu năm 2023", "giai đoạn 2021-2025".

use super::number::roman;
use super::{DateStyle, Settings, VnError, VnResult};
use rust_decimal::Decimal;

/// A valid calendar date (proleptic Gregorian, years 1–9999).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, 1–9999.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day, 1–31 (valid for the month).
    pub day: u32,
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// The date as messages write it, unpadded: "27-5-2026".
    pub fn dmy(&self) -> String {
        format!("{}-{}-{}", self.day, self.month, self.year)
    }

    /// Checks the fields; 2023-02-30 is an error.
    pub fn new(year: i32, month: u32, day: u32) -> VnResult<Date> {
        if !(1..=9999).contains(&year) {
            return Err(VnError(format!("năm {year} không hợp lệ")));
        }
        if !(1..=12).contains(&month) {
            return Err(VnError(format!("tháng {month} không hợp lệ")));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(VnError(format!(
                "ngày {day} không có trong tháng {month} năm {year}"
            )));
        }
        Ok(Date { year, month, day })
    }
}

/// Parses "YYYY-MM-DD" (exactly 4-2-2 digits) into a valid [`Date`].
pub fn parse_date(text: &str) -> VnResult<Date> {
    let bad = || {
        VnError(format!(
            "\"{text}\" không phải là ngày hợp lệ (cần dạng NNNN-TT-NN, ví dụ 2021-03-05)"
        ))
    };
    let parts: Vec<&str> = text.trim().split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    let all_digits = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_digit());
    if !(all_digits(y, 4) && all_digits(m, 2) && all_digits(d, 2)) {
        return Err(bad());
    }
    let (y, m, d) = (
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        d.parse().map_err(|_| bad())?,
    );
    Date::new(y, m, d).map_err(|e| VnError(format!("\"{text}\" không phải là ngày hợp lệ: {e}")))
}

/// Day with the padding rule: below 10 gets a leading zero.
fn pad_day(d: u32) -> String {
    format!("{d:02}")
}

/// Month with the padding rule: only 1 and 2 get a leading zero.
fn pad_month(m: u32) -> String {
    if m <= 2 {
        format!("{m:02}")
    } else {
        m.to_string()
    }
}

/// Header style: "ngày 05 tháng 3 năm 2021", "ngày 28 tháng 02 năm 2023".
pub fn format_date_long(d: &Date) -> String {
    format!(
        "ngày {} tháng {} năm {}",
        pad_day(d.day),
        pad_month(d.month),
        d.year
    )
}

/// Citation style: "18-01-2022" (Party) or "18/01/2022", "19/4/2022" (State).
pub fn format_date_citation(d: &Date, style: DateStyle) -> String {
    let sep = match style {
        DateStyle::Dash => '-',
        DateStyle::Slash => '/',
    };
    format!(
        "{}{sep}{}{sep}{}",
        pad_day(d.day),
        pad_month(d.month),
        d.year
    )
}

fn check_year(y: i64) -> VnResult<i64> {
    if (1000..=9999).contains(&y) {
        Ok(y)
    } else {
        Err(VnError(format!("năm phải có 4 chữ số, nhận được {y}")))
    }
}

fn quarter_roman(q: i64) -> VnResult<String> {
    if !(1..=4).contains(&q) {
        return Err(VnError(format!("quý phải từ 1 đến 4, nhận được {q}")));
    }
    roman(&Decimal::from(q))
}

/// Compact quarter: "quý I/2021"; without a year "quý IV".
pub fn quarter(q: i64, year: Option<i64>) -> VnResult<String> {
    let r = quarter_roman(q)?;
    Ok(match year {
        Some(y) => format!("quý {r}/{}", check_year(y)?),
        None => format!("quý {r}"),
    })
}

/// Keys accepted by [`period`], with the numbers each takes.
pub const PERIOD_KINDS: &[(&str, &str)] = &[
    ("6-thang", "năm"),
    ("6-thang-cuoi", "năm"),
    ("9-thang", "năm"),
    ("3-thang-cuoi", "năm"),
    ("nam", "năm"),
    ("quy", "quý, năm"),
    ("thang", "tháng, năm"),
    ("thang-luy-ke", "tháng, năm"),
    ("giai-doan", "năm đầu, năm cuối"),
    ("nhiem-ky", "năm đầu, năm cuối"),
    ("nam-hoc", "năm đầu, năm cuối"),
];

/// Period phrase of §3.3 from a key and its numbers:
/// "6-thang" 2023 → "6 tháng đầu năm 2023"; "6-thang-cuoi" 2023 → "6 tháng
/// cuối năm 2023"; "9-thang" 2023 → "9 tháng đầu năm 2023"; "3-thang-cuoi"
/// 2023 → "3 tháng cuối năm 2023"; "nam" 2022 → "năm 2022"; "quy" 1 2023 →
/// "quý I năm 2023"; "thang" 5 2017 → "tháng 5 năm 2017"; "thang-luy-ke" 5
/// 2017 → "tháng 5 và 5 tháng năm 2017"; "giai-doan" 2021 2025 → "giai đoạn
/// 2021-2025"; "nhiem-ky" 2020 2025 → "nhiệm kỳ 2020-2025"; "nam-hoc" 2026
/// 2027 → "năm học 2026-2027" (dash from `gach_giai_doan`).
pub fn period(kind: &str, nums: &[i64], s: &Settings) -> VnResult<String> {
    let Some((_, wanted)) = PERIOD_KINDS.iter().find(|(k, _)| *k == kind) else {
        let keys: Vec<String> = PERIOD_KINDS
            .iter()
            .map(|(k, _)| format!("\"{k}\""))
            .collect();
        return Err(VnError(format!(
            "không có loại kỳ báo cáo \"{kind}\"; chọn một trong {}",
            keys.join(", ")
        )));
    };
    let need = wanted.split(", ").count();
    if nums.len() != need {
        return Err(VnError(format!(
            "kỳ \"{kind}\" cần {need} số ({wanted}), nhận được {}",
            nums.len()
        )));
    }
    let one = |i: usize| nums.get(i).copied().unwrap_or(0);
    let span = |label: &str| -> VnResult<String> {
        let (a, b) = (check_year(one(0))?, check_year(one(1))?);
        if b <= a {
            return Err(VnError(format!(
                "năm cuối ({b}) phải lớn hơn năm đầu ({a})"
            )));
        }
        Ok(format!("{label} {a}{}{b}", s.dash()))
    };
    let month = |m: i64| -> VnResult<i64> {
        if (1..=12).contains(&m) {
            Ok(m)
        } else {
            Err(VnError(format!("tháng phải từ 1 đến 12, nhận được {m}")))
        }
    };
    Ok(match kind {
        "6-thang" => format!("6 tháng đầu năm {}", check_year(one(0))?),
        "6-thang-cuoi" => format!("6 tháng cuối năm {}", check_year(one(0))?),
        "9-thang" => format!("9 tháng đầu năm {}", check_year(one(0))?),
        "3-thang-cuoi" => format!("3 tháng cuối năm {}", check_year(one(0))?),
        "nam" => format!("năm {}", check_year(one(0))?),
        "quy" => format!("quý {} năm {}", quarter_roman(one(0))?, check_year(one(1))?),
        "thang" => format!("tháng {} năm {}", month(one(0))?, check_year(one(1))?),
        "thang-luy-ke" => {
            let m = month(one(0))?;
            format!("tháng {m} và {m} tháng năm {}", check_year(one(1))?)
        }
        "giai-doan" => span("giai đoạn")?,
        "nhiem-ky" => span("nhiệm kỳ")?,
        _ => {
            if one(1) != one(0) + 1 {
                return Err(VnError(format!(
                    "năm học phải là hai năm liền nhau, nhận được {} và {}",
                    one(0),
                    one(1)
                )));
            }
            span("năm học")?
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long(s: &str) -> String {
        format_date_long(&parse_date(s).unwrap())
    }

    #[test]
    fn spec_3_1_header_dates() {
        assert_eq!(long("2021-03-05"), "ngày 05 tháng 3 năm 2021");
        assert_eq!(long("2021-01-01"), "ngày 01 tháng 01 năm 2021");
        assert_eq!(long("2023-02-28"), "ngày 28 tháng 02 năm 2023");
        assert_eq!(long("2023-03-12"), "ngày 12 tháng 3 năm 2023");
        assert_eq!(long("2020-11-09"), "ngày 09 tháng 11 năm 2020");
        assert_eq!(long("2021-10-10"), "ngày 10 tháng 10 năm 2021");
        assert_eq!(
            format!("Bắc Kạn, {}", long("2021-12-15")),
            "Bắc Kạn, ngày 15 tháng 12 năm 2021"
        );
        assert_eq!(long("2018-02-20"), "ngày 20 tháng 02 năm 2018");
    }

    #[test]
    fn spec_3_1_anti_vectors() {
        assert_ne!(long("2023-07-05"), "ngày 05 tháng 07 năm 2023");
        assert_ne!(long("2024-03-15"), "ngày 15 tháng 03 năm 2024");
        assert_ne!(long("2021-03-05"), "ngày 5 tháng 3 năm 2021");
    }

    #[test]
    fn spec_3_2_citation_dates() {
        let c = |s: &str, st| format_date_citation(&parse_date(s).unwrap(), st);
        assert_eq!(c("2022-01-18", DateStyle::Slash), "18/01/2022");
        assert_eq!(c("2022-01-18", DateStyle::Dash), "18-01-2022");
        assert_eq!(c("2022-04-19", DateStyle::Slash), "19/4/2022");
        assert_eq!(c("2022-09-16", DateStyle::Slash), "16/9/2022");
        assert_eq!(c("2016-05-15", DateStyle::Slash), "15/5/2016");
        assert_eq!(c("2016-05-15", DateStyle::Dash), "15-5-2016");
        assert_eq!(c("1997-10-01", DateStyle::Dash), "01-10-1997");
        assert_eq!(c("2004-02-16", DateStyle::Dash), "16-02-2004");
    }

    #[test]
    fn invalid_dates_are_errors() {
        for bad in [
            "2023-02-30",
            "2023-02-29",
            "2023-13-01",
            "2023-00-10",
            "2023-01-00",
            "2023-1-5",
            "05/03/2021",
            "abc",
            "",
            "2023-04-31",
            "0000-01-01",
            "２０２３-01-01",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        assert!(parse_date("2024-02-29").is_ok());
        assert!(parse_date("2000-02-29").is_ok());
        assert!(parse_date("1900-02-29").is_err());
        let e = parse_date("2023-02-30").unwrap_err();
        assert!(
            e.0.contains("\"2023-02-30\" không phải là ngày hợp lệ"),
            "{e}"
        );
    }

    #[test]
    fn spec_3_3_quarters_and_periods() {
        let s = Settings::default();
        assert_eq!(quarter(1, Some(2021)).unwrap(), "quý I/2021");
        assert_eq!(quarter(2, None).unwrap(), "quý II");
        assert_eq!(quarter(3, None).unwrap(), "quý III");
        assert_eq!(quarter(4, None).unwrap(), "quý IV");
        assert!(quarter(5, None).is_err());
        assert!(quarter(0, Some(2021)).is_err());
        let p = |k: &str, n: &[i64]| period(k, n, &s).unwrap();
        assert_eq!(p("quy", &[1, 2023]), "quý I năm 2023");
        assert_eq!(p("6-thang", &[2023]), "6 tháng đầu năm 2023");
        assert_eq!(p("6-thang-cuoi", &[2023]), "6 tháng cuối năm 2023");
        assert_eq!(p("9-thang", &[2023]), "9 tháng đầu năm 2023");
        assert_eq!(p("3-thang-cuoi", &[2023]), "3 tháng cuối năm 2023");
        assert_eq!(p("thang-luy-ke", &[5, 2017]), "tháng 5 và 5 tháng năm 2017");
        assert_eq!(p("thang", &[5, 2017]), "tháng 5 năm 2017");
        assert_eq!(p("nam", &[2022]), "năm 2022");
        assert_eq!(p("giai-doan", &[2021, 2025]), "giai đoạn 2021-2025");
        assert_eq!(p("nhiem-ky", &[2020, 2025]), "nhiệm kỳ 2020-2025");
        assert_eq!(p("nam-hoc", &[2026, 2027]), "năm học 2026-2027");
        let spaced = Settings {
            period_dash: " - ".into(),
            ..Settings::default()
        };
        assert_eq!(
            period("giai-doan", &[2021, 2025], &spaced).unwrap(),
            "giai đoạn 2021 - 2025"
        );
        assert_eq!(
            period("nam-hoc", &[2026, 2027], &spaced).unwrap(),
            "năm học 2026 - 2027"
        );
    }

    #[test]
    fn period_errors() {
        let s = Settings::default();
        let e = period("6thang", &[2023], &s).unwrap_err();
        assert!(e.0.contains("\"6-thang\""), "{e}");
        assert!(period("6-thang", &[], &s)
            .unwrap_err()
            .0
            .contains("cần 1 số"));
        assert!(period("giai-doan", &[2025, 2021], &s).is_err());
        assert!(period("nam", &[23], &s).is_err());
        assert!(period("thang", &[13, 2023], &s).is_err());
        assert!(period("nam-hoc", &[2026, 2028], &s).is_err());
    }
}
