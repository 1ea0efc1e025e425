//! Built-in report templates: the folders of `templates/`, embedded in the
//! binary. A data file uses one with `mau = "@name"`; `baocao mau` lists them and
//! `baocao init` starts a report from one.
//!
//! Each folder holds `bao-cao.md.hbs` (the body template), one partial per
//! section (`<section>.hbs`), `bao-cao.toml` (sample data, every key commented)
//! and `README.md` (its first line, a `# ` title, is the one-line summary).
use include_dir::{include_dir, Dir, File};

/// The embedded `templates/` folder (immutable data).
static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// What a data file writes before a built-in's name: `mau = "@chi-thi-05"`.
pub const PREFIX: &str = "@";

/// The body template's file name in every built-in.
pub const BODY: &str = "bao-cao.md.hbs";

/// The sample data's file name in every built-in.
pub const SAMPLE: &str = "bao-cao.toml";

/// One built-in template.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    dir: &'static Dir<'static>,
}

/// Every built-in, in name order.
pub fn list() -> Vec<Builtin> {
    let mut all: Vec<Builtin> = TEMPLATES
        .dirs()
        .filter(|d| d.get_file(d.path().join(BODY)).is_some())
        .map(|dir| Builtin { dir })
        .collect();
    all.sort_by_key(|b| b.name());
    all
}

/// The built-in named `name` (without the `@`).
pub fn get(name: &str) -> Option<Builtin> {
    list().into_iter().find(|b| b.name() == name)
}

/// The names of every built-in, for "did you mean" hints.
pub fn names() -> Vec<&'static str> {
    list().into_iter().map(|b| b.name()).collect()
}

/// The built-in a mistyped `name` most likely means: the nearest by edits, or
/// one that it extends or shortens ("ke-hoach-nam" → "ke-hoach").
pub fn suggest(name: &str) -> Option<&'static str> {
    let names = names();
    crate::diag::nearest(name, &names).or_else(|| {
        names
            .iter()
            .copied()
            .filter(|n| name.starts_with(n) || n.starts_with(name))
            .max_by_key(|n| n.len())
    })
}

impl Builtin {
    /// Its name: `tong-ket-tuyen-giao`.
    pub fn name(&self) -> &'static str {
        self.dir
            .path()
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
    }

    /// One line saying what it is (its README's title).
    pub fn summary(&self) -> &'static str {
        self.text("README.md")
            .and_then(|t| t.lines().next())
            .map(|l| l.trim_start_matches('#').trim())
            .unwrap_or("")
    }

    /// The body template's text.
    pub fn body(&self) -> Option<&'static str> {
        self.text(BODY)
    }

    /// The sample data's text.
    pub fn sample(&self) -> Option<&'static str> {
        self.text(SAMPLE)
    }

    /// The partial `name`, as `name.hbs` or `name.md.hbs`, with its file name.
    pub fn partial(&self, name: &str) -> Option<(String, &'static str)> {
        [format!("{name}.hbs"), format!("{name}.md.hbs")]
            .into_iter()
            .find_map(|f| self.text(&f).map(|t| (f, t)))
    }

    /// Every file (name, bytes), in name order, for copying the folder.
    pub fn files(&self) -> Vec<(&'static str, &'static [u8])> {
        let mut files: Vec<(&'static str, &'static [u8])> = self
            .dir
            .files()
            .filter_map(|f: &'static File<'static>| {
                let name = f.path().file_name()?.to_str()?;
                Some((name, f.contents()))
            })
            .collect();
        files.sort_by_key(|(n, _)| *n);
        files
    }

    /// The text of the file `file` of this folder.
    fn text(&self, file: &str) -> Option<&'static str> {
        self.dir
            .get_file(self.dir.path().join(file))
            .and_then(File::contents_utf8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_has_a_body_a_sample_and_a_summary() {
        let names = names();
        for name in [
            "chi-thi-05",
            "ke-hoach",
            "kt-xh-nam",
            "so-ket-6-thang",
            "tinh-hinh-tu-tuong",
            "tong-ket-tuyen-giao",
        ] {
            assert!(names.contains(&name), "{name} in {names:?}");
            let b = get(name).unwrap();
            assert!(b.body().is_some_and(|t| !t.is_empty()), "{name}");
            assert!(b.sample().is_some_and(|t| t.contains("mau = ")), "{name}");
            assert!(!b.summary().is_empty(), "{name}");
        }
        assert!(get("khong-co").is_none());
    }

    #[test]
    fn partials_are_found_by_name() {
        let b = get("chi-thi-05").unwrap();
        let (file, text) = b.partial("dac-diem").unwrap();
        assert_eq!(file, "dac-diem.hbs");
        assert!(text.contains("ĐẶC ĐIỂM"));
        assert!(b.partial("khong-co").is_none());
        assert!(b.files().iter().any(|(n, _)| *n == "README.md"));
    }
}
