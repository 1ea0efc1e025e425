//! Checking `mau`, `[van_ban]` and `[ky]`: every problem at once, each at its place.
//!
//! Takes the parsed data file (values) and, when there is one, its spanned parse
//! (places); returns the typed [`DocMeta`] and [`Signer`], or every problem found:
//! missing fields, unknown keys (with the nearest valid key), wrong kinds of value
//! (a number written as text, a date that is not a date).
use crate::diag::{Diagnostic, Source, Span};
use crate::input::{nfc, Date, DocMeta, Signer};
use std::sync::Arc;
use toml::de::{DeTable, DeValue};

/// Where a key or table stands, for messages.
pub struct Places<'a> {
    pub source: &'a Arc<Source>,
    /// The spanned parse of the file (None for merged unit data).
    pub de: Option<&'a DeTable<'a>>,
    /// A prefix naming the unit (`[[don_vi]] thứ 3: `), if any.
    pub unit: String,
}

impl Places<'_> {
    /// The span of `path` (its key; or the nearest table that exists).
    pub fn span(&self, path: &[&str], value: bool) -> Span {
        let mut table = self.de;
        let mut best: Option<usize> = None;
        for (i, key) in path.iter().enumerate() {
            let Some(t) = table else { break };
            let Some((k, v)) = t.iter().find(|(k, _)| k.get_ref().as_ref() == *key) else {
                break;
            };
            best = Some(if value && i + 1 == path.len() {
                v.span().start
            } else {
                k.span().start
            });
            table = match v.get_ref() {
                DeValue::Table(t) => Some(t),
                _ => None,
            };
        }
        match best {
            Some(o) => Span::at(self.source, o),
            None => Span::whole(self.source),
        }
    }

    /// The span of item `index` of the array at `path` (`noi_nhan`'s third
    /// line), if the file has it.
    pub fn item_span(&self, path: &[&str], index: usize) -> Option<Span> {
        let (last, tables) = path.split_last()?;
        let mut table = self.de?;
        for key in tables {
            let (_, v) = table.iter().find(|(k, _)| k.get_ref().as_ref() == *key)?;
            let DeValue::Table(t) = v.get_ref() else {
                return None;
            };
            table = t;
        }
        let (_, v) = table.iter().find(|(k, _)| k.get_ref().as_ref() == *last)?;
        let DeValue::Array(items) = v.get_ref() else {
            return None;
        };
        Some(Span::at(self.source, items.get(index)?.span().start))
    }
}

pub(super) const VAN_BAN: &[(&str, bool)] = &[
    ("the_thuc", true),
    ("co_quan_cap_tren", false),
    ("co_quan", true),
    ("ten_co_quan", false),
    ("so", false),
    ("ky_hieu", true),
    ("dia_danh", true),
    ("ngay", true),
    ("loai", false),
    ("trich_yeu", true),
    ("noi_nhan", false),
];
pub(super) const KY: &[(&str, bool)] = &[("quyen_han", false), ("chuc_vu", true), ("ho_ten", true)];

fn kind(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("chuỗi \"{}\"", s.chars().take(30).collect::<String>()),
        toml::Value::Integer(i) => format!("số {i}"),
        toml::Value::Float(f) => format!("số {f}"),
        toml::Value::Boolean(b) => format!("giá trị {b}"),
        toml::Value::Datetime(d) => format!("ngày giờ {d}"),
        toml::Value::Array(_) => "danh sách".to_string(),
        toml::Value::Table(_) => "bảng".to_string(),
    }
}

/// Read `mau`, `[van_ban]` and `[ky]` from `table`: the template's path and
/// its place, the document's metadata and the signer.
pub fn read(
    table: &toml::Table,
    at: &Places,
) -> Result<(String, Span, DocMeta, Signer), Vec<Diagnostic>> {
    let mut r = Reader {
        at,
        errs: Vec::new(),
    };
    let template = r.template(table);
    let template_span = at.span(&["mau"], true);
    let doc = r.section(table, "van_ban", VAN_BAN);
    let sign = r.section(table, "ky", KY);
    let number = r.number(&doc);
    let date = r.date(&doc);
    let recipients = r.recipients(&doc);
    let meta = DocMeta {
        profile: r.text(&doc, "van_ban", "the_thuc", ""),
        profile_span: at.span(&["van_ban", "the_thuc"], true),
        parent_body: r.text(&doc, "van_ban", "co_quan_cap_tren", ""),
        issuer: r.text(&doc, "van_ban", "co_quan", ""),
        issuer_name: r.text(&doc, "van_ban", "ten_co_quan", ""),
        number,
        symbol: r.text(&doc, "van_ban", "ky_hieu", ""),
        place: r.text(&doc, "van_ban", "dia_danh", ""),
        date: date.unwrap_or(Date {
            year: 2000,
            month: 1,
            day: 1,
        }),
        kind: r.text(&doc, "van_ban", "loai", "BÁO CÁO"),
        summary: r.text(&doc, "van_ban", "trich_yeu", ""),
        recipients,
        key_spans: key_spans(&doc, &sign, at),
    };
    let signer = Signer {
        authority: r.text(&sign, "ky", "quyen_han", ""),
        position: r.text(&sign, "ky", "chuc_vu", ""),
        name: r.text(&sign, "ky", "ho_ten", ""),
    };
    let mut errs = r.errs;
    check_dinh_dang(table, at, &mut errs);
    if errs.is_empty() {
        Ok((template, template_span, meta, signer))
    } else {
        Err(errs)
    }
}

/// The place of every key of `[van_ban]` and `[ky]`, as `"van_ban.co_quan"`,
/// and of each item of their lists, as `"van_ban.noi_nhan.2"`.
fn key_spans(doc: &toml::Table, sign: &toml::Table, at: &Places) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    for (name, t) in [("van_ban", doc), ("ky", sign)] {
        for (k, v) in t {
            out.push((format!("{name}.{k}"), at.span(&[name, k], false)));
            let items = v.as_array().map_or(0, Vec::len);
            for i in 0..items {
                if let Some(s) = at.item_span(&[name, k], i) {
                    out.push((format!("{name}.{k}.{i}"), s));
                }
            }
        }
    }
    out
}

/// Reads typed values, collecting every problem at its place.
struct Reader<'a> {
    at: &'a Places<'a>,
    errs: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn err(&mut self, msg: String, span: Span, hint: Option<String>) {
        let mut d = Diagnostic::error(format!("{}{msg}", self.at.unit)).with_span(span);
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        self.errs.push(d);
    }

    /// `mau`: the body template's path.
    fn template(&mut self, table: &toml::Table) -> String {
        match table.get("mau") {
            Some(toml::Value::String(s)) if !s.trim().is_empty() => nfc(s),
            Some(v) => {
                self.err(
                    format!(
                        "`mau` phải là đường dẫn tới tệp mẫu (chuỗi), nhận được {}",
                        kind(v)
                    ),
                    self.at.span(&["mau"], true),
                    Some("ví dụ: mau = \"bao-cao.md.hbs\"".into()),
                );
                String::new()
            }
            None => {
                self.err(
                    "thiếu `mau` (tệp mẫu phần thân báo cáo)".into(),
                    Span::at(self.at.source, 0),
                    Some("thêm ở đầu tệp: mau = \"bao-cao.md.hbs\"".into()),
                );
                String::new()
            }
        }
    }

    /// The table `name`, its keys checked against `fields` (name, required).
    fn section(&mut self, table: &toml::Table, name: &str, fields: &[(&str, bool)]) -> toml::Table {
        match table.get(name) {
            Some(toml::Value::Table(t)) => {
                self.check_keys(t, name, fields);
                t.clone()
            }
            Some(v) => {
                self.err(
                    format!("`{name}` phải là một bảng [{name}], nhận được {}", kind(v)),
                    self.at.span(&[name], false),
                    None,
                );
                toml::Table::new()
            }
            None => {
                self.err(
                    format!("thiếu bảng [{name}]"),
                    Span::whole(self.at.source),
                    Some(format!("thêm bảng [{name}] với các mục bắt buộc")),
                );
                toml::Table::new()
            }
        }
    }

    /// Unknown keys of `t` (with the nearest known one), then missing required ones.
    fn check_keys(&mut self, t: &toml::Table, name: &str, fields: &[(&str, bool)]) {
        let names: Vec<&str> = fields.iter().map(|(f, _)| *f).collect();
        for k in t.keys().filter(|k| !names.contains(&k.as_str())) {
            let hint = crate::diag::nearest(k, &names)
                .map(|n| format!("có phải ý bạn là `{n}`?"))
                .unwrap_or_else(|| {
                    format!(
                        "các mục của [{name}]: {}; số liệu riêng đặt ở bảng khác, trước [van_ban] hoặc trong bảng của chúng",
                        names.join(", ")
                    )
                });
            self.err(
                format!("[{name}] không có mục `{k}`"),
                self.at.span(&[name, k], false),
                Some(hint),
            );
        }
        // A misspelt key already reported with its right name is not
        // reported again as missing.
        let suggested: Vec<&str> = t
            .keys()
            .filter(|k| !names.contains(&k.as_str()))
            .filter_map(|k| crate::diag::nearest(k, &names))
            .collect();
        for (f, required) in fields {
            if *required && !t.contains_key(*f) && !suggested.contains(f) {
                self.err(
                    format!("[{name}] thiếu mục bắt buộc `{f}`"),
                    self.at.span(&[name], false),
                    None,
                );
            }
        }
    }

    /// A text value (`default` when absent).
    fn text(&mut self, t: &toml::Table, tname: &str, key: &str, default: &str) -> String {
        match t.get(key) {
            None => default.to_string(),
            Some(toml::Value::String(s)) => nfc(s),
            Some(v) => {
                self.err(
                    format!(
                        "`{key}` phải là chữ (đặt trong dấu ngoặc kép), nhận được {}",
                        kind(v)
                    ),
                    self.at.span(&[tname, key], true),
                    Some("đã có dấu ngoặc kép chưa?".into()),
                );
                String::new()
            }
        }
    }

    /// `so`: the document number, a positive integer, if given.
    fn number(&mut self, vb: &toml::Table) -> Option<i64> {
        let v = vb.get("so")?;
        if let toml::Value::Integer(i) = v {
            if *i >= 1 {
                return Some(*i);
            }
        }
        let hint = match v {
            toml::Value::String(s)
                if s.trim().chars().all(|c| c.is_ascii_digit()) && !s.trim().is_empty() =>
            {
                "bỏ dấu ngoặc kép quanh số?".to_string()
            }
            _ => "số văn bản là số nguyên từ 1, ví dụ: so = 125".to_string(),
        };
        self.err(
            format!("`so` phải là số nguyên dương, nhận được {}", kind(v)),
            self.at.span(&["van_ban", "so"], true),
            Some(hint),
        );
        None
    }

    /// `ngay`: the date of issue, a TOML date without a time.
    fn date(&mut self, vb: &toml::Table) -> Option<Date> {
        let v = vb.get("ngay")?;
        let span = self.at.span(&["van_ban", "ngay"], true);
        let toml::Value::Datetime(dt) = v else {
            self.err(
                format!("`ngay` phải là một ngày TOML, nhận được {}", kind(v)),
                span,
                Some(
                    "viết ngày dạng năm-tháng-ngày, không có dấu ngoặc kép: ngay = 2021-12-15"
                        .into(),
                ),
            );
            return None;
        };
        if let (Some(d), None) = (dt.date, dt.time) {
            if d.year < 1900 {
                self.err(
                    format!("`ngay` = {dt}: năm {} không hợp lệ cho ngày ban hành văn bản (từ năm 1900 trở đi)", d.year),
                    span,
                    Some("ngày ban hành viết dạng năm-tháng-ngày, ví dụ: ngay = 2021-12-15".into()),
                );
                return None;
            }
            return Some(Date {
                year: i32::from(d.year),
                month: u32::from(d.month),
                day: u32::from(d.day),
            });
        }
        self.err(
            "`ngay` phải là một ngày (năm-tháng-ngày), không kèm giờ".into(),
            span,
            Some("viết ví dụ: ngay = 2021-12-15".into()),
        );
        None
    }

    /// `noi_nhan`: the recipients, a list of lines.
    fn recipients(&mut self, vb: &toml::Table) -> Vec<String> {
        match vb.get("noi_nhan") {
            None => Vec::new(),
            Some(toml::Value::Array(a)) if a.iter().all(|x| x.is_str()) => {
                a.iter().filter_map(|x| x.as_str()).map(nfc).collect()
            }
            Some(v) => {
                self.err(
                    format!(
                        "`noi_nhan` phải là danh sách các dòng chữ, nhận được {}",
                        kind(v)
                    ),
                    self.at.span(&["van_ban", "noi_nhan"], true),
                    Some("ví dụ: noi_nhan = [\"Như trên,\", \"Lưu: VT.\"]".into()),
                );
                Vec::new()
            }
        }
    }
}

/// The `[dinh_dang]` table: every key known, every value valid, each at its place.
fn check_dinh_dang(table: &toml::Table, at: &Places, errs: &mut Vec<Diagnostic>) {
    let Some(dd) = table.get("dinh_dang") else {
        return;
    };
    let toml::Value::Table(dd) = dd else {
        errs.push(
            Diagnostic::error(format!(
                "{}`dinh_dang` phải là một bảng [dinh_dang]",
                at.unit
            ))
            .with_span(at.span(&["dinh_dang"], false)),
        );
        return;
    };
    const KEYS: &[&str] = &[
        "linh",
        "tu",
        "nghin",
        "ty",
        "chu_so_phan_tram",
        "giu_so_0",
        "kieu_so_hieu",
        "kieu_ngay",
        "gach_giai_doan",
        "dong_chan",
        "khong_tram_sau_trieu",
        "dem_so_0",
        "kieu_muc",
        "ket_thuc",
    ];
    for (k, v) in dd {
        if !KEYS.contains(&k.as_str()) {
            let hint = crate::diag::nearest(k, KEYS)
                .map(|n| format!("có phải ý bạn là `{n}`?"))
                .unwrap_or_else(|| format!("các mục của [dinh_dang]: {}", KEYS.join(", ")));
            errs.push(
                Diagnostic::error(format!("{}[dinh_dang] không có mục `{k}`", at.unit))
                    .with_span(at.span(&["dinh_dang", k], false))
                    .with_hint(hint),
            );
            continue;
        }
        // Each value on its own over the defaults: the message is about this key.
        let mut one = toml::Table::new();
        one.insert(k.clone(), v.clone());
        let checked: Result<crate::vn::Settings, String> = toml::Value::Table(one)
            .try_into()
            .map_err(|_: toml::de::Error| format!("[dinh_dang] {k} = {v} không đúng kiểu giá trị"))
            .and_then(|s: crate::vn::Settings| s.validate().map(|()| s).map_err(|e| e.0));
        if let Err(msg) = checked {
            errs.push(
                Diagnostic::error(format!("{}{msg}", at.unit))
                    .with_span(at.span(&["dinh_dang", k], true)),
            );
        }
    }
}
