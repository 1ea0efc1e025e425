//! Layout profiles: every number and label of a document's layout, as data.
//!
//! Takes the `the_thuc` value of `[van_ban]` (a built-in name, a family such as
//! `dang` resolved by the document's date, or a path to a user's TOML file that may
//! `ke_thua` a built-in) and returns a [`Profile`]. Built-ins live in `profiles/` and
//! are embedded in the binary.
use crate::diag::{Diagnostic, Span};
use crate::vn::Date;
use serde::Deserialize;
use std::path::Path;

/// Built-in profiles: (name, TOML text).
pub const BUILTIN: &[(&str, &str)] = &[
    ("dang-36", include_str!("../../profiles/dang-36.toml")),
    ("dang-05", include_str!("../../profiles/dang-05.toml")),
    ("nha-nuoc", include_str!("../../profiles/nha-nuoc.toml")),
];

/// A text line of the layout: content with `{placeholders}` and its style.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineSpec {
    /// Text; `{name}` is replaced by the document's value.
    #[serde(default)]
    pub chu: String,
    /// Size in pt.
    pub co: f32,
    /// Bold.
    #[serde(default)]
    pub dam: bool,
    /// Italic.
    #[serde(default)]
    pub nghieng: bool,
    /// Underlined text.
    #[serde(default)]
    pub gach_chan: bool,
    /// A rule under the line, as a fraction of the text's width (0 = none).
    #[serde(default)]
    pub gach_duoi: f32,
}

/// Page size and margins, in mm.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageSpec {
    pub rong: f32,
    pub cao: f32,
    pub le_tren: f32,
    pub le_duoi: f32,
    pub le_trai: f32,
    pub le_phai: f32,
}

/// Fonts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontSpec {
    /// Font family: `Tinos` (bundled).
    pub phong: String,
}

/// Body text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodySpec {
    /// Size, pt.
    pub co_chu: f32,
    /// Line height, pt.
    pub gian_dong: f32,
    /// First-line indent, mm.
    pub thut_dau_dong: f32,
    /// Space before a paragraph, pt.
    pub cach_doan: f32,
}

/// Headings (levels 1–3).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadingSpec {
    pub co_chu: [f32; 3],
    pub dam: [bool; 3],
    pub nghieng: [bool; 3],
    /// Space before a heading, pt.
    pub cach_tren: f32,
    /// Indent, mm.
    pub thut_dau_dong: f32,
}

/// Tables.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    pub co_chu: f32,
    pub co_chu_toi_thieu: f32,
    /// Line height as a multiple of the size.
    pub gian_dong: f32,
    /// Cell padding, pt.
    pub dem_o: f32,
    /// Rule width, pt.
    pub net: f32,
}

/// Page numbers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageNumberSpec {
    pub co_chu: f32,
    /// Distance from the top edge to the middle of the number, mm.
    pub cach_mep_tren: f32,
    /// First page that shows its number.
    pub tu_trang: usize,
}

/// The header block.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderSpec {
    /// Left column width as a fraction of the text width.
    pub cot_trai: f32,
    /// Line height, pt.
    pub gian_dong: f32,
    /// Baseline to rule, pt.
    pub cach_gach: f32,
    /// Rule width, pt.
    pub net_gach: f32,
    pub trai: Vec<LineSpec>,
    pub phai: Vec<LineSpec>,
    /// Extra space above the number/date row, pt.
    #[serde(default)]
    pub cach_dong_so: f32,
    pub so: LineSpec,
    pub ngay: LineSpec,
}

/// Title and summary.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitleSpec {
    pub cach_tren: f32,
    pub loai: LineSpec,
    pub trich_yeu: LineSpec,
    /// A line under the summary ("-----"); empty text = none.
    pub gach: LineSpec,
    pub cach_duoi: f32,
}

/// Signature block.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureSpec {
    pub cot_phai: f32,
    pub cach_tren: f32,
    pub gian_dong: f32,
    pub quyen_han: LineSpec,
    pub chuc_vu: LineSpec,
    pub dong_trong: u32,
    pub ho_ten: LineSpec,
}

/// Recipients.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipientsSpec {
    pub tieu_de: LineSpec,
    /// One recipient line; `{dong}` is the recipient.
    pub dong: LineSpec,
    pub gian_dong: f32,
    /// Punctuation every line but the last ends with (replacing the data's own);
    /// empty: lines as written.
    #[serde(default)]
    pub cuoi_dong: String,
    /// Punctuation of the last line.
    #[serde(default)]
    pub cuoi_dong_cuoi: String,
}

/// A whole layout profile.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub ten: String,
    #[serde(default)]
    pub ho: String,
    #[serde(default)]
    pub mo_ta: String,
    #[serde(default)]
    pub nguon: String,
    pub ap_dung_tu: toml::value::Datetime,
    #[serde(default)]
    pub ke_thua: Option<String>,
    pub trang: PageSpec,
    pub chu: FontSpec,
    pub than: BodySpec,
    pub muc: HeadingSpec,
    pub bang: TableSpec,
    pub so_trang: PageNumberSpec,
    pub dau: HeaderSpec,
    pub tieu_de: TitleSpec,
    pub ky: SignatureSpec,
    pub noi_nhan: RecipientsSpec,
    /// Formatting settings for the helpers (see `vn::Settings`).
    #[serde(default)]
    pub dinh_dang: toml::Table,
}

fn date_key(d: &toml::value::Datetime) -> (i32, u32, u32) {
    d.date
        .map(|x| (i32::from(x.year), u32::from(x.month), u32::from(x.day)))
        .unwrap_or((0, 0, 0))
}

fn parse_builtin(name: &str, text: &str) -> Result<Profile, Diagnostic> {
    toml::from_str(text).map_err(|e| crate::input::toml_error(&format!("<{name}>"), text, &e))
}

/// The built-in profiles, parsed.
fn builtins() -> Vec<(&'static str, Result<Profile, Diagnostic>)> {
    BUILTIN
        .iter()
        .map(|(name, text)| (*name, parse_builtin(name, text)))
        .collect()
}

/// Resolve `the_thuc`. `base_dir` is the data file's folder (for user profiles).
pub fn resolve(
    the_thuc: &str,
    date: Date,
    span: &Span,
    base_dir: &Path,
) -> Result<Profile, Diagnostic> {
    let builtins = builtins();
    if let Some((_, parsed)) = builtins.iter().find(|(n, _)| *n == the_thuc) {
        return parsed.clone();
    }
    // A family: the newest profile of that family in force on the document's date.
    let mut best: Option<&Profile> = None;
    for (_, parsed) in &builtins {
        let p = parsed.as_ref().map_err(Clone::clone)?;
        if p.ho != the_thuc {
            continue;
        }
        let from = date_key(&p.ap_dung_tu);
        if from > (date.year, date.month, date.day) {
            continue;
        }
        if best.as_ref().is_none_or(|b| date_key(&b.ap_dung_tu) < from) {
            best = Some(p);
        }
    }
    if let Some(p) = best {
        return Ok(p.clone());
    }
    if the_thuc.ends_with(".toml") {
        return load_user(&base_dir.join(the_thuc), the_thuc, span);
    }
    let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
    Err(
        Diagnostic::error(format!("không có thể thức \"{the_thuc}\""))
            .with_span(span.clone())
            .with_hint(format!(
                "dùng \"dang\" hoặc một trong: {}; hoặc đường dẫn tới tệp .toml của riêng bạn",
                names.join(", ")
            )),
    )
}

/// Load a user's profile file, merged over the profile it inherits (`ke_thua`).
fn load_user(path: &Path, shown: &str, span: &Span) -> Result<Profile, Diagnostic> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error(format!(
            "không đọc được tệp thể thức \"{shown}\": {}",
            crate::source::io_reason(&e)
        ))
        .with_span(span.clone())
    })?;
    let text = crate::source::strip_bom(&text);
    let user: toml::Table =
        toml::from_str(text).map_err(|e| crate::input::toml_error(shown, text, &e))?;
    let de =
        toml::de::DeTable::parse(text).map_err(|e| crate::input::toml_error(shown, text, &e))?;
    let mut merged = match user.get("ke_thua") {
        Some(toml::Value::String(base_name)) => {
            let Some((_, base_text)) = BUILTIN.iter().find(|(n, _)| n == base_name) else {
                let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
                let at = key_span(de.get_ref(), &["ke_thua"], true).unwrap_or(0);
                return Err(Diagnostic::error(format!(
                    "thể thức kế thừa \"{base_name}\" không có sẵn"
                ))
                .with_span(Span::from_offset(shown, text, at))
                .with_hint(format!("các thể thức có sẵn: {}", names.join(", "))));
            };
            toml::from_str::<toml::Table>(base_text)
                .map_err(|e| crate::input::toml_error(base_name, base_text, &e))?
        }
        _ => toml::Table::new(),
    };
    let schema: toml::Table = toml::from_str(SCHEMA).unwrap_or_default();
    check_keys(de.get_ref(), &schema, "", shown, text)?;
    crate::input::merge_tables(&mut merged, user);
    let profile: Profile =
        toml::Value::Table(merged)
            .try_into()
            .map_err(|e: toml::de::Error| {
                Diagnostic::error(format!(
                    "thể thức \"{shown}\": {}",
                    translate_serde(e.message())
                ))
                .with_span(Span::file_only(shown))
            })?;
    validate_at(&profile, shown, Some((text, de.get_ref())))?;
    Ok(profile)
}

/// Vietnamese wording for serde's messages about a profile.
fn translate_serde(msg: &str) -> String {
    let msg = msg.trim();
    if let Some(rest) = msg.strip_prefix("missing field ") {
        return format!("thiếu mục {rest} (hãy thêm `ke_thua = \"dang-36\"` hoặc khai báo đủ)");
    }
    if msg.starts_with("invalid type") {
        return format!("sai kiểu giá trị ({msg})");
    }
    msg.to_string()
}

type De<'i> = toml::de::DeTable<'i>;

/// Every key a profile may hold, with a value of its kind.
const SCHEMA: &str = include_str!("../../profiles/schema.toml");

/// What kind of TOML value, in words.
fn kind_name(v: &toml::Value) -> &'static str {
    match v {
        toml::Value::String(_) => "chữ (trong dấu ngoặc kép)",
        toml::Value::Integer(_) => "số nguyên",
        toml::Value::Float(_) => "số",
        toml::Value::Boolean(_) => "true hoặc false",
        toml::Value::Datetime(_) => "ngày",
        toml::Value::Array(_) => "danh sách",
        toml::Value::Table(_) => "bảng",
    }
}

fn de_kind(v: &toml::de::DeValue) -> &'static str {
    use toml::de::DeValue as D;
    match v {
        D::String(_) => "chữ",
        D::Integer(_) => "số nguyên",
        D::Float(_) => "số",
        D::Boolean(_) => "true/false",
        D::Datetime(_) => "ngày",
        D::Array(_) => "danh sách",
        D::Table(_) => "bảng",
    }
}

/// Every key the user wrote must be a profile key, with a value of its kind.
fn check_keys(
    user: &De,
    schema: &toml::Table,
    path: &str,
    shown: &str,
    text: &str,
) -> Result<(), Diagnostic> {
    use toml::de::DeValue as D;
    for (k, v) in user.iter() {
        let key = k.get_ref().as_ref();
        let full = if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        };
        let Some(sv) = schema.get(key) else {
            let names: Vec<&str> = schema.keys().map(String::as_str).collect();
            let mut d = Diagnostic::error(format!("mục không có trong thể thức: `{full}`"))
                .with_span(Span::from_offset(shown, text, k.span().start));
            if let Some(near) = crate::diag::nearest(key, &names) {
                d = d.with_hint(format!("có phải ý bạn là `{near}`?"));
            } else {
                d = d.with_hint(format!("các mục được dùng ở đây: {}", names.join(", ")));
            }
            return Err(d);
        };
        let ok = matches!(
            (v.get_ref(), sv),
            (D::String(_), toml::Value::String(_))
                | (D::Integer(_) | D::Float(_), toml::Value::Float(_))
                | (D::Integer(_), toml::Value::Integer(_))
                | (D::Boolean(_), toml::Value::Boolean(_))
                | (D::Datetime(_), toml::Value::Datetime(_))
                | (D::Array(_), toml::Value::Array(_))
                | (D::Table(_), toml::Value::Table(_))
        );
        if !ok {
            return Err(Diagnostic::error(format!(
                "`{full}` phải là {}, nhận được {}",
                kind_name(sv),
                de_kind(v.get_ref())
            ))
            .with_span(Span::from_offset(shown, text, v.span().start))
            .with_hint(match (v.get_ref(), sv) {
                (D::String(_), toml::Value::Float(_) | toml::Value::Integer(_)) => {
                    "bỏ dấu ngoặc kép quanh số?".to_string()
                }
                (_, toml::Value::String(_)) => "đã có dấu ngoặc kép chưa?".to_string(),
                _ => format!("xem mẫu: baocao the-thuc show {}", "nha-nuoc"),
            }));
        }
        match (v.get_ref(), sv) {
            (D::Table(ut), toml::Value::Table(st)) => check_keys(ut, st, &full, shown, text)?,
            (D::Array(ua), toml::Value::Array(sa)) => {
                for item in ua.iter() {
                    match (item.get_ref(), sa.first()) {
                        (D::Table(ut), Some(toml::Value::Table(st))) => {
                            check_keys(ut, st, &full, shown, text)?
                        }
                        (other, Some(first))
                            if !matches!(
                                (other, first),
                                (D::Integer(_) | D::Float(_), toml::Value::Float(_))
                                    | (D::Boolean(_), toml::Value::Boolean(_))
                            ) =>
                        {
                            return Err(Diagnostic::error(format!(
                                "phần tử của `{full}` phải là {}, nhận được {}",
                                kind_name(first),
                                de_kind(other)
                            ))
                            .with_span(Span::from_offset(shown, text, item.span().start)));
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The offset of a key (or its value) at `path` in a spanned table.
fn key_span(de: &De, path: &[&str], value: bool) -> Option<usize> {
    let (first, rest) = path.split_first()?;
    let (k, v) = de.iter().find(|(k, _)| k.get_ref().as_ref() == *first)?;
    if rest.is_empty() {
        return Some(if value {
            v.span().start
        } else {
            k.span().start
        });
    }
    match v.get_ref() {
        toml::de::DeValue::Table(t) => key_span(t, rest, value),
        _ => Some(k.span().start),
    }
}

/// Check values a TOML type cannot (negative margins, sizes, fonts).
pub fn validate(p: &Profile, shown: &str) -> Result<(), Diagnostic> {
    validate_at(p, shown, None)
}

fn validate_at(p: &Profile, shown: &str, src: Option<(&str, &De)>) -> Result<(), Diagnostic> {
    let at = |path: &[&str]| -> Span {
        match src.and_then(|(text, de)| key_span(de, path, true).map(|o| (text, o))) {
            Some((text, o)) => Span::from_offset(shown, text, o),
            None => Span::file_only(shown),
        }
    };
    let t = &p.trang;
    let margins = [
        ("le_tren", t.le_tren),
        ("le_duoi", t.le_duoi),
        ("le_trai", t.le_trai),
        ("le_phai", t.le_phai),
    ];
    for (name, v) in margins {
        if !(0.0..=100.0).contains(&v) {
            return Err(Diagnostic::error(format!(
                "`trang.{name}` = {v} không hợp lệ: lề phải từ 0 đến 100 mm"
            ))
            .with_span(at(&["trang", name])));
        }
    }
    if !(50.0..=2000.0).contains(&t.rong) || !(50.0..=2000.0).contains(&t.cao) {
        return Err(
            Diagnostic::error(format!("khổ giấy {} × {} mm không hợp lệ", t.rong, t.cao))
                .with_span(at(&["trang", "rong"])),
        );
    }
    if t.le_trai + t.le_phai >= t.rong - 20.0 || t.le_tren + t.le_duoi >= t.cao - 40.0 {
        return Err(Diagnostic::error(format!(
            "lề quá lớn so với khổ giấy {} × {} mm",
            t.rong, t.cao
        ))
        .with_span(at(&["trang"])));
    }
    let sizes = [
        (["than", "co_chu"], p.than.co_chu),
        (["than", "gian_dong"], p.than.gian_dong),
        (["bang", "co_chu"], p.bang.co_chu),
        (["so_trang", "co_chu"], p.so_trang.co_chu),
    ];
    for (path, v) in sizes {
        if !(4.0..=72.0).contains(&v) {
            return Err(Diagnostic::error(format!(
                "`{}` = {v} không hợp lệ: phải từ 4 đến 72 pt",
                path.join(".")
            ))
            .with_span(at(&path)));
        }
    }
    if !(0.0..=50.0).contains(&p.than.thut_dau_dong) {
        return Err(Diagnostic::error(format!(
            "`than.thut_dau_dong` = {} không hợp lệ: phải từ 0 đến 50 mm",
            p.than.thut_dau_dong
        ))
        .with_span(at(&["than", "thut_dau_dong"])));
    }
    if p.chu.phong != "Tinos" {
        return Err(
            Diagnostic::error(format!("không có phông chữ \"{}\"", p.chu.phong))
                .with_span(at(&["chu", "phong"]))
                .with_hint("phông có sẵn: \"Tinos\" (tương thích số đo với Times New Roman)"),
        );
    }
    Ok(())
}

/// Every built-in profile: (name, family, applies from, description, source).
pub fn list() -> Vec<Profile> {
    BUILTIN
        .iter()
        .filter_map(|(n, t)| parse_builtin(n, t).ok())
        .collect()
}

/// The TOML text of a built-in profile.
pub fn builtin_text(name: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_parse_and_validate() {
        for (name, text) in BUILTIN {
            let p = parse_builtin(name, text).unwrap();
            assert_eq!(&p.ten, name);
            validate(&p, name).unwrap();
        }
    }

    #[test]
    fn schema_covers_every_builtin_key() {
        let schema: toml::Table = toml::from_str(SCHEMA).unwrap();
        for (name, text) in BUILTIN {
            let de = toml::de::DeTable::parse(text).unwrap();
            check_keys(de.get_ref(), &schema, "", name, text)
                .unwrap_or_else(|d| panic!("{name}: {d}"));
        }
    }

    #[test]
    fn family_resolves_by_date() {
        let span = Span::file_only("x");
        let d = Date {
            year: 2021,
            month: 12,
            day: 15,
        };
        let p = resolve("dang", d, &span, Path::new(".")).unwrap();
        assert_eq!(p.ten, "dang-36");
        assert!(resolve("khong-co", d, &span, Path::new(".")).is_err());
    }
}
