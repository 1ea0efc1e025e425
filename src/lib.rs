//! baocao: Vietnamese official reports from TOML data and Handlebars templates,
//! typeset to PDF.
//!
//! The pipeline, each stage returning its own value ([`Renderer::render`] is it,
//! as code; `docs/architecture.md` maps the modules):
//!
//! ```text
//! report.toml ──input──► Job (ReportData: NFC strings, exact numbers, spans)
//!             ──profile──► Profile (every size and label of the layout)
//!             ──template──► markup text        (`baocao render --emit markup`)
//!             ──markup──► Document { blocks }
//!             ──layout──► PagedDocument { pages of positioned glyph runs and rules }
//!             ──pdf──► Vec<u8>
//! ```
//!
//! One report runs on one thread. A [`Renderer`] owns the caches (fonts,
//! shaped words, compiled templates, resolved profiles) and is shared by the
//! threads of a batch, each rendering whole reports.
// Input-dependent paths never panic: no unwrap/expect/panic/unchecked indexing in
// the library (tests may).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
// Functions stay short enough to read at once (clippy.toml: 80 lines); CI
// turns this warning into an error.
#![cfg_attr(not(test), warn(clippy::too_many_lines))]
pub mod builtin;
pub mod diag;
pub mod fonts;
pub mod input;
pub mod layout;
pub mod markup;
pub mod pdf;
pub mod profile;
pub mod schema;
pub mod source;
pub mod template;
pub mod vn;

use diag::{Diagnostic, Diagnostics, Sink, Source, SourceResult, Span};
use input::ReportData;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emit {
    /// Stop after the template.
    Markup,
    /// The whole way to PDF bytes.
    Pdf,
}

/// The result of a render.
#[derive(Debug)]
pub struct Rendered {
    /// The rendered template text.
    pub markup: String,
    /// The PDF, if asked for.
    pub pdf: Option<Vec<u8>>,
    /// Number of pages laid out (0 when only markup was asked for).
    pub pages: usize,
    /// Warnings met on the way.
    pub warnings: Vec<Diagnostic>,
    /// Time spent in each stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// One report to render.
#[derive(Debug, Clone)]
pub struct Job {
    /// The data file.
    pub data_path: PathBuf,
    /// The unit's output name (`ten_tep` of a `[[don_vi]]`), if it is a unit.
    pub unit: Option<String>,
    /// The loaded data.
    pub data: ReportData,
}

/// A profile is resolved from the data file's folder, `the_thuc` and the date.
type ProfileKey = (PathBuf, String, vn::Date);

/// A template is compiled once per file and formatting settings.
type EngineKey = (PathBuf, vn::Settings);

/// Renders reports; owns the caches that reports share. Shared by reference
/// between the threads of a batch (every cache is behind a lock, held only to
/// look up or insert, never while a report is rendered).
pub struct Renderer {
    fonts: Arc<fonts::Fonts>,
    /// Shapers (each with its cache of shaped words) not in use: a report takes
    /// one and gives it back.
    shapers: Mutex<Vec<layout::shape::Shaper>>,
    engines: Mutex<HashMap<EngineKey, Arc<template::Engine>>>,
    profiles: Mutex<HashMap<ProfileKey, Arc<profile::Profile>>>,
}

/// The reports of a data file: one, or one per `[[don_vi]]` unit.
pub fn load_jobs(data_path: &Path) -> SourceResult<Vec<Job>> {
    let data = source::read_source(data_path, "tệp dữ liệu")?;
    let units = match input::load_units(&data) {
        Ok(u) => u,
        Err(mut d) => {
            // The template's own syntax errors are worth reporting in the same run.
            d.0.extend(template_problems(data_path, data.text()));
            return Err(d);
        }
    };
    Ok(units
        .into_iter()
        .map(|(unit, data)| Job {
            data_path: data_path.to_path_buf(),
            unit,
            data,
        })
        .collect())
}

/// Render the report of a data file that holds one report (no `[[don_vi]]`).
pub fn render_file(data_path: &Path, emit: Emit) -> SourceResult<Rendered> {
    let jobs = load_jobs(data_path)?;
    let Some(job) = jobs.first() else {
        return Err(Diagnostic::error("tệp dữ liệu không có báo cáo nào")
            .with_span(Span::file(&data_path.display().to_string()))
            .into());
    };
    Renderer::new()?.render(job, emit)
}

impl Renderer {
    /// A renderer with the bundled fonts and empty caches.
    pub fn new() -> Result<Renderer, Diagnostic> {
        let fonts = fonts::bundled()
            .ok_or_else(|| Diagnostic::error("không nạp được phông chữ đi kèm (Tinos)"))?;
        Ok(Renderer {
            fonts: Arc::new(fonts),
            shapers: Mutex::new(Vec::new()),
            engines: Mutex::new(HashMap::new()),
            profiles: Mutex::new(HashMap::new()),
        })
    }

    /// Render one report: the whole pipeline, stage by stage.
    pub fn render(&self, job: &Job, emit: Emit) -> SourceResult<Rendered> {
        let mut clock = Clock::new();
        let data = &job.data;
        let profile = self.profile(job)?;
        let settings = settings_for(&profile, job)?;
        clock.lap("data");

        let template_path = folder_of(&job.data_path).join(&data.template);
        let engine = self.engine(&template_path, &settings, data)?;
        let template_name = template_path.display().to_string();
        let filled = engine.render(&template_name, &data.value)?;
        clock.lap("template");
        if emit == Emit::Markup {
            return Ok(Rendered {
                markup: filled.text,
                pdf: None,
                pages: 0,
                warnings: filled.warnings,
                timings: clock.laps,
            });
        }

        let mut sink = Sink::new();
        for w in &filled.warnings {
            sink.warn(w.clone());
        }
        let markup = Source::new(
            format!("{template_name} (sau khi điền dữ liệu)"),
            filled.text.as_str(),
        );
        let doc = markup::parse(&markup, &mut sink)?;
        if doc.blocks.is_empty() {
            return Err(
                Diagnostic::error("thân báo cáo trống: mẫu không tạo ra nội dung nào")
                    .with_span(Span::file(&template_name))
                    .with_hint("kiểm tra các khối {{#if}}/{{#each}} trong mẫu và số liệu tương ứng")
                    .into(),
            );
        }
        clock.lap("markup");

        let input = layout::Input {
            doc: &doc,
            meta: &data.meta,
            signer: &data.signer,
            profile: &profile,
            settings: &settings,
            markup: &markup,
        };
        let mut shaper = self.take_shaper();
        let laid = layout::layout(&mut shaper, &input, &mut sink);
        self.give_back(shaper);
        // Problems found in the filled-in text point at the template line the
        // text came from.
        let relocate = |d| relocate(d, &engine, &filled, &markup);
        let warnings = sink.into_warnings().into_iter().map(relocate).collect();
        let paged = laid.map_err(|ds| Diagnostics(ds.0.into_iter().map(relocate).collect()))?;
        clock.lap("layout");

        let bytes = pdf::write(&paged, &self.fonts, &pdf_meta(data))?;
        clock.lap("pdf");
        Ok(Rendered {
            markup: filled.text,
            pdf: Some(bytes),
            pages: paged.pages.len(),
            warnings,
            timings: clock.laps,
        })
    }

    /// The profile `job` names, resolved once per folder, name and date.
    fn profile(&self, job: &Job) -> Result<Arc<profile::Profile>, Diagnostic> {
        let m = &job.data.meta;
        let dir = folder_of(&job.data_path);
        let key = (dir.clone(), m.profile.clone(), m.date);
        if let Some(p) = self.profiles.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Ok(p);
        }
        let p = Arc::new(profile::resolve(&m.profile, m.date, &m.profile_span, &dir)?);
        if let Ok(mut c) = self.profiles.lock() {
            c.insert(key, Arc::clone(&p));
        }
        Ok(p)
    }

    /// The template at `path` with its partials, compiled once per file and
    /// settings.
    fn engine(
        &self,
        path: &Path,
        settings: &vn::Settings,
        data: &ReportData,
    ) -> Result<Arc<template::Engine>, Diagnostic> {
        let key = (path.to_path_buf(), settings.clone());
        if let Some(e) = self.engines.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Ok(e);
        }
        let text = std::fs::read_to_string(path).map_err(|e| {
            // Not UTF-8: the error at the first bad byte.
            if let Some(d) = (e.kind() == std::io::ErrorKind::InvalidData)
                .then(|| source::read_source(path, "tệp mẫu").err())
                .flatten()
            {
                return d;
            }
            Diagnostic::error(format!(
                "không đọc được tệp mẫu \"{}\": {}",
                data.template,
                source::io_reason(&e)
            ))
            .with_span(data.template_span.clone())
        })?;
        let engine = Arc::new(compile_template(path, &text, settings)?);
        if let Ok(mut c) = self.engines.lock() {
            c.insert(key, Arc::clone(&engine));
        }
        Ok(engine)
    }

    /// A shaper not in use (its cache warm from earlier reports), or a new one.
    fn take_shaper(&self) -> layout::shape::Shaper {
        self.shapers
            .lock()
            .ok()
            .and_then(|mut s| s.pop())
            .unwrap_or_else(|| layout::shape::Shaper::new(Arc::clone(&self.fonts)))
    }

    fn give_back(&self, shaper: layout::shape::Shaper) {
        if let Ok(mut s) = self.shapers.lock() {
            s.push(shaper);
        }
    }
}

/// The template at `path` (text `text`) and the partials beside it, compiled.
fn compile_template(
    path: &Path,
    text: &str,
    settings: &vn::Settings,
) -> Result<template::Engine, Diagnostic> {
    let name = path.display().to_string();
    let source = Source::new(name.clone(), source::strip_bom(text));
    let mut engine = template::Engine::new(Arc::new(settings.clone()));
    engine.add(&name, &source)?;
    engine.add_partials_of(&folder_of(path), &source)?;
    Ok(engine)
}

/// Syntax problems of the template a (broken) data file names, if it can be found.
fn template_problems(data_path: &Path, text: &str) -> Vec<Diagnostic> {
    let Ok(table) = toml::from_str::<toml::Table>(source::strip_bom(text)) else {
        return Vec::new();
    };
    let Some(mau) = table.get("mau").and_then(|v| v.as_str()) else {
        return Vec::new();
    };
    let path = folder_of(data_path).join(mau);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Vec::new();
    };
    compile_template(&path, &text, &vn::Settings::default())
        .err()
        .into_iter()
        .collect()
}

/// Build the helpers' settings: the profile's `[dinh_dang]`, then the data file's.
fn settings_for(profile: &profile::Profile, job: &Job) -> Result<vn::Settings, Diagnostic> {
    let file = job.data_path.display().to_string();
    let mut table = profile.formatting.clone();
    for (k, v) in &job.data.formatting {
        table.insert(k.clone(), v.clone());
    }
    let settings: vn::Settings =
        toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| {
                Diagnostic::error(format!(
                    "bảng [dinh_dang] không hợp lệ: {}",
                    e.message().trim()
                ))
                .with_span(Span::file(&file))
            })?;
    settings.validate().map_err(|e| {
        Diagnostic::error(format!("bảng [dinh_dang]: {}", e.0)).with_span(Span::file(&file))
    })?;
    Ok(settings)
}

/// A problem found in the filled-in markup, pointed at the template line the
/// text came from, with the markup line as a hint.
fn relocate(
    mut d: Diagnostic,
    engine: &template::Engine,
    filled: &template::Filled,
    markup: &Arc<Source>,
) -> Diagnostic {
    let Some(range) = d
        .span
        .as_ref()
        .filter(|s| Arc::ptr_eq(s.source(), markup))
        .and_then(Span::range)
    else {
        return d;
    };
    let (line, _) = markup.line_col(range.start);
    if let Some(at) = engine.origin_of(filled, range) {
        d.span = Some(at);
        let text = markup.line_text(line).trim();
        let short: String = text.chars().take(100).collect();
        let cut = if short.len() < text.len() { "…" } else { "" };
        d.hints.push(format!(
            "dòng {line} của văn bản sau khi điền dữ liệu: {short}{cut}"
        ));
    }
    d
}

/// The PDF's document information, from `[van_ban]`.
fn pdf_meta(data: &ReportData) -> pdf::Meta {
    pdf::Meta {
        title: upper_first(&data.meta.summary),
        // A name split over two header lines is one name in the metadata.
        author: data
            .meta
            .issuer
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        subject: data.meta.kind.clone(),
        date: data.meta.date,
    }
}

/// "kết quả …" → "Kết quả …".
fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The folder of a file, to join names to: empty for a bare name, so that
/// "bao-cao.toml" names its template "bao-cao.md.hbs", as the author wrote it.
fn folder_of(p: &Path) -> PathBuf {
    p.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Stage timer.
struct Clock {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Clock {
    fn new() -> Clock {
        Clock {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.laps.push((name, now - self.last));
        self.last = now;
    }
}
