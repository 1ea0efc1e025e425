//! Figures read straight from a spreadsheet: a value of the data file that names
//! a sheet instead of holding the rows.
//!
//! ```toml
//! chi_tieu = { bang_tinh = "so-lieu.xlsx", trang = "Chỉ tiêu", cot = { "Tên chỉ tiêu" = "ten" } }
//! ```
//!
//! Takes the data file's values (a table holding `bang_tinh` is a [`SheetRef`],
//! found and checked by [`refs`] when the data file is loaded) and, at render
//! time, the bytes of the sheet file; returns the rows as an array of tables
//! keyed by the header row ([`rows`]), which the renderer puts where the
//! reference stood. XLSX, XLSM, XLS, XLSB and ODS are read through calamine,
//! CSV through the csv crate.
//!
//! What arrives, cell by cell (`cells.rs`, `table.rs`):
//! - a number: the shortest decimal that gives back the stored double
//!   (`9912.4`, never `9912.399999999`), then exactly as the same number typed
//!   in TOML; in CSV a cell whose text is a plain decimal (`-12`, `9912.40`);
//! - text: the cell's text, NFC, line ends LF;
//! - a date: `YYYY-MM-DD` (as a TOML date); TRUE/FALSE: a boolean;
//! - an empty cell: no key at all (a missing value, never 0).
//!
//! A column is a *number column* when any of its cells holds a number, or its
//! key is listed in `cot_so`; `cot_chu` makes it a text column (numbers then
//! arrive as their text). Text in a number column is an error at its cell.
//!
//! The folder rule (the sheet lies in the data file's folder tree, or in a
//! `--cho-phep-thu-muc` folder) and the size limit are checked by the caller,
//! as for templates.
mod cells;
mod table;

pub use cells::Grid;
pub use table::{header_key, rows};

use crate::diag::{nearest, Diagnostic, Source, Span};
use serde_json::{Map, Value};
use std::sync::Arc;
use toml::de::{DeTable, DeValue};

/// The key that makes a table a sheet reference.
pub const MARK: &str = "bang_tinh";

/// The keys a sheet reference may hold.
pub const KEYS: [&str; 7] = [MARK, "trang", "vung", "tu_dong", "cot", "cot_so", "cot_chu"];

/// One step of a path into the data: a key, or an index into an array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// A rectangle of cells, 0-based, ends included; `None` for a range open
/// downwards (`A3:F`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Area {
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: Option<u32>,
    pub last_col: u32,
}

/// A value of the data file that names a sheet, checked.
#[derive(Debug, Clone)]
pub struct SheetRef {
    /// Where in the data the rows go.
    pub path: Vec<Step>,
    /// The data key's name as authors read it (`chi_tieu`, `don_vi[1].chi_tieu`).
    pub name: String,
    /// The file, relative to the data file (`bang_tinh`).
    pub file: String,
    /// The sheet (`trang`); the first sheet if not given.
    pub sheet: Option<String>,
    /// `vung`: the cells to read, the header on its first row.
    pub area: Option<Area>,
    /// `tu_dong`: the header's row, 0-based.
    pub header_row: Option<u32>,
    /// `cot`: header text (or its key) → key.
    pub columns: Vec<(String, String)>,
    /// `cot_so`: number columns, by key.
    pub numbers: Vec<String>,
    /// `cot_chu`: text columns, by key.
    pub texts: Vec<String>,
    /// The place of the reference in the data file (its `bang_tinh` value).
    pub span: Span,
    /// The places of its other keys, for errors about them.
    pub key_spans: Vec<(String, Span)>,
}

impl SheetRef {
    /// The span of key `k` of the reference, or of `bang_tinh`.
    pub fn key_span(&self, k: &str) -> Span {
        self.key_spans
            .iter()
            .find(|(n, _)| n == k)
            .map_or_else(|| self.span.clone(), |(_, s)| s.clone())
    }

    /// "bao-cao.toml:12:14": where the reference stands, for hints.
    pub fn declared_at(&self) -> String {
        let name = self.span.source().name();
        match self.span.line_col() {
            Some((l, c)) => format!("{name}:{l}:{c}"),
            None => name.to_string(),
        }
    }
}

/// Where a report's values stand in the data file: the spanned parse and the
/// unit, whose own keys come before the shared ones.
pub struct Where<'a> {
    pub source: &'a Arc<Source>,
    pub de: &'a DeTable<'a>,
    /// The index of the `[[don_vi]]` unit, if the report is one.
    pub unit: Option<usize>,
}

impl Where<'_> {
    /// The span of the value at `path` (the unit's first, then the shared
    /// one); the whole file if neither is found.
    fn span(&self, path: &[Step]) -> Span {
        let unit = self.unit.and_then(|i| {
            let mut p = vec![Step::Key("don_vi".into()), Step::Index(i)];
            p.extend_from_slice(path);
            value_offset(self.de, &p)
        });
        match unit.or_else(|| value_offset(self.de, path)) {
            Some(o) => Span::at(self.source, o),
            None => Span::whole(self.source),
        }
    }
}

/// Where the value at `path` starts in the spanned parse.
fn value_offset(de: &DeTable<'_>, path: &[Step]) -> Option<usize> {
    let (Step::Key(first), rest) = path.split_first()? else {
        return None;
    };
    let (_, mut v) = de.iter().find(|(k, _)| k.get_ref().as_ref() == first)?;
    for step in rest {
        v = match (v.get_ref(), step) {
            (DeValue::Table(t), Step::Key(k)) => {
                t.iter().find(|(kk, _)| kk.get_ref().as_ref() == k)?.1
            }
            (DeValue::Array(a), Step::Index(i)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(v.span().start)
}

/// The sheet references among a report's values, checked; every problem at
/// once, each at its place.
pub fn refs(value: &Value, at: &Where) -> Result<Vec<SheetRef>, Vec<Diagnostic>> {
    let mut found = Vec::new();
    let mut errors = Vec::new();
    walk(
        value,
        &mut Vec::new(),
        &mut |path, map| match spec(path, map, at) {
            Ok(r) => found.push(r),
            Err(mut e) => errors.append(&mut e),
        },
    );
    if errors.is_empty() {
        Ok(found)
    } else {
        Err(errors)
    }
}

/// Call `f` on every table holding `bang_tinh` (not looking inside it).
/// What [`walk`] calls on each sheet reference.
type Visit<'a> = dyn FnMut(&[Step], &Map<String, Value>) + 'a;

fn walk(v: &Value, path: &mut Vec<Step>, f: &mut Visit) {
    match v {
        Value::Object(m) if m.contains_key(MARK) => f(path, m),
        Value::Object(m) => {
            for (k, x) in m {
                path.push(Step::Key(k.clone()));
                walk(x, path, f);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(Step::Index(i));
                walk(x, path, f);
                path.pop();
            }
        }
        _ => {}
    }
}

/// `chi_tieu`, `ke_hoach.bang[2]`: a path as authors read it.
pub fn path_name(path: &[Step]) -> String {
    let mut s = String::new();
    for step in path {
        match step {
            Step::Key(k) if s.is_empty() => s.push_str(k),
            Step::Key(k) => {
                s.push('.');
                s.push_str(k);
            }
            Step::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// One reference, checked.
fn spec(path: &[Step], m: &Map<String, Value>, at: &Where) -> Result<SheetRef, Vec<Diagnostic>> {
    let name = path_name(path);
    let key_at = |k: &str| {
        let mut p = path.to_vec();
        p.push(Step::Key(k.to_string()));
        at.span(&p)
    };
    let mut errors = Vec::new();
    let mut bad = |k: &str, msg: String, hint: &str| {
        let mut d = Diagnostic::error(format!("`{name}.{k}` {msg}")).with_span(key_at(k));
        if !hint.is_empty() {
            d = d.with_hint(hint);
        }
        errors.push(d);
    };
    unknown_keys(m, &mut bad);
    let text = |k: &str, bad: &mut dyn FnMut(&str, String, &str)| match m.get(k) {
        None => None,
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(_) => {
            bad(k, "phải là một chuỗi không rỗng".into(), "");
            None
        }
    };
    let file = text(MARK, &mut bad).unwrap_or_default();
    let sheet = text("trang", &mut bad);
    let area = text("vung", &mut bad).and_then(|v| {
        let a = parse_area(&v);
        if a.is_none() {
            bad("vung", format!("\"{v}\" không phải là một vùng ô"), "viết như trong Excel, ví dụ vung = \"A3:F40\" (hoặc \"A3:F\" để đọc tới dòng cuối)");
        }
        a
    });
    let header_row = header_row(m.get("tu_dong"), &mut bad);
    if area.is_some() && header_row.is_some() {
        bad(
            "tu_dong",
            "không dùng cùng với `vung` (dòng đầu của vùng là dòng tiêu đề)".into(),
            "bỏ một trong hai khóa",
        );
    }
    let columns = column_map(m.get("cot"), &mut bad);
    let numbers = key_list(m.get("cot_so"), "cot_so", &mut bad);
    let texts = key_list(m.get("cot_chu"), "cot_chu", &mut bad);
    if let Some(k) = numbers.iter().find(|k| texts.contains(k)) {
        bad(
            "cot_chu",
            format!("và `cot_so` cùng có cột `{k}`"),
            "một cột là số hoặc là chữ, không thể cả hai",
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut key_spans = Vec::new();
    for k in KEYS.iter().skip(1) {
        if m.contains_key(*k) {
            key_spans.push(((*k).to_string(), key_at(k)));
        }
    }
    Ok(SheetRef {
        path: path.to_vec(),
        name,
        file,
        sheet,
        area,
        header_row,
        columns,
        numbers,
        texts,
        span: key_at(MARK),
        key_spans,
    })
}

/// Keys a reference may not hold, each with the nearest it may.
fn unknown_keys(m: &Map<String, Value>, bad: &mut dyn FnMut(&str, String, &str)) {
    for k in m.keys() {
        if !KEYS.contains(&k.as_str()) {
            let hint = match nearest(k, &KEYS) {
                Some(n) => format!("có phải ý bạn là `{n}`?"),
                None => format!("các khóa dùng được: {}", KEYS.join(", ")),
            };
            bad(k, "không phải là khóa của bảng tính".into(), &hint);
        }
    }
}

/// `tu_dong = 3` → row 2 (0-based), checked.
fn header_row(v: Option<&Value>, bad: &mut dyn FnMut(&str, String, &str)) -> Option<u32> {
    match v {
        None => None,
        Some(Value::Number(n)) if n.as_u64().is_some_and(|r| (1..=1_048_576).contains(&r)) => {
            n.as_u64().and_then(|r| u32::try_from(r - 1).ok())
        }
        Some(_) => {
            bad(
                "tu_dong",
                "phải là số thứ tự của dòng tiêu đề (1, 2, 3…)".into(),
                "",
            );
            None
        }
    }
}

/// `cot = { "Kế hoạch" = "ke_hoach" }`, checked.
fn column_map(v: Option<&Value>, bad: &mut dyn FnMut(&str, String, &str)) -> Vec<(String, String)> {
    let Some(v) = v else { return Vec::new() };
    let Value::Object(m) = v else {
        bad(
            "cot",
            "phải là một bảng { \"Tiêu đề cột\" = \"khoa\" }".into(),
            "",
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (header, key) in m {
        match key {
            Value::String(k) if is_key(k) => out.push((crate::source::nfc(header.trim()), k.clone())),
            _ => bad(
                "cot",
                format!("\"{header}\": tên khóa phải viết bằng chữ thường không dấu, số và dấu gạch dưới"),
                "ví dụ: cot = { \"Kế hoạch\" = \"ke_hoach\" }",
            ),
        }
    }
    out
}

/// `cot_so = ["ke_hoach"]`, checked.
fn key_list(v: Option<&Value>, k: &str, bad: &mut dyn FnMut(&str, String, &str)) -> Vec<String> {
    let Some(v) = v else { return Vec::new() };
    let keys: Option<Vec<String>> = v
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| x.as_str().filter(|s| is_key(s)).map(String::from))
                .collect()
        })
        .unwrap_or(None);
    keys.unwrap_or_else(|| {
        bad(
            k,
            "phải là danh sách tên khóa của cột, ví dụ [\"ke_hoach\", \"thuc_hien\"]".into(),
            "",
        );
        Vec::new()
    })
}

/// A data key: lowercase ASCII letters, digits and `_`, not empty.
fn is_key(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The rows of the sheet file `shown` (its bytes `bytes`) that `r` names.
pub fn read(shown: &str, bytes: Vec<u8>, r: &SheetRef) -> Result<Vec<Value>, Vec<Diagnostic>> {
    let grid = cells::open(shown, bytes, r.sheet.as_deref(), r.area)
        .map_err(|e| vec![cells::open_error(e, shown, r)])?;
    rows(&grid, shown, r)
}

/// Put `v` at `path` in `value` (where the reference stood).
pub fn put(value: &mut Value, path: &[Step], v: Value) {
    let mut slot = value;
    for step in path {
        let next = match (slot, step) {
            (Value::Object(m), Step::Key(k)) => m.get_mut(k),
            (Value::Array(a), Step::Index(i)) => a.get_mut(*i),
            _ => None,
        };
        match next {
            Some(n) => slot = n,
            None => return,
        }
    }
    *slot = v;
}

/// "A3:F40", "A3:F" → an [`Area`].
pub fn parse_area(s: &str) -> Option<Area> {
    let (a, b) = s.split_once(':')?;
    let (r0, c0) = parse_cell(a.trim())?;
    let r0 = r0?;
    let (r1, c1) = parse_cell(b.trim())?;
    if c1 < c0 || r1.is_some_and(|r| r < r0) {
        return None;
    }
    Some(Area {
        first_row: r0,
        first_col: c0,
        last_row: r1,
        last_col: c1,
    })
}

/// "C7" → (Some(6), 2); "F" → (None, 5).
fn parse_cell(s: &str) -> Option<(Option<u32>, u32)> {
    let split = s.find(|c: char| c.is_ascii_digit()).unwrap_or(s.len());
    let (letters, digits) = s.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_alphabetic())
    {
        return None;
    }
    let col = letters.chars().try_fold(0u32, |n, c| {
        Some(n * 26 + u32::from(c.to_ascii_uppercase() as u8 - b'A') + 1)
    })?;
    let row = if digits.is_empty() {
        None
    } else {
        let r: u32 = digits.parse().ok()?;
        Some(r.checked_sub(1)?)
    };
    Some((row, col - 1))
}

/// A cell's name in A1 style (0-based row and column → "C7").
pub fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let r = (c - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(r).unwrap_or(0)));
        c = (c - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_and_areas_read_as_in_excel() {
        assert_eq!(cell_name(6, 2), "C7");
        assert_eq!(cell_name(0, 25), "Z1");
        assert_eq!(cell_name(9, 26), "AA10");
        assert_eq!(cell_name(0, 701), "ZZ1");
        assert_eq!(parse_cell("AA10"), Some((Some(9), 26)));
        assert_eq!(
            parse_area("A3:F40"),
            Some(Area {
                first_row: 2,
                first_col: 0,
                last_row: Some(39),
                last_col: 5
            })
        );
        assert_eq!(
            parse_area("b2:c").map(|a| (a.last_row, a.last_col)),
            Some((None, 2))
        );
        for bad in [
            "A3", "A0:B2", "F3:A9", "A9:B2", "3:4", "A3:F40:G", "ÂA1:B2", ":",
        ] {
            assert_eq!(parse_area(bad), None, "{bad}");
        }
    }
}
