//! TOML for people: parsing with spans, and toml's messages in Vietnamese with
//! a hint for the slips report authors make most.
use crate::diag::{Diagnostic, Source, Span};
use std::sync::Arc;

/// Parse TOML once: the table of values, and the same document with the spans
/// of its keys and values (for messages that point into the file).
pub fn parse_toml(
    source: &Arc<Source>,
) -> Result<(toml::Table, toml::Spanned<toml::de::DeTable<'_>>), Diagnostic> {
    use serde::Deserialize;
    let de = toml::de::DeTable::parse(source.text()).map_err(|e| toml_error(source, &e))?;
    let table = toml::Table::deserialize(toml::de::Deserializer::from(de.clone()))
        .map_err(|e| toml_error(source, &e))?;
    Ok((table, de))
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

/// Turn a toml error into a diagnostic at its place.
pub fn toml_error(source: &Arc<Source>, e: &toml::de::Error) -> Diagnostic {
    let span = e
        .span()
        .map(|r| Span::at(source, r.start))
        .unwrap_or_else(|| Span::whole(source));
    let (message, hint) = translate_toml_message(e.message());
    let mut d = Diagnostic::error(message).with_span(span);
    if let Some(h) = hint {
        d = d.with_hint(h);
    }
    d
}

/// toml's syntax messages: (what toml says, what we say, a hint).
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

/// Vietnamese wording for the toml/serde messages authors meet most.
fn translate_toml_message(msg: &str) -> (String, Option<String>) {
    let msg = msg.trim();
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
