//! The document's frame: header block, title, signature with recipients, page numbers.
//!
//! Takes `[van_ban]`, `[ky]` and the profile; returns units for the flow (header and
//! title at the top of page 1, the signature block at the end) and the page-number
//! items. Every size, position and label comes from the profile.
use super::pages::Unit;
use super::par::{self, Align, ParStyle};
use super::shape::Shaper;
use super::{mm, Item, TextRun};
use crate::fonts::Style;
use crate::input::{DocMeta, Signer};
use crate::markup::Run;
use crate::profile::{LineSpec, Profile};

/// The text area of a page, pt.
#[derive(Debug, Clone, Copy)]
pub struct Area {
    pub left: f32,
    pub width: f32,
    /// Height of the text area.
    pub height: f32,
}

/// Values the `{placeholders}` of a profile's lines stand for.
pub struct Values<'a> {
    pub pairs: Vec<(&'static str, String)>,
    _meta: &'a DocMeta,
}

impl<'a> Values<'a> {
    /// The values of a document.
    pub fn new(meta: &'a DocMeta, signer: &Signer, settings: &crate::vn::Settings) -> Values<'a> {
        let d = meta.date;
        // Without a number yet (a draft), leave room to write it in by hand.
        let so_hieu = match meta.number {
            Some(n) => crate::vn::document_number(n, &meta.symbol, settings),
            None => crate::vn::document_number(0, &meta.symbol, settings).replacen(
                "00",
                "\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}",
                1,
            ),
        };
        Values {
            pairs: vec![
                ("co_quan_cap_tren", meta.parent_body.clone()),
                ("co_quan", meta.issuer.clone()),
                ("so_hieu", so_hieu),
                ("ky_hieu", meta.symbol.clone()),
                ("dia_danh", meta.place.clone()),
                ("ngay", crate::vn::format_date_long(&d)),
                ("loai", meta.kind.clone()),
                ("trich_yeu", meta.summary.clone()),
                ("quyen_han", signer.authority.clone()),
                ("chuc_vu", signer.position.clone()),
                ("ho_ten", signer.name.clone()),
            ],
            _meta: meta,
        }
    }

    /// Fill `{name}` placeholders; `None` if a placeholder's value is empty.
    pub fn fill(&self, template: &str, extra: &[(&str, &str)]) -> Option<String> {
        let mut out = template.to_string();
        for (k, v) in self
            .pairs
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .chain(extra.iter().copied())
        {
            let key = format!("{{{k}}}");
            if out.contains(&key) {
                if v.trim().is_empty() {
                    return None;
                }
                out = out.replace(&key, v);
            }
        }
        let t = out.trim();
        if t.is_empty() {
            None
        } else {
            Some(t.to_string())
        }
    }
}

/// Lines of `text` set centred (or `align`) in a column, with the spec's style.
fn spec_lines(
    shaper: &mut Shaper,
    overlong: &mut Vec<String>,
    text: &str,
    spec: &LineSpec,
    (left, width, lh): (f32, f32, f32),
    align: Align,
) -> Vec<par::LineBox> {
    let runs = vec![Run {
        text: text.to_string(),
        bold: false,
        italic: false,
    }];
    let ps = ParStyle {
        size: spec.size,
        line_height: lh,
        first_indent: 0.0,
        left,
        width,
        align,
        bold: spec.bold,
        italic: spec.italic,
    };
    par::layout(shaper, &runs, None, &ps, overlong)
}

/// Horizontal extent of a line's text.
fn extent(items: &[Item]) -> Option<(f32, f32)> {
    let mut lo = f32::INFINITY;
    let mut hi = f32::NEG_INFINITY;
    for it in items {
        if let Item::Text(t) = it {
            let mut w = t.width();
            // Do not count a trailing space.
            if t.glyphs.last().is_some_and(|g| &*g.text == " ") {
                w -= t.glyphs.last().map(|g| g.adv).unwrap_or(0.0) * t.size / 1000.0;
            }
            lo = lo.min(t.x);
            hi = hi.max(t.x + w);
        }
    }
    (lo <= hi).then_some((lo, hi))
}

/// Where and how a column of lines is set.
#[derive(Clone, Copy)]
struct Col {
    left: f32,
    width: f32,
    /// Line height, pt.
    lh: f32,
    /// Baseline to rule, pt.
    rule_gap: f32,
    /// Rule width, pt.
    rule_w: f32,
    align: Align,
}

/// A column of spec lines stacked from y = 0; returns items and height.
/// Words too long for the column are broken inside and added to `overlong`.
fn column(
    shaper: &mut Shaper,
    overlong: &mut Vec<String>,
    lines: &[(String, &LineSpec)],
    c: Col,
) -> (Vec<Item>, f32) {
    let Col {
        left,
        width,
        lh,
        rule_gap,
        rule_w,
        align,
    } = c;
    let mut items = Vec::new();
    let mut y = 0.0;
    for (text, spec) in lines {
        let boxes = spec_lines(shaper, overlong, text, spec, (left, width, lh), align);
        let base = par::baseline(shaper, spec.size, lh);
        let mut lo = f32::INFINITY;
        let mut hi = f32::NEG_INFINITY;
        for b in boxes {
            if let Some((a, z)) = extent(&b.items) {
                lo = lo.min(a);
                hi = hi.max(z);
                if spec.underline {
                    items.push(Item::Rule {
                        x1: a,
                        y1: y + base + 1.8,
                        x2: z,
                        y2: y + base + 1.8,
                        width: 0.6,
                    });
                }
            }
            items.extend(b.items.into_iter().map(|it| it.shifted(0.0, y)));
            y += b.height;
        }
        if spec.rule > 0.0 && lo <= hi {
            let w = (hi - lo) * spec.rule;
            let mid = (lo + hi) / 2.0;
            let ry = y - lh + base + rule_gap;
            items.push(Item::Rule {
                x1: mid - w / 2.0,
                y1: ry,
                x2: mid + w / 2.0,
                y2: ry,
                width: rule_w,
            });
        }
    }
    (items, y)
}

/// The header block and title: one unit for the top of page 1.
/// Words too long for their column are broken inside and added to `overlong`.
pub fn header(
    shaper: &mut Shaper,
    overlong: &mut Vec<String>,
    p: &Profile,
    v: &Values,
    area: Area,
) -> Unit {
    let h = &p.header;
    let lw = area.width * h.left_column;
    let rw = area.width - lw;
    let left: Vec<(String, &LineSpec)> = h
        .left
        .iter()
        .filter_map(|s| v.fill(&s.text, &[]).map(|t| (t, s)))
        .collect();
    let right: Vec<(String, &LineSpec)> = h
        .right
        .iter()
        .filter_map(|s| v.fill(&s.text, &[]).map(|t| (t, s)))
        .collect();
    let hc = |left: f32, width: f32| Col {
        left,
        width,
        lh: h.line_height,
        rule_gap: h.rule_gap,
        rule_w: h.rule_width,
        align: Align::Center,
    };
    let (mut items, lh_left) = column(shaper, overlong, &left, hc(area.left, lw));
    let (ri, lh_right) = column(shaper, overlong, &right, hc(area.left + lw, rw));
    items.extend(ri);
    // Number (left) and place-date (right) share a row under both columns, on one
    // baseline even when their sizes differ (State: 13 and 14 pt).
    let row_y = lh_left.max(lh_right) + h.number_row_space;
    let (b_so, b_ngay) = (
        par::baseline(shaper, h.number.size, h.line_height),
        par::baseline(shaper, h.date.size, h.line_height),
    );
    let common = b_so.max(b_ngay);
    let mut y = row_y;
    for (spec, base, left, width) in [
        (&h.number, b_so, area.left, lw),
        (&h.date, b_ngay, area.left + lw, rw),
    ] {
        if let Some(t) = v.fill(&spec.text, &[]) {
            let dy = common - base;
            let (ri, rh) = column(shaper, overlong, &[(t, spec)], hc(left, width));
            items.extend(ri.into_iter().map(|i| i.shifted(0.0, row_y + dy)));
            y = y.max(row_y + rh + dy);
        }
    }
    // Title, summary, and the short line under it.
    let t = &p.title;
    y += t.space_before;
    let title_lines: Vec<(String, &LineSpec)> = [&t.kind, &t.summary, &t.rule_line]
        .into_iter()
        .filter_map(|s| v.fill(&s.text, &[]).map(|x| (x, s)))
        .collect();
    let (ti, th) = column(
        shaper,
        overlong,
        &title_lines,
        Col {
            lh: p.body.line_height,
            ..hc(area.left, area.width)
        },
    );
    items.extend(ti.into_iter().map(|i| i.shifted(0.0, y)));
    y += th;
    Unit::new(y, 0.0, items)
}

/// The signature block with the recipients beside it: one unbreakable unit.
pub fn signature(
    shaper: &mut Shaper,
    overlong: &mut Vec<String>,
    p: &Profile,
    v: &Values,
    noi_nhan: &[String],
    area: Area,
) -> Unit {
    let k = &p.signature;
    let rw = area.width * k.right_column;
    let lw = area.width - rw;
    let mut right: Vec<(String, &LineSpec)> = Vec::new();
    for s in [&k.authority, &k.position] {
        if let Some(t) = v.fill(&s.text, &[]) {
            right.push((t, s));
        }
    }
    let sig = Col {
        left: area.left + lw,
        width: rw,
        lh: k.line_height,
        rule_gap: 0.0,
        rule_w: 0.6,
        align: Align::Center,
    };
    let (mut items, mut rh) = column(shaper, overlong, &right, sig);
    rh += k.blank_lines as f32 * k.line_height;
    if let Some(t) = v.fill(&k.name.text, &[]) {
        let (ni, nh) = column(shaper, overlong, &[(t, &k.name)], sig);
        items.extend(ni.into_iter().map(|i| i.shifted(0.0, rh)));
        rh += nh;
    }
    let n = &p.recipients;
    let mut lh = 0.0;
    if !noi_nhan.is_empty() {
        if let Some(t) = v.fill(&n.title.text, &[]) {
            let (ti, th) = column(
                shaper,
                overlong,
                &[(t, &n.title)],
                Col {
                    left: area.left,
                    width: lw,
                    align: Align::Left,
                    ..sig
                },
            );
            items.extend(ti);
            lh += th;
        }
        let last = noi_nhan.len().saturating_sub(1);
        let lines: Vec<(String, &LineSpec)> = noi_nhan
            .iter()
            .enumerate()
            .map(|(i, d)| {
                with_ending(
                    d,
                    if i == last {
                        &n.last_line_end
                    } else {
                        &n.line_end
                    },
                )
            })
            .filter_map(|d| {
                v.fill(&n.line.text, &[("dong", d.as_str())])
                    .map(|t| (t, &n.line))
            })
            .collect();
        let (li, lhh) = column(
            shaper,
            overlong,
            &lines,
            Col {
                left: area.left,
                width: lw - 6.0,
                lh: n.line_height,
                align: Align::Left,
                ..sig
            },
        );
        items.extend(li.into_iter().map(|i| i.shifted(0.0, lh)));
        lh += lhh;
    }
    let mut u = Unit::new(rh.max(lh), k.space_before, items);
    u.break_before = false;
    u
}

/// A recipient line with the profile's closing punctuation in place of its own
/// (an empty `ending` keeps the line as written).
pub fn with_ending(line: &str, ending: &str) -> String {
    if ending.is_empty() {
        return line.to_string();
    }
    let core = line.trim_end().trim_end_matches([',', ';', '.']);
    format!("{core}{ending}")
}

/// The page number `n`, centred over the text area in the top margin.
pub fn page_number(shaper: &mut Shaper, p: &Profile, n: usize, area: Area) -> Item {
    let size = p.page_numbers.font_size;
    let (glyphs, w) = par::line_of(shaper, &n.to_string(), Style::Regular, size);
    // Digits are about 0.66 em tall: put their middle at the profile's distance.
    let y = mm(p.page_numbers.from_top) + 0.33 * size;
    Item::Text(TextRun {
        x: area.left + (area.width - w) / 2.0,
        y,
        style: Style::Regular,
        size,
        glyphs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipient_endings_follow_the_profile() {
        assert_eq!(
            with_ending("Ban Thường vụ Tỉnh ủy (b/c),", ";"),
            "Ban Thường vụ Tỉnh ủy (b/c);"
        );
        assert_eq!(with_ending("Lưu: VT, VP", "."), "Lưu: VT, VP.");
        assert_eq!(
            with_ending("Lưu Văn phòng Thành ủy.", "."),
            "Lưu Văn phòng Thành ủy."
        );
        assert_eq!(with_ending("như trên,", ""), "như trên,");
    }
}
