//! `baocao render` and `baocao kiem-tra`: plan the reports, render them in
//! parallel (rayon, one report per thread), write each file, and report.
use super::args::FormatArg;
use super::plan::{output_is_input, plan, refuse_input_outputs, shown as shown_resolved, Planned};
use super::write::{landing, remove_stale_temps, write_atomic};
use baocao::diag::{Diagnostic, Diagnostics, Span};
use baocao::{Emit, RenderOptions, Rendered, Renderer};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What the command was asked to do.
pub struct Options {
    pub output: Option<PathBuf>,
    pub strict: bool,
    pub jobs: Option<usize>,
    /// `kiem-tra`: every stage but writing.
    pub check_only: bool,
    /// The most pages of a report (`--so-trang-toi-da`).
    pub max_pages: usize,
    /// Folders allowed for templates besides the data file's (`--cho-phep-thu-muc`).
    pub allowed_dirs: Vec<PathBuf>,
    /// The formats asked for with `--dinh-dang` (none: from `-o`, or PDF).
    pub formats: Vec<FormatArg>,
    /// The PDF's standard (`--pdfa`).
    pub pdf_level: baocao::pdf::Level,
}

impl Options {
    /// The renderer these options ask for.
    fn renderer(&self) -> Result<Renderer, Diagnostic> {
        Renderer::with_options(RenderOptions {
            max_pages: self.max_pages,
            allowed_dirs: self.allowed_dirs.clone(),
            pdf_level: self.pdf_level,
        })
    }
}

/// What became of one job.
enum Outcome {
    Written {
        pages: usize,
        /// Each file written and its size in bytes.
        files: Vec<(PathBuf, usize)>,
        warnings: Vec<Diagnostic>,
    },
    Checked {
        warnings: Vec<Diagnostic>,
    },
    Failed(Diagnostics, Vec<Diagnostic>),
}

impl Outcome {
    fn warnings(&self) -> usize {
        match self {
            Outcome::Written { warnings, .. }
            | Outcome::Checked { warnings }
            | Outcome::Failed(_, warnings) => warnings.len(),
        }
    }
}

/// `baocao render --emit markup`: the filled-in template of one report, on
/// standard output. Returns the exit code.
pub fn markup(inputs: &[PathBuf], opts: &Options) -> anyhow::Result<i32> {
    let (planned, failures) = plan(inputs, None, "pdf");
    for d in &failures {
        eprint!("{d}");
    }
    let [p] = planned.as_slice() else {
        if failures.is_empty() {
            eprint!(
                "{}",
                Diagnostic::error("--emit markup chỉ dùng cho một báo cáo")
            );
        }
        return Ok(1);
    };
    if !failures.is_empty() {
        return Ok(1);
    }
    match opts.renderer()?.render(&p.job, Emit::Markup) {
        Ok(r) => {
            print_timings(&r);
            std::io::stdout().lock().write_all(r.markup.as_bytes())?;
            Ok(0)
        }
        Err(d) => {
            eprint!("{d}");
            Ok(1)
        }
    }
}

/// `baocao render` (PDF) and `baocao kiem-tra`. Returns the exit code.
pub fn render(inputs: &[PathBuf], opts: &Options) -> anyhow::Result<i32> {
    // A file named with an unknown extension is an error, said after the
    // more useful one that it would replace an input.
    let (formats, bad_name) = match formats(inputs, opts) {
        Ok(f) => (f, None),
        Err(d) => (vec![FormatArg::Pdf], Some(d)),
    };
    let first = formats.first().copied().unwrap_or(FormatArg::Pdf);
    let (planned, mut failures) = plan(inputs, opts.output.as_deref(), first.ext());
    let total = planned.len() + failures.len();
    let single = total == 1;
    // A folder given with -o is created when needed.
    let create_dir = opts.output.as_ref().is_some_and(|o| {
        o.is_dir() || !single || o.as_os_str().to_string_lossy().ends_with(['/', '\\'])
    });
    let renderer = opts.renderer()?;
    // Generous stacks: templates and markup are parsed recursively by libraries.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs.unwrap_or(0))
        .stack_size(64 << 20)
        .build()
        .map_err(|_| {
            Diagnostic::error(
                "không tạo được các luồng dựng báo cáo (máy thiếu bộ nhớ hoặc tài nguyên?)",
            )
            .with_hint("thử lại với ít luồng hơn, ví dụ -j 1")
        })?;
    let planned = if opts.check_only {
        planned
    } else {
        // Before anything is written: no output may replace a file that any
        // report of the run reads.
        let inputs: Vec<Vec<PathBuf>> = pool.install(|| {
            planned
                .par_iter()
                .map(|p| renderer.inputs(&p.job))
                .collect()
        });
        let (mut kept, clashes) = refuse_input_outputs(planned, &inputs);
        failures.extend(clashes);
        if let Some(d) = bad_name {
            failures.extend(kept.drain(..).map(|_| Diagnostics::from(d.clone())));
        }
        remove_stale_temps_of(&kept);
        kept
    };
    for d in &failures {
        eprint!("{d}");
    }
    let bar = progress_bar(planned.len(), single);
    let run = |p: &Planned| {
        let o = run_job(&renderer, p, opts, (&formats, create_dir));
        let text = report(p, &o, bar.is_none());
        match &bar {
            Some(b) => {
                if !text.is_empty() {
                    b.suspend(|| eprint!("{text}"));
                }
                b.inc(1);
            }
            None => eprint!("{text}"),
        }
        o
    };
    let outcomes: Vec<Outcome> = pool.install(|| planned.par_iter().map(run).collect());
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let failed = summary(&outcomes, failures.len(), &formats, opts, total, single);
    Ok(i32::from(failed > 0))
}

/// Print what the run did (unless it was one report written); returns how
/// many reports failed.
fn summary(
    outcomes: &[Outcome],
    failures: usize,
    formats: &[FormatArg],
    opts: &Options,
    total: usize,
    single: bool,
) -> usize {
    let failed = failures
        + outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Failed(..)))
            .count();
    let warned: usize = outcomes.iter().map(Outcome::warnings).sum();
    let written: usize = outcomes
        .iter()
        .map(|o| match o {
            Outcome::Written { files, .. } => files.len(),
            _ => 0,
        })
        .sum();
    let kind = match formats {
        [FormatArg::Pdf] => " PDF",
        [FormatArg::Docx] => " DOCX",
        _ => "",
    };
    // Counts of reports, not of errors: a report may have several.
    if opts.check_only {
        eprintln!("đã kiểm tra {total} báo cáo: {failed} báo cáo lỗi, {warned} cảnh báo");
    } else if !single {
        eprintln!("đã tạo {written} tệp{kind}, {failed} báo cáo lỗi");
    }
    failed
}

/// Remove the temporary files of killed runs from each output folder, once,
/// before any of this run's files are written.
fn remove_stale_temps_of(planned: &[Planned]) {
    let mut dirs: Vec<&Path> = planned.iter().filter_map(|p| p.out.parent()).collect();
    dirs.sort();
    dirs.dedup();
    for dir in dirs {
        remove_stale_temps(baocao::source::dir_or_here(dir));
    }
}

/// The formats to write: those of `--dinh-dang`, else the one `-o` names by
/// its extension, else PDF; the format of a file named with `-o` first. A
/// file named with another extension is an error.
fn formats(inputs: &[PathBuf], opts: &Options) -> Result<Vec<FormatArg>, Diagnostic> {
    let mut asked: Vec<FormatArg> = Vec::new();
    for f in &opts.formats {
        if !asked.contains(f) {
            asked.push(*f);
        }
    }
    // `-o` names one file: one data file (not a folder), and `-o` not a folder.
    let file = opts.output.as_deref().filter(|o| {
        let folder = o.is_dir() || o.as_os_str().to_string_lossy().ends_with(['/', '\\']);
        !folder && inputs.len() == 1 && inputs.iter().all(|i| !i.is_dir())
    });
    let Some(ext) = file.and_then(|o| o.extension()) else {
        return Ok(if asked.is_empty() {
            vec![FormatArg::Pdf]
        } else {
            asked
        });
    };
    let out = file.map(|o| o.display().to_string()).unwrap_or_default();
    let named = [FormatArg::Pdf, FormatArg::Docx]
        .into_iter()
        .find(|f| ext.eq_ignore_ascii_case(f.ext()));
    let Some(named) = named else {
        return Err(Diagnostic::error(format!(
            "không biết ghi tệp \"{out}\" ở định dạng nào: baocao chỉ ghi tệp .pdf và .docx"
        ))
        .with_span(Span::file(&out))
        .with_hint("đặt tên tệp đầu ra đuôi .pdf (để in, ký, lưu) hoặc .docx (để sửa trong Word), ví dụ -o bao-cao.docx"));
    };
    if asked.is_empty() {
        return Ok(vec![named]);
    }
    if !asked.contains(&named) {
        return Err(Diagnostic::error(format!(
            "-o \"{out}\" là tệp .{} nhưng --dinh-dang không có {}",
            named.ext(),
            named.ext()
        ))
        .with_span(Span::file(&out))
        .with_hint("bỏ --dinh-dang, hoặc đặt đuôi tệp đầu ra khớp với định dạng"));
    }
    asked.retain(|f| *f != named);
    asked.insert(0, named);
    Ok(asked)
}

/// The file of `format` beside `out` (the file of the first format, `first`).
fn output_for(out: &Path, first: FormatArg, format: FormatArg) -> PathBuf {
    if format == first {
        return out.to_path_buf();
    }
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let dot_first = format!(".{}", first.ext());
    let stem = if name.to_lowercase().ends_with(&dot_first) {
        name.get(..name.len() - dot_first.len()).unwrap_or(&name)
    } else {
        &name
    };
    out.with_file_name(format!("{stem}.{}", format.ext()))
}

/// What the renderer is asked for to write `formats`.
fn emit_for(formats: &[FormatArg]) -> Emit {
    match (
        formats.contains(&FormatArg::Pdf),
        formats.contains(&FormatArg::Docx),
    ) {
        (true, true) => Emit::PdfAndDocx,
        (false, true) => Emit::Docx,
        _ => Emit::Pdf,
    }
}

/// Render one job and, unless only checking, write its files (one per
/// format; `create_dir`: create their folder).
fn run_job(
    renderer: &Renderer,
    p: &Planned,
    opts: &Options,
    (formats, create_dir): (&[FormatArg], bool),
) -> Outcome {
    let emit = if opts.check_only {
        Emit::Pdf
    } else {
        emit_for(formats)
    };
    let r = match renderer.render(&p.job, emit) {
        Ok(r) => r,
        Err(d) => return Outcome::Failed(d, Vec::new()),
    };
    print_timings(&r);
    if opts.strict && !r.warnings.is_empty() {
        let n = r.warnings.len();
        let d = Diagnostic::error(format!(
            "có {n} cảnh báo và --strict được bật; không tạo tệp"
        ))
        .with_span(Span::file(&p.job.data_path.display().to_string()));
        return Outcome::Failed(d.into(), r.warnings);
    }
    if opts.check_only {
        return Outcome::Checked {
            warnings: r.warnings,
        };
    }
    let first = formats.first().copied().unwrap_or(FormatArg::Pdf);
    let outs: Vec<(FormatArg, PathBuf)> = formats
        .iter()
        .map(|f| (*f, output_for(&p.out, first, *f)))
        .collect();
    // Checked before the run too; the files a render read are known for sure now.
    for (_, out) in &outs {
        let lands = landing(out);
        if let Some(input) = r.inputs.iter().find(|i| **i == lands) {
            let what = format!("tệp đầu vào \"{}\" của báo cáo", shown_resolved(input));
            return Outcome::Failed(output_is_input(out, &what).into(), r.warnings);
        }
    }
    let mut files = Vec::new();
    for (format, out) in outs {
        let bytes = match format {
            FormatArg::Pdf => r.pdf.as_deref(),
            FormatArg::Docx => r.docx.as_deref(),
        }
        .unwrap_or_default();
        if let Err(d) = write_atomic(&out, bytes, create_dir) {
            return Outcome::Failed(d.into(), r.warnings);
        }
        files.push((out, bytes.len()));
    }
    Outcome::Written {
        pages: r.pages,
        files,
        warnings: r.warnings,
    }
}

/// What to print about one job's outcome (`verbose`: a line per file written).
fn report(p: &Planned, o: &Outcome, verbose: bool) -> String {
    let mut text = String::new();
    let warnings = |text: &mut String, ws: &[Diagnostic]| {
        for w in ws {
            text.push_str(&w.to_string());
        }
    };
    match o {
        Outcome::Written {
            pages,
            files,
            warnings: ws,
        } => {
            warnings(&mut text, ws);
            for (out, bytes) in files.iter().filter(|_| verbose) {
                text.push_str(&format!(
                    "đã tạo {} ({pages} trang, {bytes} byte)\n",
                    out.display()
                ));
            }
        }
        Outcome::Checked { warnings: ws } => {
            warnings(&mut text, ws);
            let verdict = if ws.is_empty() {
                "không có lỗi"
            } else {
                "có cảnh báo"
            };
            text.push_str(&format!(
                "{}{}: {verdict}\n",
                shown(&p.job.data_path),
                unit(p)
            ));
        }
        Outcome::Failed(d, ws) => {
            // In a file of many units, say which one failed.
            if let Some(unit) = &p.job.unit {
                text.push_str(&format!(
                    "── đơn vị \"{unit}\" của {} (không tạo {}):\n",
                    shown(&p.job.data_path),
                    p.out.display()
                ));
            }
            warnings(&mut text, ws);
            text.push_str(&d.to_string());
        }
    }
    text
}

fn shown(p: &Path) -> String {
    p.display().to_string()
}

/// " (đơn vị "…")" for a unit of a `[[don_vi]]` file.
fn unit(p: &Planned) -> String {
    p.job
        .unit
        .as_ref()
        .map(|u| format!(" (đơn vị \"{u}\")"))
        .unwrap_or_default()
}

/// Print the stage timings of a render when `BAOCAO_TIMINGS` is set.
fn print_timings(r: &Rendered) {
    if std::env::var_os("BAOCAO_TIMINGS").is_some() {
        for (stage, t) in &r.timings {
            eprintln!("{stage:>10}: {:.2} ms", t.as_secs_f64() * 1000.0);
        }
    }
}

/// A progress bar on a terminal (not in CI, not for a single report).
fn progress_bar(n: usize, single: bool) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if single || std::env::var_os("CI").is_some() || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(n as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {pos}/{len} báo cáo ({elapsed}, còn {eta})",
    ) {
        bar.set_style(style);
    }
    Some(bar)
}
