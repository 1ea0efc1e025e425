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

/// Temporary files are named `.baocao-PID-RANDOM.tmp`.
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
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
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
    replace(&dir, &target, bytes)
        .map_err(|e| fail(format!("không ghi được tệp đầu ra: {}", io_reason(&e))))
}

/// The file to replace: `out`, or the file a link at `out` points to. Refuses
/// a folder and anything else that is not a regular file (a device, a FIFO).
fn resolve_target(out: &Path) -> Result<PathBuf, String> {
    let target = match std::fs::symlink_metadata(out) {
        Ok(m) if m.file_type().is_symlink() => match std::fs::canonicalize(out) {
            Ok(t) => t,
            // A dangling link: create the file it names.
            Err(_) => link_target(out).unwrap_or_else(|| out.to_path_buf()),
        },
        _ => out.to_path_buf(),
    };
    match std::fs::metadata(&target) {
        Ok(m) if m.is_dir() => {
            Err("đường dẫn đầu ra là một thư mục; hãy cho tên tệp .pdf".to_string())
        }
        Ok(m) if !m.is_file() => Err(
            "đường dẫn đầu ra đã có và không phải một tệp thường (thiết bị, FIFO…): không ghi đè"
                .to_string(),
        ),
        _ => Ok(target),
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

/// Write `bytes` to a new temporary file in `dir` and rename it over `target`,
/// with the permission bits `target` had.
fn replace(dir: &Path, target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    // No fsync: the rename is what protects an existing file from a killed or
    // failed run (tested by scripts/kill-test.sh); flushing every one of a
    // thousand reports to disk would only make batches wait on the disk.
    tmp.write_all(bytes)?;
    if let Some(permissions) = permissions_for(target) {
        tmp.as_file().set_permissions(permissions)?;
    }
    tmp.persist(target).map_err(|e| e.error)?;
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
}
