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
    let sample = b.sample().ok_or_else(|| {
        Diagnostic::error(format!(
            "lỗi nội bộ: mẫu @{} không có số liệu mẫu",
            b.name()
        ))
    })?;
    let (data, notes) = starter_data(b.name(), sample, profile);
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

/// The starter data: the schema line, `mau = "@name"`, the profile if one is
/// chosen; and what the author should check after a change of layout.
fn starter_data(name: &str, sample: &str, profile: Option<&str>) -> (String, Vec<String>) {
    let mut notes = Vec::new();
    let mut out = format!(
        "#:schema ./{SCHEMA_FILE}\n# Tệp số liệu báo cáo (baocao init --mau {name}). Trình soạn thảo có hỗ trợ TOML\n# (VS Code với Even Better TOML) dùng dòng đầu để gợi ý và kiểm tra các mục.\n"
    );
    for line in sample.lines() {
        let key = line.split('=').next().unwrap_or("").trim();
        match (key, profile) {
            ("mau", _) => out.push_str(&format!("mau = \"@{name}\"")),
            ("the_thuc", Some(p)) => out.push_str(&format!("the_thuc = \"{p}\"")),
            ("ky_hieu", Some("nha-nuoc")) => {
                out.push_str(&state_symbol(line));
                notes.push(
                    "ký hiệu văn bản đã đổi sang dạng của Nhà nước (…-UBND): kiểm tra lại".into(),
                );
            }
            ("quyen_han", Some("nha-nuoc")) if line.contains("T/M") => {
                out.push_str(&line.replace("T/M BAN THƯỜNG VỤ", "TM. ỦY BAN NHÂN DÂN"));
                notes.push("quyền hạn ký, chức vụ và tên cơ quan theo Nhà nước (TM. ỦY BAN NHÂN DÂN, CHỦ TỊCH): kiểm tra lại".into());
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    (out, notes)
}

/// `ky_hieu = "KH/HU"` → `ky_hieu = "KH-UBND"` (the document kind kept).
fn state_symbol(line: &str) -> String {
    let Some((_, value)) = line.split_once('=') else {
        return line.to_string();
    };
    let value = value.trim().trim_matches('"');
    let kind = value.split(['/', '-']).next().unwrap_or(value);
    format!("ky_hieu = \"{kind}-UBND\"")
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
    fn an_unknown_builtin_gets_the_nearest_name() {
        let d = find("chi-thi05").unwrap_err();
        assert!(
            d.to_string().contains("có phải ý bạn là `chi-thi-05`?"),
            "{d}"
        );
    }
}
