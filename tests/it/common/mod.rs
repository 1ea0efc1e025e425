//! Shared helpers of the integration tests: running `baocao` ([`process`]),
//! running the PDF readers we did not write (poppler, qpdf, MuPDF) and reading
//! back what a page shows from MuPDF's trace device ([`trace`]): glyphs, lines,
//! rules; the markup blocks of `baocao render --emit markup` ([`markup`]) and the
//! flow of those blocks through the pages ([`flow`]); ruled tables cell by cell
//! ([`tables`]); the profiles' and data files' numbers ([`profile`]).
//!
//! The test binary renders each example it uses once ([`example`], [`ward`]).

/// The top of a small Party report that renders (template `mau.md.hbs`): every
/// required field of `[van_ban]` and `[ky]`. A macro, so that tests can
/// `concat!` their own tables after it into a `const`.
macro_rules! report_head {
    () => {
        r#"mau = "mau.md.hbs"

[van_ban]
the_thuc = "dang"
co_quan_cap_tren = "ĐẢNG BỘ TỈNH BẮC KẠN"
co_quan = "THÀNH ỦY BẮC KẠN"
so = 125
ky_hieu = "BC/TU"
dia_danh = "Bắc Kạn"
ngay = 2021-12-15
trich_yeu = "kết quả công tác năm 2021"
noi_nhan = ["Ban Thường vụ Tỉnh ủy (b/c),", "Lưu Văn phòng Thành ủy."]

[ky]
quyen_han = "T/M BAN THƯỜNG VỤ"
chuc_vu = "BÍ THƯ"
ho_ten = "Nguyễn Văn A"
"#
    };
}
pub(crate) use report_head;

pub mod examples;
pub mod flow;
pub mod markup;
pub mod process;
pub mod profile;
pub mod tables;
pub mod text;
pub mod trace;

pub use examples::*;
pub use flow::*;
pub use markup::*;
pub use process::*;
pub use profile::*;
pub use tables::*;
pub use text::*;
pub use trace::*;
