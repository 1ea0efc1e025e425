//! The data file: TOML → template data and the document's metadata.
//!
//! Takes the text of a report's data file; returns [`ReportData`]: the whole file as
//! a `serde_json::Value` for the template (every string NFC, numbers kept as their
//! exact shortest text, dates as `YYYY-MM-DD`) and the typed `[van_ban]` and `[ky]`
//! tables the layout needs. Errors carry `file:line:col`.
use crate::diag::{Diagnostic, Diagnostics, Span};
use serde_json::{Map, Number, Value};
use std::str::FromStr;
use unicode_normalization::UnicodeNormalization;

pub use crate::vn::Date;

/// `[van_ban]`: what the document is (header, title, recipients).
#[derive(Debug, Clone)]
pub struct DocMeta {
    /// Layout profile name or path (`dang`, `nha-nuoc`, `dang-36`, a `.toml` path).
    pub the_thuc: String,
    /// Span of `the_thuc`, for errors about the profile.
    pub the_thuc_span: Span,
    /// Superior body, caps ("ĐẢNG BỘ TỈNH BẮC KẠN"); may be empty.
    pub co_quan_cap_tren: String,
    /// Issuing body, caps ("THÀNH ỦY BẮC KẠN").
    pub co_quan: String,
    /// Document number, if already assigned.
    pub so: Option<i64>,
    /// Symbol ("BC/TU", "BC-UBND").
    pub ky_hieu: String,
    /// Place name for the date line.
    pub dia_danh: String,
    /// Date of issue.
    pub ngay: Date,
    /// Document type, caps ("BÁO CÁO").
    pub loai: String,
    /// Summary line.
    pub trich_yeu: String,
    /// Recipients, one line each.
    pub noi_nhan: Vec<String>,
}

/// `[ky]`: the signature block.
#[derive(Debug, Clone)]
pub struct Signer {
    /// Signing authority ("T/M BAN THƯỜNG VỤ"), optional.
    pub quyen_han: String,
    /// Title ("BÍ THƯ").
    pub chuc_vu: String,
    /// Full name.
    pub ho_ten: String,
}

/// A loaded data file.
#[derive(Debug, Clone)]
pub struct ReportData {
    /// The body template's path, relative to the data file.
    pub mau: String,
    /// Span of `mau`, for "template not found" errors.
    pub mau_span: Span,
    /// `[van_ban]`.
    pub meta: DocMeta,
    /// `[ky]`.
    pub signer: Signer,
    /// The whole file, for the template.
    pub value: Value,
    /// The file's own `[dinh_dang]` settings (over the profile's).
    pub dinh_dang: toml::Table,
}

/// NFC-normalise a string (a copy when the quick check proves it already is).
pub fn nfc(s: &str) -> String {
    use unicode_normalization::{is_nfc_quick, IsNormalized};
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        return s.to_string();
    }
    s.nfc().collect()
}

/// Remove a UTF-8 byte-order mark.
pub fn strip_bom(s: &str) -> &str {
    s.strip_prefix('\u{feff}').unwrap_or(s)
}

/// Parse TOML once: the table of values, and the same document with the spans
/// of its keys and values (for messages that point into the file).
pub fn parse_toml<'a>(
    file: &str,
    source: &'a str,
) -> Result<(toml::Table, toml::Spanned<toml::de::DeTable<'a>>), Diagnostic> {
    use serde::Deserialize;
    let de = toml::de::DeTable::parse(source).map_err(|e| toml_error(file, source, &e))?;
    let table = toml::Table::deserialize(toml::de::Deserializer::from(de.clone()))
        .map_err(|e| toml_error(file, source, &e))?;
    Ok((table, de))
}

/// Parse a data file's text. `file` is the name used in messages. Every problem
/// of `[van_ban]` and `[ky]` is reported at once.
pub fn load(file: &str, source: &str) -> Result<ReportData, Diagnostics> {
    let source = strip_bom(source);
    let (table, de) = parse_toml(file, source)?;
    let at = crate::meta::Places {
        file,
        source,
        de: Some(de.get_ref()),
        unit: String::new(),
    };
    from_table(&table, &at)
}

/// Parse a data file that may hold `[[don_vi]]` units: one report per unit, each
/// the file's shared values with the unit's own merged over them, named by the
/// unit's `ten_tep`. Without units, one unnamed report.
pub fn load_units(
    file: &str,
    source: &str,
) -> Result<Vec<(Option<String>, ReportData)>, Diagnostics> {
    let source = strip_bom(source);
    let (table, de) = parse_toml(file, source)?;
    let at = |unit: String| crate::meta::Places {
        file,
        source,
        de: Some(de.get_ref()),
        unit,
    };
    let Some(units) = table.get("don_vi") else {
        return Ok(vec![(None, from_table(&table, &at(String::new()))?)]);
    };
    let don_vi = de
        .get_ref()
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == "don_vi");
    let at_offset = |off: usize, msg: String| -> Diagnostic {
        Diagnostic::error(msg).with_span(Span::from_offset(file, source, off))
    };
    let bad = |msg: String| -> Diagnostics {
        at_offset(don_vi.map(|(k, _)| k.span().start).unwrap_or(0), msg).into()
    };
    // Where unit `i` (or its key `key`) stands in the file.
    let unit_at = |i: usize, key: Option<&str>| -> usize {
        let item = don_vi.and_then(|(_, v)| match v.get_ref() {
            toml::de::DeValue::Array(a) => a.get(i),
            _ => None,
        });
        let in_item = item.and_then(|it| match (it.get_ref(), key) {
            (toml::de::DeValue::Table(t), Some(k)) => t
                .iter()
                .find(|(kk, _)| kk.get_ref().as_ref() == k)
                .map(|(_, v)| v.span().start),
            _ => None,
        });
        // A unit's own header `[[don_vi]]`: point at the name, as for other tables.
        let header = item.map(|it| it.span().start).map(|o| {
            if source.get(o..).is_some_and(|t| t.starts_with("[[")) {
                o + 2
            } else {
                o
            }
        });
        in_item
            .or(header)
            .or_else(|| don_vi.map(|(k, _)| k.span().start))
            .unwrap_or(0)
    };
    let toml::Value::Array(units) = units else {
        return Err(bad(
            "`don_vi` phải là danh sách các bảng [[don_vi]]".to_string()
        ));
    };
    let mut base = table.clone();
    base.remove("don_vi");
    let mut out = Vec::with_capacity(units.len());
    let mut errors = Vec::new();
    let mut names = std::collections::HashSet::new();
    for (i, u) in units.iter().enumerate() {
        let prefix = format!("[[don_vi]] thứ {}: ", i + 1);
        let toml::Value::Table(ut) = u else {
            errors.push(at_offset(
                unit_at(i, None),
                format!("{prefix}phải là một bảng"),
            ));
            continue;
        };
        let name = match ut.get("ten_tep") {
            Some(toml::Value::String(s)) if valid_file_stem(s) => nfc(s),
            Some(toml::Value::String(s)) => {
                errors.push(at_offset(
                    unit_at(i, Some("ten_tep")),
                    format!("{prefix}`ten_tep` \"{s}\" không dùng làm tên tệp được (không được rỗng, có / \\ hay ..)"),
                ));
                continue;
            }
            _ => {
                errors.push(
                    at_offset(
                        unit_at(i, None),
                        format!("{prefix}thiếu `ten_tep` (tên tệp PDF của đơn vị)"),
                    )
                    .with_hint("thêm ví dụ: ten_tep = \"xa-an-binh\""),
                );
                continue;
            }
        };
        if !names.insert(name.to_lowercase()) {
            errors.push(at_offset(
                unit_at(i, Some("ten_tep")),
                format!("{prefix}`ten_tep` \"{name}\" trùng với một đơn vị trước"),
            ));
            continue;
        }
        let mut merged = base.clone();
        merge_tables(&mut merged, ut.clone());
        match from_table(&merged, &at(prefix)) {
            Ok(d) => out.push((Some(name), d)),
            Err(e) => errors.extend(e.0),
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    if out.is_empty() {
        return Err(bad("danh sách [[don_vi]] trống".to_string()));
    }
    Ok(out)
}

/// A unit's file name: no separators, no "..", not empty.
fn valid_file_stem(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && !t.contains(['/', '\\', '\0']) && t != "." && t != ".." && !t.starts_with('.')
}

/// Merge `over` into `base`, tables recursively.
pub fn merge_tables(base: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge_tables(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// Build report data from a parsed table (a whole file, or one `[[don_vi]]` unit).
pub fn from_table(
    table: &toml::Table,
    at: &crate::meta::Places,
) -> Result<ReportData, Diagnostics> {
    let (mau, mau_span, meta, signer) = crate::meta::read(table, at).map_err(Diagnostics)?;
    let value = table_to_json(table).map_err(|path| {
        let keys: Vec<&str> = path
            .split('.')
            .map(|k| k.split('[').next().unwrap_or(k))
            .collect();
        Diagnostic::error(format!(
            "{}`{path}` không phải là một số hữu hạn (nan/inf không dùng được trong báo cáo)",
            at.unit
        ))
        .with_span(at.span(&keys, true))
    })?;
    let dinh_dang = match table.get("dinh_dang") {
        Some(toml::Value::Table(t)) => t.clone(),
        _ => toml::Table::new(),
    };
    Ok(ReportData {
        dinh_dang,
        mau,
        mau_span,
        meta,
        signer,
        value,
    })
}

/// Turn a toml error into a diagnostic at its place.
pub fn toml_error(file: &str, source: &str, e: &toml::de::Error) -> Diagnostic {
    let span = e
        .span()
        .map(|r| Span::from_offset(file, source, r.start))
        .unwrap_or_else(|| Span::file_only(file));
    let (message, hint) = translate_toml_message(e.message());
    let mut d = Diagnostic::error(message).with_span(span);
    if let Some(h) = hint {
        d = d.with_hint(h);
    }
    d
}

/// Vietnamese wording for the toml/serde messages authors meet most.
fn translate_toml_message(msg: &str) -> (String, Option<String>) {
    let msg = msg.trim();
    // (what toml says, what we say, a hint)
    const SYNTAX: &[(&str, &str, &str)] = &[
        (
            "invalid basic string",
            "chuỗi chưa được đóng (thiếu dấu ngoặc kép \" ở cuối)",
            "mỗi chuỗi mở bằng \" phải đóng bằng \" trên cùng dòng",
        ),
        (
            "invalid multi-line basic string",
            "chuỗi nhiều dòng chưa được đóng (thiếu \"\"\")",
            "",
        ),
        (
            "invalid literal string",
            "chuỗi chưa được đóng (thiếu dấu ' ở cuối)",
            "",
        ),
        (
            "invalid multi-line literal string",
            "chuỗi nhiều dòng chưa được đóng (thiếu ''')",
            "",
        ),
        (
            "missing escaped value",
            "sau dấu \\ trong chuỗi thiếu ký tự",
            "muốn viết dấu \\ thì gõ \\\\",
        ),
        (
            "string values must be quoted",
            "chữ phải đặt trong dấu ngoặc kép",
            "đã có dấu ngoặc kép chưa?",
        ),
        (
            "invalid string",
            "chuỗi không hợp lệ",
            "đã có dấu ngoặc kép chưa?",
        ),
        (
            "missing assignment between key-value pairs",
            "thiếu dấu = giữa tên mục và giá trị",
            "viết dạng: ten_muc = giá_trị",
        ),
        (
            "key with no value",
            "tên mục không có giá trị",
            "viết dạng: ten_muc = giá_trị",
        ),
        (
            "missing value for key",
            "tên mục không có giá trị",
            "viết dạng: ten_muc = giá_trị",
        ),
        ("missing value", "thiếu giá trị", ""),
        ("extra assignment between key-value pairs", "thừa dấu =", ""),
        ("extra `=`", "thừa dấu =", ""),
        (
            "duplicate key",
            "tên mục bị lặp lại (đã có ở phía trên)",
            "mỗi tên mục chỉ viết một lần trong một bảng",
        ),
        (
            "invalid date-time",
            "ngày giờ không hợp lệ",
            "ngày viết dạng năm-tháng-ngày: 2021-12-15",
        ),
        (
            "invalid datetime",
            "ngày giờ không hợp lệ",
            "ngày viết dạng năm-tháng-ngày: 2021-12-15",
        ),
        (
            "invalid date",
            "ngày không hợp lệ",
            "ngày viết dạng năm-tháng-ngày, tháng từ 01 đến 12, ngày có thật: 2021-12-15",
        ),
        ("invalid time", "giờ không hợp lệ", ""),
        (
            "unclosed array table",
            "tên bảng [[...]] chưa được đóng",
            "viết dạng [[ten_bang]]",
        ),
        (
            "unclosed table",
            "tên bảng [...] chưa được đóng (thiếu dấu ])",
            "viết dạng [ten_bang]",
        ),
        (
            "unclosed array",
            "danh sách chưa được đóng (thiếu dấu ])",
            "",
        ),
        (
            "unclosed inline table",
            "bảng trên một dòng chưa được đóng (thiếu dấu })",
            "",
        ),
        (
            "missing comma between array elements",
            "thiếu dấu phẩy giữa các phần tử của danh sách",
            "",
        ),
        (
            "missing comma between key-value pairs",
            "thiếu dấu phẩy giữa các mục",
            "",
        ),
        ("extra comma in array", "thừa dấu phẩy trong danh sách", ""),
        (
            "extra comma in inline table",
            "thừa dấu phẩy trong bảng",
            "",
        ),
        (
            "invalid inline table element",
            "mục không hợp lệ trong bảng trên một dòng",
            "",
        ),
        (
            "invalid unquoted key",
            "tên mục không hợp lệ",
            "tên mục chỉ gồm chữ không dấu, số, _ và -; hoặc đặt trong ngoặc kép",
        ),
        ("unquoted keys cannot be empty", "tên mục trống", ""),
        (
            "invalid key-value pair",
            "dòng không hợp lệ",
            "viết dạng: ten_muc = giá_trị",
        ),
        ("invalid key", "tên mục không hợp lệ", ""),
        ("invalid table", "tên bảng không hợp lệ", ""),
        ("invalid integer number", "số nguyên không hợp lệ", ""),
        ("integer number overflowed", "số quá lớn", ""),
        ("floating-point number overflowed", "số quá lớn", ""),
        (
            "invalid float",
            "số không hợp lệ",
            "dùng dấu chấm cho phần thập phân: 158.3",
        ),
        (
            "invalid boolean",
            "giá trị đúng/sai không hợp lệ",
            "viết true hoặc false",
        ),
        (
            "invalid comment character",
            "ký tự không hợp lệ trong ghi chú",
            "",
        ),
        (
            "invalid value",
            "giá trị không hợp lệ",
            "chữ phải đặt trong dấu ngoặc kép; số dùng dấu chấm thập phân",
        ),
    ];
    if let Some(rest) = msg.strip_prefix("missing field ") {
        return (
            format!("thiếu mục bắt buộc {rest}"),
            Some("thêm mục này vào bảng được chỉ ra".to_string()),
        );
    }
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        let name = rest.split(',').next().unwrap_or(rest);
        return (format!("mục không được hỗ trợ {name}"), None);
    }
    if msg.starts_with("invalid type") {
        let hint = if msg.contains("expected a string") {
            "đã có dấu ngoặc kép chưa?"
        } else if msg.contains("string") {
            "bỏ dấu ngoặc kép quanh số?"
        } else {
            "xem lại kiểu của giá trị (chữ, số, ngày, danh sách)"
        };
        return ("sai kiểu giá trị".to_string(), Some(hint.to_string()));
    }
    for (en, vi, hint) in SYNTAX {
        if msg.starts_with(en) {
            let hint = (!hint.is_empty()).then(|| hint.to_string());
            return (format!("sai cú pháp TOML: {vi}"), hint);
        }
    }
    (
        "sai cú pháp TOML ở vị trí được chỉ ra".to_string(),
        Some("xem lại dấu ngoặc kép, dấu = và dấu ngoặc vuông ở dòng này".to_string()),
    )
}

/// Convert a TOML table to template data; `Err(path)` names a non-finite float.
pub fn table_to_json(table: &toml::Table) -> Result<Value, String> {
    let mut map = Map::new();
    for (k, v) in table {
        map.insert(nfc(k), to_json(v, k)?);
    }
    Ok(Value::Object(map))
}

fn to_json(v: &toml::Value, path: &str) -> Result<Value, String> {
    Ok(match v {
        toml::Value::String(s) => Value::String(nfc(s)),
        toml::Value::Integer(i) => Value::Number(Number::from(*i)),
        toml::Value::Float(f) => {
            if !f.is_finite() {
                return Err(path.to_string());
            }
            // Rust prints the shortest text that round-trips: 158.3 stays "158.3".
            Value::Number(Number::from_str(&format!("{f}")).map_err(|_| path.to_string())?)
        }
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(
            a.iter()
                .enumerate()
                .map(|(i, x)| to_json(x, &format!("{path}[{i}]")))
                .collect::<Result<_, _>>()?,
        ),
        toml::Value::Table(t) => {
            let mut map = Map::new();
            for (k, x) in t {
                map.insert(nfc(k), to_json(x, &format!("{path}.{k}"))?);
            }
            Value::Object(map)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: &str = r#"mau = "m.md.hbs"
[van_ban]
the_thuc = "dang"
co_quan = "THÀNH ỦY BẮC KẠN"
so = 5
ky_hieu = "BC/TU"
dia_danh = "Bắc Kạn"
ngay = 2021-03-05
trich_yeu = "về việc"
[ky]
chuc_vu = "BÍ THƯ"
ho_ten = "Nguyễn Văn A"
[so_lieu]
x = 158.3
y = 3250
"#;

    #[test]
    fn loads_metadata_and_exact_numbers() {
        let d = load("t.toml", MIN).unwrap();
        assert_eq!(d.meta.loai, "BÁO CÁO");
        assert_eq!(d.meta.so, Some(5));
        assert_eq!(
            d.meta.ngay,
            Date {
                year: 2021,
                month: 3,
                day: 5
            }
        );
        assert_eq!(d.value["so_lieu"]["x"].to_string(), "158.3");
        assert_eq!(d.value["so_lieu"]["y"].to_string(), "3250");
        assert_eq!(d.value["van_ban"]["ngay"], "2021-03-05");
    }

    #[test]
    fn strings_are_nfc() {
        let src = MIN.replace("Nguyễn", "Nguye\u{302}\u{303}n");
        let d = load("t.toml", &src).unwrap();
        assert_eq!(d.signer.ho_ten, "Nguyễn Văn A");
        assert_eq!(d.value["ky"]["ho_ten"], "Nguyễn Văn A");
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let src = MIN.replace("so = 5", "so = 5 5");
        let e = load("t.toml", &src).unwrap_err().0.remove(0);
        let span = e.span.unwrap();
        assert_eq!(span.line, 5);
        assert!(e.message.starts_with("sai cú pháp TOML"), "{}", e.message);
    }

    #[test]
    fn unknown_key_in_van_ban_is_an_error() {
        let src = MIN.replace("so = 5", "so = 5\nso_ky_hieu = 1");
        let e = load("t.toml", &src).unwrap_err().0.remove(0);
        assert!(e.message.contains("so_ky_hieu"), "{}", e.message);
        assert_eq!(e.span.unwrap().line, 6);
    }

    #[test]
    fn date_with_time_is_rejected() {
        let src = MIN.replace("2021-03-05", "2021-03-05T10:00:00");
        let e = load("t.toml", &src).unwrap_err().0.remove(0);
        assert!(e.message.contains("ngay"));
        assert_eq!(e.span.unwrap().line, 8);
    }

    #[test]
    fn every_problem_of_the_header_at_once() {
        let src = MIN
            .replace("so = 5", "so = \"5\"\nco_qua = \"X\"")
            .replace("ngay = 2021-03-05", "ngay = \"15/12/2021\"")
            .replace("ho_ten = \"Nguyễn Văn A\"\n", "");
        let e = load("t.toml", &src).unwrap_err().0;
        let msgs: Vec<String> = e.iter().map(|d| d.message.clone()).collect();
        assert_eq!(e.len(), 4, "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("`co_qua`")));
        assert!(e
            .iter()
            .any(|d| d.hints.iter().any(|h| h.contains("`co_quan`"))));
        assert!(msgs.iter().any(|m| m.contains("`so`")));
        assert!(e
            .iter()
            .any(|d| d.hints.iter().any(|h| h.contains("ngoặc kép"))));
        assert!(msgs.iter().any(|m| m.contains("`ngay`")));
        assert!(msgs.iter().any(|m| m.contains("ho_ten")));
        let so = e
            .iter()
            .find(|d| d.message.contains("`so`"))
            .and_then(|d| d.span.clone())
            .unwrap();
        assert_eq!((so.line, so.col), (5, 6));
    }
}
