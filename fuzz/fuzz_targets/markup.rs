//! Pure markup: the input is the body text, under a fixed valid header.
//!
//! The input (lossy UTF-8) becomes the template with every `{{` broken to `{ {` and
//! every `}}` to `} }` (a stray `}}` is a template error), so Handlebars passes it
//! through as text and the fuzzer spends its time in markup
//! parsing, line breaking, tables, pagination and PDF writing. The built-in profile
//! is picked by the input's length.
#![no_main]
use libfuzzer_sys::fuzz_target;

mod common;

/// Break every `{{` and `}}` so that no Handlebars syntax remains.
fn escape_braces(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut prev = '\0';
    for c in text.chars() {
        if (c == '{' || c == '}') && c == prev {
            out.push(' ');
        }
        out.push(c);
        prev = c;
    }
    out
}

fuzz_target!(|input: &[u8]| {
    let template = escape_braces(&String::from_utf8_lossy(input));
    let data = format!(
        "mau = \"m.md.hbs\"\n{}",
        common::header(common::builtin_profile(input.len()))
    );
    common::render(common::Files {
        data: data.as_bytes(),
        template: template.as_bytes(),
        profile: b"",
        partial: b"",
    });
});
