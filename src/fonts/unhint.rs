//! Strip TrueType hinting from a font program before it is embedded in a PDF.
//!
//! [`strip_hinting`] takes a glyf-based TrueType sfnt (a whole `.ttf`, or one written
//! by `subsetter`) and returns an equivalent font without hinting, which PDF viewers do
//! not need: the `cvt `, `fpgm`, `prep`, `hdmx`, `LTSH`, `VDMX`, `gasp` tables (and a
//! `DSIG`, which the changes would invalidate) are dropped, every glyph's instructions
//! are removed from `glyf`, `loca` is rebuilt, `maxp.maxSizeOfInstructions` is zeroed,
//! and the table directory, table checksums and `head.checkSumAdjustment` are
//! recomputed. Outlines, bounding boxes and metrics are untouched. It returns `None`
//! (the caller then keeps its original bytes) on anything it does not expect: CFF or
//! collections, missing `head`/`maxp`/`loca`/`glyf`, malformed data. It never panics.

use std::borrow::Cow;

/// Tables that only serve hinting (or, for `DSIG`, that stripping invalidates).
const DROPPED: [&[u8; 4]; 8] = [
    b"cvt ", b"fpgm", b"prep", b"hdmx", b"LTSH", b"VDMX", b"gasp", b"DSIG",
];

/// Composite glyph component flags.
const ARG_1_AND_2_ARE_WORDS: u16 = 0x0001;
const WE_HAVE_A_SCALE: u16 = 0x0008;
const MORE_COMPONENTS: u16 = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE: u16 = 0x0040;
const WE_HAVE_A_TWO_BY_TWO: u16 = 0x0080;
const WE_HAVE_INSTRUCTIONS: u16 = 0x0100;

fn bytes<const N: usize>(d: &[u8], off: usize) -> Option<[u8; N]> {
    d.get(off..off.checked_add(N)?)?.try_into().ok()
}

fn u16_at(d: &[u8], off: usize) -> Option<u16> {
    bytes(d, off).map(u16::from_be_bytes)
}

fn u32_at(d: &[u8], off: usize) -> Option<u32> {
    bytes(d, off).map(u32::from_be_bytes)
}

fn put(d: &mut [u8], off: usize, v: &[u8]) -> Option<()> {
    d.get_mut(off..off.checked_add(v.len())?)?
        .copy_from_slice(v);
    Some(())
}

fn pad(out: &mut Vec<u8>, align: usize) {
    while !out.len().is_multiple_of(align) {
        out.push(0);
    }
}

/// The sfnt table checksum: the wrapping sum of big-endian u32 words, zero-padded.
fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |acc, c| {
        let mut w = [0u8; 4];
        for (d, s) in w.iter_mut().zip(c) {
            *d = *s;
        }
        acc.wrapping_add(u32::from_be_bytes(w))
    })
}

/// Tables a PDF CID font (CIDFontType2 with `/CIDToGIDMap /Identity`) does not
/// read: names and PostScript glyph names (ISO 32000-1 §9.9 lists the tables
/// required; these are not among them).
const NOT_READ_BY_PDF: [&[u8; 4]; 2] = [b"name", b"post"];

/// Removes the hinting of the TrueType font program `sfnt`; see the module docs.
#[cfg(test)]
fn strip_hinting(sfnt: &[u8]) -> Option<Vec<u8>> {
    strip(sfnt, &[], None)
}

/// Removes the hinting (see the module docs), drops the `post` table and keeps of `name` only the
/// PostScript name `ps_name` (the PDF writer's /BaseFont): the font program for a PDF's CID font,
/// 1.4–2.3 KB smaller for each subset.
pub fn strip_for_pdf(sfnt: &[u8], ps_name: &str) -> Option<Vec<u8>> {
    strip(sfnt, &NOT_READ_BY_PDF, Some(ps_name))
}

fn strip(sfnt: &[u8], also: &[&[u8; 4]], ps_name: Option<&str>) -> Option<Vec<u8>> {
    let version = u32_at(sfnt, 0)?;
    if version != 0x0001_0000 && version != u32::from_be_bytes(*b"true") {
        return None;
    }
    let num_tables = usize::from(u16_at(sfnt, 4)?);
    let mut tables: Vec<([u8; 4], Cow<'_, [u8]>)> = Vec::with_capacity(num_tables);
    for i in 0..num_tables {
        let rec = i.checked_mul(16)?.checked_add(12)?;
        let rec = sfnt.get(rec..rec.checked_add(16)?)?;
        let tag: [u8; 4] = bytes(rec, 0)?;
        let off = usize::try_from(u32_at(rec, 8)?).ok()?;
        let len = usize::try_from(u32_at(rec, 12)?).ok()?;
        tables.push((tag, Cow::Borrowed(sfnt.get(off..off.checked_add(len)?)?)));
    }
    tables.sort_by_key(|(t, _)| *t);
    if tables.windows(2).any(|w| matches!(w, [a, b] if a.0 == b.0)) {
        return None; // Duplicate tags.
    }
    let find = |tag: &[u8; 4]| tables.iter().find(|(t, _)| t == tag).map(|(_, d)| d);
    let mut head = find(b"head")?.to_vec();
    let mut maxp = find(b"maxp")?.to_vec();
    let (glyf, loca) = (find(b"glyf")?, find(b"loca")?);
    if head.len() < 54 || u32_at(&head, 12)? != 0x5F0F_3CF5 {
        return None;
    }
    let long = match u16_at(&head, 50)? {
        0 => false,
        1 => true,
        _ => return None,
    };
    let num_glyphs = usize::from(u16_at(&maxp, 4)?);
    let (mut new_glyf, offsets) = strip_glyf(glyf, loca, long, num_glyphs)?;
    let long = long || new_glyf.len() > 0x1FFFE;
    let mut new_loca = Vec::with_capacity(offsets.len().checked_mul(4)?);
    for off in offsets {
        if long {
            new_loca.extend_from_slice(&u32::try_from(off).ok()?.to_be_bytes());
        } else {
            new_loca.extend_from_slice(&u16::try_from(off / 2).ok()?.to_be_bytes());
        }
    }
    put(&mut head, 8, &[0; 4])?;
    put(&mut head, 50, &u16::from(long).to_be_bytes())?;
    if u32_at(&maxp, 0)? == 0x0001_0000 && maxp.len() >= 32 {
        put(&mut maxp, 26, &[0; 2])?;
    }

    // The PDF writer reads the PostScript name (the font's /BaseFont); the
    // other names (copyright, licence text: 1.4–2.3 KB) stay out of subsets.
    let mut name = ps_name.and_then(postscript_name_only);
    tables.retain(|(t, _)| {
        !DROPPED.contains(&t) && (!also.contains(&t) || (t == b"name" && name.is_some()))
    });
    for (tag, data) in &mut tables {
        *data = match &*tag {
            b"name" => match name.take() {
                Some(n) => Cow::Owned(n),
                None => continue,
            },
            b"head" => Cow::Owned(std::mem::take(&mut head)),
            b"maxp" => Cow::Owned(std::mem::take(&mut maxp)),
            b"loca" => Cow::Owned(std::mem::take(&mut new_loca)),
            b"glyf" => Cow::Owned(std::mem::take(&mut new_glyf)),
            _ => continue,
        };
    }
    write_font(version, &tables)
}

/// A `name` table holding only the PostScript name record (name id 6,
/// Windows, UTF-16BE): `ps_name`.
fn postscript_name_only(ps_name: &str) -> Option<Vec<u8>> {
    let text: Vec<u8> = ps_name.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let mut out = Vec::with_capacity(18 + text.len());
    // Format 0, one record, strings at 18; platform 3, encoding 1, en-US.
    out.extend_from_slice(&[0, 0, 0, 1, 0, 18, 0, 3, 0, 1, 0x04, 0x09, 0, 6]);
    out.extend_from_slice(&u16::try_from(text.len()).ok()?.to_be_bytes());
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(&text);
    Some(out)
}

/// Strips every glyph's instructions; returns the new `glyf` and its `loca` offsets.
fn strip_glyf(glyf: &[u8], loca: &[u8], long: bool, n: usize) -> Option<(Vec<u8>, Vec<usize>)> {
    let entry = |i: usize| -> Option<usize> {
        if long {
            usize::try_from(u32_at(loca, i.checked_mul(4)?)?).ok()
        } else {
            usize::from(u16_at(loca, i.checked_mul(2)?)?).checked_mul(2)
        }
    };
    let align = if long { 4 } else { 2 };
    let mut out = Vec::with_capacity(glyf.len());
    let mut offsets = Vec::with_capacity(n.checked_add(1)?);
    let mut start = entry(0)?;
    for i in 0..n {
        let end = entry(i.checked_add(1)?)?;
        offsets.push(out.len());
        strip_glyph(glyf.get(start..end)?, &mut out)?;
        pad(&mut out, align);
        start = end;
    }
    offsets.push(out.len());
    Some((out, offsets))
}

/// The size of a composite glyph's component record with these flags.
fn component_len(flags: u16) -> usize {
    let words = flags & ARG_1_AND_2_ARE_WORDS != 0;
    let transform: usize = match flags {
        f if f & WE_HAVE_A_SCALE != 0 => 2,
        f if f & WE_HAVE_AN_X_AND_Y_SCALE != 0 => 4,
        f if f & WE_HAVE_A_TWO_BY_TWO != 0 => 8,
        _ => 0,
    };
    transform.saturating_add(if words { 8 } else { 6 }) // + flags, glyph index, arguments
}

/// The bytes per point of one coordinate of a simple glyph, by its flags.
fn coord_len(flag: u8, short: u8, same: u8) -> usize {
    match (flag & short != 0, flag & same != 0) {
        (true, _) => 1,
        (false, true) => 0,
        (false, false) => 2,
    }
}

/// Appends glyph description `g` to `out` without its instructions.
fn strip_glyph(g: &[u8], out: &mut Vec<u8>) -> Option<()> {
    if g.is_empty() {
        return Some(());
    }
    let contours = i16::from_be_bytes(bytes(g, 0)?);
    if contours < 0 {
        out.extend_from_slice(g.get(..10)?);
        let mut pos = 10usize;
        loop {
            let flags = u16_at(g, pos)?;
            let next = pos.checked_add(component_len(flags))?;
            out.extend_from_slice(&(flags & !WE_HAVE_INSTRUCTIONS).to_be_bytes());
            out.extend_from_slice(g.get(pos.checked_add(2)?..next)?);
            pos = next;
            if flags & MORE_COMPONENTS == 0 {
                return Some(()); // What follows (instruction length and bytes) is dropped.
            }
        }
    }
    let ends_end = 2usize
        .checked_mul(usize::try_from(contours).ok()?)?
        .checked_add(10)?;
    let num_points = match ends_end.checked_sub(2) {
        Some(last) if contours > 0 => usize::from(u16_at(g, last)?).checked_add(1)?,
        _ => 0,
    };
    let ins_len = usize::from(u16_at(g, ends_end)?);
    let flags_start = ends_end.checked_add(2)?.checked_add(ins_len)?;
    let (mut pos, mut count, mut coords) = (flags_start, 0usize, 0usize);
    while count < num_points {
        let flag = *g.get(pos)?;
        pos = pos.checked_add(1)?;
        let mut reps = 1usize;
        if flag & 0x08 != 0 {
            reps = usize::from(*g.get(pos)?).checked_add(1)?;
            pos = pos.checked_add(1)?;
        }
        count = count.checked_add(reps)?;
        if count > num_points {
            return None;
        }
        let x = reps.checked_mul(coord_len(flag, 0x02, 0x10))?;
        let y = reps.checked_mul(coord_len(flag, 0x04, 0x20))?;
        coords = coords.checked_add(x)?.checked_add(y)?;
    }
    let end = pos.checked_add(coords)?;
    out.extend_from_slice(g.get(..ends_end)?);
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(g.get(flags_start..end)?);
    Some(())
}

/// Writes an sfnt from `tables` (sorted by tag, `head` with checkSumAdjustment zeroed).
fn write_font(version: u32, tables: &[([u8; 4], Cow<'_, [u8]>)]) -> Option<Vec<u8>> {
    let count = u16::try_from(tables.len()).ok()?;
    let selector = count.checked_ilog2()?;
    let search_range = u16::try_from(2u32.checked_pow(selector)?.checked_mul(16)?).ok()?;
    let selector = u16::try_from(selector).ok()?;
    let range_shift = count.checked_mul(16)?.checked_sub(search_range)?;
    let dir_len = tables.len().checked_mul(16)?.checked_add(12)?;
    let total = tables.iter().try_fold(dir_len, |acc, (_, d)| {
        acc.checked_add(d.len())?.checked_add(3)
    })?;
    let mut font = Vec::with_capacity(total);
    font.extend_from_slice(&version.to_be_bytes());
    for v in [count, search_range, selector, range_shift] {
        font.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = dir_len;
    let mut adjustment_at = None;
    for (tag, data) in tables {
        if tag == b"head" {
            adjustment_at = Some(offset.checked_add(8)?);
        }
        font.extend_from_slice(tag);
        font.extend_from_slice(&checksum(data).to_be_bytes());
        font.extend_from_slice(&u32::try_from(offset).ok()?.to_be_bytes());
        font.extend_from_slice(&u32::try_from(data.len()).ok()?.to_be_bytes());
        offset = offset.checked_add(data.len())?.checked_add(3)? & !3;
    }
    for (_, data) in tables {
        font.extend_from_slice(data);
        pad(&mut font, 4);
    }
    let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&font));
    put(&mut font, adjustment_at?, &adjustment.to_be_bytes())?;
    Some(font)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustybuzz::ttf_parser::{Face, GlyphId, OutlineBuilder, RawFace, Tag};

    const REGULAR: &[u8] = include_bytes!("../../fonts/Tinos-Regular.ttf");
    const BOLD: &[u8] = include_bytes!("../../fonts/Tinos-Bold.ttf");

    fn subset(font: &[u8]) -> Vec<u8> {
        let remapper = subsetter::GlyphRemapper::new_from_glyphs(&[0, 36, 37, 68, 69, 70, 1000]);
        subsetter::subset(font, 0, &remapper).unwrap()
    }

    #[derive(Default, PartialEq, Debug)]
    struct Rec(Vec<[f32; 6]>);
    impl OutlineBuilder for Rec {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.push([1., x, y, 0., 0., 0.]);
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.push([2., x, y, 0., 0., 0.]);
        }
        fn quad_to(&mut self, a: f32, b: f32, x: f32, y: f32) {
            self.0.push([3., a, b, x, y, 0.]);
        }
        fn curve_to(&mut self, a: f32, b: f32, c: f32, d: f32, x: f32, y: f32) {
            self.0.push([a, b, c, d, x, y]);
        }
        fn close(&mut self) {
            self.0.push([0.; 6]);
        }
    }

    /// The table records: tag, data, checksum.
    fn directory(font: &[u8]) -> Vec<([u8; 4], &[u8], u32)> {
        let rec = |i: usize, at: usize| u32_at(font, 12 + 16 * i + at).unwrap();
        let n = u16_at(font, 4).unwrap() as usize;
        let data = |i| &font[rec(i, 8) as usize..][..rec(i, 12) as usize];
        let record = |i| (rec(i, 0).to_be_bytes(), data(i), rec(i, 4));
        (0..n).map(record).collect()
    }

    /// The raw description of glyph `gid`, read through `head` and `loca`.
    fn glyph(font: &[u8], gid: usize) -> &[u8] {
        let table = |tag| {
            RawFace::parse(font, 0)
                .unwrap()
                .table(Tag::from_bytes(tag))
                .unwrap()
        };
        let (loca, glyf) = (table(b"loca"), table(b"glyf"));
        let entry = |i: usize| match u16_at(table(b"head"), 50).unwrap() {
            0 => u16_at(loca, 2 * i).unwrap() as usize * 2,
            _ => u32_at(loca, 4 * i).unwrap() as usize,
        };
        &glyf[entry(gid)..entry(gid + 1)]
    }

    /// Search fields, sorted tags, alignment, table checksums (head's taken with
    /// checkSumAdjustment zeroed) and the whole-font sum.
    fn assert_valid(font: &[u8]) {
        let dir = directory(font);
        let (n, log) = (dir.len() as u16, dir.len().ilog2() as u16);
        let fields = [16 << log, log, n * 16 - (16 << log)];
        assert_eq!(fields, [6, 8, 10].map(|at| u16_at(font, at).unwrap()));
        assert!(dir.windows(2).all(|w| w[0].0 < w[1].0), "sorted");
        for (tag, data, sum) in dir {
            assert_eq!((data.as_ptr() as usize - font.as_ptr() as usize) % 4, 0);
            let mut data = data.to_vec();
            if &tag == b"head" {
                data[8..12].fill(0);
            }
            assert_eq!(checksum(&data), sum, "{}", String::from_utf8_lossy(&tag));
        }
        assert_eq!((font.len() % 4, checksum(font)), (0, 0xB1B0AFBA));
    }

    /// `stripped` is `orig` without hinting, and draws the same.
    fn assert_equivalent(orig: &[u8], stripped: &[u8]) {
        assert_valid(stripped);
        let a = Face::parse(orig, 0).unwrap();
        let b = Face::parse(stripped, 0).unwrap();
        for tag in DROPPED {
            assert!(b.raw_face().table(Tag::from_bytes(tag)).is_none());
        }
        for (tag, data, _) in directory(orig) {
            if !DROPPED.contains(&&tag) && ![b"head", b"maxp", b"loca", b"glyf"].contains(&&tag) {
                assert_eq!(Some(data), b.raw_face().table(Tag::from_bytes(&tag)));
            }
        }
        assert_eq!(a.number_of_glyphs(), b.number_of_glyphs());
        let (mut composites, mut hinted) = (0, 0);
        for id in (0..a.number_of_glyphs()).map(GlyphId) {
            let (mut ra, mut rb) = (Rec::default(), Rec::default());
            let (ba, bb) = (a.outline_glyph(id, &mut ra), b.outline_glyph(id, &mut rb));
            assert_eq!((ba, ra), (bb, rb), "outline of {id:?}");
            assert_eq!(a.glyph_hor_advance(id), b.glyph_hor_advance(id));
            assert_eq!(a.glyph_hor_side_bearing(id), b.glyph_hor_side_bearing(id));
            let (ga, gb) = (glyph(orig, id.0.into()), glyph(stripped, id.0.into()));
            assert_eq!(ga.get(..10), gb.get(..10), "header and bbox of {id:?}");
            let Some(contours) = u16_at(ga, 0).map(|c| c as i16) else {
                continue;
            };
            if contours >= 0 {
                let at = 10 + 2 * contours as usize;
                hinted += usize::from(u16_at(ga, at).unwrap() > 0);
                assert_eq!(u16_at(gb, at), Some(0), "{id:?} instructions");
                continue;
            }
            let (mut pos, mut instructions) = (10, false);
            while let Some(flags) = u16_at(gb, pos) {
                assert_eq!(flags & WE_HAVE_INSTRUCTIONS, 0);
                instructions |= u16_at(ga, pos).unwrap() & WE_HAVE_INSTRUCTIONS != 0;
                pos += component_len(flags);
                if flags & MORE_COMPONENTS == 0 {
                    break;
                }
            }
            assert!(gb.len() - pos < 4, "only padding after the components");
            (composites, hinted) = (composites + 1, hinted + usize::from(instructions));
        }
        let n = a.number_of_glyphs();
        eprintln!("{n} glyphs, {composites} composite, {hinted} hinted");
        assert!(composites > 0 && hinted > 0);
    }

    fn strip_and_check(name: &str, orig: &[u8], max_percent: usize) {
        let stripped = strip_hinting(orig).expect("a TrueType font");
        assert_equivalent(orig, &stripped);
        assert_eq!(strip_hinting(&stripped).as_ref(), Some(&stripped));
        let (before, after) = (orig.len(), stripped.len());
        let saved = 100.0 * (1.0 - after as f64 / before as f64);
        eprintln!("{name}: {before} -> {after} bytes ({saved:.1}% smaller)");
        assert!(after * 100 <= before * max_percent, "{name}: too big");
    }

    #[test]
    fn strips_whole_fonts_and_subsets() {
        for (name, font) in [("Tinos-Regular", REGULAR), ("Tinos-Bold", BOLD)] {
            strip_and_check(name, font, 85);
            strip_and_check(&format!("{name} subset"), &subset(font), 75);
        }
    }

    #[test]
    fn pdf_font_programs_keep_only_the_postscript_name_and_the_outlines() {
        for font in [REGULAR, BOLD] {
            let sub = subset(font);
            let hinting_only = strip_hinting(&sub).expect("a TrueType font");
            let for_pdf = strip_for_pdf(&sub, "Tinos-Test").expect("a TrueType font");
            assert_valid(&for_pdf);
            let tags = |f: &[u8]| -> Vec<[u8; 4]> {
                directory(f).into_iter().map(|(t, _, _)| t).collect()
            };
            let kept: Vec<[u8; 4]> = tags(&hinting_only)
                .into_iter()
                .filter(|t| t != b"post")
                .collect();
            assert!(
                tags(&hinting_only).contains(b"name"),
                "test needs a name table"
            );
            assert_eq!(tags(&for_pdf), kept);
            for tag in kept {
                let table = |f: &[u8]| {
                    directory(f)
                        .into_iter()
                        .find(|(t, _, _)| *t == tag)
                        .map(|(_, d, _)| d.to_vec())
                };
                if &tag == b"name" {
                    // Only the PostScript name is left.
                    let name = table(&for_pdf).expect("a name table");
                    let text: Vec<u8> = "Tinos-Test"
                        .encode_utf16()
                        .flat_map(u16::to_be_bytes)
                        .collect();
                    assert_eq!(&name[..2], &[0, 0]);
                    assert_eq!(&name[2..4], &[0, 1], "one name record");
                    assert!(name.ends_with(&text));
                } else if &tag != b"head" {
                    assert_eq!(table(&hinting_only), table(&for_pdf), "{tag:?} changed");
                }
            }
            // Every other table (glyf, loca, hmtx…) is byte for byte the same.
        }
    }

    /// Stripping never panics, and whatever it returns is well formed.
    fn check_any(input: &[u8]) -> bool {
        let Some(out) = strip_hinting(input) else {
            return false;
        };
        assert_valid(&out);
        assert!(Face::parse(input, 0).is_err() || Face::parse(&out, 0).is_ok());
        true
    }

    #[test]
    fn garbage_never_panics() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut rng = move |n: usize| {
            seed ^= seed >> 12;
            seed ^= seed << 25;
            seed ^= seed >> 27;
            (seed.wrapping_mul(0x2545_F491_4F6C_DD1D) % n as u64) as usize
        };
        let sub = subset(REGULAR);
        check_any(&[]);
        for _ in 0..2000 {
            let mut data: Vec<u8> = (0..rng(300)).map(|_| rng(256) as u8).collect();
            if rng(2) == 0 {
                let header = [0, 1, 0, 0, 0, rng(12) as u8]; // TrueType, a few tables
                data.splice(..data.len().min(6), header);
            }
            check_any(&data);
        }
        (0..sub.len()).for_each(|len| _ = check_any(&sub[..len]));
        (0..200).for_each(|i| _ = check_any(&REGULAR[..REGULAR.len() * i / 200]));
        let mut stripped = 0;
        for _ in 0..3000 {
            let mut data = sub.clone();
            for _ in 0..1 + rng(4) {
                let at = rng(data.len());
                data[at] = rng(256) as u8;
            }
            stripped += usize::from(check_any(&data));
        }
        eprintln!("{stripped}/3000 corrupted subsets still stripped");
    }

    #[test]
    fn refuses_what_it_does_not_know() {
        for version in [b"OTTO", b"ttcf", b"\0\0\0\0"] {
            let mut font = subset(REGULAR);
            font[..4].copy_from_slice(version);
            assert!(strip_hinting(&font).is_none());
        }
        for tag in [b"glyf", b"loca", b"head", b"maxp"] {
            let mut font = subset(REGULAR);
            let i = directory(&font).iter().position(|t| &t.0 == tag).unwrap();
            font[12 + 16 * i..16 + 16 * i].copy_from_slice(b"zzzz");
            assert!(strip_hinting(&font).is_none(), "{tag:?}");
        }
    }
}
