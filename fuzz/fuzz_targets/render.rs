//! Whole pipeline: data + template (+ profile, partial) → PDF.
//!
//! Input: up to four parts separated by 0xFF bytes (never in UTF-8):
//!
//! ```text
//! DATA 0xFF TEMPLATE [0xFF PROFILE [0xFF PARTIAL]]
//! ```
//!
//! - DATA not starting with `!` (most inputs): free TOML data, placed between
//!   `mau = "m.md.hbs"` and a fixed, valid `[van_ban]`/`[ky]` header, so inputs get
//!   past the header checks into template, markup, layout and PDF. `the_thuc` is
//!   `"p.toml"` when PROFILE is not empty, else a built-in profile picked by the
//!   template's length.
//! - DATA starting with `!`: the rest is the whole data file, byte for byte (it
//!   should say `mau = "m.md.hbs"`; `the_thuc = "p.toml"` uses PROFILE).
//! - TEMPLATE is `m.md.hbs`, PROFILE is `p.toml`, PARTIAL is `con.md.hbs`.
#![no_main]
use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|input: &[u8]| {
    let mut parts = input.splitn(4, |&b| b == 0xFF);
    let data = parts.next().unwrap_or_default();
    let template = parts.next().unwrap_or_default();
    let profile = parts.next().unwrap_or_default();
    let partial = parts.next().unwrap_or_default();
    let data_file: Vec<u8> = match data.strip_prefix(b"!") {
        Some(whole) => whole.to_vec(),
        None => {
            let the_thuc = if profile.is_empty() {
                common::builtin_profile(template.len())
            } else {
                "p.toml"
            };
            format!(
                "mau = \"m.md.hbs\"\n{}\n{}",
                String::from_utf8_lossy(data),
                common::header(the_thuc)
            )
            .into_bytes()
        }
    };
    common::render(common::Files {
        data: &data_file,
        template,
        profile,
        partial,
    });
});
