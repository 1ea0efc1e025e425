//! The indicators of `[[chi_tieu]]`: the standard table
//! (`{{{bang_chi_tieu chi_tieu}}}`) and the values prose cites from it
//! (`{{chi_tieu "thu_ngan_sach" "so_ke_hoach"}}`). Both go through the same
//! [`Indicator`] methods, so the prose and the table print the same digits.
//!
//! Takes the array of `[[chi_tieu]]` tables and returns a GFM table in
//! baocao's markup (rows numbered within each group, group rows spanning every
//! column, `| **I. Kinh tế** | < | … |`, both percentage columns computed in
//! exact decimals from the figures as typed, a cell left empty where a value
//! is missing, never "0" or "NaN"), or the text of one value of one row.
//!
//! A row's keys: `ten` (required), `ma` (its code, for prose), `nhom`,
//! `don_vi`, `ke_hoach`, `thuc_hien`, `cung_ky`, `ghi_chu`; `giam_la_tot =
//! true` (lower is better); `quy_doi` (print the figures converted into this
//! money unit; they are typed in `don_vi_goc`, đồng by default); `chu_so`
//! (decimals of the figures) and `chu_so_phan_tram` (of the percentages).
//! Other keys are the template's own.
//!
//! A lower-is-better row compares with the plan by the reduction achieved
//! against the planned reduction, both from `cung_ky` ([`vn::reduction_percent`]);
//! when it is a rate (`don_vi = "%"`), with last year by "giảm … điểm phần
//! trăm". `danh_gia` judges it downwards ([`vn::assess_lower`]).
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::template::{escape_markdown, HINT};
use crate::vn::{self, Assessment, MoneyUnit, Rounding, Settings};

type Res<T> = Result<T, String>;

const HEAD: [&str; 7] = [
    "TT",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Kế hoạch",
    "Thực hiện",
    "So với KH (%)",
    "So với cùng kỳ (%)",
];

/// The fields `{{chi_tieu ma truong}}` prints.
pub const FIELDS: [&str; 9] = [
    "ten",
    "don_vi",
    "ke_hoach",
    "thuc_hien",
    "cung_ky",
    "so_ke_hoach",
    "so_cung_ky",
    "tang_giam",
    "danh_gia",
];

/// Decimals: of the figures (Kế hoạch, Thực hiện, cùng kỳ) and of the
/// percentages; `None` leaves the choice to the next level (row, table,
/// `[dinh_dang]`).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Digits {
    /// `chu_so`.
    pub figures: Option<u32>,
    /// `chu_so_phan_tram`.
    pub percent: Option<u32>,
}

/// The options of `bang_chi_tieu`: the decimals of rows that do not set
/// their own, each numeric column's decimals (over the rows' and the
/// table's, trailing zeros kept: the table may print "111,10" while prose
/// cites "111,1"), and the caption and unit lines above the table.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TableOptions {
    pub digits: Digits,
    /// `chu_so_ke_hoach`, `chu_so_thuc_hien`, `chu_so_so_ke_hoach`,
    /// `chu_so_so_cung_ky`.
    pub columns: [Option<u32>; 4],
    /// `ten_bang`: printed centred above the table (`\ten_bang`).
    pub title: Option<String>,
    /// `don_vi_tinh`: "Đơn vị tính: …" above the table (`\don_vi_tinh`).
    pub unit: Option<String>,
}

impl From<Digits> for TableOptions {
    fn from(digits: Digits) -> TableOptions {
        TableOptions {
            digits,
            ..TableOptions::default()
        }
    }
}

/// The options of `bang_chi_tieu` giving one numeric column's decimals, in
/// the order of [`TableOptions::columns`].
pub const COLUMN_DIGITS: [&str; 4] = [
    "chu_so_ke_hoach",
    "chu_so_thuc_hien",
    "chu_so_so_ke_hoach",
    "chu_so_so_cung_ky",
];

/// What a prose citation asks for besides the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ask {
    /// `quy_doi=U`: the money unit a figure is printed in.
    pub unit: Option<MoneyUnit>,
    /// `chu_so=N`: decimals of the value printed.
    pub digits: Option<u32>,
    /// `dau=false` drops the "%" of a percentage.
    pub sign: bool,
}

/// One `[[chi_tieu]]` row, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// Position in the array, when known (for messages).
    index: Option<usize>,
    code: Option<String>,
    group: String,
    name: String,
    unit: String,
    plan: Option<Decimal>,
    actual: Option<Decimal>,
    last: Option<Decimal>,
    note: String,
    lower_is_better: bool,
    /// The money unit the figures are typed in.
    source: Option<MoneyUnit>,
    /// The money unit they are printed in (`quy_doi`).
    shown: Option<MoneyUnit>,
    digits: Digits,
}

/// "chỉ tiêu thứ 3", or "chỉ tiêu" when the position is unknown.
fn label(index: Option<usize>) -> String {
    match index {
        Some(i) => format!("chỉ tiêu thứ {}", i + 1),
        None => "chỉ tiêu".into(),
    }
}

/// Text for a table cell: escaped (a line break in it stays one, inside the cell).
fn cell(s: &str) -> String {
    escape_markdown(s)
}

fn text_field(row: &Map<String, Value>, key: &str, at: &str) -> Res<String> {
    match row.get(key) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(v) => Err(format!("{at}: `{key}` phải là chuỗi, nhận được {v}")),
    }
}

fn number_field(row: &Map<String, Value>, key: &str, at: &str) -> Res<Option<Decimal>> {
    match row.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v @ Value::Number(_)) => vn::decimal_from_json(v)
            .map(Some)
            .map_err(|e| format!("{at}: `{key}`: {}", e.0)),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(v) => Err(format!(
            "{at}: `{key}` phải là số, nhận được {v} (bỏ dấu ngoặc kép quanh số?)"
        )),
    }
}

fn bool_field(row: &Map<String, Value>, key: &str, at: &str) -> Res<bool> {
    match row.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(v) => Err(format!(
            "{at}: `{key}` phải là true hoặc false (không có ngoặc kép), nhận được {v}"
        )),
    }
}

fn unit_field(row: &Map<String, Value>, key: &str, at: &str) -> Res<Option<MoneyUnit>> {
    match row.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => MoneyUnit::parse(s)
            .map(Some)
            .map_err(|e| format!("{at}: `{key}`: {}", e.0)),
        Some(v) => Err(format!("{at}: `{key}` phải là chuỗi, nhận được {v}")),
    }
}

/// Decimals 0–10 (`chu_so`, `chu_so_phan_tram`), checked as the helpers' are.
pub fn digits_value(v: &Value) -> Option<u32> {
    let n = match v {
        Value::Number(_) => vn::decimal_from_json(v).ok()?,
        _ => return None,
    };
    if !n.fract().is_zero() {
        return None;
    }
    u32::try_from(n).ok().filter(|n| *n <= 10)
}

fn digits_field(row: &Map<String, Value>, key: &str, at: &str) -> Res<Option<u32>> {
    match row.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => digits_value(v)
            .map(Some)
            .ok_or_else(|| format!("{at}: `{key}` phải là số nguyên từ 0 đến 10, nhận được {v}")),
    }
}

/// A percentage: figure and sign ("116,32%"), or a phrase ("giảm 1,16
/// điểm phần trăm").
enum Compared {
    Percent(String),
    Phrase(String),
}

impl Compared {
    fn percent(s: String) -> Compared {
        Compared::Percent(s.trim_end_matches('%').to_string())
    }

    /// In a cell under a "(%)" header: no sign.
    fn cell(self) -> String {
        match self {
            Compared::Percent(s) | Compared::Phrase(s) => s,
        }
    }

    fn prose(self, sign: bool) -> String {
        match self {
            Compared::Percent(s) if sign => format!("{s}%"),
            Compared::Percent(s) | Compared::Phrase(s) => s,
        }
    }
}

fn rounding(decimals: Option<u32>, s: &Settings) -> Rounding {
    let mut r = Rounding::percent(s);
    if let Some(n) = decimals {
        r.decimals = n;
    }
    r
}

impl Indicator {
    /// Checks one row (`index`: its place in the array, when known).
    pub fn parse(v: &Value, index: Option<usize>) -> Res<Indicator> {
        let at = label(index);
        let Value::Object(row) = v else {
            return Err(format!("{at} phải là một bảng [[chi_tieu]]"));
        };
        let name = text_field(row, "ten", &at)?;
        if name.trim().is_empty() {
            return Err(format!("{at} thiếu `ten`"));
        }
        let code = text_field(row, "ma", &at)?.trim().to_string();
        let shown = unit_field(row, "quy_doi", &at)?;
        let source = unit_field(row, "don_vi_goc", &at)?;
        Ok(Indicator {
            index,
            code: (!code.is_empty()).then_some(code),
            group: text_field(row, "nhom", &at)?,
            name,
            unit: text_field(row, "don_vi", &at)?,
            plan: number_field(row, "ke_hoach", &at)?,
            actual: number_field(row, "thuc_hien", &at)?,
            last: number_field(row, "cung_ky", &at)?,
            note: text_field(row, "ghi_chu", &at)?,
            lower_is_better: bool_field(row, "giam_la_tot", &at)?,
            source: source.or(shown.map(|_| MoneyUnit::Dong)),
            shown,
            digits: Digits {
                figures: digits_field(row, "chu_so", &at)?,
                percent: digits_field(row, "chu_so_phan_tram", &at)?,
            },
        })
    }

    /// The row in messages: by its code, else by its place or name.
    fn who(&self) -> String {
        match (&self.code, self.index) {
            (Some(c), _) => format!("chỉ tiêu \"{c}\""),
            (None, Some(i)) => format!("chỉ tiêu thứ {} (“{}”)", i + 1, self.name.trim()),
            (None, None) => format!("chỉ tiêu “{}”", self.name.trim()),
        }
    }

    fn need(&self, v: Option<Decimal>, key: &str) -> Res<Decimal> {
        v.ok_or_else(|| format!("{} không có `{key}`", self.who()))
    }

    /// A rate: its unit is "%".
    fn is_rate(&self) -> bool {
        self.unit.trim() == "%"
    }

    /// A figure as printed: converted into `unit` when it is money, rounded
    /// to `digits` (else the unit's customary precision, else as typed).
    fn figure(
        &self,
        x: Decimal,
        unit: Option<MoneyUnit>,
        digits: Option<u32>,
        s: &Settings,
    ) -> Res<String> {
        self.figure_kept(x, unit, digits, s.keep_trailing_zeros, s)
    }

    /// [`Indicator::figure`], trailing zeros kept or not (`keep`).
    fn figure_kept(
        &self,
        x: Decimal,
        unit: Option<MoneyUnit>,
        digits: Option<u32>,
        keep: bool,
        s: &Settings,
    ) -> Res<String> {
        match (unit, self.source) {
            (Some(u), Some(from)) => {
                vn::format_in_unit(x, from, u, digits, keep).map_err(|e| e.0)
            }
            (Some(u), None) => Err(format!(
                "{} không có `quy_doi` hay `don_vi_goc`, nên không biết số liệu tính bằng đơn vị nào để quy đổi ra {}",
                self.who(),
                u.label(s)
            )),
            (None, _) => Ok(match digits {
                Some(n) if keep => vn::format_fixed(&x, n),
                n => vn::format_number(&x, n),
            }),
        }
    }

    /// The unit printed for figures in `unit`: `don_vi` when it is the
    /// row's own unit, else the money unit's name.
    fn unit_label(&self, unit: Option<MoneyUnit>, s: &Settings) -> String {
        match unit {
            Some(u) if unit != self.shown || self.unit.trim().is_empty() => u.label(s),
            _ => self.unit.clone(),
        }
    }

    /// "So với KH": thuc_hien / ke_hoach × 100; lower is better: the
    /// reduction achieved against the planned one, both from cung_ky.
    fn vs_plan(&self, r: Rounding) -> Res<Compared> {
        let actual = self.need(self.actual, "thuc_hien")?;
        let plan = self.need(self.plan, "ke_hoach")?;
        let text = if self.lower_is_better {
            let last = self.need(self.last, "cung_ky").map_err(|e| {
                format!(
                    "{e}{HINT}chỉ tiêu giảm là tốt (giam_la_tot = true) so với kế hoạch bằng mức giảm từ cùng kỳ: thêm cung_ky vào khối [[chi_tieu]] này"
                )
            })?;
            vn::reduction_percent(actual, plan, last, r)
        } else {
            vn::percent(actual, plan, r)
        };
        text.map(Compared::percent)
            .map_err(|e| format!("{}: {}", self.who(), e.0))
    }

    /// "So với cùng kỳ": thuc_hien / cung_ky × 100; a lower-is-better rate:
    /// "giảm … điểm phần trăm".
    fn vs_last(&self, r: Rounding) -> Res<Compared> {
        let actual = self.need(self.actual, "thuc_hien")?;
        let last = self.need(self.last, "cung_ky")?;
        let out = if self.lower_is_better && self.is_rate() {
            vn::points_change(actual, last, r).map(Compared::Phrase)
        } else {
            vn::percent(actual, last, r).map(Compared::percent)
        };
        out.map_err(|e| format!("{}: {}", self.who(), e.0))
    }

    /// The change on cung_ky as a phrase: "tăng 11,09%"; a rate in points.
    fn change(&self, r: Rounding) -> Res<String> {
        let actual = self.need(self.actual, "thuc_hien")?;
        let last = self.need(self.last, "cung_ky")?;
        let out = if self.is_rate() {
            vn::points_change(actual, last, r)
        } else {
            vn::change(actual, last, r)
        };
        out.map_err(|e| format!("{}: {}", self.who(), e.0))
    }

    /// "vượt", "đạt" or "không đạt", in the row's direction.
    fn assessment(&self) -> Res<Assessment> {
        let actual = self.need(self.actual, "thuc_hien")?;
        let plan = self.need(self.plan, "ke_hoach")?;
        if self.lower_is_better {
            Ok(vn::assess_lower(actual, plan))
        } else {
            vn::assess(actual, plan).map_err(|e| format!("{}: {}", self.who(), e.0))
        }
    }

    /// The cells of the row numbered `n`, as the table prints them: a
    /// column's own decimals (`columns`) first, then the row's, then the
    /// table's (`table`).
    fn cells(
        &self,
        n: usize,
        table: Digits,
        columns: [Option<u32>; 4],
        s: &Settings,
    ) -> Res<Vec<String>> {
        let digits = self.digits.figures.or(table.figures);
        let [plan_d, actual_d, vs_plan_d, vs_last_d] = columns;
        let fig = |x: Option<Decimal>, col: Option<u32>| -> Res<String> {
            let keep = col.is_some() || s.keep_trailing_zeros;
            x.map(|x| self.figure_kept(x, self.shown, col.or(digits), keep, s))
                .transpose()
                .map(Option::unwrap_or_default)
        };
        let r = rounding(self.digits.percent.or(table.percent), s);
        let col_r = |col: Option<u32>| match col {
            Some(decimals) => Rounding {
                decimals,
                keep_zeros: true,
            },
            None => r,
        };
        Ok(vec![
            n.to_string(),
            cell(&self.name),
            cell(&self.unit_label(self.shown, s)),
            fig(self.plan, plan_d)?,
            fig(self.actual, actual_d)?,
            self.vs_plan(col_r(vs_plan_d))
                .map(Compared::cell)
                .unwrap_or_default(),
            self.vs_last(col_r(vs_last_d))
                .map(Compared::cell)
                .unwrap_or_default(),
        ])
    }

    /// One value, printed as the table prints it (`ask` may change the
    /// unit, the decimals, and the "%" sign).
    pub fn field(&self, field: &str, ask: Ask, s: &Settings) -> Res<String> {
        let figure = matches!(field, "don_vi" | "ke_hoach" | "thuc_hien" | "cung_ky");
        if ask.unit.is_some() && !figure {
            return Err(format!(
                "quy_doi chỉ dùng với ke_hoach, thuc_hien, cung_ky, don_vi (không dùng với \"{field}\")"
            ));
        }
        let unit = ask.unit.or(self.shown);
        // The row's decimals are for its own unit.
        let digits = ask
            .digits
            .or(self.digits.figures.filter(|_| unit == self.shown));
        let r = rounding(ask.digits.or(self.digits.percent), s);
        match field {
            "ten" => Ok(self.name.trim().to_string()),
            "don_vi" => Some(self.unit_label(unit, s))
                .filter(|u| !u.trim().is_empty())
                .ok_or_else(|| format!("{} không có `don_vi`", self.who())),
            "ke_hoach" => self.figure(self.need(self.plan, field)?, unit, digits, s),
            "thuc_hien" => self.figure(self.need(self.actual, field)?, unit, digits, s),
            "cung_ky" => self.figure(self.need(self.last, field)?, unit, digits, s),
            "so_ke_hoach" => self.vs_plan(r).map(|c| c.prose(ask.sign)),
            "so_cung_ky" => self.vs_last(r).map(|c| c.prose(ask.sign)),
            "tang_giam" => self.change(r),
            "danh_gia" => self.assessment().map(|a| a.text().to_string()),
            other => {
                let mut msg = format!(
                    "chỉ tiêu không có trường \"{other}\" (chỉ có {})",
                    FIELDS.join(", ")
                );
                if let Some(n) = crate::diag::nearest(other, &FIELDS) {
                    msg.push(HINT);
                    msg.push_str(&format!("có phải ý bạn là \"{n}\"?"));
                }
                Err(msg)
            }
        }
    }
}

/// Checks every row; a code (`ma`) may be used once.
pub fn parse_all(rows: &[Value]) -> Res<Vec<Indicator>> {
    let mut out: Vec<Indicator> = Vec::with_capacity(rows.len());
    for (i, v) in rows.iter().enumerate() {
        let row = Indicator::parse(v, Some(i))?;
        if let Some(code) = &row.code {
            if let Some(first) = out.iter().find(|r| r.code.as_ref() == Some(code)) {
                return Err(format!(
                    "mã \"{code}\" dùng cho cả {} và chỉ tiêu thứ {}: mỗi chỉ tiêu một mã riêng",
                    label(first.index),
                    i + 1
                ));
            }
        }
        out.push(row);
    }
    Ok(out)
}

/// The row whose code is `code`; an unknown code names the nearest one.
pub fn find(rows: &[Value], code: &str) -> Res<Indicator> {
    let all = parse_all(rows)?;
    let code = code.trim();
    let codes: Vec<&str> = all.iter().filter_map(|r| r.code.as_deref()).collect();
    if let Some(row) = all.iter().find(|r| r.code.as_deref() == Some(code)) {
        return Ok(row.clone());
    }
    let mut msg = format!("không có chỉ tiêu nào có ma = \"{code}\"");
    msg.push(HINT);
    if let Some(n) = crate::diag::nearest(code, &codes) {
        msg.push_str(&format!("có phải ý bạn là \"{n}\"?"));
    } else if codes.is_empty() {
        msg.push_str(
            "ghi ma = \"…\" vào khối [[chi_tieu]] cần trích (ví dụ ma = \"thu_ngan_sach\")",
        );
    } else {
        let list: Vec<String> = codes.iter().map(|c| format!("\"{c}\"")).collect();
        msg.push_str(&format!("các mã có: {}", list.join(", ")));
    }
    Err(msg)
}

/// Builds the indicator table's markup (`opts`: the table's own options;
/// its decimals under each row's, its columns' over them), with its caption
/// and unit lines.
pub fn indicator_table(
    rows: &[Value],
    opts: impl Into<TableOptions>,
    settings: &Settings,
) -> Res<String> {
    let opts: TableOptions = opts.into();
    let digits = opts.digits;
    let parsed = parse_all(rows)?;
    let notes = parsed.iter().any(|p| !p.note.trim().is_empty());
    let ncol = if notes { 8 } else { 7 };
    let mut out = String::new();
    // One line each: a line break in the option is a space.
    let one_line = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    for (command, text) in [("ten_bang", &opts.title), ("don_vi_tinh", &opts.unit)] {
        if let Some(t) = text.as_deref().map(one_line).filter(|t| !t.is_empty()) {
            out.push_str(&format!("\\{command} {t}\n"));
        }
    }
    let mut head: Vec<&str> = HEAD.to_vec();
    if notes {
        head.push("Ghi chú");
    }
    out.push_str(&format!("| {} |\n", head.join(" | ")));
    let mut align = vec![":-:", "---", ":-:", "--:", "--:", "--:", "--:"];
    if notes {
        align.push("---");
    }
    out.push_str(&format!("|{}|\n", align.join("|")));
    let mut group: Option<&str> = None;
    let mut n = 0;
    for row in &parsed {
        let nhom = row.group.as_str();
        if !nhom.trim().is_empty() && group != Some(nhom) {
            group = Some(nhom);
            n = 0;
            let rest = vec!["<"; ncol - 1].join(" | ");
            out.push_str(&format!("| **{}** | {rest} |\n", cell(nhom.trim())));
        }
        n += 1;
        let mut cells = row.cells(n, digits, opts.columns, settings)?;
        if notes {
            cells.push(cell(&row.note));
        }
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Rows from TOML, parsed the way the loader parses data (exact numbers).
    fn rows(toml_text: &str) -> Vec<Value> {
        let v: Value = toml::from_str(toml_text).unwrap();
        v["chi_tieu"].as_array().unwrap().clone()
    }

    fn table(toml_text: &str) -> Vec<String> {
        indicator_table(&rows(toml_text), Digits::default(), &Settings::default())
            .unwrap()
            .lines()
            .map(String::from)
            .collect()
    }

    const ASK: Ask = Ask {
        unit: None,
        digits: None,
        sign: true,
    };

    fn prose(toml_text: &str, code: &str, field: &str, ask: Ask) -> Res<String> {
        find(&rows(toml_text), code)?.field(field, ask, &Settings::default())
    }

    #[test]
    fn groups_numbering_percentages_and_missing_values() {
        let t = table(
            r#"
[[chi_tieu]]
nhom = "I. Kinh tế"
ten = "Tổng mức bán lẻ"
don_vi = "tỷ đồng"
ke_hoach = 3240
thuc_hien = 3250
cung_ky = 3045.35
[[chi_tieu]]
nhom = "I. Kinh tế"
ten = "Sản phẩm OCOP"
don_vi = "sản phẩm"
thuc_hien = 9
[[chi_tieu]]
nhom = "II. Xã hội"
ten = "Tỷ lệ hộ nghèo"
don_vi = "%"
ke_hoach = 2
thuc_hien = 1.8
ghi_chu = "giảm"
"#,
        );
        assert_eq!(t[0], "| TT | Chỉ tiêu | Đơn vị tính | Kế hoạch | Thực hiện | So với KH (%) | So với cùng kỳ (%) | Ghi chú |");
        assert_eq!(t[2], "| **I. Kinh tế** | < | < | < | < | < | < | < |");
        assert_eq!(
            t[3],
            "| 1 | Tổng mức bán lẻ | tỷ đồng | 3.240 | 3.250 | 100,31 | 106,72 |  |"
        );
        assert_eq!(t[4], "| 2 | Sản phẩm OCOP | sản phẩm |  | 9 |  |  |  |");
        assert_eq!(t[5], "| **II. Xã hội** | < | < | < | < | < | < | < |");
        assert_eq!(t[6], "| 1 | Tỷ lệ hộ nghèo | % | 2 | 1,8 | 90 |  | giảm |");
        assert!(t.iter().all(|l| !l.contains("NaN") && !l.contains("null")));
    }

    /// The issue's revenue row: typed in đồng, printed in tỷ. Rounded to
    /// 52,35 tỷ first, the ratios would be 116,33 and 111,1.
    const REVENUE: &str = r#"
[[chi_tieu]]
ma = "thu_ngan_sach"
ten = "Thu ngân sách nhà nước trên địa bàn"
quy_doi = "ty"
ke_hoach = 45000000000
thuc_hien = 52345678000
cung_ky = 47120000000
"#;

    #[test]
    fn converted_rows_print_rounded_figures_and_ratios_of_the_typed_ones() {
        let t = table(REVENUE);
        assert_eq!(
            t[2],
            "| 1 | Thu ngân sách nhà nước trên địa bàn | tỷ đồng | 45 | 52,346 | 116,32 | 111,09 |"
        );
        let p = |field: &str, ask: Ask| prose(REVENUE, "thu_ngan_sach", field, ask).unwrap();
        assert_eq!(p("thuc_hien", ASK), "52,346");
        assert_eq!(p("don_vi", ASK), "tỷ đồng");
        assert_eq!(p("so_ke_hoach", ASK), "116,32%");
        assert_eq!(p("so_cung_ky", ASK), "111,09%");
        assert_eq!(p("tang_giam", ASK), "tăng 11,09%");
        assert_eq!(p("danh_gia", ASK), "vượt");
        let trieu = Ask {
            unit: Some(MoneyUnit::Trieu),
            ..ASK
        };
        assert_eq!(p("thuc_hien", trieu), "52.345,7");
        assert_eq!(p("ke_hoach", trieu), "45.000");
        assert_eq!(p("don_vi", trieu), "triệu đồng");
        let unsigned = Ask { sign: false, ..ASK };
        assert_eq!(p("so_ke_hoach", unsigned), "116,32");
        let one = Ask {
            digits: Some(1),
            ..ASK
        };
        assert_eq!(p("so_ke_hoach", one), "116,3%");
        assert_eq!(p("thuc_hien", one), "52,3");
    }

    #[test]
    fn decimals_per_row_and_per_table() {
        let data = format!("{REVENUE}chu_so = 2\nchu_so_phan_tram = 1\ndon_vi = \"tỷ\"\n");
        let t = table(&data);
        assert_eq!(
            t[2],
            "| 1 | Thu ngân sách nhà nước trên địa bàn | tỷ | 45 | 52,35 | 116,3 | 111,1 |"
        );
        let p = |field: &str, ask: Ask| prose(&data, "thu_ngan_sach", field, ask).unwrap();
        assert_eq!(p("thuc_hien", ASK), "52,35");
        assert_eq!(p("so_cung_ky", ASK), "111,1%");
        // The row's chu_so is for tỷ; in triệu the unit's own precision applies.
        let trieu = Ask {
            unit: Some(MoneyUnit::Trieu),
            ..ASK
        };
        assert_eq!(p("thuc_hien", trieu), "52.345,7");
        let opts = Digits {
            figures: Some(0),
            percent: Some(0),
        };
        let both = format!("{REVENUE}{}", REVENUE.replace("thu_ngan_sach", "khac"));
        let with_row = format!("{both}chu_so = 2\n");
        let t = indicator_table(&rows(&with_row), opts, &Settings::default()).unwrap();
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(
            lines[2],
            "| 1 | Thu ngân sách nhà nước trên địa bàn | tỷ đồng | 45 | 52 | 116 | 111 |"
        );
        assert_eq!(
            lines[3],
            "| 2 | Thu ngân sách nhà nước trên địa bàn | tỷ đồng | 45 | 52,35 | 116 | 111 |"
        );
        let keep = Settings {
            keep_trailing_zeros: true,
            ..Settings::default()
        };
        let t = indicator_table(
            &rows(&format!("{REVENUE}chu_so = 4\n")),
            Digits::default(),
            &keep,
        )
        .unwrap();
        assert!(t.contains("| 45,0000 | 52,3457 | 116,32 | 111,09 |"), "{t}");
    }

    const POOR: &str = r#"
[[chi_tieu]]
ma = "ho_ngheo"
ten = "Tỷ lệ hộ nghèo"
don_vi = "%"
ke_hoach = 3.5
thuc_hien = 3.21
cung_ky = 4.37
giam_la_tot = true
[[chi_tieu]]
ma = "tai_nan"
ten = "Số vụ tai nạn giao thông"
don_vi = "vụ"
ke_hoach = 36
thuc_hien = 30
cung_ky = 40
giam_la_tot = true
[[chi_tieu]]
ma = "ho_ngheo_xa"
ten = "Tỷ lệ hộ nghèo (xã)"
don_vi = "%"
ke_hoach = 3.5
thuc_hien = 3.6
cung_ky = 4.37
giam_la_tot = true
"#;

    #[test]
    fn lower_is_better_compares_reductions_and_points() {
        let t = table(POOR);
        assert_eq!(
            t[2],
            "| 1 | Tỷ lệ hộ nghèo | % | 3,5 | 3,21 | 133,33 | giảm 1,16 điểm phần trăm |"
        );
        assert_eq!(
            t[3],
            "| 2 | Số vụ tai nạn giao thông | vụ | 36 | 30 | 250 | 75 |"
        );
        assert_eq!(
            t[4],
            "| 3 | Tỷ lệ hộ nghèo (xã) | % | 3,5 | 3,6 | 88,51 | giảm 0,77 điểm phần trăm |"
        );
        let p = |code: &str, field: &str| prose(POOR, code, field, ASK).unwrap();
        assert_eq!(p("ho_ngheo", "so_ke_hoach"), "133,33%");
        assert_eq!(p("ho_ngheo", "so_cung_ky"), "giảm 1,16 điểm phần trăm");
        assert_eq!(p("ho_ngheo", "tang_giam"), "giảm 1,16 điểm phần trăm");
        assert_eq!(p("ho_ngheo", "danh_gia"), "vượt");
        assert_eq!(p("tai_nan", "tang_giam"), "giảm 25%");
        assert_eq!(p("tai_nan", "danh_gia"), "vượt");
        assert_eq!(p("ho_ngheo_xa", "danh_gia"), "không đạt");
        // Without last year's value there is no planned reduction to compare with.
        let no_last = POOR.replacen("cung_ky = 4.37\n", "", 1);
        let t = table(&no_last);
        assert_eq!(t[2], "| 1 | Tỷ lệ hộ nghèo | % | 3,5 | 3,21 |  |  |");
        let e = prose(&no_last, "ho_ngheo", "so_ke_hoach", ASK).unwrap_err();
        assert!(
            e.starts_with("chỉ tiêu \"ho_ngheo\" không có `cung_ky`"),
            "{e}"
        );
        assert_eq!(
            prose(&no_last, "ho_ngheo", "danh_gia", ASK).unwrap(),
            "vượt"
        );
    }

    #[test]
    fn rows_are_found_by_code_with_a_hint() {
        let e = prose(REVENUE, "thu_ngan_sac", "thuc_hien", ASK).unwrap_err();
        assert_eq!(
            e,
            format!("không có chỉ tiêu nào có ma = \"thu_ngan_sac\"{HINT}có phải ý bạn là \"thu_ngan_sach\"?")
        );
        let e = prose(POOR, "zzz", "thuc_hien", ASK).unwrap_err();
        assert!(
            e.ends_with("các mã có: \"ho_ngheo\", \"tai_nan\", \"ho_ngheo_xa\""),
            "{e}"
        );
        let e = prose(
            &REVENUE.replace("ma = \"thu_ngan_sach\"\n", ""),
            "x",
            "ten",
            ASK,
        )
        .unwrap_err();
        assert!(e.contains("ghi ma = "), "{e}");
        let e = prose(REVENUE, "thu_ngan_sach", "so_ke_hoach_", ASK).unwrap_err();
        assert!(
            e.ends_with(&format!("{HINT}có phải ý bạn là \"so_ke_hoach\"?")),
            "{e}"
        );
        let twice = format!("{REVENUE}{REVENUE}");
        let e =
            indicator_table(&rows(&twice), Digits::default(), &Settings::default()).unwrap_err();
        assert!(
            e.contains("mã \"thu_ngan_sach\" dùng cho cả chỉ tiêu thứ 1 và chỉ tiêu thứ 2"),
            "{e}"
        );
    }

    #[test]
    fn wrong_kinds_are_errors() {
        let err = |row: Value| {
            indicator_table(&[row], Digits::default(), &Settings::default()).unwrap_err()
        };
        let e = err(json!({"ten": "A", "thuc_hien": "12"}));
        assert!(e.contains("thuc_hien") && e.contains("ngoặc kép"), "{e}");
        assert!(err(json!({"don_vi": "x"})).contains("ten"));
        let e = err(json!({"ten": "A", "quy_doi": "usd"}));
        assert!(
            e.starts_with("chỉ tiêu thứ 1: `quy_doi`: đơn vị \"usd\""),
            "{e}"
        );
        let e = err(json!({"ten": "A", "giam_la_tot": "true"}));
        assert!(e.contains("`giam_la_tot` phải là true hoặc false"), "{e}");
        let e = err(json!({"ten": "A", "chu_so": 11}));
        assert!(e.contains("`chu_so` phải là số nguyên từ 0 đến 10"), "{e}");
        let e = prose(
            POOR,
            "tai_nan",
            "thuc_hien",
            Ask {
                unit: Some(MoneyUnit::Ty),
                ..ASK
            },
        )
        .unwrap_err();
        assert!(e.contains("không có `quy_doi` hay `don_vi_goc`"), "{e}");
        let e = prose(
            REVENUE,
            "thu_ngan_sach",
            "so_ke_hoach",
            Ask {
                unit: Some(MoneyUnit::Ty),
                ..ASK
            },
        )
        .unwrap_err();
        assert!(e.starts_with("quy_doi chỉ dùng với"), "{e}");
    }

    /// Every key a row may hold, as `Indicator::parse` reads them.
    const KEYS: [&str; 13] = [
        "nhom",
        "ten",
        "ma",
        "don_vi",
        "ke_hoach",
        "thuc_hien",
        "cung_ky",
        "ghi_chu",
        "giam_la_tot",
        "quy_doi",
        "don_vi_goc",
        "chu_so",
        "chu_so_phan_tram",
    ];

    #[test]
    fn the_schema_lists_the_keys_a_row_is_read_with() {
        let schema: Value = serde_json::from_str(&crate::schema::json()).unwrap();
        let mut listed: Vec<&str> = schema["$defs"]["Indicator"]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        listed.sort_unstable();
        let mut keys = KEYS.to_vec();
        keys.sort_unstable();
        assert_eq!(listed, keys);
        let src = include_str!("indicators.rs");
        let parse = src
            .split("pub fn parse(")
            .nth(1)
            .and_then(|s| s.split("fn who(").next())
            .unwrap();
        for key in KEYS {
            assert!(parse.contains(&format!("\"{key}\"")), "{key} is not read");
        }
    }

    #[test]
    fn figures_typed_in_another_unit() {
        let data = r#"
[[chi_tieu]]
ma = "thu"
ten = "Thu ngân sách xã"
don_vi_goc = "trieu"
quy_doi = "ty"
ke_hoach = 8254.817
thuc_hien = 9100
[[chi_tieu]]
ma = "chi"
ten = "Chi ngân sách xã"
don_vi = "triệu đồng"
don_vi_goc = "trieu"
thuc_hien = 8254.817
"#;
        let t = table(data);
        assert_eq!(
            t[2],
            "| 1 | Thu ngân sách xã | tỷ đồng | 8,255 | 9,1 | 110,24 |  |"
        );
        assert_eq!(
            t[3],
            "| 2 | Chi ngân sách xã | triệu đồng |  | 8.254,817 |  |  |"
        );
        let ty = Ask {
            unit: Some(MoneyUnit::Ty),
            ..ASK
        };
        assert_eq!(prose(data, "chi", "thuc_hien", ty).unwrap(), "8,255");
        assert_eq!(prose(data, "chi", "don_vi", ty).unwrap(), "tỷ đồng");
        assert_eq!(prose(data, "chi", "thuc_hien", ASK).unwrap(), "8.254,817");
    }
}
