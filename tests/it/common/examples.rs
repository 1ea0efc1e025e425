//! The two examples of the repository, each rendered and read back once per
//! test run.

use super::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub struct Example {
    pub pdf: PathBuf,
    pub pages: Vec<Page>,
    pub markup: String,
}

impl Example {
    /// Render `data` (a report data file) to a scratch folder and read it back.
    pub fn render(data: &Path, tag: &str) -> Example {
        let dir = scratch(tag);
        let pdf = render(data, &dir);
        let pages = trace_pages(&pdf);
        let markup = emit_markup(data);
        Example { pdf, pages, markup }
    }
}

/// The Party example (Bắc Kạn), rendered once.
pub fn example() -> &'static Example {
    static EX: OnceLock<Example> = OnceLock::new();
    EX.get_or_init(|| Example::render(&example_data(), "example"))
}

/// The State example's folder (ward report, layout `nha-nuoc`).
pub fn ward_dir() -> PathBuf {
    root().join("examples/phuong-tan-dinh-2025")
}

/// The State example's data file.
pub fn ward_data() -> PathBuf {
    ward_dir().join("bao-cao.toml")
}

/// The State example, rendered once.
pub fn ward() -> &'static Example {
    static EX: OnceLock<Example> = OnceLock::new();
    EX.get_or_init(|| Example::render(&ward_data(), "ward"))
}

/// A small Party report that renders: every required field, one number table
/// (`bao-cao.toml`).
pub const SMALL_DATA: &str = concat!(
    report_head!(),
    "\n[so_lieu]\nthuc_hien = 3250\nke_hoach = 3240\n"
);

/// The small report's body template (`mau.md.hbs`).
pub const SMALL_TEMPLATE: &str =
    "# I- KẾT QUẢ\n\nNăm 2021 thực hiện {{so so_lieu.thuc_hien}} tỷ đồng, \
{{danh_gia so_lieu.thuc_hien so_lieu.ke_hoach}} kế hoạch.\n";

/// The body the small report prints.
pub const SMALL_BODY: &str = "Năm 2021 thực hiện 3.250 tỷ đồng, vượt kế hoạch.";

/// The long-table example's data file (a district's indicator table over
/// three pages, layout `nha-nuoc`).
pub fn district_data() -> PathBuf {
    root().join("examples/huyen-bach-thong-2024/bao-cao.toml")
}

/// The long-table example, rendered once.
pub fn district() -> &'static Example {
    static EX: OnceLock<Example> = OnceLock::new();
    EX.get_or_init(|| Example::render(&district_data(), "district"))
}
