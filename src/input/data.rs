//! Template data: the spanned parse of a data file → `serde_json::Value`.
//!
//! Takes toml's spanned parse, which keeps the text of every number as typed;
//! returns the data the template sees: strings NFC with their line ends as LF,
//! numbers with exactly the digits the author typed (`1_000` → 1000, `0xff` →
//! 255, `1.5e3` → 1500; see `vn::canonical_number`), dates as `YYYY-MM-DD`. A
//! number a `Decimal` cannot hold (beyond 28 digits, or below 10⁻²⁸), `nan` or
//! `inf`, and a string or key holding a control character or one of the
//! template's private marker characters are errors, every one at its place.
use crate::diag::{Diagnostic, Source, Span};
use crate::vn::{self, OutOfRange};
use serde_json::{Map, Number, Value};
use std::ops::Range;
use std::str::FromStr;
use std::sync::Arc;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The template data of a whole data file, or every problem of its values.
pub fn of(de: &DeTable<'_>, source: &Arc<Source>) -> Result<Value, Vec<Diagnostic>> {
    let mut walk = Walk {
        source,
        errors: Vec::new(),
    };
    let value = walk.table(de, "");
    if walk.errors.is_empty() {
        Ok(value)
    } else {
        // In the order of the file (tables hold their keys sorted).
        walk.errors
            .sort_by_key(|d| d.span.as_ref().and_then(Span::range).map(|r| r.start));
        Err(walk.errors)
    }
}

/// Merge `over` into `base`, objects recursively (as `merge_tables` does for
/// the TOML tables).
pub fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, o) => *b = o,
    }
}

struct Walk<'a> {
    source: &'a Arc<Source>,
    errors: Vec<Diagnostic>,
}

impl Walk<'_> {
    fn table(&mut self, t: &DeTable<'_>, path: &str) -> Value {
        let mut map = Map::new();
        for (k, v) in t {
            let key = k.get_ref();
            let path = if path.is_empty() {
                key.to_string()
            } else {
                format!("{path}.{key}")
            };
            let key = self.string(key, k.span(), &path);
            map.insert(key, self.value(v, &path));
        }
        Value::Object(map)
    }

    fn value(&mut self, v: &Spanned<DeValue<'_>>, path: &str) -> Value {
        let span = v.span();
        match v.get_ref() {
            DeValue::String(s) => Value::String(self.string(s, span, path)),
            DeValue::Integer(i) => {
                let text = if i.radix() == 10 {
                    Some(i.as_str().to_string())
                } else {
                    u128::from_str_radix(i.as_str(), i.radix())
                        .ok()
                        .map(|n| n.to_string())
                };
                match text {
                    Some(t) => self.number(&t, span, path),
                    None => self.out_of_range(OutOfRange::Large, span, path),
                }
            }
            DeValue::Float(f) => {
                let t = f.as_str();
                if t.contains(['n', 'i']) {
                    self.errors.push(
                        Diagnostic::error(format!(
                            "`{path}` không phải là một số hữu hạn (nan/inf không dùng được trong báo cáo)"
                        ))
                        .with_span(Span::at(self.source, span.start)),
                    );
                    return Value::Null;
                }
                self.number(t, span, path)
            }
            DeValue::Boolean(b) => Value::Bool(*b),
            DeValue::Datetime(d) => Value::String(d.to_string()),
            DeValue::Array(a) => Value::Array(
                a.iter()
                    .enumerate()
                    .map(|(i, x)| self.value(x, &format!("{path}[{i}]")))
                    .collect(),
            ),
            DeValue::Table(t) => self.table(t, path),
        }
    }

    /// A number from its decimal text, exactly, or an error at `span`.
    fn number(&mut self, text: &str, span: Range<usize>, path: &str) -> Value {
        match vn::canonical_number(text) {
            Some(Ok(t)) => match Number::from_str(&t) {
                Ok(n) => Value::Number(n),
                Err(_) => self.out_of_range(OutOfRange::Large, span, path),
            },
            Some(Err(why)) => self.out_of_range(why, span, path),
            None => self.out_of_range(OutOfRange::Large, span, path),
        }
    }

    fn out_of_range(&mut self, why: OutOfRange, span: Range<usize>, path: &str) -> Value {
        let typed = self.source.text().get(span.clone()).unwrap_or("").trim();
        let max = vn::MAX_DIGITS;
        let (what, hint) = match why {
            OutOfRange::Digits(n) => (
                format!("có {n} chữ số có nghĩa, vượt quá giới hạn tính toán ({max} chữ số)"),
                "làm tròn bớt chữ số thập phân, hoặc ghi theo đơn vị lớn hơn (ví dụ tỷ đồng thay cho đồng)",
            ),
            OutOfRange::Large => (
                format!("vượt quá giới hạn tính toán (phần nguyên tối đa {max} chữ số)"),
                "ghi theo đơn vị lớn hơn, ví dụ nghìn tỷ đồng thay cho đồng",
            ),
            OutOfRange::Small => (
                format!("vượt quá giới hạn tính toán (tối đa {max} chữ số sau dấu thập phân)"),
                "số này bằng 0 thì ghi 0; nếu không, làm tròn hoặc ghi theo đơn vị nhỏ hơn",
            ),
        };
        self.errors.push(
            Diagnostic::error(format!("`{path}`: số {typed} {what}"))
                .with_span(Span::at(self.source, span.start))
                .with_hint(hint),
        );
        Value::Null
    }

    /// A string or key's text: line ends LF, NFC; a character no report may
    /// hold is an error at its place.
    fn string(&mut self, s: &str, span: Range<usize>, path: &str) -> String {
        let s = if s.contains('\r') {
            s.replace("\r\n", "\n")
        } else {
            s.to_string()
        };
        if let Some(c) = s.chars().find(|c| vn::forbidden_char(*c)) {
            let raw = self.source.text().get(span.clone()).unwrap_or("");
            let at = span.start + forbidden_at(raw).unwrap_or(0);
            let hint = if c.is_control() {
                "xóa ký tự này (thường lẫn vào khi sao chép từ phần mềm khác); muốn xuống dòng thì viết \\n"
            } else {
                "xóa ký tự này: ký tự dùng riêng không in được"
            };
            self.errors.push(
                Diagnostic::error(format!(
                    "`{path}`: chuỗi có {} (không in được)",
                    vn::char_name(c)
                ))
                .with_span(Span::at(self.source, at))
                .with_hint(hint),
            );
        }
        crate::source::nfc(&s)
    }
}

/// Where, in a string's (or key's) text as typed, the first character no
/// report may hold stands, whether typed as it is or as an escape (`\u0007`,
/// `\b`, `\e`, `\x1b`).
fn forbidden_at(raw: &str) -> Option<usize> {
    let basic = raw.starts_with('"');
    let mut it = raw.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if basic && c == '\\' {
            let (_, e) = it.next()?;
            let digits = match e {
                'x' => 2,
                'u' => 4,
                'U' => 8,
                _ => 0,
            };
            let code = match e {
                'b' => Some(0x8),
                'f' => Some(0xC),
                'r' => Some(0xD),
                'e' => Some(0x1B),
                _ if digits > 0 => {
                    let hex: String = (0..digits).filter_map(|_| it.next()).map(|x| x.1).collect();
                    u32::from_str_radix(&hex, 16).ok()
                }
                _ => None,
            };
            if code
                .and_then(char::from_u32)
                .is_some_and(vn::forbidden_char)
            {
                return Some(i);
            }
            continue;
        }
        if c == '\r' && it.peek().is_some_and(|(_, n)| *n == '\n') {
            continue;
        }
        if vn::forbidden_char(c) {
            return Some(i);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(text: &str) -> Result<Value, Vec<Diagnostic>> {
        let source = Source::new("t.toml", text);
        let de = DeTable::parse(source.text()).unwrap();
        of(de.get_ref(), &source)
    }

    fn place(e: &Diagnostic) -> (usize, usize) {
        e.span.as_ref().and_then(Span::line_col).unwrap()
    }

    #[test]
    fn numbers_keep_the_digits_typed() {
        let v = data(
            "a = 12345678901234.567\nb = 9007199254740993.0\nc = 1234567890123456789.12\n\
             d = 1_000\ne = 0xff\nf = 0o17\ng = 0b101\nh = +1.5e3\ni = -0.0\n\
             j = 12345678901234567890123\nk = 158.30\n",
        )
        .unwrap();
        let t = |k: &str| v[k].to_string();
        assert_eq!(t("a"), "12345678901234.567");
        assert_eq!(t("b"), "9007199254740993");
        assert_eq!(t("c"), "1234567890123456789.12");
        assert_eq!(t("d"), "1000");
        assert_eq!(t("e"), "255");
        assert_eq!(t("f"), "15");
        assert_eq!(t("g"), "5");
        assert_eq!(t("h"), "1500");
        assert_eq!(t("i"), "0");
        assert_eq!(t("j"), "12345678901234567890123");
        assert_eq!(t("k"), "158.3");
    }

    #[test]
    fn numbers_out_of_range_are_errors_at_their_place() {
        let e = data("[x]\nb = 1e30\na = 1e-400\nc = 1.00000000000000000000000000001\nd = nan\ne = 0xffffffffffffffffffffffffffffffffff\n")
            .unwrap_err();
        assert_eq!(e.len(), 5);
        assert!(
            e[0].message.contains("số 1e30 vượt quá"),
            "{}",
            e[0].message
        );
        assert!(
            e[1].message.contains("`x.a`: số 1e-400 vượt quá"),
            "{}",
            e[1].message
        );
        assert_eq!(place(&e[1]), (3, 5));
        assert!(
            e[2].message.contains("30 chữ số có nghĩa"),
            "{}",
            e[2].message
        );
        assert!(e[3].message.contains("`x.d` không phải là một số hữu hạn"));
        assert_eq!(place(&e[3]), (5, 5));
        assert!(e[4].message.contains("0xffff"), "{}", e[4].message);
    }

    #[test]
    fn control_characters_are_errors_at_the_character() {
        let e =
            data("[x]\na = \"ab\\u0007c\"\nb = 'x\u{85}'\nc = [\"ok\", \"\\e\"]\n\"k\\b\" = 1\n")
                .unwrap_err();
        let msgs: Vec<&str> = e.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(e.len(), 4, "{msgs:?}");
        assert!(msgs[0].contains("`x.a`: chuỗi có ký tự điều khiển U+0007 (BEL)"));
        assert_eq!(place(&e[0]), (2, 8));
        assert!(msgs[1].contains("U+0085"));
        assert_eq!(place(&e[1]), (3, 7));
        assert!(msgs[2].contains("`x.c[1]`") && msgs[2].contains("U+001B (ESC)"));
        assert_eq!(place(&e[2]), (4, 13));
        assert!(msgs[3].contains("U+0008 (BS)"));
        let private = data("a = \"\u{F0001}\"\n").unwrap_err();
        assert!(private[0].message.contains("ký tự dùng riêng U+F0001"));
    }

    #[test]
    fn line_ends_and_tabs_are_kept() {
        let v = data("a = \"\"\"x\r\ny\"\"\"\r\nb = \"t\\tu\\nv\"\n").unwrap();
        assert_eq!(v["a"], "x\ny");
        assert_eq!(v["b"], "t\tu\nv");
    }

    #[test]
    fn merge_replaces_values_and_merges_objects() {
        let mut base = serde_json::json!({"a": {"x": 1, "y": 2}, "b": [1]});
        merge(&mut base, serde_json::json!({"a": {"y": 3}, "b": [2, 3]}));
        assert_eq!(
            base,
            serde_json::json!({"a": {"x": 1, "y": 3}, "b": [2, 3]})
        );
    }
}
