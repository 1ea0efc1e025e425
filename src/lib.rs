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
//!             ──docx──► Vec<u8>      (from the Document, the metadata and the profile)
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
pub mod check;
pub mod diag;
pub mod docx;
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
use std::borrow::Cow;
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
    /// The whole way to DOCX bytes (laid out too: layout's errors hold for Word).
    Docx,
    /// Both files of the report.
    PdfAndDocx,
}

impl Emit {
    fn pdf(self) -> bool {
        matches!(self, Emit::Pdf | Emit::PdfAndDocx)
    }

    fn docx(self) -> bool {
        matches!(self, Emit::Docx | Emit::PdfAndDocx)
    }
}

/// The result of a render.
#[derive(Debug)]
pub struct Rendered {
    /// The rendered template text.
    pub markup: String,
    /// The PDF, if asked for.
    pub pdf: Option<Vec<u8>>,
    /// The DOCX, if asked for.
    pub docx: Option<Vec<u8>>,
    /// Number of pages laid out (0 when only markup was asked for).
    pub pages: usize,
    /// Warnings met on the way.
    pub warnings: Vec<Diagnostic>,
    /// Time spent in each stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
    /// The files the render read (data file, template, partials, user
    /// profile), resolved through links and `..`: a writer must not replace any.
    pub inputs: Vec<PathBuf>,
}

/// The most pages a report may have unless [`RenderOptions::max_pages`] says
/// otherwise: far more than any real report, few enough that a runaway
/// template stops in seconds.
pub const MAX_PAGES: usize = 5000;

/// What the caller of a [`Renderer`] chooses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderOptions {
    /// The most pages a report may have.
    pub max_pages: usize,
    /// Folders where templates may be besides the data file's own folder and
    /// the folders below it (where `mau` may always point).
    pub allowed_dirs: Vec<PathBuf>,
    /// The standard the PDF is made to and checked against (default: PDF/A-2a
    /// and PDF/UA-1, tagged).
    pub pdf_level: pdf::Level,
}

impl Default for RenderOptions {
    fn default() -> RenderOptions {
        RenderOptions {
            max_pages: MAX_PAGES,
            allowed_dirs: Vec::new(),
            pdf_level: pdf::Level::default(),
        }
    }
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
    options: RenderOptions,
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
    /// A renderer with the bundled fonts, empty caches and default options.
    pub fn new() -> Result<Renderer, Diagnostic> {
        Renderer::with_options(RenderOptions::default())
    }

    /// A renderer with the bundled fonts, empty caches and `options` (the
    /// allowed folders are resolved now; one that cannot be is left out).
    pub fn with_options(mut options: RenderOptions) -> Result<Renderer, Diagnostic> {
        let fonts = fonts::bundled()
            .ok_or_else(|| Diagnostic::error("không nạp được phông chữ đi kèm (Tinos)"))?;
        options.allowed_dirs = options
            .allowed_dirs
            .iter()
            .filter_map(|d| d.canonicalize().ok())
            .collect();
        Ok(Renderer {
            fonts: Arc::new(fonts),
            shapers: Mutex::new(Vec::new()),
            engines: Mutex::new(HashMap::new()),
            profiles: Mutex::new(HashMap::new()),
            options,
        })
    }

    /// The files a render of `job` reads (as [`Rendered::inputs`]), as far as
    /// they can be found without rendering: compiles the template (cached) to
    /// find its partials. A writer checks its outputs against these before a
    /// batch writes anything.
    pub fn inputs(&self, job: &Job) -> Vec<PathBuf> {
        let path = self.template_path(job).ok();
        let engine = path.as_deref().and_then(|path| {
            let profile = self.profile(job).ok()?;
            let settings = settings_for(&profile, job).ok()?;
            self.engine(path, &settings, &job.data).ok()
        });
        inputs_of(job, path.as_deref(), engine.as_deref())
    }

    /// Render one report: the whole pipeline, stage by stage.
    pub fn render(&self, job: &Job, emit: Emit) -> SourceResult<Rendered> {
        let mut clock = Clock::new();
        let data = &job.data;
        let profile = self.profile(job)?;
        let settings = settings_for(&profile, job)?;
        let value = self.with_sheets(job)?;
        clock.lap("data");

        let template_path = self.template_path(job)?;
        let engine = self.engine(&template_path, &settings, data)?;
        let inputs = inputs_of(job, Some(&template_path), Some(&engine));
        let template_name = template_name(&template_path, data);
        let filled = engine.render(&template_name, &value)?;
        clock.lap("template");
        if emit == Emit::Markup {
            return Ok(Rendered {
                markup: filled.text,
                pdf: None,
                docx: None,
                pages: 0,
                warnings: filled.warnings,
                timings: clock.laps,
                inputs,
            });
        }

        let mut sink = Sink::new();
        for w in &filled.warnings {
            sink.warn(w.clone());
        }
        let (markup, doc) =
            parse_and_check(&template_name, &filled.text, data, &profile, &mut sink)?;
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
        let names = layout::breaks::report_names(&data.meta, &data.signer, &data.value);
        shaper.breaker().set_names(names.iter().map(String::as_str));
        let laid = layout::layout(&mut shaper, &input, &mut sink);
        self.give_back(shaper);
        // Problems found in the filled-in text point at the template line the
        // text came from.
        let relocate = |d| relocate(d, &engine, &filled, &markup);
        let warnings: Vec<Diagnostic> = sink.into_warnings().into_iter().map(relocate).collect();
        let paged = laid.map_err(|ds| Diagnostics(ds.0.into_iter().map(relocate).collect()))?;
        self.check_pages(paged.pages.len(), &template_name)?;
        clock.lap("layout");
        let warnings = missing_in_pdfa(self.options.pdf_level, warnings)?;

        let pdf = emit
            .pdf()
            .then(|| {
                pdf::write(
                    &paged,
                    &self.fonts,
                    &properties(data),
                    self.options.pdf_level,
                )
            })
            .transpose()?;
        if pdf.is_some() {
            clock.lap("pdf");
        }
        let docx = emit
            .docx()
            .then(|| self.write_docx(&input, data))
            .transpose()?;
        if docx.is_some() {
            clock.lap("docx");
        }
        Ok(Rendered {
            markup: filled.text,
            pdf,
            docx,
            pages: paged.pages.len(),
            warnings,
            timings: clock.laps,
            inputs,
        })
    }

    /// The DOCX of a report (a shaper measures what Word needs measured).
    fn write_docx(&self, input: &layout::Input, data: &ReportData) -> Result<Vec<u8>, Diagnostic> {
        let mut shaper = self.take_shaper();
        let bytes = docx::write(&mut shaper, input, &properties(data));
        self.give_back(shaper);
        bytes
    }

    /// A report longer than [`RenderOptions::max_pages`] is an error.
    fn check_pages(&self, pages: usize, template: &str) -> Result<(), Diagnostic> {
        let max = self.options.max_pages;
        if pages <= max {
            return Ok(());
        }
        let n = |n: usize| vn::format_number(&rust_decimal::Decimal::from(n), Some(0));
        Err(Diagnostic::error(format!(
            "báo cáo dài {} trang, quá giới hạn {} trang: không tạo tệp",
            n(pages),
            n(max)
        ))
        .with_span(Span::file(template))
        .with_hint("kiểm tra các vòng {{#each}} và \\pagebreak trong mẫu")
        .with_hint(format!(
            "nếu báo cáo đúng là dài như vậy, nâng giới hạn (lệnh baocao: --so-trang-toi-da {pages})"
        )))
    }

    /// The template `job` names (`mau`), which must lie in the data file's
    /// folder or below it, or in an allowed folder, once links and `..` are
    /// resolved; an error at the `mau` value otherwise.
    fn template_path(&self, job: &Job) -> Result<PathBuf, Diagnostic> {
        let data = &job.data;
        let dir = folder_of(&job.data_path);
        let path = dir.join(&data.template);
        // A built-in (`@name`) is no file: its partials may be replaced by
        // files beside the data file, which is where the path points.
        if data.template.starts_with(builtin::PREFIX) {
            return Ok(path);
        }
        self.within_reach(&dir, &data.template, ("tệp mẫu", "mẫu"))
            .map_err(|d| d.with_span(data.template_span.clone()))?;
        Ok(path)
    }

    /// The file `file` (named in the data file, whose folder is `dir`) lies
    /// in that folder tree or an allowed folder; else an error naming it as
    /// `what.0` ("tệp mẫu") and how to allow it (`what.1`: "mẫu").
    fn within_reach(&self, dir: &Path, file: &str, what: (&str, &str)) -> Result<(), Diagnostic> {
        let how = match template_place(dir, file, &self.options.allowed_dirs) {
            Place::Inside => return Ok(()),
            Place::LinkOut => "là liên kết trỏ ra ngoài thư mục của tệp dữ liệu",
            Place::Outside => "nằm ngoài thư mục của tệp dữ liệu",
        };
        let (kind, noun) = what;
        Err(Diagnostic::error(format!("{kind} \"{file}\" {how}"))
            .with_hint(format!(
                "đặt {kind} trong thư mục chứa tệp dữ liệu hoặc một thư mục con của nó"
            ))
            .with_hint(format!(
                "nếu thật sự cần dùng {noun} ở thư mục khác, cho phép thư mục đó: --cho-phep-thu-muc <THƯ_MỤC>"
            )))
    }

    /// The data of `job` with the rows of each spreadsheet it names
    /// (`bang_tinh`) in place of the reference; every sheet's problems at once.
    fn with_sheets<'a>(&self, job: &'a Job) -> SourceResult<Cow<'a, serde_json::Value>> {
        let data = &job.data;
        if data.sheets.is_empty() {
            return Ok(Cow::Borrowed(&data.value));
        }
        let dir = folder_of(&job.data_path);
        let mut value = data.value.clone();
        let mut errors = Vec::new();
        for r in &data.sheets {
            match self.sheet_rows(&dir, r) {
                Ok(rows) => input::sheet::put(&mut value, &r.path, serde_json::Value::Array(rows)),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            Ok(Cow::Owned(value))
        } else {
            Err(Diagnostics(errors))
        }
    }

    /// The rows of one spreadsheet, which must lie where a template may (the
    /// data file's folder tree or an allowed folder) and be no larger than
    /// any input.
    fn sheet_rows(
        &self,
        dir: &Path,
        r: &input::sheet::SheetRef,
    ) -> Result<Vec<serde_json::Value>, Vec<Diagnostic>> {
        let path = dir.join(&r.file);
        self.within_reach(dir, &r.file, ("tệp bảng tính", "tệp"))
            .map_err(|d| vec![d.with_span(r.span.clone())])?;
        let bytes = source::read_bytes(&path).map_err(|e| {
            vec![Diagnostic::error(format!(
                "không đọc được tệp bảng tính \"{}\": {}",
                r.file,
                source::io_reason(&e)
            ))
            .with_span(r.span.clone())]
        })?;
        input::sheet::read(&path.display().to_string(), bytes, r)
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
        let engine = match data.template.strip_prefix(builtin::PREFIX) {
            Some(name) => {
                let b = builtin_named(name, data)?;
                let body = b.body().unwrap_or_default();
                compile_template(path, &template_name(path, data), body, settings, Some(b))?
            }
            None => {
                let text = read_template(path, data)?;
                compile_template(path, &template_name(path, data), &text, settings, None)?
            }
        };
        let engine = Arc::new(engine);
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

/// The template at `path` (shown as `name`, its text `text`) and the
/// partials beside it, compiled; with a built-in, the partials not beside it
/// come from the built-in.
fn compile_template(
    path: &Path,
    name: &str,
    text: &str,
    settings: &vn::Settings,
    builtin: Option<builtin::Builtin>,
) -> Result<template::Engine, Diagnostic> {
    let source = Source::new(name, source::strip_bom(text));
    let mut engine = template::Engine::new(Arc::new(settings.clone()));
    if let Some(b) = builtin {
        engine.use_builtin(b);
    }
    engine.add(name, &source)?;
    engine.add_partials_of(&folder_of(path), &source)?;
    Ok(engine)
}

/// How messages name the template: its path as written, or
/// `@name/bao-cao.md.hbs` for a built-in.
fn template_name(path: &Path, data: &ReportData) -> String {
    match data.template.strip_prefix(builtin::PREFIX) {
        Some(name) => format!("{}{name}/{}", builtin::PREFIX, builtin::BODY),
        None => path.display().to_string(),
    }
}

/// The built-in `name`, or an error at `mau` with the nearest name.
fn builtin_named(name: &str, data: &ReportData) -> Result<builtin::Builtin, Diagnostic> {
    builtin::get(name).ok_or_else(|| {
        let hint = match builtin::suggest(name) {
            Some(n) => format!("có phải ý bạn là `@{n}`?"),
            None => format!("các mẫu dựng sẵn: {}", builtin::names().join(", ")),
        };
        Diagnostic::error(format!("không có mẫu dựng sẵn \"{}\"", data.template))
            .with_span(data.template_span.clone())
            .with_hint(hint)
            .with_hint("xem danh sách: baocao mau")
    })
}

/// The template file's text; not UTF-8 is an error at the first bad byte.
fn read_template(path: &Path, data: &ReportData) -> Result<String, Diagnostic> {
    source::read_text(path).map_err(|e| {
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
    })
}

/// Syntax problems of the template a (broken) data file names, if it can be found.
fn template_problems(data_path: &Path, text: &str) -> Vec<Diagnostic> {
    let Ok(table) = toml::from_str::<toml::Table>(source::strip_bom(text)) else {
        return Vec::new();
    };
    let Some(mau) = table.get("mau").and_then(|v| v.as_str()) else {
        return Vec::new();
    };
    let dir = folder_of(data_path);
    let path = dir.join(mau);
    // Only a template inside the data file's folder: this runs before any
    // allowed folder is known, and reads nothing a render would refuse.
    let inside = matches!(template_place(&dir, mau, &[]), Place::Inside);
    let Some(text) = inside.then(|| source::read_text(&path).ok()).flatten() else {
        return Vec::new();
    };
    let name = path.display().to_string();
    compile_template(&path, &name, &text, &vn::Settings::default(), None)
        .err()
        .into_iter()
        .collect()
}

/// Where a template lies, seen from its data file's folder.
enum Place {
    /// In the folder or below it, or in an allowed folder.
    Inside,
    /// Written inside, but a link leads out.
    LinkOut,
    /// Written outside (`..`, an absolute path).
    Outside,
}

/// Where the template `name`, written in a data file of `dir`, lies once
/// links and `..` are resolved (a folder that cannot be resolved holds it).
fn template_place(dir: &Path, name: &str, allowed: &[PathBuf]) -> Place {
    let Ok(root) = source::dir_or_here(dir).canonicalize() else {
        return Place::Inside;
    };
    // Written inside (no `..` out, not absolute), whether or not it exists.
    let written = normalize(&root.join(name));
    let resolved = dir.join(name).canonicalize().ok();
    let ok = |p: &Path| p.starts_with(&root) || allowed.iter().any(|d| p.starts_with(d));
    if ok(resolved.as_deref().unwrap_or(&written)) {
        Place::Inside
    } else if ok(&written) {
        Place::LinkOut
    } else {
        Place::Outside
    }
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

/// A PDF/A file may show no empty box for a character no face has: at
/// `level`, the warnings about such characters are errors (same places).
fn missing_in_pdfa(
    level: pdf::Level,
    warnings: Vec<Diagnostic>,
) -> Result<Vec<Diagnostic>, Diagnostics> {
    use layout::shape::{is_missing_warning, missing_error};
    if level == pdf::Level::Plain || !warnings.iter().any(is_missing_warning) {
        return Ok(warnings);
    }
    Err(Diagnostics(
        warnings
            .into_iter()
            .map(|w| {
                if is_missing_warning(&w) {
                    missing_error(w)
                } else {
                    w
                }
            })
            .collect(),
    ))
}

/// The document properties of both files (PDF and DOCX), from `[van_ban]`.
fn properties(data: &ReportData) -> layout::Properties {
    layout::Properties {
        title: vn::capitalize_first(&data.meta.summary),
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

/// The files a render of `job` reads: the data file, the template (when
/// known), its partials (when compiled) and a user profile; resolved through
/// links and `..` (a file that does not exist is left out).
fn inputs_of(
    job: &Job,
    template: Option<&Path>,
    engine: Option<&template::Engine>,
) -> Vec<PathBuf> {
    let dir = folder_of(&job.data_path);
    let profile = &job.data.meta.profile;
    let user_profile = profile.ends_with(".toml").then(|| dir.join(profile));
    let sheets = job.data.sheets.iter().map(|r| dir.join(&r.file));
    let mut files: Vec<PathBuf> = std::iter::once(job.data_path.clone())
        .chain(template.map(Path::to_path_buf))
        .chain(user_profile)
        .chain(sheets)
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    files.extend(engine.into_iter().flat_map(|e| e.files().iter().cloned()));
    files.sort();
    files.dedup();
    files
}

/// `path` with its `.` and `..` taken out by name alone (no link is followed).
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
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

/// The filled-in markup (`text`, from template `template_name`) parsed into
/// blocks, then checked with the data against the profile's rules.
fn parse_and_check(
    template_name: &str,
    text: &str,
    data: &ReportData,
    profile: &profile::Profile,
    sink: &mut Sink,
) -> SourceResult<(Arc<Source>, markup::Document)> {
    let markup = Source::new(format!("{template_name} (sau khi điền dữ liệu)"), text);
    let doc = markup::parse(&markup, sink)?;
    if doc.blocks.is_empty() {
        return Err(
            Diagnostic::error("thân báo cáo trống: mẫu không tạo ra nội dung nào")
                .with_span(Span::file(template_name))
                .with_hint("kiểm tra các khối {{#if}}/{{#each}} trong mẫu và số liệu tương ứng")
                .into(),
        );
    }
    let checks = check::Input {
        doc: &doc,
        meta: &data.meta,
        signer: &data.signer,
        profile,
        markup: &markup,
    };
    for d in check::check(&checks) {
        sink.warn(d);
    }
    Ok((markup, doc))
}
