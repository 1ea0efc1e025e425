//! Batches: many data files (or folders of them) → jobs with their output paths,
//! and the safe writing of each PDF.
//!
//! Takes the command line's inputs and `-o`; returns one [`Planned`] job per report
//! (a data file, or each `[[don_vi]]` unit of one) with where its PDF goes, plus the
//! problems met while loading (those files fail, the others go on). A folder stands
//! for every `*.toml` below it that names a template with `mau`.
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::render::{load_jobs, Job};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A job and the file its PDF is written to.
#[derive(Debug, Clone)]
pub struct Planned {
    pub job: Job,
    pub out: PathBuf,
}

/// The value of a data file's top-level `mau = …` line (before any table), as
/// written; `None` if it has none.
fn mau_value(text: &str) -> Option<&str> {
    for line in text.lines() {
        let t = line.trim_start().trim_start_matches('\u{feff}');
        if t.starts_with('[') {
            return None;
        }
        if let Some(value) = t
            .strip_prefix("mau")
            .and_then(|rest| rest.trim_start().strip_prefix('='))
        {
            return Some(value.trim());
        }
    }
    None
}

/// A report data file names its template (`mau = …`) before any table.
fn is_report(text: &str) -> bool {
    mau_value(text).is_some()
}

/// The template a data file names (`mau = "…"` before any table), found without
/// parsing the whole file; `None` when it is not written that simply.
pub fn template_path(data: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(data).ok()?;
    let name = mau_value(&text)?.strip_prefix('"')?.strip_suffix('"')?;
    if name.is_empty() || name.contains(['"', '\\']) {
        return None;
    }
    Some(crate::render::folder_of(data).join(name))
}

/// Every report data file below `dir`, sorted, with its path relative to `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(ft) = entry.file_type() else { continue };
            let p = entry.path();
            if ft.is_dir() {
                // Build output and hidden folders are not inputs.
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if !name.starts_with('.') && name != "target" {
                    stack.push(p);
                }
            } else if ft.is_file()
                && p.extension().is_some_and(|e| e == "toml")
                && std::fs::read_to_string(&p).is_ok_and(|t| is_report(&t))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// True if `-o` names a folder: it exists as one, ends with a separator, or the
/// inputs are several.
fn output_is_dir(out: &Path, many: bool) -> bool {
    many || out.is_dir() || out.as_os_str().to_string_lossy().ends_with(['/', '\\'])
}

/// Plan the jobs of `inputs`. Returns the planned jobs and the problems of the
/// files that could not be loaded.
pub fn plan(inputs: &[PathBuf], output: Option<&Path>) -> (Vec<Planned>, Vec<Diagnostics>) {
    // (data file, folder it was found under)
    let mut files: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
    let mut failures = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let found = walk(input);
            if found.is_empty() {
                failures.push(Diagnostics::from(
                    Diagnostic::error(
                        "thư mục không có tệp dữ liệu báo cáo nào (tệp .toml có `mau = …`)",
                    )
                    .with_span(Span::file_only(&input.display().to_string())),
                ));
            }
            files.extend(found.into_iter().map(|f| (f, Some(input.clone()))));
        } else {
            files.push((input.clone(), None));
        }
    }
    let mut planned = Vec::new();
    let many_inputs = files.len() > 1;
    let mut taken = std::collections::HashSet::new();
    for (file, root) in files {
        let jobs = match load_jobs(&file) {
            Ok(j) => j,
            Err(d) => {
                failures.push(d);
                continue;
            }
        };
        let units = jobs.iter().any(|j| j.unit.is_some());
        for job in jobs {
            let stem = match &job.unit {
                Some(name) => name.clone(),
                None => file
                    .file_stem()
                    .map(|s| s.to_string_lossy().to_string())
                    .unwrap_or_default(),
            };
            let out = match output {
                Some(o) if output_is_dir(o, many_inputs || units) => {
                    // Keep the folder structure of a walked folder.
                    let sub = root
                        .as_ref()
                        .and_then(|r| file.parent().and_then(|p| p.strip_prefix(r).ok()))
                        .map(Path::to_path_buf)
                        .unwrap_or_default();
                    o.join(sub).join(format!("{stem}.pdf"))
                }
                Some(o) => o.to_path_buf(),
                None => file.with_file_name(format!("{stem}.pdf")),
            };
            if !taken.insert(out.clone()) {
                failures.push(Diagnostics::from(
                    Diagnostic::error(format!(
                        "hai báo cáo cùng ghi ra {}: đổi tên tệp dữ liệu hoặc `ten_tep`",
                        out.display()
                    ))
                    .with_span(Span::file_only(&file.display().to_string())),
                ));
                continue;
            }
            planned.push(Planned { job, out });
        }
    }
    (planned, failures)
}

/// Write `bytes` to `out` through a temporary file in the same folder, renamed into
/// place only when complete: a failed or killed run leaves no partial file and
/// never clobbers an existing one. Creates `out`'s folder when `create_dir`.
#[inline(never)] // a stage of its own in profiles (bench/profile.sh)
pub fn write_atomic(out: &Path, bytes: &[u8], create_dir: bool) -> Result<(), Diagnostic> {
    let shown = out.display().to_string();
    let fail = |msg: String| Diagnostic::error(msg).with_span(Span::file_only(&shown));
    if out.is_dir() {
        return Err(fail(
            "đường dẫn đầu ra là một thư mục; hãy cho tên tệp .pdf".to_string(),
        ));
    }
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        if create_dir {
            std::fs::create_dir_all(&dir).map_err(|e| {
                fail(format!(
                    "không tạo được thư mục đầu ra \"{}\": {}",
                    dir.display(),
                    crate::io_reason(&e)
                ))
            })?;
        } else {
            return Err(fail(format!(
                "thư mục đầu ra \"{}\" không tồn tại",
                dir.display()
            )));
        }
    }
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    remove_stale_temps_once(&dir);
    let tmp = dir.join(
        format!(
            ".{name}.{}.{:?}.tmp",
            std::process::id(),
            std::thread::current().id()
        )
        .replace(['(', ')'], ""),
    );
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        // No fsync: the rename is what protects an existing file from a killed or
        // failed run (tested by scripts/kill-test.sh); flushing every one of a
        // thousand reports to disk would only make batches wait on the disk.
        f.write_all(bytes)?;
        drop(f);
        std::fs::rename(&tmp, out)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(format!(
            "không ghi được tệp đầu ra: {}",
            crate::io_reason(&e)
        )));
    }
    Ok(())
}

/// Temporary files of earlier runs that were killed before renaming (their
/// process is gone) are removed from each output folder, once per process: a
/// batch of a thousand reports into one folder reads it once, not a thousand
/// times. Only where `/proc` tells which processes live.
fn remove_stale_temps_once(dir: &Path) {
    static CLEANED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    if let Ok(mut done) = CLEANED.lock() {
        if done.iter().any(|d| d == dir) {
            return;
        }
        done.push(dir.to_path_buf());
    }
    let proc_fs = Path::new("/proc");
    if !proc_fs.join("self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().to_string();
        if stale_temp_pid(&file).is_some_and(|pid| !proc_fs.join(pid).exists()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The process id in a temporary file's name `.{name}.{pid}.ThreadId{n}.tmp`.
fn stale_temp_pid(file: &str) -> Option<&str> {
    let rest = file.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (rest, thread) = rest.rsplit_once('.')?;
    let (name, pid) = rest.rsplit_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let thread_ok = thread.strip_prefix("ThreadId").is_some_and(digits);
    (!name.is_empty() && digits(pid) && thread_ok).then_some(pid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_named_simply_is_found_without_parsing() {
        let dir = std::env::temp_dir().join(format!("baocao-tp-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let cases = [
            ("# c\nmau = \"m.md.hbs\"\n[van_ban]\n", Some("m.md.hbs")),
            ("mau=\"a/b.hbs\"  \n", Some("a/b.hbs")),
            ("[van_ban]\nmau = \"x\"\n", None),
            ("mau = 'x.hbs'\n", None),
            ("mau = \"a\\\\b\"\n", None),
            ("ten = 1\n", None),
        ];
        for (i, (text, want)) in cases.iter().enumerate() {
            let f = dir.join(format!("{i}.toml"));
            let _ = std::fs::write(&f, text);
            assert_eq!(template_path(&f), want.map(|w| dir.join(w)), "{text:?}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn temporary_file_names_give_their_process() {
        assert_eq!(stale_temp_pid(".xa.pdf.1234.ThreadId2.tmp"), Some("1234"));
        assert_eq!(stale_temp_pid(".a.b.c.pdf.77.ThreadId13.tmp"), Some("77"));
        assert_eq!(stale_temp_pid(".xa.pdf.12x4.ThreadId2.tmp"), None);
        assert_eq!(stale_temp_pid("xa.pdf.1234.ThreadId2.tmp"), None);
        assert_eq!(stale_temp_pid(".xa.pdf.1234.ThreadId2.pdf"), None);
        assert_eq!(stale_temp_pid("..1234.ThreadId2.tmp"), None);
        assert_eq!(stale_temp_pid(".ghi-chu.tmp"), None);
    }

    #[test]
    fn report_files_name_a_template_before_any_table() {
        assert!(is_report("# x\nmau = \"a.hbs\"\n[van_ban]\n"));
        assert!(is_report("mau=\"a\""));
        assert!(!is_report("[van_ban]\nmau = \"a\"\n"));
        assert!(!is_report("ten = \"x\"\n"));
    }

    #[test]
    fn output_folder_or_file() {
        assert!(output_is_dir(Path::new("ra/"), false));
        assert!(output_is_dir(Path::new("ra.pdf"), true));
        assert!(!output_is_dir(Path::new("ra.pdf"), false));
    }
}
