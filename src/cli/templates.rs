//! `baocao mau` (the built-in templates: list, show, copy), `baocao init` (a
//! new report from one) and `baocao schema` (the data files' JSON Schema).
//! Nothing here overwrites a file: a folder that is not empty is refused
//! before anything is written, and every file is created new (O_EXCL).
use baocao::builtin::{self, Builtin};
use baocao::diag::{Diagnostic, Span};
use baocao::source::io_reason;
use std::io::Write;
use std::path::Path;

/// The schema's file name beside a data file that `init` writes.
pub const SCHEMA_FILE: &str = "baocao.schema.json";

/// `baocao mau`: every built-in with its one-line summary.
pub fn list() -> String {
    let mut out = String::from(
        "Các mẫu dựng sẵn (dùng trong tệp số liệu: mau = \"@TÊN\"; bắt đầu một báo cáo: baocao init THƯ_MỤC --mau TÊN):\n\n",
    );
    for b in builtin::list() {
        out.push_str(&format!("{:<22} {}\n", b.name(), b.summary()));
    }
    out
}

/// The built-in `name`, or an error with the nearest name as a hint.
pub fn find(name: &str) -> Result<Builtin, Diagnostic> {
    let name = name.trim_start_matches(builtin::PREFIX);
    builtin::get(name).ok_or_else(|| {
        let hint = match builtin::suggest(name) {
            Some(n) => format!("có phải ý bạn là `{n}`?"),
            None => format!("các mẫu có sẵn: {}", builtin::names().join(", ")),
        };
        Diagnostic::error(format!("không có mẫu dựng sẵn \"{name}\""))
            .with_hint(hint)
            .with_hint("xem danh sách: baocao mau")
    })
}

/// `baocao mau show NAME`: its README, then the files it is made of.
pub fn show(name: &str) -> Result<String, Diagnostic> {
    let b = find(name)?;
    let mut out = String::new();
    if let Some((_, readme)) = b.files().into_iter().find(|(n, _)| *n == "README.md") {
        out.push_str(&String::from_utf8_lossy(readme));
    }
    out.push_str(&format!(
        "\nCác tệp của mẫu @{} (chép ra để sửa: baocao mau copy {} THƯ_MỤC):\n",
        b.name(),
        b.name()
    ));
    for (file, bytes) in b.files() {
        out.push_str(&format!("  {file} ({} byte)\n", bytes.len()));
    }
    Ok(out)
}

/// `baocao mau copy NAME DIR`: every file of the built-in into `dir` (new or
/// empty), for full editing.
pub fn copy(name: &str, dir: &Path) -> Result<String, Diagnostic> {
    let b = find(name)?;
    empty_folder(dir)?;
    for (file, bytes) in b.files() {
        create_new(&dir.join(file), bytes)?;
    }
    Ok(format!(
        "đã chép mẫu @{} vào {} ({} tệp); trong tệp số liệu, viết mau = \"bao-cao.md.hbs\" để dùng bản chép này\n",
        b.name(),
        dir.display(),
        b.files().len()
    ))
}

/// `baocao init [DIR] --mau NAME [--the-thuc P]`: a data file that renders at
/// once (the built-in's sample, `mau = "@NAME"`, pointing editors at the
/// schema on its first line) and the schema beside it.
pub fn init(dir: &Path, name: &str, profile: Option<&str>) -> Result<String, Diagnostic> {
    let b = find(name)?;
    if let Some(p) = profile {
        known_profile(p)?;
    }
    let sample = b.sample().ok_or_else(|| {
        Diagnostic::error(format!(
            "lỗi nội bộ: mẫu @{} không có số liệu mẫu",
            b.name()
        ))
    })?;
    let (data, mut notes) = starter_data(b.name(), sample, profile);
    notes.extend(profile.and_then(|p| too_early(p, sample)));
    empty_folder(dir)?;
    create_new(&dir.join(builtin::SAMPLE), data.as_bytes())?;
    create_new(&dir.join(SCHEMA_FILE), baocao::schema::json().as_bytes())?;
    let data_path = dir.join(builtin::SAMPLE);
    let mut out = format!(
        "đã tạo {} (số liệu mẫu của @{}) và {}\n",
        data_path.display(),
        b.name(),
        dir.join(SCHEMA_FILE).display()
    );
    for note in notes {
        out.push_str(&format!("lưu ý: {note}\n"));
    }
    out.push_str(&format!(
        "sửa số liệu trong {} rồi dựng báo cáo: baocao render {} (hoặc xem trước: baocao xem {})\n",
        data_path.display(),
        data_path.display(),
        data_path.display()
    ));
    Ok(out)
}

/// `--the-thuc` names a built-in profile or the Party family ("dang").
fn known_profile(name: &str) -> Result<(), Diagnostic> {
    let mut names: Vec<String> = baocao::profile::list()
        .into_iter()
        .map(|p| p.name)
        .collect();
    names.insert(0, "dang".into());
    if names.iter().any(|n| n == name) {
        return Ok(());
    }
    let known: Vec<&str> = names.iter().map(String::as_str).collect();
    let hint = match baocao::diag::nearest(name, &known) {
        Some(n) => format!("có phải ý bạn là `{n}`?"),
        None => format!("các thể thức có sẵn: {}", known.join(", ")),
    };
    Err(Diagnostic::error(format!("không có thể thức \"{name}\""))
        .with_hint(hint)
        .with_hint("xem danh sách: baocao the-thuc"))
}

/// A note when the pinned built-in profile `name` applies only after the
/// sample's date of issue (`[van_ban] ngay`).
fn too_early(name: &str, sample: &str) -> Option<String> {
    let p = baocao::profile::list()
        .into_iter()
        .find(|p| p.name == name)?;
    let line = sample
        .lines()
        .skip_while(|l| l.trim() != "[van_ban]")
        .find(|l| key_of(l) == "ngay")?;
    let value = line.split_once('=')?.1.split('#').next()?;
    let date = baocao::vn::parse_date(value).ok()?;
    let from = baocao::profile::validity(&p).from;
    (date < from).then(|| {
        format!(
            "thể thức {name} áp dụng từ ngày {}, số liệu mẫu đề ngày {}: sửa ngày ban hành (van_ban.ngay) thành ngày của báo cáo, hoặc viết the_thuc = \"dang\" để chọn thể thức theo ngày",
            from.dmy(),
            date.dmy()
        )
    })
}

/// The two families of layouts, whose conventions differ in the data.
#[derive(Clone, Copy, PartialEq)]
enum Family {
    /// Party documents (Hướng dẫn 36-HD/VPTW, 05-HD/VPTW).
    Party,
    /// State documents (Nghị định 30/2020/NĐ-CP).
    State,
}

impl Family {
    fn of(profile: &str) -> Option<Family> {
        match profile {
            "nha-nuoc" => Some(Family::State),
            p if p.starts_with("dang") => Some(Family::Party),
            _ => None,
        }
    }
}

/// The starter data: the schema line, `mau = "@name"`, the profile if one is
/// chosen; and, when that profile is of the other family than the sample's,
/// the sample's symbol, signing authority, filing line and summary in the
/// chosen family's form, with a note for each to check.
fn starter_data(name: &str, sample: &str, profile: Option<&str>) -> (String, Vec<String>) {
    let mut out = format!(
        "#:schema ./{SCHEMA_FILE}\n# Tệp số liệu báo cáo (baocao init --mau {name}). Trình soạn thảo có hỗ trợ TOML\n# (VS Code với Even Better TOML) dùng dòng đầu để gợi ý và kiểm tra các mục.\n"
    );
    let from = sample
        .lines()
        .find(|l| key_of(l) == "the_thuc")
        .and_then(|l| Family::of(value_of(l)));
    let to = profile.and_then(Family::of).filter(|t| Some(*t) != from);
    // A council signing for itself: its head's title changes with it.
    let council = sample.lines().any(|l| {
        key_of(l) == "quyen_han"
            && matches!(value_of(l), "T/M BAN THƯỜNG VỤ" | "TM. ỦY BAN NHÂN DÂN")
    });
    let mut notes = Vec::new();
    let mut note = |n: &str| {
        if !notes.iter().any(|m| m == n) {
            notes.push(n.to_string());
        }
    };
    for line in sample.lines() {
        let rewritten = match (key_of(line), profile, to) {
            ("mau", _, _) => Some(format!("mau = \"@{name}\"")),
            ("the_thuc", Some(p), _) => Some(format!("the_thuc = \"{p}\"")),
            ("ky_hieu", _, Some(to)) => {
                note("ký hiệu văn bản đã đổi theo thể thức mới (BC-UBND, BC/HU…): kiểm tra lại");
                Some(format!("ky_hieu = \"{}\"", symbol(value_of(line), to)))
            }
            ("quyen_han", _, Some(to)) => {
                note("thẩm quyền ký, chức vụ người ký đã đổi theo thể thức mới (TM. ỦY BAN NHÂN DÂN, CHỦ TỊCH; T/M BAN THƯỜNG VỤ, BÍ THƯ): kiểm tra lại, cùng tên cơ quan ban hành");
                Some(format!("quyen_han = \"{}\"", authority(value_of(line), to)))
            }
            ("chuc_vu", _, Some(to)) if council => {
                let head = match to {
                    Family::State => "CHỦ TỊCH",
                    Family::Party => "BÍ THƯ",
                };
                Some(format!("chuc_vu = \"{head}\""))
            }
            ("trich_yeu", _, Some(Family::Party)) => {
                note("trích yếu viết thường chữ đầu theo thể thức của Đảng: kiểm tra lại");
                Some(format!("trich_yeu = \"{}\"", lower_first(value_of(line))))
            }
            // The filing line: the last item of `noi_nhan`.
            _ if to.is_some()
                && line.trim_start().starts_with('"')
                && value_of(line).starts_with("Lưu") =>
            {
                note("dòng lưu đã đổi theo thể thức mới (Lưu: VT, …; Lưu Văn phòng …): ghi đúng nơi lưu");
                let filing = match to {
                    Some(Family::State) => "Lưu: VT, VP",
                    _ => "Lưu Văn phòng Huyện ủy",
                };
                Some(line.replacen(value_of(line), filing, 1))
            }
            _ => None,
        };
        out.push_str(rewritten.as_deref().unwrap_or(line));
        out.push('\n');
    }
    (out, notes)
}

/// A line's key (`key = …`), or "" for another line.
fn key_of(line: &str) -> &str {
    line.split_once('=').map_or("", |(k, _)| k.trim())
}

/// The first quoted string of a line (its value), or "".
fn value_of(line: &str) -> &str {
    line.split('"').nth(1).unwrap_or("")
}

/// A document symbol in the family's form, the document kind kept: "KH/HU" →
/// "KH-UBND" (State), "BC-UBND" → "BC/HU" (Party).
fn symbol(value: &str, to: Family) -> String {
    let kind = value.split(['/', '-']).next().unwrap_or(value);
    match to {
        Family::State => format!("{kind}-UBND"),
        Family::Party => format!("{kind}/HU"),
    }
}

/// The signing authority in the family's form: "T/M BAN THƯỜNG VỤ" ↔ "TM. ỦY
/// BAN NHÂN DÂN"; "K/T", "T/L" ↔ "KT.", "TL." before the same title.
fn authority(value: &str, to: Family) -> String {
    const PAIRS: [(&str, &str); 3] = [("T/M ", "TM. "), ("K/T ", "KT. "), ("T/L ", "TL. ")];
    match to {
        Family::State if value == "T/M BAN THƯỜNG VỤ" => "TM. ỦY BAN NHÂN DÂN".into(),
        Family::Party if value == "TM. ỦY BAN NHÂN DÂN" => "T/M BAN THƯỜNG VỤ".into(),
        _ => {
            for (party, state) in PAIRS {
                let (from, into) = match to {
                    Family::State => (party, state),
                    Family::Party => (state, party),
                };
                if let Some(rest) = value.strip_prefix(from) {
                    return format!("{into}{rest}");
                }
            }
            value.to_string()
        }
    }
}

/// `s` with its first letter in lower case.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `dir` is new (created) or empty; anything else is refused untouched.
fn empty_folder(dir: &Path) -> Result<(), Diagnostic> {
    let shown = dir.display().to_string();
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Diagnostic::error(format!(
                    "thư mục \"{shown}\" đã có tệp: không ghi vào để khỏi đè lên tệp của bạn"
                ))
                .with_hint(
                    "chọn một thư mục mới hoặc trống, ví dụ: baocao init bao-cao-moi --mau …",
                ));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(|e| {
                Diagnostic::error(format!(
                    "không tạo được thư mục \"{shown}\": {}",
                    io_reason(&e)
                ))
            })
        }
        Err(e) => Err(Diagnostic::error(format!(
            "không dùng được thư mục \"{shown}\": {}",
            io_reason(&e)
        ))
        .with_span(Span::file(&shown))),
    }
}

/// Create `path` (it must not exist) with `bytes`.
fn create_new(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let fail = |e: std::io::Error| {
        Diagnostic::error(format!("không ghi được tệp: {}", io_reason(&e)))
            .with_span(Span::file(&path.display().to_string()))
    };
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(fail)?;
    f.write_all(bytes).map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_data_names_the_builtin_and_the_schema() {
        let (data, notes) = starter_data(
            "x",
            "mau = \"bao-cao.md.hbs\"\n[van_ban]\nthe_thuc = \"dang\"\n",
            None,
        );
        assert!(data.starts_with("#:schema ./baocao.schema.json\n"));
        assert!(data.contains("\nmau = \"@x\"\n"));
        assert!(data.contains("the_thuc = \"dang\""));
        assert!(notes.is_empty());
    }

    #[test]
    fn the_state_layout_changes_the_symbol_and_the_signing_authority() {
        let sample = "mau = \"bao-cao.md.hbs\"\n[van_ban]\nthe_thuc = \"dang\"\nky_hieu = \"KH/HU\"  # ký hiệu\n[ky]\nquyen_han = \"T/M BAN THƯỜNG VỤ\"\n";
        let (data, notes) = starter_data("ke-hoach", sample, Some("nha-nuoc"));
        assert!(data.contains("the_thuc = \"nha-nuoc\""));
        assert!(data.contains("ky_hieu = \"KH-UBND\""));
        assert!(data.contains("quyen_han = \"TM. ỦY BAN NHÂN DÂN\""));
        assert_eq!(notes.len(), 2);
    }

    #[test]
    fn the_party_layout_changes_a_state_sample_back() {
        let sample = "[van_ban]\nthe_thuc = \"nha-nuoc\"\nky_hieu = \"BC-UBND\"\ntrich_yeu = \"Tình hình năm 2024\"\nnoi_nhan = [\n  \"UBND tỉnh\",\n  \"Lưu: VT, TCKH\",\n]\n[ky]\nquyen_han = \"TM. ỦY BAN NHÂN DÂN\"\nchuc_vu = \"CHỦ TỊCH\"\n";
        let (data, notes) = starter_data("kt-xh-nam", sample, Some("dang"));
        assert!(data.contains("the_thuc = \"dang\""));
        assert!(data.contains("ky_hieu = \"BC/HU\""));
        assert!(data.contains("trich_yeu = \"tình hình năm 2024\""));
        assert!(data.contains("\n  \"UBND tỉnh\",\n  \"Lưu Văn phòng Huyện ủy\",\n"));
        assert!(data.contains("quyen_han = \"T/M BAN THƯỜNG VỤ\"\nchuc_vu = \"BÍ THƯ\""));
        assert_eq!(notes.len(), 4, "{notes:?}");
        // The same family: only the profile changes.
        let (same, notes) = starter_data("kt-xh-nam", sample, Some("nha-nuoc"));
        assert!(same.contains("ky_hieu = \"BC-UBND\"") && same.contains("Lưu: VT, TCKH"));
        assert!(notes.is_empty());
    }

    #[test]
    fn deputies_and_delegates_keep_their_title() {
        assert_eq!(authority("K/T TRƯỞNG BAN", Family::State), "KT. TRƯỞNG BAN");
        assert_eq!(authority("TL. CHỦ TỊCH", Family::Party), "T/L CHỦ TỊCH");
        assert_eq!(
            authority("CHÁNH VĂN PHÒNG", Family::State),
            "CHÁNH VĂN PHÒNG"
        );
    }

    #[test]
    fn an_unknown_builtin_gets_the_nearest_name() {
        let d = find("chi-thi05").unwrap_err();
        assert!(
            d.to_string().contains("có phải ý bạn là `chi-thi-05`?"),
            "{d}"
        );
    }
}
