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
    /// Which edge of a landscape page, as seen, is the binding edge that gets
    /// `le_trai`: `"tren"` (top, the default) or `"duoi"` (bottom); checked
    /// by [`validate`].
    #[serde(rename = "mep_dong_trang_ngang", default = "default_binding")]
    pub landscape_binding: String,
}

fn default_binding() -> String {
    "tren".to_string()
}

/// The binding edge of a landscape page as seen (the portrait sheet's left
/// edge, where `le_trai` is, after the page is turned).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// The top edge: the page is turned clockwise to be read.
    Top,
    /// The bottom edge: the page is turned counter-clockwise.
    Bottom,
}

impl PageSpec {
    /// The binding edge of landscape pages (`"duoi"`: bottom; else top).
    pub fn binding(&self) -> Binding {
        if self.landscape_binding == "duoi" {
            Binding::Bottom
        } else {
            Binding::Top
        }
    }
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
    /// A header cell wraps to at most this many lines when the columns allow it.
    #[serde(rename = "dong_tieu_de_toi_da", default = "default_header_lines")]
    pub max_header_lines: usize,
    /// Rows kept on the page under a group row ("I. Kinh tế").
    #[serde(rename = "hang_duoi_nhom", default = "default_keep_under_group")]
    pub keep_under_group: usize,
    /// Added to a group row repeated on the next page: "(tiếp)".
    #[serde(rename = "chu_tiep", default = "default_continued")]
    pub continued: String,
    /// Before the unit of `\don_vi_tinh`: "Đơn vị tính:".
    #[serde(rename = "chu_don_vi_tinh", default = "default_unit_label")]
    pub unit_label: String,
    /// Font size of a table's caption (`\ten_bang`), pt.
    #[serde(rename = "co_chu_ten_bang", default = "default_caption_size")]
    pub caption_size: f32,
}

// Defaults of the table keys added after the first profiles: a profile
// written before them still loads (values as in the built-in profiles).
fn default_header_lines() -> usize {
    3
}
fn default_keep_under_group() -> usize {
    2
}
fn default_continued() -> String {
    "(tiếp)".into()
}
fn default_unit_label() -> String {
    "Đơn vị tính:".into()
}
fn default_caption_size() -> f32 {
    14.0
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
    /// The summary's first letter is set in capitals (State: "Về việc …");
    /// the data stays as typed.
    #[serde(rename = "trich_yeu_hoa_dau", default)]
    pub capitalize_summary: bool,
    /// From the descenders of the summary's last line to its rule
    /// (`trich_yeu.gach_duoi`), mm.
    #[serde(rename = "cach_gach", default = "default_rule_gap")]
    pub summary_rule_gap: f32,
}

fn default_rule_gap() -> f32 {
    2.0
}

/// An appendix (`\phu_luc I` in the markup): its label line, its title, the
/// line that names the document it goes with, and its page numbers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppendixSpec {
    /// "Phụ lục {so_phu_luc}"; without a number, the placeholder and the
    /// space before it are left out.
    #[serde(rename = "so")]
    pub label: LineSpec,
    /// The title (the heading right after `\phu_luc`): its size and weight.
    #[serde(rename = "ten")]
    pub title: LineSpec,
    /// The title is written in capitals: lower-case letters outside
    /// parentheses are warned about.
    #[serde(rename = "ten_in_hoa")]
    pub title_caps: bool,
    /// "(Kèm theo {loai_van_ban} số {so_ky_hieu} ngày {ngay_trich_dan} của
    /// {ten_co_quan})", with a rule under it (`gach_duoi`).
    #[serde(rename = "kem_theo")]
    pub with_line: LineSpec,
    /// From the descenders of the "Kèm theo" line to its rule, mm.
    #[serde(rename = "cach_gach")]
    pub rule_gap: f32,
    /// Rule width, pt.
    #[serde(rename = "net_gach")]
    pub rule_width: f32,
    /// Space between the appendix's head and its content, pt.
    #[serde(rename = "cach_duoi")]
    pub space_after: f32,
    /// Each appendix numbers its own pages from 1.
    #[serde(rename = "so_trang_rieng")]
    pub own_page_numbers: bool,
}

impl Default for AppendixSpec {
    /// Nghị định 30/2020/NĐ-CP's appendix, for a profile written before
    /// appendices existed.
    fn default() -> AppendixSpec {
        let line = |text: &str, bold: bool, italic: bool, rule: f32| LineSpec {
            text: text.to_string(),
            size: 14.0,
            bold,
            italic,
            underline: false,
            rule,
        };
        AppendixSpec {
            label: line("Phụ lục {so_phu_luc}", true, false, 0.0),
            title: line("", true, false, 0.0),
            title_caps: true,
            with_line: line(
                "(Kèm theo {loai_van_ban} số {so_ky_hieu} ngày {ngay_trich_dan} của {ten_co_quan})",
                false,
                true,
                0.3,
            ),
            rule_gap: 2.0,
            rule_width: 0.6,
            space_after: 12.0,
            own_page_numbers: true,
        }
    }
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

/// `[kiem_tra]`: what `baocao kiem-tra` (and `render`) checks the data and the
/// filled-in template against, each rule with its expected form and its source
/// (`nguon`: the standard's article and clause, or "(t)" for a transcription).
/// A rule the profile leaves out, or leaves empty, is not checked.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecksSpec {
    /// The shape of `ky_hieu`.
    #[serde(default)]
    #[serde(rename = "ky_hieu")]
    pub symbol: SymbolRule,
    /// The sign-authority abbreviations of `[ky] quyen_han`.
    #[serde(default)]
    #[serde(rename = "quyen_han")]
    pub authority: FormsRule,
    /// The filing line ("Lưu: VT, …") of `noi_nhan`.
    #[serde(default)]
    #[serde(rename = "luu")]
    pub filing: FilingRule,
    /// Heading numbers: one form for Roman numerals, numbers and letters.
    #[serde(default)]
    #[serde(rename = "de_muc")]
    pub headings: HeadingRule,
    /// The marks the body may end with.
    #[serde(default)]
    #[serde(rename = "ket_thuc")]
    pub closing: FormsRule,
    /// Capitals in `trich_yeu`.
    #[serde(default)]
    #[serde(rename = "trich_yeu")]
    pub summary: SummaryRule,
}

/// `ky_hieu`: abbreviations joined by `noi` ("/" in "BC/TU", "-" in "BC-UBND").
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SymbolRule {
    /// The joiner; empty: not checked.
    #[serde(default)]
    #[serde(rename = "noi")]
    pub joiner: String,
    /// A right symbol, shown in hints.
    #[serde(default)]
    #[serde(rename = "vi_du")]
    pub example: String,
    #[serde(default)]
    #[serde(rename = "nguon")]
    pub source: String,
}

/// A list of right forms (empty: not checked).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormsRule {
    #[serde(default)]
    #[serde(rename = "dung")]
    pub forms: Vec<String>,
    #[serde(default)]
    #[serde(rename = "nguon")]
    pub source: String,
}

/// The last line of `noi_nhan` begins with `dau` ("Lưu: " or "Lưu ").
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilingRule {
    /// Empty: not checked.
    #[serde(default)]
    #[serde(rename = "dau")]
    pub prefix: String,
    /// A right filing line, shown in hints.
    #[serde(default)]
    #[serde(rename = "vi_du")]
    pub example: String,
    #[serde(default)]
    #[serde(rename = "nguon")]
    pub source: String,
}

/// Heading numbers: forms such as "I-", "1." and "a)", where `I` stands for any
/// Roman numeral, `1` for any number and `a` for any lower-case letter, followed
/// by the mark that must come after it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeadingRule {
    #[serde(default)]
    #[serde(rename = "kieu")]
    pub forms: Vec<String>,
    #[serde(default)]
    #[serde(rename = "nguon")]
    pub source: String,
}

/// `trich_yeu`: its first letter and capitals inside it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SummaryRule {
    /// "thuong": begins lower case; "hoa": begins with a capital; "": not checked.
    #[serde(default)]
    #[serde(rename = "chu_dau")]
    pub first: String,
    /// Whether words typed in capitals are allowed (abbreviations always are).
    #[serde(default = "yes")]
    #[serde(rename = "in_hoa")]
    pub caps: bool,
    #[serde(default)]
    #[serde(rename = "nguon")]
    pub source: String,
}

impl Default for SummaryRule {
    fn default() -> SummaryRule {
        SummaryRule {
            first: String::new(),
            caps: true,
            source: String::new(),
        }
    }
}

fn yes() -> bool {
    true
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
    /// The last day before the profile stopped applying, if it says so; see
    /// [`validity`] for the end a newer built-in of its family gives it.
    #[serde(default)]
    #[serde(rename = "ap_dung_den")]
    pub applies_until: Option<toml::value::Datetime>,
    /// The newer built-in of its family that replaced it, and that one's first
    /// day: set by [`resolve`].
    #[serde(skip)]
    pub replaced_by: Option<(String, Date)>,
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
    /// Appendices; a profile written before appendices existed gets
    /// Nghị định 30's.
    #[serde(rename = "phu_luc", default)]
    pub appendix: AppendixSpec,
    /// What the data is checked against (`[kiem_tra]`); none without it.
    #[serde(default)]
    #[serde(rename = "kiem_tra")]
    pub checks: ChecksSpec,
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
    let mut p = find(the_thuc, date, span, base_dir, &builtins)?;
    p.replaced_by = successor(&builtins, &p);
    Ok(p)
}

/// The profile `the_thuc` names: a built-in, the family's built-in in force on
/// `date`, or a user's file.
fn find(
    the_thuc: &str,
    date: Date,
    span: &Span,
    base_dir: &Path,
    builtins: &[(&'static str, Result<Profile, Diagnostic>)],
) -> Result<Profile, Diagnostic> {
    if let Some((_, parsed)) = builtins.iter().find(|(n, _)| *n == the_thuc) {
        return parsed.clone();
    }
    // A family: the newest profile of that family in force on the document's date.
    for (_, parsed) in builtins {
        parsed.as_ref().map_err(Clone::clone)?;
    }
    if let Some(p) = newest_in_force(builtins, the_thuc, date) {
        return Ok(p.clone());
    }
    if the_thuc.ends_with(".toml") {
        return load_user(&base_dir.join(the_thuc), the_thuc, span);
    }
    if let Some(d) = family_not_in_force(builtins, the_thuc, date, span) {
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

/// The newest built-in of `family` that applies from `date` or earlier.
fn newest_in_force<'a>(
    builtins: &'a [(&'static str, Result<Profile, Diagnostic>)],
    family: &str,
    date: Date,
) -> Option<&'a Profile> {
    builtins
        .iter()
        .filter_map(|(_, p)| p.as_ref().ok())
        .filter(|p| {
            p.family == family && date_key(&p.applies_from) <= (date.year, date.month, date.day)
        })
        .max_by_key(|p| date_key(&p.applies_from))
}

/// The name of the built-in profile of `family` in force on `date`, if any.
pub fn in_force_on(family: &str, date: Date) -> Option<String> {
    newest_in_force(&builtins(), family, date).map(|p| p.name.clone())
}

/// When a profile applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validity {
    /// Its `ap_dung_tu`.
    pub from: Date,
    /// Its end, if it has one.
    pub end: Option<End>,
}

/// How a profile stops applying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// Its own `ap_dung_den`: the last day it applies.
    LastDay(Date),
    /// A newer built-in of its family (named), from that profile's first day.
    ReplacedBy(String, Date),
}

impl Validity {
    /// Whether the profile applies on `date`.
    pub fn covers(&self, date: Date) -> bool {
        date >= self.from
            && match &self.end {
                None => true,
                Some(End::LastDay(d)) => date <= *d,
                Some(End::ReplacedBy(_, d)) => date < *d,
            }
    }
}

fn to_date(d: &toml::value::Datetime) -> Date {
    let (year, month, day) = date_key(d);
    Date { year, month, day }
}

/// The first built-in of `p`'s family (`ho`) newer than `p`: its name and first day.
fn successor(
    builtins: &[(&'static str, Result<Profile, Diagnostic>)],
    p: &Profile,
) -> Option<(String, Date)> {
    let from = date_key(&p.applies_from);
    builtins
        .iter()
        .filter_map(|(_, b)| b.as_ref().ok())
        .filter(|b| !p.family.is_empty() && b.family == p.family)
        .filter(|b| date_key(&b.applies_from) > from)
        .min_by_key(|b| date_key(&b.applies_from))
        .map(|b| (b.name.clone(), to_date(&b.applies_from)))
}

/// When `p` applies: from its `ap_dung_tu` to its `ap_dung_den`, or until the
/// first newer built-in of its family applies (known once [`resolve`]d).
pub fn validity(p: &Profile) -> Validity {
    let end = match (&p.applies_until, &p.replaced_by) {
        (Some(d), _) => Some(End::LastDay(to_date(d))),
        (None, Some((name, from))) => Some(End::ReplacedBy(name.clone(), *from)),
        (None, None) => None,
    };
    Validity {
        from: to_date(&p.applies_from),
        end,
    }
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
                                    | (D::String(_), toml::Value::String(_))
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

/// The table's counts: header lines 1–10, rows kept under a group 0–10
/// (`at` gives a key's place).
fn validate_counts(p: &Profile, at: &dyn Fn(&[&str]) -> Span) -> Result<(), Diagnostic> {
    let counts = [
        (["bang", "dong_tieu_de_toi_da"], p.table.max_header_lines, 1),
        (["bang", "hang_duoi_nhom"], p.table.keep_under_group, 0),
    ];
    for (path, v, least) in counts {
        if !(least..=10).contains(&v) {
            return Err(Diagnostic::error(format!(
                "`{}` = {v} không hợp lệ: phải từ {least} đến 10",
                path.join(".")
            ))
            .with_span(at(&path)));
        }
    }
    Ok(())
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
        (["bang", "co_chu_ten_bang"], p.table.caption_size),
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
    validate_added(p, &at)?;
    validate_counts(p, &at)?;
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
    validate_checks(&p.checks, &at)
}

/// The `[kiem_tra]` rules have forms the checks can read.
fn validate_checks(c: &ChecksSpec, at: &dyn Fn(&[&str]) -> Span) -> Result<(), Diagnostic> {
    let mark = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|ch| !ch.is_alphanumeric() && !ch.is_whitespace())
    };
    let joiner = &c.symbol.joiner;
    let one_mark = joiner.chars().count() == 1 && mark(joiner);
    if !joiner.is_empty() && !one_mark {
        return Err(Diagnostic::error(format!(
            "`kiem_tra.ky_hieu.noi` = \"{joiner}\" không hợp lệ: phải là một dấu nối các nhóm chữ viết tắt"
        ))
        .with_span(at(&["kiem_tra", "ky_hieu", "noi"]))
        .with_hint("ví dụ: \"/\" (BC/TU) hoặc \"-\" (BC-UBND); \"\" để không kiểm tra"));
    }
    for form in &c.headings.forms {
        let mut chars = form.chars();
        let kind_ok = matches!(chars.next(), Some('I' | '1' | 'a'));
        if !kind_ok || !mark(chars.as_str()) {
            return Err(Diagnostic::error(format!(
                "`kiem_tra.de_muc.kieu` có \"{form}\" không hợp lệ: phải là I, 1 hoặc a rồi tới dấu sau số thứ tự"
            ))
            .with_span(at(&["kiem_tra", "de_muc", "kieu"]))
            .with_hint("ví dụ: kieu = [\"I.\", \"1.\", \"a)\"]"));
        }
    }
    if !matches!(c.summary.first.as_str(), "" | "thuong" | "hoa") {
        return Err(Diagnostic::error(format!(
            "`kiem_tra.trich_yeu.chu_dau` = \"{}\" không hợp lệ",
            c.summary.first
        ))
        .with_span(at(&["kiem_tra", "trich_yeu", "chu_dau"]))
        .with_hint(
            "dùng \"thuong\" (chữ đầu viết thường), \"hoa\" (viết hoa) hoặc \"\" (không kiểm tra)",
        ));
    }
    Ok(())
}

/// The landscape binding edge and the rule gaps (summary, appendix).
fn validate_added(p: &Profile, at: &dyn Fn(&[&str]) -> Span) -> Result<(), Diagnostic> {
    if !["tren", "duoi"].contains(&p.page.landscape_binding.as_str()) {
        return Err(Diagnostic::error(format!(
            "`trang.mep_dong_trang_ngang` = \"{}\" không hợp lệ: phải là \"tren\" hoặc \"duoi\"",
            p.page.landscape_binding
        ))
        .with_span(at(&["trang", "mep_dong_trang_ngang"]))
        .with_hint("mép đóng ghim của trang ngang khi nhìn: \"tren\" (mép trên, thường dùng) hoặc \"duoi\" (mép dưới)"));
    }
    let gaps = [
        (["tieu_de", "cach_gach"], p.title.summary_rule_gap),
        (["phu_luc", "cach_gach"], p.appendix.rule_gap),
    ];
    for (path, v) in gaps {
        if !(0.0..=20.0).contains(&v) {
            return Err(Diagnostic::error(format!(
                "`{}` = {v} không hợp lệ: phải từ 0 đến 20 mm",
                path.join(".")
            ))
            .with_span(at(&path)));
        }
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
    fn a_newer_builtin_ends_the_older_one() {
        let d = |year, month, day| Date { year, month, day };
        let span = Span::file("x");
        let here = Path::new(".");
        let d36 = resolve("dang-36", d(2021, 12, 15), &span, here).unwrap();
        let v = validity(&d36);
        assert_eq!(v.from, d(2018, 4, 3));
        assert_eq!(
            v.end,
            Some(End::ReplacedBy("dang-05".into(), d(2026, 5, 27)))
        );
        assert!(v.covers(d(2021, 12, 15)) && v.covers(d(2026, 5, 26)));
        assert!(!v.covers(d(2026, 5, 27)) && !v.covers(d(2018, 4, 2)));
        let d05 = resolve("dang-05", d(2021, 12, 15), &span, here).unwrap();
        assert_eq!(validity(&d05).end, None);
        assert_eq!(
            in_force_on("dang", d(2021, 12, 15)).as_deref(),
            Some("dang-36")
        );
        assert_eq!(
            in_force_on("dang", d(2026, 9, 1)).as_deref(),
            Some("dang-05")
        );
        assert_eq!(in_force_on("dang", d(2010, 1, 1)), None);
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
