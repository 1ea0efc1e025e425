//! TOML for people: parsing with spans, and toml's messages in Vietnamese with
//! a hint for the slips report authors make most.
use crate::diag::{Diagnostic, Source, Span};
use std::sync::Arc;

/// Parse TOML once: the table of values, and the same document with the spans
/// of its keys and values (for messages that point into the file, and for the
/// exact text of its numbers).
pub fn parse_toml(
    source: &Arc<Source>,
) -> Result<(toml::Table, toml::Spanned<toml::de::DeTable<'_>>), Diagnostic> {
    let de = toml::de::DeTable::parse(source.text()).map_err(|e| toml_error(source, &e))?;
    let table = table_of(de.get_ref());
    Ok((table, de))
}

/// The values of a spanned parse. An integer beyond 64 bits, which the loader
/// keeps exactly as template data (or refuses), is its nearest float here.
fn table_of(de: &toml::de::DeTable<'_>) -> toml::Table {
    de.iter()
        .map(|(k, v)| (k.get_ref().to_string(), value_of(v.get_ref())))
        .collect()
}

fn value_of(v: &toml::de::DeValue<'_>) -> toml::Value {
    use toml::de::DeValue as D;
    match v {
        D::String(s) => toml::Value::String(s.to_string()),
        D::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => toml::Value::Integer(n),
            Err(_) => toml::Value::Float(
                u128::from_str_radix(i.as_str(), i.radix())
                    .map(|n| n as f64)
                    .or_else(|_| i.as_str().parse::<f64>())
                    .unwrap_or(f64::INFINITY),
            ),
        },
        D::Float(f) => toml::Value::Float(f.as_str().parse().unwrap_or(f64::NAN)),
        D::Boolean(b) => toml::Value::Boolean(*b),
        D::Datetime(d) => toml::Value::Datetime(*d),
        D::Array(a) => toml::Value::Array(a.iter().map(|x| value_of(x.get_ref())).collect()),
        D::Table(t) => toml::Value::Table(table_of(t)),
    }
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
    let at = e.span().map(|r| r.start);
    if let Some(d) = slip(source, e.message(), at) {
        return d;
    }
    let span = at
        .map(|o| Span::at(source, o))
        .unwrap_or_else(|| Span::whole(source));
    let (message, hint) = translate_toml_message(e.message());
    let mut d = Diagnostic::error(message).with_span(span);
    if let Some(h) = hint {
        d = d.with_hint(h);
    }
    d
}

/// The nesting toml allows: levels of `[ ]` / `{ }`, and parts of one dotted key.
const NESTING: usize = 80;

/// A specific message for what toml reports in general terms: a control
/// character in the file, nesting too deep, a decimal comma or dots grouping
/// thousands in a number.
fn slip(source: &Arc<Source>, msg: &str, at: Option<usize>) -> Option<Diagnostic> {
    let text = source.text();
    if let Some((o, c)) = raw_control(text).filter(|(o, _)| at.is_none_or(|a| *o <= a)) {
        let (what, hint) = if c == '\r' {
            (
                "ký tự CR (U+000D) đứng một mình: không phải cách xuống dòng hợp lệ".to_string(),
                "lưu lại tệp với kiểu xuống dòng LF hoặc CRLF (Windows)",
            )
        } else {
            (
                format!("{} không được có trong tệp", crate::vn::char_name(c)),
                "xóa ký tự này (thường lẫn vào khi sao chép từ phần mềm khác); muốn xuống dòng trong chuỗi thì viết \\n",
            )
        };
        return Some(
            Diagnostic::error(format!("sai cú pháp TOML: {what}"))
                .with_span(Span::at(source, o))
                .with_hint(hint),
        );
    }
    let deep = |n: String, o: Option<usize>| {
        Diagnostic::error(format!("sai cú pháp TOML: dữ liệu lồng nhau quá sâu ({n})"))
            .with_span(o.map_or_else(|| Span::whole(source), |o| Span::at(source, o)))
            .with_hint("báo cáo không cần lồng sâu như vậy: tách thành các bảng riêng, ít tầng hơn")
    };
    if msg.starts_with("recursion limit") {
        return Some(match deep_key(text) {
            Some((o, n)) => deep(
                format!("tên mục gồm {n} phần nối bằng dấu chấm, tối đa {NESTING} phần"),
                Some(o),
            ),
            None => deep(format!("tối đa {NESTING} tầng"), None),
        });
    }
    if msg.starts_with("cannot recurse further") {
        return Some(deep(
            format!("quá {NESTING} tầng ngoặc [ ] hoặc {{ }} lồng nhau"),
            at,
        ));
    }
    number_slip(source, at?)
}

/// The first character of `text` that TOML refuses anywhere (a control
/// character other than tab and line ends, or a CR not before LF), and its offset.
fn raw_control(text: &str) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    text.char_indices().find(|&(i, c)| match c {
        '\t' | '\n' => false,
        '\r' => bytes.get(i + 1) != Some(&b'\n'),
        _ => c.is_ascii_control(),
    })
}

/// A decimal comma (`3187,6`) or dots grouping thousands (`3.187.000`,
/// `1.234,5`) in a number after `=` on the line of `at`, before `at`.
fn number_slip(source: &Arc<Source>, at: usize) -> Option<Diagnostic> {
    let text = source.text();
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text.get(at..)?.find('\n').map_or(text.len(), |i| at + i);
    let line = text.get(line_start..line_end)?;
    let (start, number, len) = line
        .match_indices('=')
        .filter_map(|(k, _)| {
            // An `=` inside a string is text.
            let before = line.get(..k)?;
            if before.matches('"').count() % 2 == 1 || before.matches('\'').count() % 2 == 1 {
                return None;
            }
            let rest = line.get(k + 1..)?;
            let start = line_start + k + 1 + rest.len() - rest.trim_start().len();
            let (number, len) = slipped_number(text.get(start..)?)?;
            Some((start, number, len))
        })
        .rfind(|(start, _, _)| *start <= at)?;
    let typed = text.get(start..start + len)?;
    let comma = typed.find(',');
    let grouped = typed.get(..comma.unwrap_or(typed.len()))?.contains('.');
    let (message, place) = match comma {
        Some(c) => (
            "số thập phân phải viết bằng dấu chấm, không dùng dấu phẩy",
            start + c,
        ),
        None => ("số không được có dấu chấm ngăn cách hàng nghìn", start),
    };
    let fix = match (comma.is_some(), grouped) {
        (true, false) => "dùng dấu chấm",
        (true, true) => "bỏ dấu chấm ngăn cách hàng nghìn, dùng dấu chấm thập phân",
        _ => "bỏ dấu chấm ngăn cách hàng nghìn",
    };
    Some(
        Diagnostic::error(format!("sai cú pháp TOML: {message}"))
            .with_span(Span::at(source, place))
            .with_hint(format!("{fix}: {number}")),
    )
}

/// A number as a Vietnamese author may type it at the start of `t`: digits with
/// a decimal comma, or dots grouping thousands (with or without a decimal comma):
/// the number as TOML wants it, and the length typed. `None` for a number TOML
/// reads as it is.
fn slipped_number(t: &str) -> Option<(String, usize)> {
    let sign = t
        .strip_prefix(['-', '+'])
        .map_or("", |_| t.get(..1).unwrap_or(""));
    let body = t.get(sign.len()..)?;
    let int_len = body
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_'))
        .unwrap_or(body.len());
    let int = body.get(..int_len)?;
    let after = body.get(int_len..)?;
    let frac: String = after
        .strip_prefix(',')
        .map(|f| f.chars().take_while(|c| c.is_ascii_digit()).collect())
        .unwrap_or_default();
    let groups: Vec<&str> = int.split('.').collect();
    let grouped = groups.len() > 1
        && groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
        && groups.iter().skip(1).all(|g| g.len() == 3)
        && groups
            .iter()
            .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()));
    let plain = groups.len() == 1
        && !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    let whole = match (grouped, plain, frac.is_empty()) {
        (true, _, true) if groups.len() > 2 => groups.concat(),
        (true, _, false) => groups.concat(),
        (_, true, false) => int.replace('_', ""),
        _ => return None,
    };
    let number = if frac.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{frac}")
    };
    let len = sign.len() + int_len + if frac.is_empty() { 0 } else { 1 + frac.len() };
    Some((number, len))
}

/// The first dotted key (a table header's, or before `=`) with more parts than
/// toml allows: its offset and number of parts. Strings and comments are skipped.
fn deep_key(text: &str) -> Option<(usize, usize)> {
    let mut chain: Option<(usize, usize)> = None; // (start, parts)
    let mut after_dot = false;
    let mut i = 0;
    while let Some(c) = text.get(i..).and_then(|t| t.chars().next()) {
        let bare = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
        let len = if bare(c) {
            text.get(i..)?
                .find(|c: char| !bare(c))
                .unwrap_or(text.len() - i)
        } else if c == '"' || c == '\'' {
            string_len(text.get(i..)?)
        } else {
            c.len_utf8()
        };
        if bare(c) || c == '"' || c == '\'' {
            chain = match chain {
                Some((s, n)) if after_dot => Some((s, n + 1)),
                _ => Some((i, 1)),
            };
            after_dot = false;
        } else if c == '.' && chain.is_some() && !after_dot {
            after_dot = true;
        } else if c != ' ' && c != '\t' {
            if let Some((s, n)) = chain.filter(|(_, n)| *n > NESTING) {
                return Some((s, n));
            }
            chain = None;
            after_dot = false;
            if c == '#' {
                i += text.get(i..)?.find('\n').unwrap_or(text.len() - i);
                continue;
            }
        }
        i += len.max(1);
    }
    chain.filter(|(_, n)| *n > NESTING)
}

/// The length of the TOML string that starts `t` (its quotes included; to the
/// end of `t` if it is not closed).
fn string_len(t: &str) -> usize {
    let quote = if t.starts_with('"') { "\"" } else { "'" };
    let triple = quote.repeat(3);
    let (open, close) = if t.starts_with(&triple) {
        (3, triple.as_str())
    } else {
        (1, quote)
    };
    let body = t.get(open..).unwrap_or("");
    let mut k = 0;
    while k < body.len() {
        let rest = body.get(k..).unwrap_or("");
        if quote == "\"" && rest.starts_with('\\') {
            k += 1 + rest.chars().nth(1).map_or(0, char::len_utf8);
        } else if rest.starts_with(close) {
            return open + k + close.len();
        } else if open == 1 && rest.starts_with('\n') {
            return open + k;
        } else {
            k += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    t.len()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> Diagnostic {
        let source = Source::new("t.toml", text);
        parse_toml(&source).unwrap_err()
    }

    fn place(d: &Diagnostic) -> Option<(usize, usize)> {
        d.span.as_ref().and_then(Span::line_col)
    }

    #[test]
    fn a_decimal_comma_gets_the_number_with_a_dot() {
        let d = error("[so_lieu]\nx = 3187,6\n");
        assert!(d.message.contains("dấu chấm"), "{}", d.message);
        assert_eq!(d.hints, vec!["dùng dấu chấm: 3187.6"]);
        assert_eq!(place(&d), Some((2, 9)));
        let d = error("x = {a = -1.234,5, b = 2}\n");
        assert_eq!(
            d.hints,
            vec!["bỏ dấu chấm ngăn cách hàng nghìn, dùng dấu chấm thập phân: -1234.5"]
        );
        let d = error("x = 3.187.000\n");
        assert_eq!(d.hints, vec!["bỏ dấu chấm ngăn cách hàng nghìn: 3187000"]);
        assert_eq!(place(&d), Some((1, 5)));
        // A comma between values, or in a string, is not a slip of this kind.
        let d = error("x = [1, 2\n");
        assert!(!d.message.contains("dấu phẩy"), "{}", d.message);
        let d = error("x = \"a = 1,5\n");
        assert!(!d.message.contains("dấu phẩy"), "{}", d.message);
    }

    #[test]
    fn control_characters_in_the_file_are_named() {
        let d = error("a = 1\nb = \"x\0y\"\n");
        assert!(d.message.contains("U+0000 (NUL)"), "{}", d.message);
        assert_eq!(place(&d), Some((2, 7)));
        let d = error("a = 1\rb = 2\n");
        assert!(d.message.contains("CR (U+000D)"), "{}", d.message);
        // A control character after a syntax error: the syntax error first.
        let d = error("a = = 1\n# \u{7}\n");
        assert!(!d.message.contains("U+0007"), "{}", d.message);
    }

    #[test]
    fn nesting_too_deep_is_named_at_its_place() {
        let keys: Vec<String> = (0..100).map(|i| format!("k{i}")).collect();
        for text in [
            format!("x = 1\n{} = 1\n", keys.join(".")),
            format!("x = 1\n[{}]\ny = 1\n", keys.join(".")),
            format!("x = 1\n[[{}]]\ny = 1\n", keys.join(" . ")),
        ] {
            let d = error(&text);
            assert!(d.message.contains("lồng nhau quá sâu"), "{}", d.message);
            assert!(d.message.contains("100 phần"), "{}", d.message);
            assert_eq!(place(&d).map(|p| p.0), Some(2), "{text}");
        }
        // The most toml takes, and one more.
        let parts = |n: usize| {
            (0..n)
                .map(|i| format!("k{i}"))
                .collect::<Vec<_>>()
                .join(".")
        };
        let source = Source::new("t.toml", format!("{} = 1\n", parts(80)));
        assert!(parse_toml(&source).is_ok());
        let d = error(&format!("x = 1\n{} = 1\n", parts(81)));
        assert_eq!(place(&d), Some((2, 1)), "{}", d.message);
        let d = error(&format!("x = {}1{}\n", "[".repeat(100), "]".repeat(100)));
        assert!(d.message.contains("tầng ngoặc"), "{}", d.message);
        assert_eq!(place(&d).map(|p| p.0), Some(1));
        assert!(!d.hints.iter().any(|h| h.contains("ngoặc kép")));
    }

    #[test]
    fn values_match_what_toml_reads() {
        let text = "a = 1\nb = 2.5\nc = \"x\"\nd = 2021-03-05\ne = [1, {f = true}]\n[g]\nh = -7\n";
        let source = Source::new("t.toml", text);
        let (table, _) = parse_toml(&source).unwrap();
        let direct: toml::Table = toml::from_str(text).unwrap();
        assert_eq!(table, direct);
    }
}
