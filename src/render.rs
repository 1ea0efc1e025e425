//! Rendering jobs: a data file (or one `[[don_vi]]` unit of it) → PDF bytes.
//!
//! Takes data files; returns [`Job`]s (one per report) and renders each through the
//! pipeline. A [`Renderer`] is shared by every thread of a batch: templates (with
//! their partials) and profiles are parsed once per distinct file and settings;
//! fonts are parsed once per process; each thread keeps its own word-shaping cache.
use crate::data::{self, ReportData};
use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::{fonts, io_reason, layout, markup, pdf, profile, template, vn};
use std::cell::RefCell;
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
type ProfileKey = (PathBuf, String, (i32, u32, u32));

/// Shared, thread-safe caches for rendering many reports.
#[derive(Default)]
pub struct Renderer {
    engines: Mutex<HashMap<(PathBuf, String), Arc<template::Engine>>>,
    profiles: Mutex<HashMap<ProfileKey, Arc<profile::Profile>>>,
    /// Reports are rendered one at a time, so a report may use the other cores
    /// for itself (its body laid out in halves); in a batch they are busy with
    /// other reports, and splitting would only add work.
    alone: bool,
}

thread_local! {
    static SHAPER: RefCell<Option<layout::shape::Shaper>> = const { RefCell::new(None) };
}

/// The words of templates being shaped ahead of need by [`prepare_ahead`], by
/// template path.
static PRESHAPED: crate::ahead::Ahead<PathBuf, Arc<layout::shape::WordQueue>> =
    crate::ahead::Ahead::new();

/// Work a single report will need, done now on the calling thread (a worker)
/// while the report's data file, profile and fonts are read on another: its
/// template (named by a simple `mau = "…"` line) is compiled and the words of
/// its literal text shaped, then the PDF's deflate states are made ready.
/// [`Renderer::render`] takes the template when it reaches it, and shapes the
/// words that are left alongside this thread.
pub fn prepare_ahead(data_path: &Path) {
    let text = crate::batch::template_path(data_path)
        .and_then(|tpl| Some((std::fs::read_to_string(&tpl).ok()?, tpl)));
    let Some((text, tpl)) = text else {
        let _ = fonts::bundled();
        return;
    };
    let text = data::strip_bom(&text).to_string();
    let mut queue = None;
    // Claimed at once (the template is compiled right after), so that the
    // render, however early it comes, leaves the words to the queue.
    PRESHAPED.run(tpl, |_| {
        // The compiled template is needed first, the fonts only for the words
        // and for layout.
        let words = template::precompile(text);
        let q = Arc::new(layout::shape::WordQueue::new(words, fonts::Style::Regular));
        queue = fonts::bundled().map(|f| (Arc::clone(&q), f));
        q
    });
    if let Some((q, fonts)) = queue {
        q.work(&mut layout::shape::Shaper::new(fonts));
    }
    // Then, while the report is laid out, get the PDF's deflate states ready.
    pdf::warm_deflaters(rayon::current_num_threads());
}

/// Gives a thread's shaper (and its word cache) back to the thread when dropped.
struct ShaperGuard(Option<layout::shape::Shaper>);

impl Drop for ShaperGuard {
    fn drop(&mut self) {
        if let Some(s) = self.0.take() {
            let _ = SHAPER.try_with(|cell| {
                if let Ok(mut slot) = cell.try_borrow_mut() {
                    *slot = Some(s);
                }
            });
        }
    }
}

/// Display a path as the user gave it.
fn shown(p: &Path) -> String {
    p.display().to_string()
}

/// Build the helpers' settings: the profile's `[dinh_dang]`, then the data file's.
fn settings_for(
    profile: &profile::Profile,
    data: &ReportData,
    data_shown: &str,
) -> Result<vn::Settings, Diagnostic> {
    let mut table = profile.dinh_dang.clone();
    for (k, v) in &data.dinh_dang {
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
                .with_span(Span::file_only(data_shown))
            })?;
    settings.validate().map_err(|e| {
        Diagnostic::error(format!("bảng [dinh_dang]: {}", e.0))
            .with_span(Span::file_only(data_shown))
    })?;
    Ok(settings)
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

/// "kết quả …" → "Kết quả …".
fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Read a text file; invalid UTF-8 is an error at the first bad byte.
pub fn read_text(path: &Path, what: &str) -> Result<String, Diagnostic> {
    let file = shown(path);
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(format!("không đọc được {what}: {}", io_reason(&e)))
            .with_span(Span::file_only(&file))
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let lossy = String::from_utf8_lossy(e.as_bytes()).to_string();
        let valid = String::from_utf8_lossy(e.as_bytes().get(..at).unwrap_or_default()).len();
        Diagnostic::error(format!(
            "{what} không phải văn bản UTF-8: có byte không hợp lệ ở đây"
        ))
        .with_span(Span::from_offset(&file, &lossy, valid))
        .with_hint("lưu lại tệp với bảng mã UTF-8 (trong Notepad: Lưu thành… → Mã hóa: UTF-8)")
    })
}

/// Syntax problems of the template a (broken) data file names, if it can be found.
fn template_problems(data_path: &Path, text: &str) -> Vec<Diagnostic> {
    let Ok(table) = toml::from_str::<toml::Table>(data::strip_bom(text)) else {
        return Vec::new();
    };
    let Some(mau) = table.get("mau").and_then(|v| v.as_str()) else {
        return Vec::new();
    };
    let base = data_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let tpl = base.join(mau);
    let Ok(src) = std::fs::read_to_string(&tpl) else {
        return Vec::new();
    };
    let mut engine = template::Engine::new(Arc::new(vn::Settings::default()));
    let source = template::Source {
        shown: shown(&tpl),
        text: data::strip_bom(&src).to_string(),
    };
    let dir = folder_of(&tpl);
    match engine
        .add(&source.shown.clone(), source.clone())
        .and_then(|()| engine.add_partials_of(&dir, &source))
    {
        Ok(()) => Vec::new(),
        Err(d) => vec![d],
    }
}

/// The folder of a file ("." for a bare name).
pub fn folder_of(p: &Path) -> PathBuf {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The reports of a data file: one, or one per `[[don_vi]]` unit.
pub fn load_jobs(data_path: &Path) -> Result<Vec<Job>, Diagnostics> {
    let file = shown(data_path);
    let text = read_text(data_path, "tệp dữ liệu")?;
    let units = match data::load_units(&file, &text) {
        Ok(u) => u,
        Err(mut d) => {
            // The template's own syntax errors are worth reporting in the same run.
            d.0.extend(template_problems(data_path, &text));
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

impl Renderer {
    /// A renderer with empty caches, for reports rendered in parallel.
    pub fn new() -> Renderer {
        Renderer::default()
    }

    /// A renderer for reports rendered one at a time (a single report): each
    /// may use every core for itself.
    pub fn alone() -> Renderer {
        Renderer {
            alone: true,
            ..Renderer::default()
        }
    }

    fn profile(&self, job: &Job, base_dir: &Path) -> Result<Arc<profile::Profile>, Diagnostic> {
        let m = &job.data.meta;
        let key = (
            base_dir.to_path_buf(),
            m.the_thuc.clone(),
            (m.ngay.year, m.ngay.month, m.ngay.day),
        );
        if let Some(p) = self.profiles.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Ok(p);
        }
        let p = Arc::new(profile::resolve(
            &m.the_thuc,
            m.ngay,
            &m.the_thuc_span,
            base_dir,
        )?);
        if let Ok(mut c) = self.profiles.lock() {
            c.insert(key, Arc::clone(&p));
        }
        Ok(p)
    }

    fn engine(
        &self,
        tpl_path: &Path,
        settings: &vn::Settings,
        mau: &str,
        mau_span: &Span,
    ) -> Result<Arc<template::Engine>, Diagnostic> {
        let key = (tpl_path.to_path_buf(), format!("{settings:?}"));
        if let Some(e) = self.engines.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Ok(e);
        }
        let tpl_shown = shown(tpl_path);
        let text = std::fs::read_to_string(tpl_path).map_err(|e| {
            Diagnostic::error(format!(
                "không đọc được tệp mẫu \"{mau}\": {}",
                io_reason(&e)
            ))
            .with_span(mau_span.clone())
        })?;
        let source = template::Source {
            shown: tpl_shown.clone(),
            text: data::strip_bom(&text).to_string(),
        };
        let mut engine = template::Engine::new(Arc::new(settings.clone()));
        let dir = folder_of(tpl_path);
        engine.add(&tpl_shown, source.clone())?;
        engine.set_main(&tpl_shown);
        engine.add_partials_of(&dir, &source)?;
        let engine = Arc::new(engine);
        if let Ok(mut c) = self.engines.lock() {
            c.insert(key, Arc::clone(&engine));
        }
        Ok(engine)
    }

    /// Render one report.
    pub fn render(&self, job: &Job, emit: Emit) -> Result<Rendered, Diagnostics> {
        let mut clock = Clock::new();
        let data = &job.data;
        let data_shown = shown(&job.data_path);
        let base_dir = job
            .data_path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let profile = self.profile(job, &base_dir)?;
        let settings = settings_for(&profile, data, &data_shown)?;
        clock.lap("data");

        let tpl_path = base_dir.join(&data.mau);
        let tpl_shown = shown(&tpl_path);
        let engine = self.engine(&tpl_path, &settings, &data.mau, &data.mau_span)?;
        let fonts = || {
            fonts::bundled()
                .ok_or_else(|| Diagnostic::error("không nạp được phông chữ đi kèm (Tinos)"))
        };
        // This thread's shaper, put back when the render ends, however it ends.
        let mut shaper = ShaperGuard(SHAPER.with(|cell| cell.borrow_mut().take()));
        // The words of the template's literal text are most words of a report:
        // shaped ahead by `prepare_ahead` (a single report), or else by the other
        // cores while the template is filled in, not one by one by layout.
        let ahead = emit == Emit::Pdf && PRESHAPED.has(&tpl_path);
        let shape_alongside = emit == Emit::Pdf && !ahead;
        if shape_alongside && shaper.0.is_none() {
            shaper.0 = Some(layout::shape::Shaper::new(fonts()?));
        }
        let filled = match shaper.0.as_mut().filter(|_| shape_alongside) {
            Some(s) => {
                rayon::join(
                    || engine.render(&tpl_shown, &data.value),
                    || s.prepare(engine.words()),
                )
                .0
            }
            None => engine.render(&tpl_shown, &data.value),
        };
        // Template text may arrive decomposed (NFD) from some editors: compose it.
        let markup_text = data::nfc(&filled?);
        clock.lap("template");
        let mut warnings = Vec::new();
        if emit == Emit::Markup {
            return Ok(Rendered {
                markup: markup_text,
                pdf: None,
                pages: 0,
                warnings,
                timings: clock.laps,
            });
        }

        let markup_name = format!("{tpl_shown} (sau khi điền dữ liệu)");
        let doc = markup::parse(&markup_text, &markup_name, &mut warnings);
        if doc.blocks.is_empty() {
            return Err(
                Diagnostic::error("thân báo cáo trống: mẫu không tạo ra nội dung nào")
                    .with_span(Span::file_only(&tpl_shown))
                    .with_hint("kiểm tra các khối {{#if}}/{{#each}} trong mẫu và số liệu tương ứng")
                    .into(),
            );
        }
        clock.lap("markup");
        let input = layout::Input {
            split: self.alone,
            doc: &doc,
            meta: &data.meta,
            signer: &data.signer,
            profile: &profile,
            settings: &settings,
            markup_name: &markup_name,
            markup_text: &markup_text,
        };
        let fonts = fonts()?;
        let shaper = shaper
            .0
            .get_or_insert_with(|| layout::shape::Shaper::new(fonts));
        if ahead {
            if let Some(queue) = PRESHAPED.take(&tpl_path) {
                queue.finish_into(shaper);
            }
        }
        shaper.notes.clear();
        let laid = layout::layout(shaper, &input, &mut warnings);
        // Problems found in the filled-in text point back at the template line
        // they most likely came from.
        let relocate = |mut d: Diagnostic| -> Diagnostic {
            let Some(span) = d
                .span
                .clone()
                .filter(|s| s.file == markup_name && s.line > 0)
            else {
                return d;
            };
            let text = markup_text.lines().nth(span.line - 1).unwrap_or("");
            if let Some(at) = engine.locate(&tpl_shown, text) {
                d.span = Some(at);
                d.hints.push(format!(
                    "dòng {} của văn bản sau khi điền dữ liệu: {}",
                    span.line,
                    text.trim()
                ));
            }
            d
        };
        warnings = warnings.into_iter().map(relocate).collect();
        let paged = laid.map_err(relocate)?;
        clock.lap("layout");
        let meta = pdf::Meta {
            title: upper_first(&data.meta.trich_yeu),
            // A name split over two header lines is one name in the metadata.
            author: data
                .meta
                .co_quan
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            subject: data.meta.loai.clone(),
            date: data.meta.ngay,
        };
        let bytes = pdf::write(&paged, fonts, &meta)?;
        clock.lap("pdf");
        Ok(Rendered {
            markup: markup_text,
            pdf: Some(bytes),
            pages: paged.pages.len(),
            warnings,
            timings: clock.laps,
        })
    }
}

/// Render the report of a data file that holds one report (no `[[don_vi]]`).
pub fn render_file(data_path: &Path, emit: Emit) -> Result<Rendered, Diagnostics> {
    let jobs = load_jobs(data_path)?;
    let Some(job) = jobs.first() else {
        return Err(Diagnostic::error("tệp dữ liệu không có báo cáo nào")
            .with_span(Span::file_only(&shown(data_path)))
            .into());
    };
    Renderer::alone().render(job, emit)
}
