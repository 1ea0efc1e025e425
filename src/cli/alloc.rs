//! Memory exhaustion as a Vietnamese error: the binary's global allocator is
//! the system's, wrapped so that when the system refuses memory the run ends
//! with a message the clerk can read (and exit code 1) instead of Rust's
//! English "memory allocation of N bytes failed" and an abort.
//!
//! Nothing is allocated on that path: the message is a constant written
//! straight to the standard error (unbuffered), then the process exits.
use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;

/// What the user reads when memory runs out.
const MESSAGE: &str = "lỗi: hết bộ nhớ: máy không cấp thêm bộ nhớ cho baocao\n\
gợi ý: dựng ít báo cáo cùng lúc hơn (-j 1), đóng bớt chương trình khác, hoặc kiểm tra tệp dữ liệu và mẫu (một vòng lặp quá lớn?)\n";

/// The system allocator; a refusal ends the run with [`MESSAGE`].
pub struct Allocator;

impl Allocator {
    fn check(p: *mut u8) -> *mut u8 {
        if p.is_null() {
            out_of_memory();
        }
        p
    }
}

/// Say so and leave (exit code 1, like any failed report).
#[cold]
fn out_of_memory() -> ! {
    let _ = std::io::stderr().write_all(MESSAGE.as_bytes());
    std::process::exit(1)
}

// SAFETY: every call is passed on to `System` unchanged; only a null result
// (a refusal) is handled, by ending the process.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees for `layout` are passed on.
        Allocator::check(unsafe { System.alloc(layout) })
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        Allocator::check(unsafe { System.alloc_zeroed(layout) })
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        Allocator::check(unsafe { System.realloc(ptr, layout, new_size) })
    }
}
