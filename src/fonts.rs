//! Fonts: the bundled Tinos family and its symbol fallback, parsed once and shared.
//!
//! Gives each of the four styles its bytes (for subsetting), a rustybuzz face (for
//! shaping) and the metrics layout needs. Symbols Tinos lacks (✓ ★ ① ⇒, see
//! `fonts/README.md`) are drawn from one regular fallback face, a subset of
//! DejaVu Sans, whatever the style around them. Advances are reported in 1/1000 em exactly
//! as the PDF's `/W` array will state them (whole units, truncated), so
//! that what layout measures is what viewers place.

// Used by `build.rs`, which strips the bundled faces once at build time; its
// tests run with the library's.
#[cfg(test)]
mod unhint;

/// One of the four styles of a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    Regular = 0,
    Bold = 1,
    Italic = 2,
    BoldItalic = 3,
}

impl Style {
    /// The style for bold/italic flags.
    pub fn of(bold: bool, italic: bool) -> Style {
        match (bold, italic) {
            (false, false) => Style::Regular,
            (true, false) => Style::Bold,
            (false, true) => Style::Italic,
            (true, true) => Style::BoldItalic,
        }
    }

    /// All styles, in index order.
    pub const ALL: [Style; 4] = [
        Style::Regular,
        Style::Bold,
        Style::Italic,
        Style::BoldItalic,
    ];
}

/// A parsed font face.
pub struct Face {
    /// The font file.
    pub data: &'static [u8],
    /// PostScript name ("Tinos-Regular").
    pub ps_name: &'static str,
    /// The shaping face.
    pub rb: rustybuzz::Face<'static>,
    /// Units per em.
    pub upem: f32,
    /// Ascender, in em.
    pub ascender: f32,
    /// Descender (positive), in em.
    pub descender: f32,
}

impl Face {
    fn load(data: &'static [u8], ps_name: &'static str) -> Option<Face> {
        let rb = rustybuzz::Face::from_slice(data, 0)?;
        let upem = rb.units_per_em() as f32;
        Some(Face {
            ascender: f32::from(rb.ascender()) / upem,
            descender: -f32::from(rb.descender()) / upem,
            upem,
            rb,
            data,
            ps_name,
        })
    }

    /// The advance of `gid` as the PDF `/W` array states it, in 1/1000 em.
    pub fn pdf_width(&self, gid: u16) -> f32 {
        let adv = self
            .rb
            .glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(gid))
            .unwrap_or(0);
        // Exact: the PDF writer (krilla) states /W widths unrounded, so a glyph
        // at its nominal advance needs no TJ adjustment.
        f32::from(adv) * 1000.0 / self.upem
    }
}

/// The four faces of the bundled family, and the fallback face.
pub struct Fonts {
    faces: [Face; 4],
    fallback: Face,
}

impl Fonts {
    /// The face for a style.
    pub fn face(&self, style: Style) -> &Face {
        match style {
            Style::Regular => &self.faces[0],
            Style::Bold => &self.faces[1],
            Style::Italic => &self.faces[2],
            Style::BoldItalic => &self.faces[3],
        }
    }

    /// The face for symbols the family lacks (one regular face for every style).
    pub fn fallback(&self) -> &Face {
        &self.fallback
    }

    /// The face a glyph is drawn from: the fallback's, or its style's.
    pub fn face_of(&self, style: Style, fallback: bool) -> &Face {
        if fallback {
            &self.fallback
        } else {
            self.face(style)
        }
    }

    /// Whether `c` can be drawn in `style`: its face or the fallback has a
    /// glyph for it.
    pub fn covers(&self, style: Style, c: char) -> bool {
        [self.face(style), &self.fallback]
            .iter()
            .any(|f| f.rb.glyph_index(c).is_some())
    }
}

/// The bundled Tinos family and the fallback face, hinting stripped at build
/// time (`build.rs`, `fonts/unhint.rs`), parsed (a
/// [`crate::Renderer`] does this once and shares the result with every report
/// it renders).
pub fn bundled() -> Option<Fonts> {
    Some(Fonts {
        faces: [
            Face::load(
                include_bytes!(concat!(env!("OUT_DIR"), "/Tinos-Regular.ttf")),
                "Tinos-Regular",
            )?,
            Face::load(
                include_bytes!(concat!(env!("OUT_DIR"), "/Tinos-Bold.ttf")),
                "Tinos-Bold",
            )?,
            Face::load(
                include_bytes!(concat!(env!("OUT_DIR"), "/Tinos-Italic.ttf")),
                "Tinos-Italic",
            )?,
            Face::load(
                include_bytes!(concat!(env!("OUT_DIR"), "/Tinos-BoldItalic.ttf")),
                "Tinos-BoldItalic",
            )?,
        ],
        fallback: Face::load(
            include_bytes!(concat!(env!("OUT_DIR"), "/DejaVuSans-Symbols.ttf")),
            "DejaVuSans",
        )?,
    })
}
