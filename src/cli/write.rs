//! Writing an output file safely: through a temporary file in the same folder
//! (created with O_EXCL under an unpredictable name by the tempfile crate),
//! renamed over the target only when complete.
//!
//! A failed or killed run leaves no partial file and never clobbers an existing
//! one. A link is kept and the file it points to is replaced; an existing file
//! keeps its permission bits; anything that is not a regular file is refused.
use baocao::diag::{Diagnostic, Span};
use baocao::source::io_reason;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The longest file name (in bytes) the usual file systems take (NAME_MAX).
const MAX_NAME_BYTES: usize = 255;

/// Temporary files are named `.baocao-PID-RANDOM.tmp`: short, whatever the
/// output's name (a 255-byte name still has room for its temporary file).
const TEMP_PREFIX: &str = ".baocao-";

/// Remove from `dir` the temporary files of runs that were killed before
/// their rename (their process is gone). Only where `/proc` tells which
/// processes live; files not named as ours are never touched.
pub fn remove_stale_temps(dir: &Path) {
    let proc_fs = Path::new("/proc");
    if !proc_fs.join("self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().to_string();
        if temp_pid(&file).is_some_and(|pid| !proc_fs.join(pid).exists()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The process id in a temporary file's name `.baocao-PID-RANDOM.tmp`.
fn temp_pid(file: &str) -> Option<&str> {
    let rest = file.strip_prefix(TEMP_PREFIX)?.strip_suffix(".tmp")?;
    let (pid, random) = rest.split_once('-')?;
    let digits = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
    (digits && !random.is_empty()).then_some(pid)
}

/// Write `bytes` to `out`. Creates `out`'s folder when `create_dir`.
pub fn write_atomic(out: &Path, bytes: &[u8], create_dir: bool) -> Result<(), Diagnostic> {
    let shown = out.display().to_string();
    let fail = |msg: String| Diagnostic::error(msg).with_span(Span::file(&shown));
    let target = resolve_target(out).map_err(fail)?;
    let name_len = target.file_name().map_or(0, |n| n.as_encoded_bytes().len());
    if name_len > MAX_NAME_BYTES {
        return Err(fail(format!(
            "tên tệp đầu ra dài {name_len} byte, quá giới hạn {MAX_NAME_BYTES} byte của hệ thống tệp"
        ))
        .with_hint("đặt tên ngắn hơn (mỗi chữ có dấu tính 2–3 byte)"));
    }
    let dir = folder_of(&target);
    if !dir.is_dir() {
        if let Some(file) = file_in_the_way(&dir) {
            return Err(fail(format!(
                "\"{}\" là một tệp, không phải thư mục: không ghi được tệp đầu ra vào trong đó",
                file.display()
            ))
            .with_hint("chọn đường dẫn đầu ra khác, hoặc đổi tên tệp đó"));
        }
        if !create_dir {
            return Err(fail(format!(
                "thư mục đầu ra \"{}\" không tồn tại",
                dir.display()
            )));
        }
        std::fs::create_dir_all(&dir).map_err(|e| {
            fail(format!(
                "không tạo được thư mục đầu ra \"{}\": {}",
                dir.display(),
                io_reason(&e)
            ))
        })?;
    }
    replace(&dir, &target, bytes).map_err(fail)
}

/// The folder a file is written in (`.` for a bare name).
fn folder_of(file: &Path) -> PathBuf {
    baocao::source::dir_or_here(file.parent().unwrap_or(Path::new(""))).to_path_buf()
}

/// The nearest existing ancestor of `dir` (itself included) when it is not a
/// folder: the file that stands where a folder is needed.
fn file_in_the_way(dir: &Path) -> Option<PathBuf> {
    for a in dir.ancestors().filter(|a| !a.as_os_str().is_empty()) {
        if let Ok(m) = std::fs::metadata(a) {
            return (!m.is_dir()).then(|| a.to_path_buf());
        }
    }
    None
}

/// The file to replace: `out`, or the file a link at `out` points to. Refuses
/// a folder and anything else that is not a regular file (a device, a FIFO).
fn resolve_target(out: &Path) -> Result<PathBuf, String> {
    let target = follow_links(out);
    match std::fs::metadata(&target) {
        Ok(m) if m.is_dir() => {
            Err("đường dẫn đầu ra là một thư mục; hãy cho tên tệp .pdf hoặc .docx".to_string())
        }
        Ok(m) if !m.is_file() => Err(
            "đường dẫn đầu ra đã có và không phải một tệp thường (thiết bị, FIFO…): không ghi đè"
                .to_string(),
        ),
        _ => Ok(target),
    }
}

/// `path`, or the file at the end of the links at `path` (followed by name
/// when they dangle: the file they name is created).
fn follow_links(path: &Path) -> PathBuf {
    let mut p = path.to_path_buf();
    // As many links as the system follows in one path (Linux: 40).
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                if let Ok(t) = std::fs::canonicalize(&p) {
                    return t;
                }
                match link_target(&p) {
                    Some(next) => p = next,
                    None => return p,
                }
            }
            _ => return p,
        }
    }
    p
}

/// Where writing `out` lands, resolved through links and `..` (the folder
/// resolved when the file does not exist yet), to compare with input files
/// and with other outputs.
pub fn landing(out: &Path) -> PathBuf {
    let target = follow_links(out);
    if let Ok(t) = target.canonicalize() {
        return t;
    }
    let dir = folder_of(&target);
    match (dir.canonicalize(), target.file_name()) {
        (Ok(d), Some(name)) => d.join(name),
        _ => std::path::absolute(&target).unwrap_or(target),
    }
}

/// Where a (dangling) link points, relative to the link's folder.
fn link_target(link: &Path) -> Option<PathBuf> {
    let to = std::fs::read_link(link).ok()?;
    Some(match link.parent() {
        Some(dir) if to.is_relative() => dir.join(to),
        _ => to,
    })
}

/// A new temporary file in `dir`: `.baocao-PID-RANDOM.tmp`, twelve random
/// letters and digits (`random`: how many; tests choose 0). Created with
/// O_CREAT|O_EXCL (tempfile's `create_new`), which never follows a link: a
/// link planted at the name makes the creation fail instead (POSIX: "If
/// O_CREAT and O_EXCL are set, and path names a symbolic link, open() shall
/// fail with EEXIST"); tempfile then tries another name.
fn temp_in(dir: &Path, random: usize) -> std::io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
        .suffix(".tmp")
        .rand_bytes(random)
        .tempfile_in(dir)
}

/// Write `bytes` to a new temporary file in `dir` and rename it over `target`,
/// with the permission bits `target` had. On any error the temporary file is
/// removed (dropping it deletes it) and the message says which step failed.
fn replace(dir: &Path, target: &Path, bytes: &[u8]) -> Result<(), String> {
    let mut tmp = temp_in(dir, 12).map_err(|e| {
        let why = match e.kind() {
            // The folder exists: the file system refuses new files (/proc, /sys).
            std::io::ErrorKind::NotFound => {
                "thư mục này không cho tạo tệp mới (thư mục đặc biệt của hệ thống?)".to_string()
            }
            std::io::ErrorKind::PermissionDenied => {
                "không có quyền tạo tệp trong thư mục này".to_string()
            }
            _ => io_reason(&e),
        };
        format!(
            "không tạo được tệp đầu ra trong thư mục \"{}\": {why}",
            dir.display()
        )
    })?;
    let failed = |e: std::io::Error| format!("không ghi được tệp đầu ra: {}", io_reason(&e));
    // No fsync: the rename is what protects an existing file from a killed or
    // failed run (tested by scripts/kill-test.sh); flushing every one of a
    // thousand reports to disk would only make batches wait on the disk.
    tmp.write_all(bytes).map_err(failed)?;
    if let Some(permissions) = permissions_for(target) {
        tmp.as_file().set_permissions(permissions).map_err(failed)?;
    }
    tmp.persist(target).map_err(|e| {
        format!(
            "không thay được tệp đầu ra bằng tệp mới: {}",
            io_reason(&e.error)
        )
    })?;
    Ok(())
}

/// The permission bits the written file gets: those of the file it replaces,
/// or, for a new file, 0666 less the umask, as `File::create` would give it
/// (tempfile creates its files 0600, which would hide a report from the
/// office's other accounts).
fn permissions_for(target: &Path) -> Option<std::fs::Permissions> {
    if let Ok(m) = std::fs::metadata(target) {
        return Some(m.permissions());
    }
    new_file_permissions()
}

#[cfg(unix)]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    // Linux tells a process its umask in /proc; elsewhere assume the usual 022.
    let umask = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("Umask:"))?;
            u32::from_str_radix(line.trim_start_matches("Umask:").trim(), 8).ok()
        })
        .unwrap_or(0o022);
    Some(std::fs::Permissions::from_mode(0o666 & !umask))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_file_names_give_their_process() {
        assert_eq!(temp_pid(".baocao-1234-a8Xk2q.tmp"), Some("1234"));
        assert_eq!(temp_pid(".baocao-12x4-a8Xk2q.tmp"), None);
        assert_eq!(temp_pid(".baocao-1234-.tmp"), None);
        assert_eq!(temp_pid("baocao-1234-a8Xk2q.tmp"), None);
        assert_eq!(temp_pid(".baocao-1234-a8Xk2q.pdf"), None);
        assert_eq!(temp_pid(".ghi-chu.tmp"), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_planted_at_the_temporary_name_is_never_followed() {
        let dir = std::env::temp_dir().join(format!("baocao-temp-link-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let victim = dir.join("nan-nhan.txt");
        std::fs::write(&victim, b"giu nguyen").unwrap();
        // With no random letters the name is predictable: plant a link there.
        let name = format!("{TEMP_PREFIX}{}-.tmp", std::process::id());
        std::os::unix::fs::symlink(&victim, dir.join(&name)).unwrap();
        let e = temp_in(&dir, 0).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&victim).unwrap(), b"giu nguyen");
        assert!(std::fs::symlink_metadata(dir.join(&name))
            .unwrap()
            .file_type()
            .is_symlink());
        // With random letters another name is taken and the link is left alone.
        let tmp = temp_in(&dir, 12).unwrap();
        let file = tmp
            .path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        assert!(file.starts_with(TEMP_PREFIX) && file.ends_with(".tmp") && file.len() < 40);
        drop(tmp);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
