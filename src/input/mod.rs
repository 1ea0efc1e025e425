//! The data file: TOML → template data and the document's metadata.
//!
//! Takes the text of a report's data file; returns [`ReportData`]: the whole file as
//! a `serde_json::Value` for the template (every string NFC, numbers with exactly
//! the digits typed, dates as `YYYY-MM-DD`; see `data.rs`) and the typed
//! `[van_ban]` and `[ky]` tables the layout needs. Errors carry `file:line:col`.
mod data;
mod meta;
mod parse;
pub mod sheet;

pub use crate::source::{nfc, strip_bom};
pub use parse::{merge_tables, parse_toml, toml_error};

/// The keys `[van_ban]` may hold.
pub fn van_ban_keys() -> Vec<&'static str> {
    meta::VAN_BAN.iter().map(|(k, _)| *k).collect()
}

/// The keys `[ky]` may hold.
pub fn ky_keys() -> Vec<&'static str> {
    meta::KY.iter().map(|(k, _)| *k).collect()
}

use crate::diag::{Diagnostic, Diagnostics, Source, SourceResult, Span};
use serde_json::{Map, Value};
use std::sync::Arc;

pub use crate::vn::Date;

/// `[van_ban]`: what the document is (header, title, recipients).
#[derive(Debug, Clone)]
pub struct DocMeta {
    /// Layout profile name or path (`dang`, `nha-nuoc`, `dang-36`, a `.toml` path).
    pub profile: String,
    /// Span of `the_thuc`, for errors about the profile.
    pub profile_span: Span,
    /// Superior body, caps ("ĐẢNG BỘ TỈNH BẮC KẠN"); may be empty.
    pub parent_body: String,
    /// Issuing body, caps ("THÀNH ỦY BẮC KẠN").
    pub issuer: String,
    /// The issuing body's name as written in a sentence ("Thành ủy Bắc Kạn"),
    /// for an appendix's "Kèm theo" line; may be empty.
    pub issuer_name: String,
    /// Document number, if already assigned.
    pub number: Option<i64>,
    /// Symbol ("BC/TU", "BC-UBND").
    pub symbol: String,
    /// Place name for the date line.
    pub place: String,
    /// Date of issue.
    pub date: Date,
    /// Document type, caps ("BÁO CÁO").
    pub kind: String,
    /// Summary line.
    pub summary: String,
    /// Recipients, one line each.
    pub recipients: Vec<String>,
    /// Where each key of `[van_ban]` and `[ky]` stands, named `"van_ban.co_quan"`,
    /// `"ky.chuc_vu"`: for layout's errors about a value too long for its page.
    pub key_spans: Vec<(String, Span)>,
}

impl DocMeta {
    /// The span of the key `table.key` (`"van_ban.co_quan"`); the span of
    /// `the_thuc` if the key was not read from the file.
    pub fn key_span(&self, table: &str, key: &str) -> Span {
        self.key_spans
            .iter()
            .find(|(k, _)| k.strip_prefix(table).and_then(|r| r.strip_prefix('.')) == Some(key))
            .map_or_else(|| self.profile_span.clone(), |(_, s)| s.clone())
    }

    /// The span of item `index` of the list `table.key`; the key's span when
    /// the file does not show the item.
    pub fn item_span(&self, table: &str, key: &str, index: usize) -> Span {
        let item = format!("{table}.{key}.{index}");
        self.key_spans
            .iter()
            .find(|(k, _)| *k == item)
            .map_or_else(|| self.key_span(table, key), |(_, s)| s.clone())
    }
}

/// `[ky]`: the signature block.
#[derive(Debug, Clone)]
pub struct Signer {
    /// Signing authority ("T/M BAN THƯỜNG VỤ"), optional.
    pub authority: String,
    /// Title ("BÍ THƯ").
    pub position: String,
    /// Full name.
    pub name: String,
}

/// A loaded data file.
#[derive(Debug, Clone)]
pub struct ReportData {
    /// The body template's path, relative to the data file.
    pub template: String,
    /// Span of `mau`, for "template not found" errors.
    pub template_span: Span,
    /// `[van_ban]`.
    pub meta: DocMeta,
    /// `[ky]`.
    pub signer: Signer,
    /// The whole file, for the template.
    pub value: Value,
    /// The file's own `[dinh_dang]` settings (over the profile's).
    pub formatting: toml::Table,
    /// The values read from spreadsheets (`bang_tinh = …`), read at render time.
    pub sheets: Vec<sheet::SheetRef>,
}

/// Parse a data file's text (`file` is its name in messages) holding one
/// report. Every problem of `[van_ban]`, `[ky]` and the values is reported at
/// once.
pub fn load(file: &str, text: &str) -> SourceResult<ReportData> {
    let source = Source::new(file, strip_bom(text));
    load_units(&source)?
        .into_iter()
        .next()
        .map(|(_, data)| data)
        .ok_or_else(|| Diagnostic::error("tệp dữ liệu không có báo cáo nào").into())
}

/// The value of a check, and its problems (the value is a stand-in then).
fn split(r: Result<Value, Vec<Diagnostic>>) -> (Value, Vec<Diagnostic>) {
    match r {
        Ok(v) => (v, Vec::new()),
        Err(e) => (Value::Object(Map::new()), e),
    }
}

/// Parse a data file (its BOM removed) that may hold `[[don_vi]]` units: one report per unit, each
/// the file's shared values with the unit's own merged over them, named by the
/// unit's `ten_tep`. Without units, one unnamed report.
pub fn load_units(source: &Arc<Source>) -> SourceResult<Vec<(Option<String>, ReportData)>> {
    let (table, de) = parse_toml(source)?;
    let at = |unit: String| meta::Places {
        source,
        de: Some(de.get_ref()),
        unit,
    };
    // The values are checked once, each at its place in the file.
    let (value, mut errors) = split(data::of(de.get_ref(), source));
    let Some(units) = table.get("don_vi") else {
        let sheets = sheet::Where {
            source,
            de: de.get_ref(),
            unit: None,
        };
        return match report(&table, value, &at(String::new()), &sheets) {
            Ok(d) if errors.is_empty() => Ok(vec![(None, d)]),
            Ok(_) => Err(Diagnostics(errors)),
            Err(mut e) => {
                // The header's problems first, then the values'.
                e.append(&mut errors);
                Err(Diagnostics(e))
            }
        };
    };
    let places = UnitPlaces {
        source,
        decl: de
            .get_ref()
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == "don_vi"),
    };
    let toml::Value::Array(units) = units else {
        return Err(places
            .error(
                None,
                "`don_vi` phải là danh sách các bảng [[don_vi]]".to_string(),
            )
            .into());
    };
    let mut base = table.clone();
    base.remove("don_vi");
    let mut base_value = value;
    let unit_values = match base_value.as_object_mut().and_then(|m| m.remove("don_vi")) {
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    };
    let mut out = Vec::with_capacity(units.len());
    let mut names = std::collections::HashSet::new();
    for (i, u) in units.iter().enumerate() {
        let prefix = format!("[[don_vi]] thứ {}: ", i + 1);
        let (name, ut) = match places.unit(i, u, &prefix, &mut names) {
            Ok(unit) => unit,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        let mut merged = base.clone();
        merge_tables(&mut merged, ut.clone());
        let mut value = base_value.clone();
        if let Some(v) = unit_values.get(i) {
            data::merge(&mut value, v.clone());
        }
        let sheets = sheet::Where {
            source,
            de: de.get_ref(),
            unit: Some(i),
        };
        match report(&merged, value, &at(prefix), &sheets) {
            Ok(d) => out.push((Some(name), d)),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    if out.is_empty() {
        return Err(places
            .error(None, "danh sách [[don_vi]] trống".to_string())
            .into());
    }
    Ok(out)
}

/// Where the `[[don_vi]]` units stand in a data file, for their messages.
struct UnitPlaces<'a, 'd> {
    source: &'a Arc<Source>,
    /// The `don_vi` key and its value in the spanned parse.
    decl: Option<(
        &'d toml::Spanned<std::borrow::Cow<'a, str>>,
        &'d toml::Spanned<toml::de::DeValue<'a>>,
    )>,
}

impl UnitPlaces<'_, '_> {
    /// An error at unit `i` (its key `key`, or its header), or at `don_vi`.
    fn error(&self, unit: Option<(usize, Option<&str>)>, msg: String) -> Diagnostic {
        let offset = unit
            .and_then(|(i, key)| self.unit_offset(i, key))
            .or_else(|| self.decl.map(|(k, _)| k.span().start))
            .unwrap_or(0);
        Diagnostic::error(msg).with_span(Span::at(self.source, offset))
    }

    /// Where unit `i` (or its key `key`) stands in the file.
    fn unit_offset(&self, i: usize, key: Option<&str>) -> Option<usize> {
        let item = self.decl.and_then(|(_, v)| match v.get_ref() {
            toml::de::DeValue::Array(a) => a.get(i),
            _ => None,
        })?;
        let in_item = match (item.get_ref(), key) {
            (toml::de::DeValue::Table(t), Some(k)) => t
                .iter()
                .find(|(kk, _)| kk.get_ref().as_ref() == k)
                .map(|(_, v)| v.span().start),
            _ => None,
        };
        // A unit's own header `[[don_vi]]`: point at the name, as for other tables.
        let o = item.span().start;
        let header = if self
            .source
            .text()
            .get(o..)
            .is_some_and(|t| t.starts_with("[["))
        {
            o + 2
        } else {
            o
        };
        Some(in_item.unwrap_or(header))
    }

    /// Unit `i`'s output name and table, its name checked and not taken before.
    fn unit<'u>(
        &self,
        i: usize,
        u: &'u toml::Value,
        prefix: &str,
        names: &mut std::collections::HashSet<String>,
    ) -> Result<(String, &'u toml::Table), Diagnostic> {
        let toml::Value::Table(ut) = u else {
            return Err(self.error(Some((i, None)), format!("{prefix}phải là một bảng")));
        };
        let name = match ut.get("ten_tep") {
            Some(toml::Value::String(s)) if valid_file_stem(s) => nfc(s),
            Some(toml::Value::String(s)) => {
                return Err(self.error(
                    Some((i, Some("ten_tep"))),
                    format!("{prefix}`ten_tep` \"{s}\" không dùng làm tên tệp được (không được rỗng, có / \\ hay ..)"),
                ));
            }
            _ => {
                return Err(self
                    .error(
                        Some((i, None)),
                        format!("{prefix}thiếu `ten_tep` (tên tệp PDF của đơn vị)"),
                    )
                    .with_hint("thêm ví dụ: ten_tep = \"xa-an-binh\""));
            }
        };
        if !names.insert(name.to_lowercase()) {
            return Err(self.error(
                Some((i, Some("ten_tep"))),
                format!("{prefix}`ten_tep` \"{name}\" trùng với một đơn vị trước"),
            ));
        }
        Ok((name, ut))
    }
}

/// A unit's file name: no separators, no "..", not empty.
fn valid_file_stem(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && !t.contains(['/', '\\', '\0']) && t != "." && t != ".." && !t.starts_with('.')
}

/// Build report data from a parsed table (a whole file, or one `[[don_vi]]`
/// unit) and its template data: every problem of `mau`, `[van_ban]`, `[ky]`
/// and `[dinh_dang]`.
fn report(
    table: &toml::Table,
    value: Value,
    at: &meta::Places,
    sheets: &sheet::Where,
) -> Result<ReportData, Vec<Diagnostic>> {
    let header = meta::read(table, at);
    let sheets = sheet::refs(&value, sheets);
    let ((template, template_span, meta, signer), sheets) = match (header, sheets) {
        (Ok(h), Ok(s)) => (h, s),
        (Err(mut a), Err(mut b)) => {
            a.append(&mut b);
            return Err(a);
        }
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    let formatting = match table.get("dinh_dang") {
        Some(toml::Value::Table(t)) => t.clone(),
        _ => toml::Table::new(),
    };
    Ok(ReportData {
        formatting,
        template,
        template_span,
        meta,
        signer,
        value,
        sheets,
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
        assert_eq!(d.meta.kind, "BÁO CÁO");
        assert_eq!(d.meta.number, Some(5));
        assert_eq!(
            d.meta.date,
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
        assert_eq!(d.signer.name, "Nguyễn Văn A");
        assert_eq!(d.value["ky"]["ho_ten"], "Nguyễn Văn A");
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let src = MIN.replace("so = 5", "so = 5 5");
        let e = load("t.toml", &src).unwrap_err().0.remove(0);
        let span = e.span.unwrap();
        assert_eq!(span.line_col().map(|l| l.0), Some(5));
        assert!(e.message.starts_with("sai cú pháp TOML"), "{}", e.message);
    }

    #[test]
    fn unknown_key_in_van_ban_is_an_error() {
        let src = MIN.replace("so = 5", "so = 5\nso_ky_hieu = 1");
        let e = load("t.toml", &src).unwrap_err().0.remove(0);
        assert!(e.message.contains("so_ky_hieu"), "{}", e.message);
        assert_eq!(e.span.unwrap().line_col().map(|l| l.0), Some(6));
    }

    #[test]
    fn date_with_time_is_rejected() {
        let src = MIN.replace("2021-03-05", "2021-03-05T10:00:00");
        let e = load("t.toml", &src).unwrap_err().0.remove(0);
        assert!(e.message.contains("ngay"));
        assert_eq!(e.span.unwrap().line_col().map(|l| l.0), Some(8));
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
        let number = e
            .iter()
            .find(|d| d.message.contains("`so`"))
            .and_then(|d| d.span.clone())
            .unwrap();
        assert_eq!(number.line_col(), Some((5, 6)));
    }
}
