//! The render thread of `baocao xem`: a notify watcher on the data file's
//! folder (and on the template's or profile's folder when they lie outside
//! it), the first render, then a render after each burst of changes.
use super::{folder_of, rebuild, say, State};
use baocao::diag::Diagnostic;
use notify::{Event, EventKind, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A burst of changes ends after this long without one (an editor's save is
/// often several events: write a temporary file, rename it, set its times).
const QUIET: Duration = Duration::from_millis(100);

/// The longest a burst is waited out, so that a file written without pause
/// next to the report cannot hold renders back.
const MAX_WAIT: Duration = Duration::from_millis(500);

/// Generous stacks: templates and markup are parsed recursively by libraries
/// (as in `cli/run.rs`).
const STACK: usize = 64 << 20;

type Events = Receiver<notify::Result<Event>>;

/// Start watching and rendering `data` on a thread of its own; returns once the
/// first render is done, or with the reason the folder cannot be watched.
pub fn start(data: PathBuf, state: Arc<Mutex<State>>) -> Result<(), Diagnostic> {
    let (ready_tx, ready_rx) = mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("baocao-xem".into())
        .stack_size(STACK)
        .spawn(move || {
            let (tx, events) = mpsc::channel();
            let mut w = match Watched::new(tx, folder_of(&data)) {
                Ok(w) => w,
                Err(d) => {
                    let _ = ready_tx.send(Err(d));
                    return;
                }
            };
            w.add(rebuild(&data, &state));
            let _ = ready_tx.send(Ok(()));
            run(&data, &state, &events, &mut w);
        });
    if let Err(e) = thread {
        return Err(Diagnostic::error(format!(
            "không tạo được luồng dựng báo cáo: {}",
            baocao::source::io_reason(&e)
        )));
    }
    ready_rx
        .recv()
        .unwrap_or_else(|_| Err(Diagnostic::error("luồng dựng báo cáo dừng bất ngờ")))
}

/// Render again after each burst of changes, until the watcher is gone.
fn run(data: &Path, state: &Mutex<State>, events: &Events, w: &mut Watched) {
    while wait_for_change(events) {
        w.add(rebuild(data, state));
    }
}

/// Block until a change, then until the burst it starts is over. False when
/// the watcher has stopped.
fn wait_for_change(events: &Events) -> bool {
    loop {
        match events.recv() {
            Ok(e) if is_change(&e) => break,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    let start = Instant::now();
    let mut last = start;
    loop {
        let left = QUIET
            .saturating_sub(last.elapsed())
            .min(MAX_WAIT.saturating_sub(start.elapsed()));
        if left.is_zero() {
            return true;
        }
        match events.recv_timeout(left) {
            Ok(e) if is_change(&e) => last = Instant::now(),
            Ok(_) => {}
            Err(RecvTimeoutError::Timeout) => return true,
            Err(RecvTimeoutError::Disconnected) => return false,
        }
    }
}

/// Anything but a read: inotify reports the opening of a file too, and every
/// render opens the data file, the template and the partials. An error of the
/// watcher (events lost) counts as a change.
fn is_change(e: &notify::Result<Event>) -> bool {
    e.as_ref()
        .map_or(true, |e| !matches!(e.kind, EventKind::Access(_)))
}

/// The watcher and the folders it watches.
struct Watched {
    watcher: notify::RecommendedWatcher,
    folders: Vec<PathBuf>,
}

impl Watched {
    /// A watcher that sends its events to `tx`, on `folder` and below.
    fn new(
        tx: mpsc::Sender<notify::Result<Event>>,
        folder: PathBuf,
    ) -> Result<Watched, Diagnostic> {
        let watcher = notify::recommended_watcher(tx).map_err(|e| cannot_watch(&folder, &e))?;
        let mut w = Watched {
            watcher,
            folders: Vec::new(),
        };
        w.watch(folder.canonicalize().unwrap_or(folder))?;
        Ok(w)
    }

    /// Also watch these folders (a template or profile outside the data
    /// file's folder), unless they are watched already. A folder that cannot
    /// be watched is said once on stderr, and the preview goes on.
    fn add(&mut self, folders: Vec<PathBuf>) {
        for folder in folders {
            let folder = folder.canonicalize().unwrap_or(folder);
            if let Err(d) = self.watch(folder.clone()) {
                let hint =
                    "thay đổi trong thư mục này không tự cập nhật; lưu lại tệp dữ liệu để dựng lại";
                say(&d.with_hint(hint).to_string());
                self.folders.push(folder);
            }
        }
    }

    /// Watch `folder` and below, unless it is watched already.
    fn watch(&mut self, folder: PathBuf) -> Result<(), Diagnostic> {
        if self.folders.iter().any(|f| folder.starts_with(f)) {
            return Ok(());
        }
        self.watcher
            .watch(&folder, RecursiveMode::Recursive)
            .map_err(|e| cannot_watch(&folder, &e))?;
        self.folders.push(folder);
        Ok(())
    }
}

/// Why a folder cannot be watched, in Vietnamese.
fn cannot_watch(folder: &Path, e: &notify::Error) -> Diagnostic {
    let reason = match &e.kind {
        notify::ErrorKind::Io(io) => baocao::source::io_reason(io),
        notify::ErrorKind::PathNotFound => "không tìm thấy thư mục".to_string(),
        notify::ErrorKind::MaxFilesWatch => {
            "hệ thống đã hết chỗ theo dõi tệp (giới hạn inotify)".to_string()
        }
        _ => "lỗi của bộ theo dõi tệp".to_string(),
    };
    Diagnostic::error(format!(
        "không theo dõi được thay đổi trong thư mục \"{}\": {reason}",
        folder.display()
    ))
}
