//! Layout profiles: every number and label of a document's layout, as data.
//!
//! Takes the `the_thuc` value of `[van_ban]` (a built-in name, a family such as
//! `dang` resolved by the document's date, or a path to a user's TOML file that may
//! `ke_thua` a built-in) and returns a [`Profile`]. Built-ins live in `profiles/` and
//! are embedded in the binary.
use crate::diag::{Diagnostic, Source, Span};
use crate::vn::Date;
use serde::Deserialize;
use std::path::Path;
use std::sync::Arc;

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
    #[serde(rename = "chu")]
    pub text: String,
    /// Size in pt.
    #[serde(rename = "co")]
    pub size: f32,
    /// Bold.
    #[serde(default)]
    #[serde(rename = "dam")]
    pub bold: bool,
    /// Italic.
    #[serde(default)]
    #[serde(rename = "nghieng")]
    pub italic: bool,
    /// Underlined text.
    #[serde(default)]
    #[serde(rename = "gach_chan")]
    pub underline: bool,
    /// A rule under the line, as a fraction of the text's width (0 = none).
    #[serde(default)]
    #[serde(rename = "gach_duoi")]
    pub rule: f32,
}

/// Page size and margins, in mm.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageSpec {
    #[serde(rename = "rong")]
    pub width: f32,
    #[serde(rename = "cao")]
    pub height: f32,
    #[serde(rename = "le_tren")]
    pub margin_top: f32,
    #[serde(rename = "le_duoi")]
    pub margin_bottom: f32,
    #[serde(rename = "le_trai")]
    pub margin_left: f32,
    #[serde(rename = "le_phai")]
    pub margin_right: f32,
}

/// Fonts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontSpec {
    /// Font family: `Tinos` (bundled).
    #[serde(rename = "phong")]
    pub family: String,
}

/// Body text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodySpec {
    /// Size, pt.
    #[serde(rename = "co_chu")]
    pub font_size: f32,
    /// Line height, pt.
    #[serde(rename = "gian_dong")]
    pub line_height: f32,
    /// First-line indent, mm.
    #[serde(rename = "thut_dau_dong")]
    pub first_indent: f32,
    /// Space before a paragraph, pt.
    #[serde(rename = "cach_doan")]
    pub paragraph_space: f32,
}

/// Headings (levels 1–3).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadingSpec {
    #[serde(rename = "co_chu")]
    pub font_size: [f32; 3],
    #[serde(rename = "dam")]
    pub bold: [bool; 3],
    #[serde(rename = "nghieng")]
    pub italic: [bool; 3],
    /// Space before a heading, pt.
    #[serde(rename = "cach_tren")]
    pub space_before: f32,
    /// Indent, mm.
    #[serde(rename = "thut_dau_dong")]
    pub first_indent: f32,
    /// Parts above level 1 ("Phần thứ nhất"); a profile written before parts
    /// existed gets the built-ins' values.
    #[serde(rename = "phan", default)]
    pub part: PartSpec,
}

/// A part heading ("Phần thứ nhất" and the part's title below it): centred.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartSpec {
    /// Size, pt.
    #[serde(rename = "co_chu")]
    pub font_size: f32,
    #[serde(rename = "dam")]
    pub bold: bool,
    /// Space before and after, pt.
    #[serde(rename = "cach_tren")]
    pub space_before: f32,
    #[serde(rename = "cach_duoi")]
    pub space_after: f32,
}

impl Default for PartSpec {
    fn default() -> PartSpec {
        PartSpec {
            font_size: 14.0,
            bold: true,
            space_before: 12.0,
            space_after: 6.0,
        }
    }
}

/// Tables.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    #[serde(rename = "co_chu")]
    pub font_size: f32,
    #[serde(rename = "co_chu_toi_thieu")]
    pub min_font_size: f32,
    /// Line height as a multiple of the size.
    #[serde(rename = "gian_dong")]
    pub line_height: f32,
    /// Cell padding, pt.
    #[serde(rename = "dem_o")]
    pub cell_padding: f32,
    /// Rule width, pt.
    #[serde(rename = "net")]
    pub rule_width: f32,
}

/// Page numbers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageNumberSpec {
    #[serde(rename = "co_chu")]
    pub font_size: f32,
    /// Distance from the top edge to the middle of the number, mm.
    #[serde(rename = "cach_mep_tren")]
    pub from_top: f32,
    /// First page that shows its number.
    #[serde(rename = "tu_trang")]
    pub from_page: usize,
}

/// The header block.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderSpec {
    /// Left column width as a fraction of the text width.
    #[serde(rename = "cot_trai")]
    pub left_column: f32,
    /// Line height, pt.
    #[serde(rename = "gian_dong")]
    pub line_height: f32,
    /// Baseline to rule, pt.
    #[serde(rename = "cach_gach")]
    pub rule_gap: f32,
    /// Rule width, pt.
    #[serde(rename = "net_gach")]
    pub rule_width: f32,
    #[serde(rename = "trai")]
    pub left: Vec<LineSpec>,
    #[serde(rename = "phai")]
    pub right: Vec<LineSpec>,
    /// Extra space above the number/date row, pt.
    #[serde(default)]
    #[serde(rename = "cach_dong_so")]
    pub number_row_space: f32,
    #[serde(rename = "so")]
    pub number: LineSpec,
    #[serde(rename = "ngay")]
    pub date: LineSpec,
}

/// Title and summary.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitleSpec {
    #[serde(rename = "cach_tren")]
    pub space_before: f32,
    #[serde(rename = "loai")]
    pub kind: LineSpec,
    #[serde(rename = "trich_yeu")]
    pub summary: LineSpec,
    /// A line under the summary ("-----"); empty text = none.
    #[serde(rename = "gach")]
    pub rule_line: LineSpec,
    #[serde(rename = "cach_duoi")]
    pub space_after: f32,
}

/// Signature block.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureSpec {
    #[serde(rename = "cot_phai")]
    pub right_column: f32,
    #[serde(rename = "cach_tren")]
    pub space_before: f32,
    #[serde(rename = "gian_dong")]
    pub line_height: f32,
    #[serde(rename = "quyen_han")]
    pub authority: LineSpec,
    #[serde(rename = "chuc_vu")]
    pub position: LineSpec,
    #[serde(rename = "dong_trong")]
    pub blank_lines: u32,
    #[serde(rename = "ho_ten")]
    pub name: LineSpec,
}

/// Recipients.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipientsSpec {
    #[serde(rename = "tieu_de")]
    pub title: LineSpec,
    /// One recipient line; `{dong}` is the recipient.
    #[serde(rename = "dong")]
    pub line: LineSpec,
    #[serde(rename = "gian_dong")]
    pub line_height: f32,
    /// Hanging indent of a recipient's continuation lines, mm: they start
    /// under the text after the line's "- ".
    #[serde(default)]
    #[serde(rename = "thut_treo")]
    pub hanging_indent: f32,
    /// Punctuation every line but the last ends with (replacing the data's own);
    /// empty: lines as written.
    #[serde(default)]
    #[serde(rename = "cuoi_dong")]
    pub line_end: String,
    /// Punctuation of the last line.
    #[serde(default)]
    #[serde(rename = "cuoi_dong_cuoi")]
    pub last_line_end: String,
}

/// A whole layout profile.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    #[serde(rename = "ten")]
    pub name: String,
    #[serde(default)]
    #[serde(rename = "ho")]
    pub family: String,
    #[serde(default)]
    #[serde(rename = "mo_ta")]
    pub description: String,
    #[serde(default)]
    #[serde(rename = "nguon")]
    pub source: String,
    #[serde(rename = "ap_dung_tu")]
    pub applies_from: toml::value::Datetime,
    #[serde(default)]
    #[serde(rename = "ke_thua")]
    pub inherits: Option<String>,
    #[serde(rename = "trang")]
    pub page: PageSpec,
    #[serde(rename = "chu")]
    pub font: FontSpec,
    #[serde(rename = "than")]
    pub body: BodySpec,
    #[serde(rename = "muc")]
    pub headings: HeadingSpec,
    #[serde(rename = "bang")]
    pub table: TableSpec,
    #[serde(rename = "so_trang")]
    pub page_numbers: PageNumberSpec,
    #[serde(rename = "dau")]
    pub header: HeaderSpec,
    #[serde(rename = "tieu_de")]
    pub title: TitleSpec,
    #[serde(rename = "ky")]
    pub signature: SignatureSpec,
    #[serde(rename = "noi_nhan")]
    pub recipients: RecipientsSpec,
    /// Formatting settings for the helpers (see `vn::Settings`).
    #[serde(default)]
    #[serde(rename = "dinh_dang")]
    pub formatting: toml::Table,
}

fn date_key(d: &toml::value::Datetime) -> (i32, u32, u32) {
    d.date
        .map(|x| (i32::from(x.year), u32::from(x.month), u32::from(x.day)))
        .unwrap_or((0, 0, 0))
}

fn parse_builtin(name: &str, text: &str) -> Result<Profile, Diagnostic> {
    toml::from_str(text)
        .map_err(|e| crate::input::toml_error(&Source::new(format!("<{name}>"), text), &e))
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
        if p.family != the_thuc {
            continue;
        }
        let from = date_key(&p.applies_from);
        if from > (date.year, date.month, date.day) {
            continue;
        }
        if best
            .as_ref()
            .is_none_or(|b| date_key(&b.applies_from) < from)
        {
            best = Some(p);
        }
    }
    if let Some(p) = best {
        return Ok(p.clone());
    }
    if the_thuc.ends_with(".toml") {
        return load_user(&base_dir.join(the_thuc), the_thuc, span);
    }
    if let Some(d) = family_not_in_force(&builtins, the_thuc, date, span) {
        return Err(d);
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

/// `the_thuc` names a family none of whose profiles was in force yet on the
/// document's date: say so, with the date the first one applies from.
fn family_not_in_force(
    builtins: &[(&'static str, Result<Profile, Diagnostic>)],
    the_thuc: &str,
    date: Date,
    span: &Span,
) -> Option<Diagnostic> {
    let first = builtins
        .iter()
        .filter_map(|(_, p)| p.as_ref().ok())
        .filter(|p| p.family == the_thuc)
        .min_by_key(|p| date_key(&p.applies_from))?;
    let (y, m, d) = date_key(&first.applies_from);
    Some(
        Diagnostic::error(format!(
            "chưa có thể thức \"{the_thuc}\" nào áp dụng vào ngày {}-{}-{} (ngày ban hành của văn bản): thể thức sớm nhất, {}, áp dụng từ ngày {d}-{m}-{y}",
            date.day, date.month, date.year, first.name
        ))
        .with_span(span.clone())
        .with_hint(format!(
            "kiểm tra lại ngày ban hành (`ngay`); văn bản cũ hơn thì ghi thẳng tên thể thức, ví dụ the_thuc = \"{}\"",
            first.name
        )),
    )
}

/// Load a user's profile file, merged over the profile it inherits (`ke_thua`).
fn load_user(path: &Path, shown: &str, span: &Span) -> Result<Profile, Diagnostic> {
    let text = crate::source::read_text(path).map_err(|e| {
        Diagnostic::error(format!(
            "không đọc được tệp thể thức \"{shown}\": {}",
            crate::source::io_reason(&e)
        ))
        .with_span(span.clone())
    })?;
    let source = Source::new(shown, crate::source::strip_bom(&text));
    let text = source.text();
    let user: toml::Table =
        toml::from_str(text).map_err(|e| crate::input::toml_error(&source, &e))?;
    let de = toml::de::DeTable::parse(text).map_err(|e| crate::input::toml_error(&source, &e))?;
    let mut merged = match user.get("ke_thua") {
        Some(toml::Value::String(base_name)) => {
            let Some((_, base_text)) = BUILTIN.iter().find(|(n, _)| n == base_name) else {
                let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
                let at = key_span(de.get_ref(), &["ke_thua"], true).unwrap_or(0);
                return Err(Diagnostic::error(format!(
                    "thể thức kế thừa \"{base_name}\" không có sẵn"
                ))
                .with_span(Span::at(&source, at))
                .with_hint(format!("các thể thức có sẵn: {}", names.join(", "))));
            };
            toml::from_str::<toml::Table>(base_text)
                .map_err(|e| crate::input::toml_error(&Source::new(base_name, *base_text), &e))?
        }
        _ => toml::Table::new(),
    };
    let schema: toml::Table = toml::from_str(SCHEMA).unwrap_or_default();
    check_keys(de.get_ref(), &schema, "", &source)?;
    crate::input::merge_tables(&mut merged, user);
    let profile: Profile =
        toml::Value::Table(merged)
            .try_into()
            .map_err(|e: toml::de::Error| {
                Diagnostic::error(format!(
                    "thể thức \"{shown}\": {}",
                    translate_serde(e.message())
                ))
                .with_span(Span::whole(&source))
            })?;
    validate_at(&profile, shown, Some((&source, de.get_ref())))?;
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
    source: &Arc<Source>,
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
                .with_span(Span::at(source, k.span().start));
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
            .with_span(Span::at(source, v.span().start))
            .with_hint(match (v.get_ref(), sv) {
                (D::String(_), toml::Value::Float(_) | toml::Value::Integer(_)) => {
                    "bỏ dấu ngoặc kép quanh số?".to_string()
                }
                (_, toml::Value::String(_)) => "đã có dấu ngoặc kép chưa?".to_string(),
                _ => format!("xem mẫu: baocao the-thuc show {}", "nha-nuoc"),
            }));
        }
        match (v.get_ref(), sv) {
            (D::Table(ut), toml::Value::Table(st)) => check_keys(ut, st, &full, source)?,
            (D::Array(ua), toml::Value::Array(sa)) => {
                for item in ua.iter() {
                    match (item.get_ref(), sa.first()) {
                        (D::Table(ut), Some(toml::Value::Table(st))) => {
                            check_keys(ut, st, &full, source)?
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
                            .with_span(Span::at(source, item.span().start)));
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

fn validate_at(
    p: &Profile,
    shown: &str,
    src: Option<(&Arc<Source>, &De)>,
) -> Result<(), Diagnostic> {
    let at = |path: &[&str]| -> Span {
        match src.and_then(|(source, de)| key_span(de, path, true).map(|o| (source, o))) {
            Some((source, o)) => Span::at(source, o),
            None => Span::file(shown),
        }
    };
    let t = &p.page;
    let margins = [
        ("le_tren", t.margin_top),
        ("le_duoi", t.margin_bottom),
        ("le_trai", t.margin_left),
        ("le_phai", t.margin_right),
    ];
    for (name, v) in margins {
        if !(0.0..=100.0).contains(&v) {
            return Err(Diagnostic::error(format!(
                "`trang.{name}` = {v} không hợp lệ: lề phải từ 0 đến 100 mm"
            ))
            .with_span(at(&["trang", name])));
        }
    }
    if !(50.0..=2000.0).contains(&t.width) || !(50.0..=2000.0).contains(&t.height) {
        return Err(Diagnostic::error(format!(
            "khổ giấy {} × {} mm không hợp lệ",
            t.width, t.height
        ))
        .with_span(at(&["trang", "rong"])));
    }
    if t.margin_left + t.margin_right >= t.width - 20.0
        || t.margin_top + t.margin_bottom >= t.height - 40.0
    {
        return Err(Diagnostic::error(format!(
            "lề quá lớn so với khổ giấy {} × {} mm",
            t.width, t.height
        ))
        .with_span(at(&["trang"])));
    }
    let sizes = [
        (["than", "co_chu"], p.body.font_size),
        (["than", "gian_dong"], p.body.line_height),
        (["bang", "co_chu"], p.table.font_size),
        (["so_trang", "co_chu"], p.page_numbers.font_size),
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
    if !(0.0..=50.0).contains(&p.body.first_indent) {
        return Err(Diagnostic::error(format!(
            "`than.thut_dau_dong` = {} không hợp lệ: phải từ 0 đến 50 mm",
            p.body.first_indent
        ))
        .with_span(at(&["than", "thut_dau_dong"])));
    }
    if !(0.0..=30.0).contains(&p.recipients.hanging_indent) {
        return Err(Diagnostic::error(format!(
            "`noi_nhan.thut_treo` = {} không hợp lệ: phải từ 0 đến 30 mm",
            p.recipients.hanging_indent
        ))
        .with_span(at(&["noi_nhan", "thut_treo"])));
    }
    if p.font.family != "Tinos" {
        return Err(
            Diagnostic::error(format!("không có phông chữ \"{}\"", p.font.family))
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
            assert_eq!(&p.name, name);
            validate(&p, name).unwrap();
        }
    }

    #[test]
    fn schema_covers_every_builtin_key() {
        let schema: toml::Table = toml::from_str(SCHEMA).unwrap();
        for (name, text) in BUILTIN {
            let de = toml::de::DeTable::parse(text).unwrap();
            check_keys(de.get_ref(), &schema, "", &Source::new(*name, *text))
                .unwrap_or_else(|d| panic!("{name}: {d}"));
        }
    }

    #[test]
    fn family_resolves_by_date() {
        let span = Span::file("x");
        let d = Date {
            year: 2021,
            month: 12,
            day: 15,
        };
        let p = resolve("dang", d, &span, Path::new(".")).unwrap();
        assert_eq!(p.name, "dang-36");
        assert!(resolve("khong-co", d, &span, Path::new(".")).is_err());
    }
}
