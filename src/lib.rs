//! baocao: Vietnamese official reports from TOML data and Handlebars templates,
//! typeset to PDF.
//!
//! The pipeline, each step returning its own value (see `docs/design.md`):
//!
//! ```text
//! report.toml ──data──► ReportData (NFC strings, exact numbers, spans)
//!             ──template──► markup text        (`baocao render --emit markup`)
//!             ──markup──► Document { blocks }
//!             ──layout──► PagedDocument { pages of positioned glyph runs and rules }
//!             ──pdf──► Vec<u8>
//! ```
pub mod data;
pub mod diag;
pub mod fonts;
pub mod helpers;
pub mod indicators;
pub mod layout;
pub mod markup;
pub mod pdf;
pub mod profile;
pub mod template;
pub mod unhint;
pub mod vn;

use diag::{Diagnostic, Diagnostics, Span};
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// What to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emit {
    /// Stop after the template.
    Markup,
    /// The whole way to PDF bytes.
    Pdf,
}

/// Display a path as the user gave it.
fn shown(p: &Path) -> String {
    p.display().to_string()
}

/// Build the helpers' settings: the profile's `[dinh_dang]`, then the data file's.
fn settings_for(
    profile: &profile::Profile,
    data: &data::ReportData,
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

/// Render the report whose data file is `data_path`.
pub fn render_file(data_path: &Path, emit: Emit) -> Result<Rendered, Diagnostics> {
    let mut clock = Clock::new();
    let data_shown = shown(data_path);
    let text = std::fs::read_to_string(data_path).map_err(|e| {
        Diagnostic::error(format!("không đọc được tệp dữ liệu: {}", io_reason(&e)))
            .with_span(Span::file_only(&data_shown))
    })?;
    let data = data::load(&data_shown, &text)?;
    let base_dir = data_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let profile = profile::resolve(
        &data.meta.the_thuc,
        data.meta.ngay,
        &data.meta.the_thuc_span,
        &base_dir,
    )?;
    let settings = settings_for(&profile, &data, &data_shown)?;
    clock.lap("data");

    // Template.
    let tpl_path = base_dir.join(&data.mau);
    let tpl_shown = shown(&tpl_path);
    let tpl_text = std::fs::read_to_string(&tpl_path).map_err(|e| {
        Diagnostic::error(format!(
            "không đọc được tệp mẫu \"{}\": {}",
            data.mau,
            io_reason(&e)
        ))
        .with_span(data.mau_span.clone())
    })?;
    let tpl_text = data::strip_bom(&tpl_text).to_string();
    let mut engine = template::Engine::new(Arc::new(settings.clone()));
    let tpl_dir = tpl_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| base_dir.clone());
    engine.add_partials(&tpl_dir, &tpl_dir, &tpl_path)?;
    engine.add(
        &tpl_shown,
        template::Source {
            shown: tpl_shown.clone(),
            text: tpl_text,
        },
    )?;
    let markup_text = engine.render(&tpl_shown, &data.value)?;
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

    // Markup, layout, PDF.
    let markup_name = format!("{tpl_shown} (sau khi điền dữ liệu)");
    let doc = markup::parse(&markup_text, &markup_name, &mut warnings);
    clock.lap("markup");
    let fonts = fonts::bundled()
        .ok_or_else(|| Diagnostic::error("không nạp được phông chữ đi kèm (Tinos)"))?;
    let mut shaper = layout::shape::Shaper::new(fonts);
    let input = layout::Input {
        doc: &doc,
        meta: &data.meta,
        signer: &data.signer,
        profile: &profile,
        settings: &settings,
        markup_name: &markup_name,
        markup_text: &markup_text,
    };
    let paged = layout::layout(&mut shaper, &input, &mut warnings)?;
    clock.lap("layout");
    let meta = pdf::Meta {
        title: upper_first(&data.meta.trich_yeu),
        author: data.meta.co_quan.clone(),
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

/// Stage timer.
struct Clock {
    last: std::time::Instant,
    laps: Vec<(&'static str, std::time::Duration)>,
}

impl Clock {
    fn new() -> Clock {
        Clock {
            last: std::time::Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
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

/// A Vietnamese reason for an I/O error.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "không tìm thấy tệp".to_string(),
        K::PermissionDenied => "không có quyền truy cập".to_string(),
        K::InvalidData => "tệp không phải văn bản UTF-8".to_string(),
        K::IsADirectory => "đây là một thư mục, không phải tệp".to_string(),
        _ => e.to_string(),
    }
}
