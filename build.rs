//! Strips TrueType hinting from the bundled faces at build time (see
//! `src/fonts/unhint.rs`): PDF viewers do not use it, and the faces shape the same
//! without it. Doing it here rather than once per process saves every
//! `baocao render` a few milliseconds of copying 2 MB of fonts. The stripped
//! faces land in `OUT_DIR`, where `src/fonts.rs` includes them; the files in
//! `fonts/` stay as released.
#[allow(dead_code)]
#[path = "src/fonts/unhint.rs"]
mod unhint;

use std::path::PathBuf;

/// The bundled faces: file name and PostScript name.
const FACES: [(&str, &str); 5] = [
    ("Tinos-Regular.ttf", "Tinos-Regular"),
    ("Tinos-Bold.ttf", "Tinos-Bold"),
    ("Tinos-Italic.ttf", "Tinos-Italic"),
    ("Tinos-BoldItalic.ttf", "Tinos-BoldItalic"),
    ("DejaVuSans-Symbols.ttf", "DejaVuSans"),
];

fn main() {
    println!("cargo:rerun-if-changed=src/fonts/unhint.rs");
    println!("cargo:rerun-if-changed=fonts");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for (file, ps_name) in FACES {
        let path = PathBuf::from("fonts").join(file);
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // Fonts it does not expect stay as they are.
        let stripped = unhint::strip_for_pdf(&data, ps_name).unwrap_or(data);
        std::fs::write(out.join(file), stripped).expect("write a stripped face");
    }
}
