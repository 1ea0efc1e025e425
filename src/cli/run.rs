//! `baocao render` and `baocao kiem-tra`: plan the reports, render them in
//! parallel (rayon, one report per thread), write each file, and report.
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
        bytes: usize,
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
    let (planned, failures) = plan(inputs, None);
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
    let (planned, mut failures) = plan(inputs, opts.output.as_deref());
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
        let (kept, clashes) = refuse_input_outputs(planned, &inputs);
        failures.extend(clashes);
        remove_stale_temps_of(&kept);
        kept
    };
    for d in &failures {
        eprint!("{d}");
    }
    let bar = progress_bar(planned.len(), single);
    let run = |p: &Planned| {
        let o = run_job(&renderer, p, opts, create_dir);
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
    let failed = failures.len()
        + outcomes
            .iter()
            .filter(|o| matches!(o, Outcome::Failed(..)))
            .count();
    let warned: usize = outcomes.iter().map(Outcome::warnings).sum();
    let written = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Written { .. }))
        .count();
    // Counts of reports, not of errors: a report may have several.
    if opts.check_only {
        eprintln!("đã kiểm tra {total} báo cáo: {failed} báo cáo lỗi, {warned} cảnh báo");
    } else if !single {
        eprintln!("đã tạo {written} tệp PDF, {failed} báo cáo lỗi");
    }
    Ok(i32::from(failed > 0))
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

/// Render one job and, unless only checking, write its file.
fn run_job(renderer: &Renderer, p: &Planned, opts: &Options, create_dir: bool) -> Outcome {
    let r = match renderer.render(&p.job, Emit::Pdf) {
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
    // Checked before the run too; the files a render read are known for sure now.
    let lands = landing(&p.out);
    if let Some(input) = r.inputs.iter().find(|i| **i == lands) {
        let what = format!("tệp đầu vào \"{}\" của báo cáo", shown_resolved(input));
        return Outcome::Failed(output_is_input(&p.out, &what).into(), r.warnings);
    }
    let bytes = r.pdf.unwrap_or_default();
    match write_atomic(&p.out, &bytes, create_dir) {
        Ok(()) => Outcome::Written {
            pages: r.pages,
            bytes: bytes.len(),
            warnings: r.warnings,
        },
        Err(d) => Outcome::Failed(d.into(), r.warnings),
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
            bytes,
            warnings: ws,
        } => {
            warnings(&mut text, ws);
            if verbose {
                text.push_str(&format!(
                    "đã tạo {} ({pages} trang, {bytes} byte)\n",
                    p.out.display()
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
