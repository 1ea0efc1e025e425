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

/// `dir`, or `.` for the empty folder of a bare file name (`bao-cao.toml`).
pub fn dir_or_here(dir: &Path) -> &Path {
    if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }
}

/// Remove a UTF-8 byte-order mark.
pub fn strip_bom(s: &str) -> &str {
    s.strip_prefix('\u{feff}').unwrap_or(s)
}

/// The largest input file read (data, template, partial, profile): 64 MiB.
/// A report's files are a few hundred kilobytes; anything near this is a
/// mistake (a PDF, a database dump named as data) and would only fill memory.
pub const MAX_INPUT_BYTES: u64 = 64 << 20;

/// Why an input file was refused before it was read (carried inside an
/// `io::Error`, so that [`io_reason`] can say it in Vietnamese).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// A FIFO, a device, a socket: reading could block forever or never end.
    NotRegular,
    /// Larger than [`MAX_INPUT_BYTES`].
    TooLarge,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refused::NotRegular => "đây không phải tệp thường mà là thiết bị, FIFO hay socket",
            Refused::TooLarge => "tệp quá lớn (tối đa 64 MB)",
        })
    }
}

impl std::error::Error for Refused {}

/// The bytes of the input file at `path`, if it is a regular file (a link to
/// one is followed) of at most [`MAX_INPUT_BYTES`]. The kind is checked before
/// the file is opened, so a FIFO never blocks the run.
pub fn read_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let refuse = |why: Refused| std::io::Error::new(std::io::ErrorKind::InvalidInput, why);
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(std::io::Error::from(std::io::ErrorKind::IsADirectory));
    }
    if !meta.is_file() {
        return Err(refuse(Refused::NotRegular));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(refuse(Refused::TooLarge));
    }
    let file = std::fs::File::open(path)?;
    // The file may have grown since: never read more than the cap.
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(refuse(Refused::TooLarge));
    }
    Ok(bytes)
}

/// The text of the input file at `path` (as [`read_bytes`]); not UTF-8 is an
/// `InvalidData` error.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    String::from_utf8(read_bytes(path)?)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// Read a text file as a [`Source`] named as the user gave `path`, its BOM
/// removed; invalid UTF-8 is an error at the first bad byte.
pub fn read_source(path: &Path, what: &str) -> Result<Arc<Source>, Diagnostic> {
    let name = path.display().to_string();
    let bytes = read_bytes(path).map_err(|e| {
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

/// A Vietnamese reason for an I/O error: by the error's kind, then by the
/// operating system's error number; never the system's English text.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    if let Some(why) = e.get_ref().and_then(|x| x.downcast_ref::<Refused>()) {
        return why.to_string();
    }
    let known = match e.kind() {
        K::NotFound => "không tìm thấy tệp",
        K::PermissionDenied => "không có quyền truy cập",
        K::InvalidData => "tệp không phải văn bản UTF-8",
        K::IsADirectory => "đây là một thư mục, không phải tệp",
        K::NotADirectory => "một phần của đường dẫn là tệp, không phải thư mục",
        K::AlreadyExists => "tệp đã có",
        K::StorageFull => "ổ đĩa đã đầy",
        K::QuotaExceeded => "đã hết hạn mức dung lượng đĩa của tài khoản",
        K::ReadOnlyFilesystem => "ổ đĩa hoặc thư mục chỉ cho đọc, không ghi được",
        K::InvalidFilename => "tên tệp quá dài hoặc không hợp lệ",
        K::OutOfMemory => "hết bộ nhớ",
        K::FileTooLarge => "tệp quá lớn so với giới hạn của hệ thống",
        K::ResourceBusy | K::ExecutableFileBusy => "tệp đang được chương trình khác dùng",
        K::CrossesDevices => "không chuyển được tệp sang ổ đĩa khác",
        K::DirectoryNotEmpty => "thư mục không trống",
        K::TooManyLinks => "quá nhiều liên kết",
        K::Interrupted => "thao tác bị ngắt giữa chừng",
        K::UnexpectedEof => "tệp bị cắt cụt",
        K::WouldBlock | K::TimedOut => "thao tác phải chờ quá lâu",
        K::BrokenPipe => "nơi nhận dữ liệu đã đóng",
        K::StaleNetworkFileHandle => "tệp trên ổ mạng không còn truy cập được",
        K::Unsupported => "hệ thống không hỗ trợ thao tác này",
        K::InvalidInput => "đường dẫn hoặc thao tác không hợp lệ",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    match e.raw_os_error() {
        Some(code) => os_reason(code),
        None => "lỗi vào/ra không rõ nguyên nhân".to_string(),
    }
}

/// A Vietnamese reason for an operating-system error number the standard
/// library does not classify (Linux numbering; elsewhere the number alone).
fn os_reason(code: i32) -> String {
    let known = if cfg!(target_os = "linux") {
        match code {
            5 => "lỗi đọc ghi thiết bị (ổ đĩa hỏng hoặc bị rút ra?)",
            6 | 19 => "thiết bị không có hoặc không sẵn sàng",
            23 | 24 => "đang mở quá nhiều tệp",
            40 => "đường dẫn có vòng liên kết (liên kết trỏ lại chính nó)",
            _ => "",
        }
    } else {
        ""
    };
    if known.is_empty() {
        format!("lỗi của hệ điều hành (mã {code})")
    } else {
        known.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_errors_are_said_in_vietnamese() {
        let os = |code: i32| io_reason(&std::io::Error::from_raw_os_error(code));
        if cfg!(target_os = "linux") {
            assert_eq!(os(28), "ổ đĩa đã đầy"); // ENOSPC
            assert_eq!(os(17), "tệp đã có"); // EEXIST
            assert_eq!(os(36), "tên tệp quá dài hoặc không hợp lệ"); // ENAMETOOLONG
            assert_eq!(os(13), "không có quyền truy cập"); // EACCES
            assert_eq!(os(1), "không có quyền truy cập"); // EPERM
            assert_eq!(os(30), "ổ đĩa hoặc thư mục chỉ cho đọc, không ghi được"); // EROFS
            assert_eq!(os(12), "hết bộ nhớ"); // ENOMEM
            assert_eq!(os(20), "một phần của đường dẫn là tệp, không phải thư mục"); // ENOTDIR
            assert_eq!(os(122), "đã hết hạn mức dung lượng đĩa của tài khoản"); // EDQUOT
            assert_eq!(
                os(40),
                "đường dẫn có vòng liên kết (liên kết trỏ lại chính nó)"
            ); // ELOOP
            assert_eq!(os(5), "lỗi đọc ghi thiết bị (ổ đĩa hỏng hoặc bị rút ra?)");
            // EIO
        }
        // Every number the system may give reads as Vietnamese, never as the
        // system's English text.
        for code in 1..140 {
            let reason = os(code);
            let english = std::io::Error::from_raw_os_error(code).to_string();
            assert!(!reason.contains(&english), "{code}: {reason}");
            assert!(
                reason
                    .chars()
                    .any(|c| "ảáàạãâấầậẫđệếểễờởớợưừứữựóòọõỏôốồộỗổ".contains(c)),
                "{code}: {reason}"
            );
        }
        let other = std::io::Error::other("some English words");
        assert_eq!(io_reason(&other), "lỗi vào/ra không rõ nguyên nhân");
    }

    #[cfg(unix)]
    #[test]
    fn only_regular_files_of_at_most_64_mb_are_read() {
        let dir = std::env::temp_dir().join(format!("baocao-source-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fifo = dir.join("ong.toml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            // Returns at once (a FIFO opened for reading would wait for a writer).
            let e = read_bytes(&fifo).unwrap_err();
            assert_eq!(
                io_reason(&e),
                "đây không phải tệp thường mà là thiết bị, FIFO hay socket"
            );
        }
        let e = read_bytes(Path::new("/dev/null")).unwrap_err();
        assert_eq!(
            io_reason(&e),
            "đây không phải tệp thường mà là thiết bị, FIFO hay socket"
        );
        let big = dir.join("lon.toml");
        let f = std::fs::File::create(&big).unwrap();
        f.set_len(MAX_INPUT_BYTES + 1).unwrap();
        assert_eq!(
            io_reason(&read_bytes(&big).unwrap_err()),
            "tệp quá lớn (tối đa 64 MB)"
        );
        f.set_len(MAX_INPUT_BYTES).unwrap();
        assert_eq!(read_bytes(&big).unwrap().len() as u64, MAX_INPUT_BYTES);
        let e = read_bytes(&dir).unwrap_err();
        assert_eq!(io_reason(&e), "đây là một thư mục, không phải tệp");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
