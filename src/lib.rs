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
pub mod ahead;
pub mod batch;
pub mod data;
pub mod diag;
pub mod fonts;
pub mod helpers;
pub mod indicators;
pub mod layout;
pub mod markup;
pub mod meta;
pub mod pdf;
pub mod profile;
pub mod render;
pub mod template;
pub mod unhint;
pub mod vn;

pub use render::{load_jobs, render_file, Emit, Job, Rendered, Renderer};

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
