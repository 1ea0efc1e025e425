//! Planning a run: many data files (or folders of them) → jobs with their
//! output paths.
//!
//! Takes the command line's inputs and `-o`; returns one [`Planned`] job per report
//! (a data file, or each `[[don_vi]]` unit of one) with where its PDF goes, plus the
//! problems met while loading (those files fail, the others go on). A folder stands
//! for every `*.toml` below it that names a template with `mau`.
use super::write::landing;
use baocao::diag::{Diagnostic, Diagnostics, Span};
use baocao::{load_jobs, Job};
use std::collections::HashMap;
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
                && head_of(&p).is_some_and(|t| is_report(&t))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The first 64 KiB of a file, as text (enough to find `mau = …`, which comes
/// before any table): a huge file is not read whole to be told apart, and one
/// over the input cap is still found, to be reported.
fn head_of(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(64 << 10)
        .read_to_end(&mut bytes)
        .ok()?;
    match String::from_utf8(bytes) {
        Ok(text) => Some(text),
        // Cut inside a character at the 64 KiB mark: the text before it.
        Err(e) if e.utf8_error().error_len().is_none() => {
            let valid = e.utf8_error().valid_up_to();
            let mut bytes = e.into_bytes();
            bytes.truncate(valid);
            String::from_utf8(bytes).ok()
        }
        // Not UTF-8: not a report file (as before; it is not read further).
        Err(_) => None,
    }
}

/// True if `-o` names a folder: it exists as one, ends with a separator, or the
/// inputs are several.
fn output_is_dir(out: &Path, many: bool) -> bool {
    many || out.is_dir() || out.as_os_str().to_string_lossy().ends_with(['/', '\\'])
}

/// Plan the jobs of `inputs`; a file named after its report gets the
/// extension `ext` (`pdf`, `docx`). Returns the planned jobs and the problems
/// of the files that could not be loaded.
pub fn plan(
    inputs: &[PathBuf],
    output: Option<&Path>,
    ext: &str,
) -> (Vec<Planned>, Vec<Diagnostics>) {
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
        } else if let Some(kind) = output_kind(input) {
            // Most likely the output named in place of the data: never read
            // it, and never write a report over it.
            failures.push(Diagnostics::from(
                Diagnostic::error(format!("đây là tệp {kind}, không phải tệp dữ liệu báo cáo (.toml)"))
                    .with_span(Span::file(&input.display().to_string()))
                    .with_hint(format!("cho tệp .toml chứa số liệu (có dòng mau = …); tệp {kind} là kết quả mà baocao ghi ra")),
            ));
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
                    o.join(sub).join(format!("{stem}.{ext}"))
                }
                Some(o) => o.to_path_buf(),
                None => file.with_file_name(format!("{stem}.{ext}")),
            };
            // The same file, however it is written (`./ra.pdf`, a link to it).
            if !taken.insert(landing(&out)) {
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

/// "PDF" or "DOCX" for a file named like one of baocao's outputs.
fn output_kind(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?;
    if ext.eq_ignore_ascii_case("pdf") {
        Some("PDF")
    } else if ext.eq_ignore_ascii_case("docx") {
        Some("DOCX")
    } else {
        None
    }
}

/// Take out the jobs whose output would replace an input of the run: a data
/// file, template, partial or user profile of any of its reports (`inputs`:
/// the files each planned job reads, resolved, in the same order). Returns the
/// jobs that may go on and an error for each of the others.
pub fn refuse_input_outputs(
    planned: Vec<Planned>,
    inputs: &[Vec<PathBuf>],
) -> (Vec<Planned>, Vec<Diagnostics>) {
    let described = describe_inputs(&planned, inputs);
    let mut kept = Vec::new();
    let mut failures = Vec::new();
    for p in planned {
        match described.get(&landing(&p.out)) {
            Some(what) => failures.push(Diagnostics::from(output_is_input(&p.out, what))),
            None => kept.push(p),
        }
    }
    (kept, failures)
}

/// The error for an output that is an input of the run (`what` says which).
pub fn output_is_input(out: &Path, what: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "tệp đầu ra \"{}\" là {what}: không ghi đè tệp đầu vào",
        out.display()
    ))
    .with_span(Span::file(&out.display().to_string()))
    .with_hint("chọn tệp đầu ra khác (-o TỆP.pdf hoặc -o TỆP.docx)")
}

/// Each input file of the run, resolved, and what it is in words.
fn describe_inputs(planned: &[Planned], inputs: &[Vec<PathBuf>]) -> HashMap<PathBuf, String> {
    let mut out = HashMap::new();
    let resolved = |p: &Path| p.canonicalize().ok();
    for p in planned {
        let data = &p.job.data_path;
        let dir = data.parent().unwrap_or(Path::new(""));
        let profile = &p.job.data.meta.profile;
        let sheets = p
            .job
            .data
            .sheets
            .iter()
            .map(|r| (Some(dir.join(&r.file)), format!("bảng tính \"{}\"", r.file)));
        let named = [
            (
                Some(data.clone()),
                format!("tệp dữ liệu \"{}\"", data.display()),
            ),
            (
                Some(dir.join(&p.job.data.template)),
                format!("tệp mẫu \"{}\"", p.job.data.template),
            ),
            (
                profile.ends_with(".toml").then(|| dir.join(profile)),
                format!("tệp thể thức \"{profile}\""),
            ),
        ];
        for (path, what) in named.into_iter().chain(sheets) {
            if let Some(r) = path.as_deref().and_then(resolved) {
                out.entry(r).or_insert(what);
            }
        }
    }
    for file in inputs.iter().flatten() {
        out.entry(file.clone())
            .or_insert_with(|| format!("mẫu con \"{}\"", shown(file)));
    }
    out
}

/// A resolved path as the user would write it: relative to the current folder
/// when it is inside it.
pub fn shown(p: &Path) -> String {
    let here = std::env::current_dir().and_then(|d| d.canonicalize());
    match here
        .ok()
        .and_then(|h| p.strip_prefix(h).ok().map(Path::to_path_buf))
    {
        Some(rel) => rel.display().to_string(),
        None => p.display().to_string(),
    }
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
