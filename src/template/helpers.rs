//! Handlebars helpers for report templates (names are Vietnamese because
//! report authors type them).
//!
//! Takes a Handlebars registry and the formatting [`Settings`]; [`register`]
//! adds every helper below. Helpers take template values (`serde_json::Value`
//! with exact number text) and return plain text, exact numbers or arrays; a
//! wrong argument returns a `RenderError` whose Vietnamese message names the
//! helper and what it got, e.g. `hàm 'phan_tram': tham số thứ 2 phải là số,
//! nhận được chuỗi "abc"`. Nothing ever prints "NaN", "null" or "".
//!
//! | helper | example | output |
//! |---|---|---|
//! | `so x [chu_so=N] [quy_doi=U]` | `so 7175.4`; `so 52345678000 quy_doi="ty"` | `7.175,4`; `52,346` |
//! | `dem n` | `dem 2` | `02` |
//! | `la_ma n` | `la_ma 25` | `XXV` |
//! | `so_muc n` | `so_muc 2` | `II-` (Đảng) or `II.` (`kieu_muc = "I."`, Nhà nước) |
//! | `ket_thuc` | `… của Ban Thường vụ{{ket_thuc}}` | `./.`, or `.` (`ket_thuc = "."`, Hướng dẫn 05-HD/VPTW) |
//! | `phan_tram a b [chu_so=N] [dau=false]` | `phan_tram 3250 3045.35` | `106,72%` |
//! | `ty_le x [chu_so=N]` | `ty_le 96.3` | `96,3%` |
//! | `tang_giam a b [chu_so=N]` | `tang_giam 3250 3045.35` | `tăng 6,72%` |
//! | `gap_lan a b [chu_so=N]` | `gap_lan 212 100` | `gấp 2,12 lần` |
//! | `diem_phan_tram a b [chu_so=N]` | `diem_phan_tram 1.33 5.2` | `giảm 3,87 điểm phần trăm` |
//! | `danh_gia a b [giam_la_tot=true]` | `danh_gia 99.995 100` | `không đạt` |
//! | `xap_xi x [chu_so=N]` | `xap_xi 915.6` | `gần 916` |
//! | `bang_chu x` | `bang_chu 1001` | `một nghìn không trăm linh một` |
//! | `tien_bang_chu x [don_vi=U]` | `tien_bang_chu 158.3 don_vi="ty"` | `Một trăm năm mươi tám tỷ ba trăm triệu đồng` |
//! | `tien_hon_hop x [don_vi=U]` | `tien_hon_hop 5137000000` | `5 tỷ 137 triệu` |
//! | `ngay d [noi]` | `ngay "2021-03-05" "Bắc Kạn"` | `Bắc Kạn, ngày 05 tháng 3 năm 2021` |
//! | `ngay_ngan d` | `ngay_ngan "2022-01-18"` | `18-01-2022` |
//! | `quy n [nam]` | `quy 1 2021` | `quý I/2021` |
//! | `ky_bao_cao loai so…` | `ky_bao_cao "giai-doan" 2021 2025` | `giai đoạn 2021-2025` |
//! | `so_hieu so ky_hieu` | `so_hieu 5 "BC/TU"` | `Số 05-BC/TU` |
//! | `trich_dan loai so_ky_hieu d [co_quan]` | `trich_dan "Chỉ thị" "05-CT/TW" "2016-05-15" "Bộ Chính trị"` | `Chỉ thị số 05-CT/TW, ngày 15-5-2016 của Bộ Chính trị` |
//! | `cong a b …`, `tru`, `nhan`, `chia` | `cong 1.2 3.3` | number `4.5` |
//! | `tong list ["field"]` | `tong xa "dan_so"` | number (sum) |
//! | `bang_chi_tieu list [chu_so=N] [chu_so_phan_tram=N] [chu_so_ke_hoach=N …] [ten_bang="…"] [don_vi_tinh="…"]` | `{{{bang_chi_tieu chi_tieu}}}` | the indicator table (markup) |
//! | `chi_tieu ma truong [quy_doi=U] [chu_so=N] [dau=false]` | `chi_tieu "thu_ngan_sach" "so_ke_hoach"` | `116,32%`, as the table prints it |
//! | `sap_xep_ten list ["field"]` | `#each (sap_xep_ten can_bo "ho_ten")` | sorted array |

use std::sync::Arc;

use handlebars::{
    Context, Handlebars, Helper, HelperDef, RenderContext, RenderError, RenderErrorReason,
    ScopedJson,
};
use rust_decimal::Decimal;
use serde_json::Value;

use super::indicators;
use crate::vn::{self, Date, Rounding, Settings};

type Res<T> = Result<T, String>;
type HelperFn = fn(&Args<'_, '_>) -> Res<Value>;

/// One registered helper: its name, the shared settings and the function.
struct VnHelper {
    name: &'static str,
    settings: Arc<Settings>,
    f: HelperFn,
}

impl HelperDef for VnHelper {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let args = Args {
            h,
            s: &self.settings,
            root: ctx.data(),
        };
        (self.f)(&args).map(ScopedJson::Derived).map_err(|msg| {
            let mut msg = format!("hàm '{}': {msg}", self.name);
            // A misspelt name: the nearest the data has.
            let near = h
                .params()
                .iter()
                .find(|p| p.is_value_missing())
                .and_then(|p| p.relative_path())
                .and_then(|path| super::nearest_path(path, ctx.data()));
            if let Some(n) = near {
                msg.push(super::HINT);
                msg.push_str(&format!("có phải ý bạn là `{n}`?"));
            }
            RenderErrorReason::Other(msg).into()
        })
    }
}

/// Registers every formatting helper on `hb`, sharing `settings`.
pub fn register(hb: &mut Handlebars<'_>, settings: Arc<Settings>) {
    let table: [(&'static str, HelperFn); 29] = [
        ("so", h_so),
        ("dem", h_dem),
        ("la_ma", h_la_ma),
        ("so_muc", h_so_muc),
        ("ket_thuc", h_ket_thuc),
        ("phan_tram", h_phan_tram),
        ("ty_le", h_ty_le),
        ("tang_giam", h_tang_giam),
        ("gap_lan", h_gap_lan),
        ("diem_phan_tram", h_diem_phan_tram),
        ("danh_gia", h_danh_gia),
        ("xap_xi", h_xap_xi),
        ("bang_chu", h_bang_chu),
        ("tien_bang_chu", h_tien_bang_chu),
        ("tien_hon_hop", h_tien_hon_hop),
        ("trich_dan", h_trich_dan),
        ("ngay", h_ngay),
        ("ngay_ngan", h_ngay_ngan),
        ("quy", h_quy),
        ("ky_bao_cao", h_ky_bao_cao),
        ("so_hieu", h_so_hieu),
        ("cong", h_cong),
        ("tru", h_tru),
        ("nhan", h_nhan),
        ("chia", h_chia),
        ("tong", h_tong),
        ("sap_xep_ten", h_sap_xep_ten),
        ("bang_chi_tieu", h_bang_chi_tieu),
        ("chi_tieu", h_chi_tieu),
    ];
    debug_assert!(table.iter().map(|(n, _)| *n).eq(NAMES));
    for (name, f) in table {
        hb.register_helper(
            name,
            Box::new(VnHelper {
                name,
                settings: Arc::clone(&settings),
                f,
            }),
        );
    }
    hb.register_helper(PRINT, Box::new(PrintValue));
}

/// The names of the helpers [`register`] adds.
pub const NAMES: [&str; 29] = [
    "so",
    "dem",
    "la_ma",
    "so_muc",
    "ket_thuc",
    "phan_tram",
    "ty_le",
    "tang_giam",
    "gap_lan",
    "diem_phan_tram",
    "danh_gia",
    "xap_xi",
    "bang_chu",
    "tien_bang_chu",
    "tien_hon_hop",
    "trich_dan",
    "ngay",
    "ngay_ngan",
    "quy",
    "ky_bao_cao",
    "so_hieu",
    "cong",
    "tru",
    "nhan",
    "chia",
    "tong",
    "sap_xep_ten",
    "bang_chi_tieu",
    "chi_tieu",
];

/// The name under which [`PrintValue`] is registered. It holds a space, so no
/// template can call it by name: `Engine::add` routes every `{{…}}` through it.
pub const PRINT: &str = "in giá trị";

/// Handlebars' own helpers (a name that is one calls it, not a data value).
const BUILT_IN: [&str; 17] = [
    "if", "unless", "each", "with", "lookup", "raw", "log", "eq", "ne", "gt", "gte", "lt", "lte",
    "and", "or", "not", "len",
];

/// True when `name` is a helper, ours or Handlebars' own.
pub fn is_helper(name: &str) -> bool {
    BUILT_IN.contains(&name) || NAMES.contains(&name)
}

/// What every `{{…}}` prints goes through here, with the number of its place
/// (`Engine::add` rewrites `{{x}}` into `{{PRINT x place}}`): text as it is;
/// a whole number of at most 4 digits (a year, a count, `{{cong @index 1}}`)
/// as typed; any other number formatted as `{{so x}}` does, wrapped in a note
/// (see `super::NOTE`) that `Engine::render` turns into a warning at the place;
/// a table or a list is an error.
struct PrintValue;

impl HelperDef for PrintValue {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let Some(p) = h.param(0) else {
            return Ok(ScopedJson::Missing);
        };
        if p.is_value_missing() {
            return Err(RenderError::strict_error(p.relative_path()));
        }
        let place = h
            .param(1)
            .and_then(|x| x.value().as_u64())
            .and_then(|n| usize::try_from(n).ok());
        let v = p.value();
        let text = match v {
            Value::Number(_) => print_number(v, place)?,
            Value::Array(_) | Value::Object(_) => {
                return Err(RenderErrorReason::Other(not_printable(v, p.relative_path())).into())
            }
            _ => return Ok(ScopedJson::Derived(v.clone())),
        };
        Ok(ScopedJson::Derived(Value::String(text)))
    }
}

/// A number `{{…}}` prints (see [`PrintValue`]).
fn print_number(v: &Value, place: Option<usize>) -> Result<String, RenderError> {
    let d = vn::decimal_from_json(v).map_err(|e| RenderErrorReason::Other(e.0))?;
    if d.fract().is_zero() && d.abs() < Decimal::from(10_000) {
        return Ok(d.to_string());
    }
    let formatted = vn::format_number(&d, None);
    Ok(match place.and_then(super::note_mark) {
        Some(mark) => format!("{mark}{d}{}{formatted}{}", super::NOTE_SEP, super::NOTE_END),
        None => formatted,
    })
}

/// The error for a table or a list put in `{{…}}` (`path`: where it is in the
/// data, when it comes from there), with its hint.
fn not_printable(v: &Value, path: Option<&String>) -> String {
    let what = match path {
        Some(p) => format!("`{p}` là {}", describe(v)),
        None => format!("kết quả là {}", describe(v)),
    };
    let p = path.map_or("…", String::as_str);
    let fix = if v.is_array() {
        format!("duyệt từng phần tử: {{{{#each {p}}}}}…{{{{/each}}}}")
    } else {
        format!("in từng mục của nó, ví dụ {{{{{p}.ten_muc}}}}")
    };
    format!("{what}, không in thẳng ra văn bản được{}{fix}", super::HINT)
}

/// Describes a JSON value for an error message: `chuỗi "abc"`, `số 5`, …
fn describe(v: &Value) -> String {
    match v {
        Value::String(s) => {
            let short: String = s.chars().take(40).collect();
            let more = if short.len() < s.len() { "…" } else { "" };
            format!("chuỗi \"{short}{more}\"")
        }
        Value::Number(n) => format!("số {n}"),
        Value::Bool(b) => format!("giá trị đúng/sai ({b})"),
        Value::Null => "giá trị rỗng (null)".into(),
        Value::Array(a) => format!("danh sách ({} phần tử)", a.len()),
        Value::Object(_) => "bảng (nhóm trường)".into(),
    }
}

/// A hint for a number typed as text.
fn number_hint(v: &Value) -> &'static str {
    match v {
        Value::String(s) if vn::is_numeric_text(s) => " (bỏ dấu ngoặc kép quanh số?)",
        Value::String(s) if s.contains(|c: char| c.is_ascii_digit()) && s.contains(',') => {
            " (số trong dữ liệu viết không có ngoặc kép, dấu chấm thập phân, ví dụ 158.3)"
        }
        _ => "",
    }
}

/// Typed access to a helper call's arguments, with Vietnamese errors.
struct Args<'a, 'rc> {
    h: &'a Helper<'rc>,
    s: &'a Settings,
    /// The data the template renders (`@root`).
    root: &'a Value,
}

impl Args<'_, '_> {
    /// Checks the number of positional arguments and the hash keys.
    fn expect(&self, min: usize, max: usize, hash: &[&str]) -> Res<()> {
        let n = self.h.params().len();
        if n < min {
            return Err(format!(
                "thiếu tham số thứ {} (cần ít nhất {min}, nhận được {n})",
                n + 1
            ));
        }
        if n > max {
            return Err(format!("thừa tham số (nhiều nhất {max}, nhận được {n})"));
        }
        for key in self.h.hash().keys() {
            if !hash.contains(key) {
                let allowed = if hash.is_empty() {
                    "hàm này không có tham số đặt tên".to_string()
                } else {
                    format!("chỉ có {}", hash.join(", "))
                };
                return Err(format!("không có tham số đặt tên '{key}' ({allowed})"));
            }
        }
        Ok(())
    }

    fn len(&self) -> usize {
        self.h.params().len()
    }

    /// Positional argument `i` (0-based), which must exist and not be missing data.
    fn value(&self, i: usize) -> Res<&Value> {
        let p = self
            .h
            .param(i)
            .ok_or_else(|| format!("thiếu tham số thứ {}", i + 1))?;
        if p.is_value_missing() {
            let path = p.relative_path().map(String::as_str).unwrap_or("?");
            return Err(format!("tham số thứ {}: không có dữ liệu '{path}'", i + 1));
        }
        Ok(p.value())
    }

    fn number(&self, i: usize) -> Res<Decimal> {
        let v = self.value(i)?;
        match v {
            Value::Number(_) => {
                vn::decimal_from_json(v).map_err(|e| format!("tham số thứ {}: {e}", i + 1))
            }
            _ => Err(format!(
                "tham số thứ {} phải là số, nhận được {}{}",
                i + 1,
                describe(v),
                number_hint(v)
            )),
        }
    }

    fn integer(&self, i: usize) -> Res<i64> {
        let d = self.number(i)?;
        whole(d).ok_or_else(|| {
            format!(
                "tham số thứ {} phải là số nguyên, nhận được {}",
                i + 1,
                vn::format_number(&d, None)
            )
        })
    }

    fn string(&self, i: usize) -> Res<&str> {
        match self.value(i)? {
            Value::String(s) if !s.trim().is_empty() => Ok(s),
            v => Err(format!(
                "tham số thứ {} phải là chuỗi khác rỗng, nhận được {}",
                i + 1,
                describe(v)
            )),
        }
    }

    fn date(&self, i: usize) -> Res<Date> {
        match self.value(i)? {
            Value::String(s) => {
                vn::parse_date(s).map_err(|e| format!("tham số thứ {}: {e}", i + 1))
            }
            v => Err(format!(
                "tham số thứ {} phải là ngày (dạng 2021-03-05), nhận được {}",
                i + 1,
                describe(v)
            )),
        }
    }

    fn array(&self, i: usize) -> Res<&Vec<Value>> {
        match self.value(i)? {
            Value::Array(a) => Ok(a),
            v => Err(format!(
                "tham số thứ {} phải là danh sách, nhận được {}",
                i + 1,
                describe(v)
            )),
        }
    }

    /// Named `chu_so=N` (0–10), if given.
    fn decimals(&self) -> Res<Option<u32>> {
        self.decimals_named("chu_so")
    }

    /// Named `key=N` (0–10), if given.
    fn decimals_named(&self, key: &str) -> Res<Option<u32>> {
        let Some(p) = self.h.hash_get(key) else {
            return Ok(None);
        };
        let v = p.value();
        match super::indicators::digits_value(v) {
            Some(n) => Ok(Some(n)),
            None => Err(format!(
                "{key} phải là số nguyên từ 0 đến 10, nhận được {}{}",
                describe(v),
                number_hint(v)
            )),
        }
    }

    /// Named `key="text"`, if given.
    fn text_named(&self, key: &str) -> Res<Option<String>> {
        match self.h.hash_get(key).map(|p| p.value()) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(t)) => Ok(Some(t.clone())),
            Some(v) => Err(format!(
                "{key} phải là chuỗi trong ngoặc kép, nhận được {}",
                describe(v)
            )),
        }
    }

    /// Named `key=true|false`, `false` when not given.
    fn flag(&self, key: &str) -> Res<bool> {
        match self.h.hash_get(key).map(|p| p.value()) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(v) => Err(format!(
                "{key} phải là true hoặc false, nhận được {}",
                describe(v)
            )),
        }
    }

    /// Named `dau=false` drops the "%" sign (for cells under a "(%)" header).
    fn percent_sign(&self) -> Res<bool> {
        match self.h.hash_get("dau").map(|p| p.value()) {
            None => Ok(true),
            Some(Value::Bool(b)) => Ok(*b),
            Some(v) => Err(format!(
                "dau phải là true hoặc false, nhận được {}",
                describe(v)
            )),
        }
    }

    /// A percent text, with or without its sign as asked.
    fn percent_text(&self, s: String) -> Res<Value> {
        if self.percent_sign()? {
            text(s)
        } else {
            text(s.trim_end_matches('%').to_string())
        }
    }

    /// Percent rounding: `chu_so` if given, else the profile's.
    fn percent_rounding(&self) -> Res<Rounding> {
        let mut r = Rounding::percent(self.s);
        if let Some(n) = self.decimals()? {
            r.decimals = n;
        }
        Ok(r)
    }
}

/// A whole Decimal as i64.
fn whole(d: Decimal) -> Option<i64> {
    if d.fract().is_zero() {
        i64::try_from(d).ok()
    } else {
        None
    }
}

fn text(s: String) -> Res<Value> {
    if s.is_empty() {
        Err("kết quả rỗng".into())
    } else {
        Ok(Value::String(s))
    }
}

fn num(d: Decimal) -> Res<Value> {
    vn::decimal_to_json(d).map_err(|e| e.0)
}

/// `so x [chu_so=N] [quy_doi=U]`: 7175.4 → "7.175,4"; `chu_so` rounds half-up
/// to at most N decimals; `quy_doi="ty"` converts đồng to tỷ and rounds to
/// the unit's customary precision (tỷ: 3 decimals) unless `chu_so` is given.
fn h_so(a: &Args) -> Res<Value> {
    a.expect(1, 1, &["chu_so", "quy_doi"])?;
    let x = a.number(0)?;
    if let Some(u) = unit(a, "quy_doi")? {
        let d = a.decimals()?;
        let keep = a.s.keep_trailing_zeros;
        return text(vn::format_in_unit(x, vn::MoneyUnit::Dong, u, d, keep).map_err(|e| e.0)?);
    }
    match a.decimals()? {
        Some(n) if a.s.keep_trailing_zeros => text(vn::format_fixed(&x, n)),
        n => text(vn::format_number(&x, n)),
    }
}

/// `dem n`: house-style count, 2 → "02" (1–9 padded unless `dem_so_0 = false`).
fn h_dem(a: &Args) -> Res<Value> {
    a.expect(1, 1, &[])?;
    text(vn::count(&a.number(0)?, a.s.pad_counts).map_err(|e| e.0)?)
}

/// `la_ma n`: Roman numeral, 25 → "XXV" (1–3999).
fn h_la_ma(a: &Args) -> Res<Value> {
    a.expect(1, 1, &[])?;
    text(vn::roman(&a.number(0)?).map_err(|e| e.0)?)
}

/// `so_muc n`: the number of a top-level heading in the profile's style
/// (`kieu_muc`), 2 → "II-" (Party) or "II." (State).
fn h_so_muc(a: &Args) -> Res<Value> {
    a.expect(1, 1, &[])?;
    let roman = vn::roman(&a.number(0)?).map_err(|e| e.0)?;
    text(format!("{roman}{}", a.s.heading_mark()))
}

/// `ket_thuc`: the mark that ends the body in the profile's style, "./." or ".".
fn h_ket_thuc(a: &Args) -> Res<Value> {
    a.expect(0, 0, &[])?;
    text(a.s.ending.clone())
}

fn two(a: &Args) -> Res<(Decimal, Decimal)> {
    Ok((a.number(0)?, a.number(1)?))
}

/// `phan_tram a b [chu_so=N]`: a / b × 100, 3250 / 3045.35 → "106,72%".
fn h_phan_tram(a: &Args) -> Res<Value> {
    a.expect(2, 2, &["chu_so", "dau"])?;
    let (x, y) = two(a)?;
    a.percent_text(vn::percent(x, y, a.percent_rounding()?).map_err(|e| e.0)?)
}

/// `ty_le x [chu_so=N]`: an existing rate, 96.3 → "96,3%".
fn h_ty_le(a: &Args) -> Res<Value> {
    a.expect(1, 1, &["chu_so", "dau"])?;
    a.percent_text(vn::rate(a.number(0)?, a.percent_rounding()?))
}

/// `tang_giam a b [chu_so=N]`: a current, b reference → "tăng 6,72%",
/// "giảm 27,11%" or "bằng cùng kỳ".
fn h_tang_giam(a: &Args) -> Res<Value> {
    compare(a, vn::change)
}

/// `gap_lan a b [chu_so=N]`: 212 vs 100 → "gấp 2,12 lần" (a ≥ b).
fn h_gap_lan(a: &Args) -> Res<Value> {
    compare(a, vn::times)
}

/// `diem_phan_tram a b [chu_so=N]`: a new rate, b old rate (same order as
/// `tang_giam`): 1.33 vs 5.2 → "giảm 3,87 điểm phần trăm".
fn h_diem_phan_tram(a: &Args) -> Res<Value> {
    compare(a, vn::points_change)
}

/// A helper `name a b [chu_so=N]` comparing two numbers with `f`.
fn compare(a: &Args, f: fn(Decimal, Decimal, Rounding) -> vn::VnResult<String>) -> Res<Value> {
    a.expect(2, 2, &["chu_so"])?;
    let (x, y) = two(a)?;
    text(f(x, y, a.percent_rounding()?).map_err(|e| e.0)?)
}

/// `danh_gia a b [giam_la_tot=true]`: result a against plan b on the
/// unrounded ratio → "vượt", "đạt" or "không đạt"; with `giam_la_tot=true`
/// lower is better (a below b is "vượt").
fn h_danh_gia(a: &Args) -> Res<Value> {
    a.expect(2, 2, &["giam_la_tot"])?;
    let (x, y) = two(a)?;
    let status = if a.flag("giam_la_tot")? {
        vn::assess_lower(x, y)
    } else {
        vn::assess(x, y).map_err(|e| e.0)?
    };
    text(status.text().to_string())
}

/// `xap_xi x [chu_so=N]` (default 0 decimals): 915.6 → "gần 916", 51.3 →
/// "hơn 51", 51 → "51".
fn h_xap_xi(a: &Args) -> Res<Value> {
    a.expect(1, 1, &["chu_so"])?;
    let r = Rounding {
        decimals: a.decimals()?.unwrap_or(0),
        keep_zeros: a.s.keep_trailing_zeros,
    };
    text(vn::approx(a.number(0)?, r))
}

/// `bang_chu x`: number in words, 1001 → "một nghìn không trăm linh một".
fn h_bang_chu(a: &Args) -> Res<Value> {
    a.expect(1, 1, &[])?;
    text(vn::read_number(&a.number(0)?, a.s))
}

/// Named money unit `key` (e.g. `don_vi="ty"`), if given.
fn unit(a: &Args, key: &str) -> Res<Option<vn::MoneyUnit>> {
    match a.h.hash_get(key).map(|p| p.value()) {
        None => Ok(None),
        Some(Value::String(u)) => vn::MoneyUnit::parse(u)
            .map(Some)
            .map_err(|e| format!("{key}: {e}")),
        Some(v) => Err(format!("{key} phải là chuỗi, nhận được {}", describe(v))),
    }
}

/// The first argument as an amount in đồng (`don_vi` says its unit).
fn dong(a: &Args) -> Res<Decimal> {
    let x = a.number(0)?;
    match unit(a, "don_vi")? {
        Some(u) => vn::from_unit(x, u).map_err(|e| e.0),
        None => Ok(x),
    }
}

/// `tien_bang_chu x [don_vi=U]`: money in words, rounded to whole đồng and
/// capitalised; `don_vi` ("dong", "nghin", "trieu", "ty", "nghin-ty") is the
/// unit x is in.
fn h_tien_bang_chu(a: &Args) -> Res<Value> {
    a.expect(1, 1, &["don_vi"])?;
    text(vn::money_in_words(&dong(a)?, a.s))
}

/// `tien_hon_hop x [don_vi=U]`: 5137000000 → "5 tỷ 137 triệu".
fn h_tien_hon_hop(a: &Args) -> Res<Value> {
    a.expect(1, 1, &["don_vi"])?;
    text(vn::format_money_mixed(&dong(a)?, a.s).map_err(|e| e.0)?)
}

/// `trich_dan loai so_ky_hieu ngay [co_quan]`: "Chỉ thị số 05-CT/TW, ngày
/// 15-5-2016 của Bộ Chính trị" (Party) / "… 05-CT/TW ngày 15/5/2016 …" (State).
fn h_trich_dan(a: &Args) -> Res<Value> {
    a.expect(3, 4, &[])?;
    let issuer = if a.len() == 4 {
        Some(a.string(3)?)
    } else {
        None
    };
    let (kind, number, date) = (a.string(0)?, a.string(1)?, a.date(2)?);
    text(vn::citation(kind, number, &date, issuer, a.s))
}

/// `ngay d [noi]`: "2021-03-05" → "ngày 05 tháng 3 năm 2021"; with a place,
/// "Bắc Kạn, ngày 15 tháng 12 năm 2021".
fn h_ngay(a: &Args) -> Res<Value> {
    a.expect(1, 2, &[])?;
    let long = vn::format_date_long(&a.date(0)?);
    if a.len() == 2 {
        text(format!("{}, {long}", a.string(1)?.trim()))
    } else {
        text(long)
    }
}

/// `ngay_ngan d`: citation date per `kieu_ngay`, "18-01-2022" or "19/4/2022".
fn h_ngay_ngan(a: &Args) -> Res<Value> {
    a.expect(1, 1, &[])?;
    text(vn::format_date_citation(&a.date(0)?, a.s.date_style()))
}

/// `quy n [nam]`: 1 2021 → "quý I/2021"; 4 → "quý IV".
fn h_quy(a: &Args) -> Res<Value> {
    a.expect(1, 2, &[])?;
    let year = if a.len() == 2 {
        Some(a.integer(1)?)
    } else {
        None
    };
    text(vn::quarter(a.integer(0)?, year).map_err(|e| e.0)?)
}

/// `ky_bao_cao loai so…`: the report period, from a key and one or two
/// numbers:
/// - `"6-thang" 2023` → "6 tháng đầu năm 2023"; `"6-thang-cuoi" 2023` →
///   "6 tháng cuối năm 2023"
/// - `"9-thang" 2023` → "9 tháng đầu năm 2023"; `"3-thang-cuoi" 2023` →
///   "3 tháng cuối năm 2023"
/// - `"nam" 2022` → "năm 2022"; `"quy" 1 2023` → "quý I năm 2023"
/// - `"thang" 5 2017` → "tháng 5 năm 2017"; `"thang-luy-ke" 5 2017` →
///   "tháng 5 và 5 tháng năm 2017"
/// - `"giai-doan" 2021 2025` → "giai đoạn 2021-2025"; `"nhiem-ky" 2020 2025`
///   → "nhiệm kỳ 2020-2025"; `"nam-hoc" 2026 2027` → "năm học 2026-2027"
///   (dash per `gach_giai_doan`: "-" or " - ")
fn h_ky_bao_cao(a: &Args) -> Res<Value> {
    a.expect(2, 3, &[])?;
    let kind = a.string(0)?;
    let nums = (1..a.len())
        .map(|i| a.integer(i))
        .collect::<Res<Vec<i64>>>()?;
    text(vn::period(kind.trim(), &nums, a.s).map_err(|e| e.0)?)
}

/// `so_hieu so ky_hieu`: "Số 05-BC/TU" (Party) or "Số: 05/BC-UBND" (State).
fn h_so_hieu(a: &Args) -> Res<Value> {
    a.expect(2, 2, &[])?;
    let number = a.integer(0)?;
    if number < 1 {
        return Err(format!("số văn bản phải từ 1 trở lên, nhận được {number}"));
    }
    let symbol = a.string(1)?;
    if symbol.trim().contains(char::is_whitespace) {
        return Err(format!("ký hiệu \"{symbol}\" không được có dấu cách"));
    }
    text(vn::document_number(number, symbol, a.s))
}

/// Folds ≥ 2 numbers with a checked operation.
fn fold(a: &Args, op: fn(Decimal, Decimal) -> Option<Decimal>, zero_div: bool) -> Res<Value> {
    a.expect(2, usize::MAX, &[])?;
    let mut acc = a.number(0)?;
    for i in 1..a.len() {
        let x = a.number(i)?;
        if zero_div && x.is_zero() {
            return Err(format!("chia cho 0 (tham số thứ {} bằng 0)", i + 1));
        }
        acc = op(acc, x).ok_or_else(|| "kết quả vượt giới hạn tính toán".to_string())?;
    }
    num(acc)
}

/// `cong a b …`: exact sum, a JSON number for other helpers.
fn h_cong(a: &Args) -> Res<Value> {
    fold(a, Decimal::checked_add, false)
}

/// `tru a b …`: a − b − …, exact.
fn h_tru(a: &Args) -> Res<Value> {
    fold(a, Decimal::checked_sub, false)
}

/// `nhan a b …`: exact product.
fn h_nhan(a: &Args) -> Res<Value> {
    fold(a, Decimal::checked_mul, false)
}

/// `chia a b …`: a / b / … (28 significant digits); dividing by 0 is an error.
fn h_chia(a: &Args) -> Res<Value> {
    fold(a, Decimal::checked_div, true)
}

/// Looks up a dotted field path ("a.b") in an object.
fn field<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(v, |cur, key| cur.get(key))
}

/// Element `i` of a list, or its field `f`; errors name the element.
fn element<'v>(v: &'v Value, i: usize, f: Option<&str>) -> Res<&'v Value> {
    match f {
        None => Ok(v),
        Some(f) => field(v, f)
            .ok_or_else(|| format!("phần tử thứ {} (chỉ số {i}) không có trường \"{f}\"", i + 1)),
    }
}

/// The arguments `list ["field"]` of `tong` and `sap_xep_ten`.
fn list_and_field<'a>(a: &'a Args) -> Res<(&'a Vec<Value>, Option<&'a str>)> {
    a.expect(1, 2, &[])?;
    let list = a.array(0)?;
    let field = if a.len() == 2 {
        Some(a.string(1)?)
    } else {
        None
    };
    Ok((list, field))
}

/// `tong list ["field"]`: sum of the numbers of a list, or of a field
/// (dotted path allowed) of each object; a missing field names the element.
fn h_tong(a: &Args) -> Res<Value> {
    let (list, f) = list_and_field(a)?;
    let mut sum = Decimal::ZERO;
    for (i, item) in list.iter().enumerate() {
        let v = element(item, i, f)?;
        let x = match v {
            Value::Number(_) => vn::decimal_from_json(v).map_err(|e| e.0)?,
            _ => {
                return Err(format!(
                    "phần tử thứ {} (chỉ số {i}) phải là số, nhận được {}{}",
                    i + 1,
                    describe(v),
                    number_hint(v)
                ))
            }
        };
        sum = sum
            .checked_add(x)
            .ok_or_else(|| "tổng vượt giới hạn tính toán".to_string())?;
    }
    num(sum)
}

/// `bang_chi_tieu list [chu_so=N] [chu_so_phan_tram=N] [chu_so_ke_hoach=N]
/// [chu_so_thuc_hien=N] [chu_so_so_ke_hoach=N] [chu_so_so_cung_ky=N]
/// [ten_bang="…"] [don_vi_tinh="…"]`: the standard indicator table as
/// markup; use with triple braces: `{{{bang_chi_tieu chi_tieu}}}`. The
/// options are the decimals of the figures and of the percentages for rows
/// that do not set their own, one column's decimals over every row's, and
/// the table's caption and unit line.
fn h_bang_chi_tieu(a: &Args) -> Res<Value> {
    let mut keys = vec!["chu_so", "chu_so_phan_tram", "ten_bang", "don_vi_tinh"];
    keys.extend(indicators::COLUMN_DIGITS);
    a.expect(1, 1, &keys)?;
    let mut columns = [None; 4];
    for (c, key) in columns.iter_mut().zip(indicators::COLUMN_DIGITS) {
        *c = a.decimals_named(key)?;
    }
    let opts = indicators::TableOptions {
        digits: indicators::Digits {
            figures: a.decimals()?,
            percent: a.decimals_named("chu_so_phan_tram")?,
        },
        columns,
        title: a.text_named("ten_bang")?,
        unit: a.text_named("don_vi_tinh")?,
    };
    indicators::indicator_table(a.array(0)?, opts, a.s).map(Value::String)
}

/// `chi_tieu ma truong [quy_doi=U] [chu_so=N] [dau=false]`: one value of the
/// `[[chi_tieu]]` row whose `ma` is `ma` (or of the row itself, `this` inside
/// `{{#each chi_tieu}}`), printed as `bang_chi_tieu` prints it:
/// `chi_tieu "thu_ngan_sach" "so_ke_hoach"` → "116,32%".
fn h_chi_tieu(a: &Args) -> Res<Value> {
    a.expect(2, 2, &["quy_doi", "chu_so", "dau"])?;
    let rows: &[Value] = match a.root.get("chi_tieu") {
        Some(Value::Array(rows)) => rows,
        None | Some(Value::Null) => &[],
        Some(v) => {
            return Err(format!(
                "`chi_tieu` trong tệp số liệu phải là các khối [[chi_tieu]], nhận được {}",
                describe(v)
            ))
        }
    };
    let row = match a.value(0)? {
        Value::String(code) => indicators::find(rows, code)?,
        v @ Value::Object(_) => {
            indicators::Indicator::parse(v, rows.iter().position(|r| r == v))?
        }
        v => {
            return Err(format!(
                "tham số thứ 1 phải là mã chỉ tiêu (chuỗi, ví dụ \"thu_ngan_sach\") hoặc một khối [[chi_tieu]], nhận được {}",
                describe(v)
            ))
        }
    };
    let ask = indicators::Ask {
        unit: unit(a, "quy_doi")?,
        digits: a.decimals()?,
        sign: a.percent_sign()?,
    };
    text(row.field(a.string(1)?, ask, a.s)?)
}

/// `sap_xep_ten list ["field"]`: the list (of name strings, or of objects by
/// a name field) sorted in Vietnamese order, given name first, then the rest
/// of the name; use as `{{#each (sap_xep_ten can_bo "ho_ten")}}`.
fn h_sap_xep_ten(a: &Args) -> Res<Value> {
    let (list, f) = list_and_field(a)?;
    let mut keyed = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        match element(item, i, f)? {
            Value::String(s) => keyed.push((s.as_str(), item)),
            v => {
                return Err(format!(
                    "phần tử thứ {} (chỉ số {i}) phải là chuỗi tên, nhận được {}",
                    i + 1,
                    describe(v)
                ))
            }
        }
    }
    vn::sort_names(&mut keyed, |(s, _)| s);
    Ok(Value::Array(
        keyed.into_iter().map(|(_, v)| v.clone()).collect(),
    ))
}

#[cfg(test)]
#[path = "helpers_tests.rs"]
mod tests;
