//! Source text: reading the files a report is made from (UTF-8 checked at the
//! byte, BOM removed) and normalising text to NFC.
use crate::diag::{Diagnostic, Source, Span};
use std::path::Path;
use std::sync::Arc;
use unicode_normalization::UnicodeNormalization;

/// NFC-normalise a string (a copy when the quick check proves it already is).
pub fn nfc(s: &str) -> String {
    use unicode_normalization::{is_nfc_quick, IsNormalized};
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        return s.to_string();
    }
    s.nfc().collect()
}

/// Remove a UTF-8 byte-order mark.
pub fn strip_bom(s: &str) -> &str {
    s.strip_prefix('\u{feff}').unwrap_or(s)
}

/// Read a text file as a [`Source`] named as the user gave `path`, its BOM
/// removed; invalid UTF-8 is an error at the first bad byte.
pub fn read_source(path: &Path, what: &str) -> Result<Arc<Source>, Diagnostic> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(format!("không đọc được {what}: {}", io_reason(&e)))
            .with_span(Span::file(&name))
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Source::new(name, strip_bom(&text))),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(e.as_bytes().get(..at).unwrap_or_default()).len();
            let lossy = Source::new(name, String::from_utf8_lossy(e.as_bytes()));
            Err(Diagnostic::error(format!(
                "{what} không phải văn bản UTF-8: có byte không hợp lệ ở đây"
            ))
            .with_span(Span::at(&lossy, valid))
            .with_hint("lưu lại tệp với bảng mã UTF-8 (trong Notepad: Lưu thành… → Mã hóa: UTF-8)"))
        }
    }
}

/// A Vietnamese reason for an I/O error.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "không tìm thấy tệp".to_string(),
        K::PermissionDenied => "không có quyền truy cập".to_string(),
        K::InvalidData => "tệp không phải văn bản UTF-8".to_string(),
        K::IsADirectory => "đây là một thư mục, không phải tệp".to_string(),
        _ => e.to_string(),
    }
}
