//! `baocao xem DỮ_LIỆU.toml`: the live preview. Renders the report, serves a
//! page on 127.0.0.1 that shows the PDF, and renders again when the data, the
//! template, its partials or a user profile change. A failed render keeps the
//! last good PDF and shows its Vietnamese diagnostics on the page.
//!
//! Two threads share one [`State`] behind a mutex: the render thread
//! ([`watch`]: notify's watcher, a short debounce, then a render) and the
//! calling thread, which answers HTTP requests ([`server`]: tiny_http). Nothing
//! is written to disk. Ctrl+C ends the process.
mod server;
mod watch;

use baocao::diag::{Diagnostic, Diagnostics, Span};
use baocao::{Emit, Renderer};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The port tried when `--cong` is not given. A fixed port keeps the page's
/// address the same from one run to the next, so an open browser tab picks
/// up a restarted preview by itself; when it is busy, the system picks one.
pub const DEFAULT_PORT: u16 = 8765;

/// What the page shows; the render thread writes it, the server reads it.
#[derive(Default)]
struct State {
    /// The data file's name, for the page's title.
    file: String,
    /// Number of distinct good PDFs so far (0: none yet).
    version: u64,
    /// The last good PDF.
    pdf: Option<Arc<[u8]>>,
    /// The last render's errors, as `render` prints them; `None` if it worked.
    error: Option<String>,
    /// The last good render's warnings.
    warnings: Option<String>,
    /// A note about what is shown (the first of several units).
    note: Option<String>,
}

type Shared = Arc<Mutex<State>>;

/// `baocao xem`. Runs until the process is stopped; returns 1 if the preview
/// cannot start (the error is the returned `Diagnostic`, or printed).
pub fn run(data: &Path, port: Option<u16>) -> anyhow::Result<i32> {
    if data.is_dir() {
        return Err(Diagnostic::error(format!(
            "\"{}\" là thư mục; lệnh xem cần một tệp dữ liệu .toml",
            data.display()
        ))
        .with_hint("cho đường dẫn tới tệp, ví dụ: baocao xem bao-cao.toml")
        .into());
    }
    if !data.is_file() {
        // The library says why the file cannot be read, in its own words.
        if let Err(d) = baocao::load_jobs(data) {
            eprint!("{d}");
        }
        return Ok(1);
    }
    let listener = server::bind(port)?;
    let port = listener.local_addr()?.port();
    let state: Shared = Arc::new(Mutex::new(State {
        file: file_name(data),
        ..State::default()
    }));
    watch::start(data.to_path_buf(), Arc::clone(&state))?;
    say(&format!(
        "Xem trước tại http://127.0.0.1:{port}/ — nhấn Ctrl+C để dừng\n"
    ));
    server::serve(listener, port, &state)?;
    Ok(0)
}

/// A good render: the PDF, its page count, its warnings and a note.
struct Good {
    pdf: Vec<u8>,
    pages: usize,
    warnings: Vec<Diagnostic>,
    note: Option<String>,
    /// Folders outside the data file's own that the report reads from.
    folders: Vec<PathBuf>,
}

/// Render the data file's report (the first, if it has several units).
fn render(data: &Path) -> Result<Good, Diagnostics> {
    let jobs = baocao::load_jobs(data)?;
    let Some(job) = jobs.first() else {
        return Err(Diagnostic::error("tệp dữ liệu không có báo cáo nào")
            .with_span(Span::file(&data.display().to_string()))
            .into());
    };
    let note = (jobs.len() > 1).then(|| {
        format!(
            "Tệp có {} đơn vị ([[don_vi]]); đang xem đơn vị đầu tiên: \"{}\".",
            jobs.len(),
            job.unit.as_deref().unwrap_or_default()
        )
    });
    // A new renderer each time: a renderer keeps every template and profile it
    // has read, and here they change.
    let r = Renderer::new()?.render(job, Emit::Pdf)?;
    // The folders of every file the render read (template, partials, profile).
    let mut folders: Vec<PathBuf> = r.inputs.iter().map(|f| folder_of(f)).collect();
    folders.dedup();
    Ok(Good {
        pdf: r.pdf.unwrap_or_default(),
        pages: r.pages,
        warnings: r.warnings,
        note,
        folders,
    })
}

/// Render, update the page's state, and say on stderr what happened. Returns
/// the folders the report read from (empty if the render failed).
fn rebuild(data: &Path, state: &Mutex<State>) -> Vec<PathBuf> {
    let (said, folders) = match render(data) {
        Ok(good) => {
            let warnings: String = good.warnings.iter().map(ToString::to_string).collect();
            let said = format!(
                "{warnings}đã dựng {} ({} trang)\n",
                data.display(),
                good.pages
            );
            let mut s = lock(state);
            if s.pdf.as_deref() != Some(good.pdf.as_slice()) {
                s.pdf = Some(good.pdf.into());
                s.version += 1;
            }
            s.error = None;
            s.warnings = (!warnings.is_empty()).then_some(warnings);
            s.note = good.note;
            (said, good.folders)
        }
        Err(d) => {
            let said = d.to_string();
            lock(state).error = Some(said.clone());
            (said, Vec::new())
        }
    };
    say(&said);
    folders
}

/// Print on stderr; a closed terminal is no reason to stop the preview.
fn say(text: &str) {
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// The state, even if a thread panicked while holding it: every update leaves
/// it whole (plain assignments).
fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The folder a file is in ("." for a bare name).
fn folder_of(path: &Path) -> PathBuf {
    baocao::source::dir_or_here(path.parent().unwrap_or(Path::new(""))).to_path_buf()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| path.display().to_string())
}
