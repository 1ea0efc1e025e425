//! Planning a run: many data files (or folders of them) → jobs with their
//! output paths.
//!
//! Takes the command line's inputs and `-o`; returns one [`Planned`] job per report
//! (a data file, or each `[[don_vi]]` unit of one) with where its PDF goes, plus the
//! problems met while loading (those files fail, the others go on). A folder stands
//! for every `*.toml` below it that names a template with `mau`.
use baocao::diag::{Diagnostic, Diagnostics, Span};
use baocao::{load_jobs, Job};
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
                    .with_span(Span::file(&input.display().to_string())),
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
                    .with_span(Span::file(&file.display().to_string())),
                ));
                continue;
            }
            planned.push(Planned { job, out });
        }
    }
    (planned, failures)
}

#[cfg(test)]
mod tests {
    use super::*;

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
