//! The document's frame: header block, title, signature with recipients, page numbers.
//!
//! Takes `[van_ban]`, `[ky]` and the profile; returns units for the flow (header and
//! title at the top of page 1, the signature block at the end) and the page-number
//! items. Every size, position and label comes from the profile.
use super::pages::Unit;
use super::par::{self, Align, ParStyle};
use super::shape::Shaper;
use super::{mm, Item, Role, Tag, TextRun};
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
        // The number and symbol as a citation gives them ("125/BC-UBND").
        let so_ky_hieu = so_hieu
            .strip_prefix("Số: ")
            .or_else(|| so_hieu.strip_prefix("Số "))
            .unwrap_or(&so_hieu)
            .to_string();
        Values {
            pairs: vec![
                ("co_quan_cap_tren", meta.parent_body.clone()),
                ("co_quan", meta.issuer.clone()),
                ("ten_co_quan", meta.issuer_name.clone()),
                ("so_ky_hieu", so_ky_hieu),
                (
                    "ngay_trich_dan",
                    crate::vn::format_date_citation(&d, settings.date_style()),
                ),
                ("loai_van_ban", super::appendix::sentence_case(&meta.kind)),
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

    /// The placeholder of `template` whose value is longest, if any has a value.
    pub fn longest_in(&self, template: &str) -> Option<&'static str> {
        self.pairs
            .iter()
            .filter(|(k, v)| !v.trim().is_empty() && template.contains(&format!("{{{k}}}")))
            .max_by_key(|(_, v)| v.chars().count())
            .map(|(k, _)| *k)
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

/// Lines of `text` set centred (or `align`) in a column, with the spec's style,
/// as display lines (broken between words). Lines after the first are
/// indented `hang` pt (a hanging indent).
pub fn spec_lines(
    shaper: &mut Shaper,
    overlong: &mut Vec<String>,
    text: &str,
    spec: &LineSpec,
    (left, width, lh, hang): (f32, f32, f32, f32),
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
        first_indent: -hang,
        left: left + hang,
        width: width - hang,
        align,
        bold: spec.bold,
        italic: spec.italic,
    };
    par::layout_display(shaper, &runs, &ps, overlong)
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
pub(super) struct Col {
    pub(super) left: f32,
    pub(super) width: f32,
    /// Line height, pt.
    pub(super) lh: f32,
    /// Baseline to rule, pt.
    pub(super) rule_gap: f32,
    /// Rule width, pt.
    pub(super) rule_w: f32,
    pub(super) align: Align,
}

/// A column of spec lines stacked from y = 0, and where each typeset line lies.
pub(super) struct Stack {
    pub(super) items: Vec<Item>,
    pub(super) height: f32,
    lines: Vec<Slice>,
}

/// One typeset line of a [`Stack`].
#[derive(Clone, Copy)]
struct Slice {
    top: f32,
    height: f32,
    /// End of the line's items in the stack's `items` (they begin where the
    /// previous line's end).
    end: usize,
    /// Index of the spec line it was set from.
    from: usize,
}

impl Stack {
    /// Tag each spec line's text as one element of `role`, its id `*next`
    /// plus the line's index (`*next` moves past them); a line of dashes (the
    /// "-----" under the title) is decoration, an artifact.
    fn tagged(mut self, role: Role, next: &mut u32) -> Stack {
        let mut start = 0;
        let mut n = 0;
        for s in &self.lines {
            let items = self.items.get_mut(start..s.end).unwrap_or_default();
            start = s.end;
            let dashes = items.iter().all(|it| match it {
                Item::Text(t) => t.glyphs.iter().all(|g| matches!(&*g.text, "-" | " " | "")),
                Item::Rule { .. } => true,
            });
            let from = u32::try_from(s.from).unwrap_or(u32::MAX);
            n = n.max(from.saturating_add(1));
            let tag = if dashes {
                Tag::default()
            } else {
                Tag {
                    role,
                    id: next.saturating_add(from),
                }
            };
            tag.set(items);
        }
        *next = next.saturating_add(n);
        self
    }

    /// How many typeset lines the spec line `from` took.
    fn count(&self, from: usize) -> usize {
        self.lines.iter().filter(|s| s.from == from).count()
    }

    /// The items of the first `k` lines as they are, and each later line with
    /// its items moved to be relative to the line's top.
    fn split_off(self, k: usize) -> (Vec<Item>, Vec<(Slice, Vec<Item>)>) {
        let cut = match k.checked_sub(1) {
            Some(i) => self.lines.get(i).map_or(self.items.len(), |s| s.end),
            None => 0,
        };
        let mut items = self.items.into_iter();
        let head: Vec<Item> = items.by_ref().take(cut).collect();
        let mut start = cut;
        let rest = self
            .lines
            .into_iter()
            .skip(k)
            .map(|s| {
                let n = s.end.saturating_sub(start);
                start = s.end;
                let its = items
                    .by_ref()
                    .take(n)
                    .map(|i| i.shifted(0.0, -s.top))
                    .collect();
                (s, its)
            })
            .collect();
        (head, rest)
    }
}

/// A column of spec lines stacked from y = 0.
/// Words too long for the column are broken inside and added to `overlong`.
pub(super) fn column(
    shaper: &mut Shaper,
    overlong: &mut Vec<String>,
    lines: &[(String, &LineSpec)],
    c: Col,
) -> Stack {
    column_hanging(shaper, overlong, lines, c, 0.0)
}

/// [`column`] with each spec line's continuation lines indented `hang` pt.
fn column_hanging(
    shaper: &mut Shaper,
    overlong: &mut Vec<String>,
    lines: &[(String, &LineSpec)],
    c: Col,
    hang: f32,
) -> Stack {
    let Col {
        left,
        width,
        lh,
        rule_gap,
        rule_w,
        align,
    } = c;
    let mut items = Vec::new();
    let mut slices = Vec::new();
    let mut y = 0.0;
    for (from, (text, spec)) in lines.iter().enumerate() {
        let boxes = spec_lines(shaper, overlong, text, spec, (left, width, lh, hang), align);
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
            slices.push(Slice {
                top: y,
                height: b.height,
                end: items.len(),
                from,
            });
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
            // The rule goes with the spec line's last typeset line.
            if let Some(s) = slices.last_mut() {
                s.end = items.len();
            }
        }
    }
    Stack {
        items,
        height: y,
        lines: slices,
    }
}

/// A part of the frame that cannot continue on the next page (the header
/// block, the signature block) is taller than a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooTall {
    /// The `{placeholder}` whose value is set over the most lines in that
    /// part, if a value is to blame (not the profile's own text).
    pub key: Option<&'static str>,
    /// Lines that value takes.
    pub lines: usize,
    /// At least this many lines must go for the part to fit.
    pub excess: usize,
}

/// What to blame for a part `excess` pt too tall: the spec line set over the
/// most lines (`(template, lines)`), and in it the longest value.
fn blame(v: &Values, lines: &[(&str, usize)], excess: f32, lh: f32) -> TooTall {
    let (template, n) = lines
        .iter()
        .copied()
        .max_by_key(|(_, n)| *n)
        .unwrap_or(("", 0));
    let excess = (excess / lh.max(1.0)).ceil().max(1.0);
    TooTall {
        key: v.longest_in(template),
        lines: n,
        excess: excess as usize,
    }
}

/// Each spec line's template and how many lines it took in `stack`.
fn taken<'s>(specs: &[(String, &'s LineSpec)], stack: &Stack) -> Vec<(&'s str, usize)> {
    specs
        .iter()
        .enumerate()
        .map(|(i, (_, s))| (s.text.as_str(), stack.count(i)))
        .collect()
}

/// The filled lines of `specs` (a line whose value is empty is left out).
fn filled<'s>(
    v: &Values,
    specs: impl IntoIterator<Item = &'s LineSpec>,
) -> Vec<(String, &'s LineSpec)> {
    specs
        .into_iter()
        .filter_map(|s| v.fill(&s.text, &[]).map(|t| (t, s)))
        .collect()
}

/// The header block and title for the top of page 1: one unit when they fit on
/// the page (always, in practice). Words too long for their column are broken
/// inside and added to `overlong`. The header block cannot continue on the next
/// page: if it leaves no room on page 1 for the title's first line, the value
/// to shorten is returned.
pub fn header(
    shaper: &mut Shaper,
    overlong: &mut Vec<String>,
    p: &Profile,
    v: &Values,
    area: Area,
) -> Result<Vec<Unit>, TooTall> {
    let h = &p.header;
    let lw = area.width * h.left_column;
    let rw = area.width - lw;
    let left = filled(v, &h.left);
    let right = filled(v, &h.right);
    let hc = |left: f32, width: f32| Col {
        left,
        width,
        lh: h.line_height,
        rule_gap: h.rule_gap,
        rule_w: h.rule_width,
        align: Align::Center,
    };
    // Structure tags: one element per spec line, in reading order.
    let mut next = 0;
    let ls = column(shaper, overlong, &left, hc(area.left, lw)).tagged(Role::Header, &mut next);
    let rs =
        column(shaper, overlong, &right, hc(area.left + lw, rw)).tagged(Role::Header, &mut next);
    let mut lines = taken(&left, &ls);
    lines.extend(taken(&right, &rs));
    // Number (left) and place-date (right) share a row under both columns, on one
    // baseline even when their sizes differ (State: 13 and 14 pt).
    let row_y = ls.height.max(rs.height) + h.number_row_space;
    let mut items = ls.items;
    items.extend(rs.items);
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
            let row = column(shaper, overlong, &[(t, spec)], hc(left, width))
                .tagged(Role::Header, &mut next);
            lines.push((spec.text.as_str(), row.lines.len()));
            items.extend(row.items.into_iter().map(|i| i.shifted(0.0, row_y + dy)));
            y = y.max(row_y + row.height + dy);
        }
    }
    let head = Head { items, height: y };
    with_title(shaper, overlong, (p, v, area), head, &lines)
}

/// The header block, laid out.
struct Head {
    items: Vec<Item>,
    height: f32,
}

/// The title (type, summary, the short line under it) under the header block.
/// A title too long for page 1 continues on the next page, a unit a line.
fn with_title(
    shaper: &mut Shaper,
    overlong: &mut Vec<String>,
    (p, v, area): (&Profile, &Values, Area),
    head: Head,
    header_lines: &[(&str, usize)],
) -> Result<Vec<Unit>, TooTall> {
    let t = &p.title;
    let Head { mut items, height } = head;
    let mut title_lines = filled(v, [&t.kind, &t.summary, &t.rule_line]);
    if t.capitalize_summary {
        for (text, spec) in &mut title_lines {
            if std::ptr::eq(*spec, &t.summary) {
                *text = crate::vn::capitalize_first(text);
            }
        }
    }
    let descender = shaper.fonts().face(Style::Regular).descender;
    let mut ts = column(
        shaper,
        overlong,
        &title_lines,
        Col {
            left: area.left,
            width: area.width,
            lh: p.body.line_height,
            // The summary's rule lies the profile's gap below its descenders.
            rule_gap: descender * t.summary.size + mm(t.summary_rule_gap),
            rule_w: p.header.rule_width,
            align: Align::Center,
        },
    )
    .tagged(Role::Title, &mut 0);
    // Type and summary are one title element.
    for it in &mut ts.items {
        if let Item::Text(t) = it {
            t.tag.id = 0;
        }
    }
    let first = ts.lines.first().map_or(0.0, |s| t.space_before + s.height);
    let over = height + first - area.height;
    if over > 0.01 {
        return Err(blame(v, header_lines, over, p.header.line_height));
    }
    let y = height + t.space_before;
    if y + ts.height <= area.height + 0.01 {
        items.extend(ts.items.into_iter().map(|i| i.shifted(0.0, y)));
        return Ok(vec![Unit::new(y + ts.height, 0.0, items)]);
    }
    let mut units = vec![Unit::new(height, 0.0, items)];
    let (_, lines) = ts.split_off(0);
    for (k, (s, its)) in lines.into_iter().enumerate() {
        let mut u = Unit::new(s.height, if k == 0 { t.space_before } else { 0.0 }, its);
        // Kept together as far as a page allows, then it continues.
        u.break_before = false;
        units.push(u);
    }
    Ok(units)
}

/// The signature block with the recipients beside it. The signature (right
/// column) and the recipients that begin beside it are one unit, kept with the
/// body's last lines; the recipients below it follow a line a unit, so a long
/// list continues on the next page in the same left column. A signature block
/// taller than a page returns the value to shorten.
pub fn signature(
    shaper: &mut Shaper,
    overlong: &mut Vec<String>,
    p: &Profile,
    v: &Values,
    noi_nhan: &[String],
    area: Area,
) -> Result<Vec<Unit>, TooTall> {
    let k = &p.signature;
    let rw = area.width * k.right_column;
    let lw = area.width - rw;
    let right = filled(v, [&k.authority, &k.position]);
    let sig = Col {
        left: area.left + lw,
        width: rw,
        lh: k.line_height,
        rule_gap: 0.0,
        rule_w: 0.6,
        align: Align::Center,
    };
    let mut next = 0;
    let rs = column(shaper, overlong, &right, sig).tagged(Role::Signature, &mut next);
    let mut lines = taken(&right, &rs);
    let (mut items, mut rh) = (rs.items, rs.height);
    rh += k.blank_lines as f32 * k.line_height;
    if let Some(t) = v.fill(&k.name.text, &[]) {
        let ns = column(shaper, overlong, &[(t, &k.name)], sig).tagged(Role::Signature, &mut next);
        lines.push((k.name.text.as_str(), ns.lines.len()));
        items.extend(ns.items.into_iter().map(|i| i.shifted(0.0, rh)));
        rh += ns.height;
    }
    let left = Col {
        left: area.left,
        width: lw,
        align: Align::Left,
        ..sig
    };
    let (mut lh, mut rest) = (0.0, Vec::new());
    if let Some((title, list)) = recipients(shaper, overlong, p, v, noi_nhan, left) {
        if let Some(ts) = title {
            items.extend(ts.items);
            lh += ts.height;
        }
        // Lines that begin beside the signature stay with it.
        let beside = list.lines.iter().take_while(|s| lh + s.top < rh).count();
        let below = list.lines.get(beside).map(|s| s.top);
        let last_beside = beside
            .checked_sub(1)
            .and_then(|i| list.lines.get(i))
            .map(|s| s.from);
        let height = list.height;
        let (head, tail) = list.split_off(beside);
        items.extend(head.into_iter().map(|i| i.shifted(0.0, lh)));
        lh += below.unwrap_or(height);
        rest = continued(tail, last_beside);
    }
    let height = rh.max(lh);
    if height > area.height + 0.01 {
        return Err(blame(v, &lines, height - area.height, k.line_height));
    }
    let mut u = Unit::new(height, k.space_before, items);
    u.break_before = false;
    let mut units = vec![u];
    units.extend(rest);
    Ok(units)
}

/// Recipient lines below the signature, a unit each (`prev`: the recipient of
/// the line above them). A page may break only between two recipients, and
/// never leaves fewer than two lines to go on.
fn continued(lines: Vec<(Slice, Vec<Item>)>, mut prev: Option<usize>) -> Vec<Unit> {
    let n = lines.len();
    lines
        .into_iter()
        .enumerate()
        .map(|(i, (s, items))| {
            let mut u = Unit::new(s.height, 0.0, items);
            u.break_before = prev != Some(s.from) && n - i >= 2;
            prev = Some(s.from);
            u
        })
        .collect()
}

/// The recipients' title ("Nơi nhận:") and lines in the left column `col`:
/// `None` when there are none.
fn recipients(
    shaper: &mut Shaper,
    overlong: &mut Vec<String>,
    p: &Profile,
    v: &Values,
    noi_nhan: &[String],
    col: Col,
) -> Option<(Option<Stack>, Stack)> {
    if noi_nhan.is_empty() {
        return None;
    }
    let n = &p.recipients;
    let title = v.fill(&n.title.text, &[]).map(|t| {
        column(shaper, overlong, &[(t, &n.title)], col).tagged(Role::RecipientsTitle, &mut 0)
    });
    // The marker before `{dong}` ("- ") is each item's label.
    let label = n
        .line
        .text
        .split_once("{dong}")
        .map(|(before, _)| before.trim_end())
        .filter(|b| !b.contains('{'))
        .map_or(0, |b| u8::try_from(b.chars().count()).unwrap_or(0));
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
    // Continuation lines start under the text after "- " (the profile's
    // hanging indent).
    let list = column_hanging(
        shaper,
        overlong,
        &lines,
        Col {
            width: col.width - 6.0,
            lh: n.line_height,
            ..col
        },
        mm(n.hanging_indent),
    )
    .tagged(Role::Recipient { label }, &mut 0);
    Some((title, list))
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
        tag: Tag::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;
    use crate::vn::Date;
    use std::sync::Arc;

    fn meta(issuer: &str, summary: &str, recipients: usize) -> DocMeta {
        DocMeta {
            profile: "dang-36".into(),
            profile_span: Span::file("bao-cao.toml"),
            parent_body: "ĐẢNG BỘ TỈNH BẮC KẠN".into(),
            issuer: issuer.into(),
            issuer_name: String::new(),
            number: Some(125),
            symbol: "BC/TU".into(),
            place: "Bắc Kạn".into(),
            date: Date {
                year: 2021,
                month: 12,
                day: 15,
            },
            kind: "BÁO CÁO".into(),
            summary: summary.into(),
            recipients: (1..=recipients).map(|i| format!("Nơi {i},")).collect(),
            key_spans: Vec::new(),
        }
    }

    fn signer(position: &str) -> Signer {
        Signer {
            authority: "T/M BAN THƯỜNG VỤ".into(),
            position: position.into(),
            name: "Nguyễn Văn A".into(),
        }
    }

    /// The header's and the signature's units for `meta` and `signer`, with
    /// the Party profile on A4.
    fn frame(meta: &DocMeta, signer: &Signer) -> [Result<Vec<Unit>, TooTall>; 2] {
        let p = crate::profile::resolve(
            "dang-36",
            meta.date,
            &Span::file("bao-cao.toml"),
            std::path::Path::new("."),
        )
        .unwrap();
        let mut sh = Shaper::new(Arc::new(crate::fonts::bundled().unwrap()));
        let settings = crate::vn::Settings::default();
        let v = Values::new(meta, signer, &settings);
        let area = Area {
            left: super::mm(30.0),
            width: super::mm(165.0),
            height: super::mm(257.0),
        };
        let mut overlong = Vec::new();
        [
            header(&mut sh, &mut overlong, &p, &v, area),
            signature(&mut sh, &mut overlong, &p, &v, &meta.recipients, area),
        ]
    }

    fn lines(n: usize, what: &str) -> String {
        (1..=n)
            .map(|i| format!("{what} {i}"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_short_frame_is_one_header_unit_and_one_signature_unit() {
        let [h, s] = frame(&meta("THÀNH ỦY", "kết quả năm 2021", 5), &signer("BÍ THƯ"));
        assert_eq!(h.unwrap().len(), 1);
        let s = s.unwrap();
        assert_eq!(s.len(), 1);
        assert!(!s[0].break_before, "the signature stays with the body");
    }

    #[test]
    fn recipients_below_the_signature_continue_a_line_a_unit() {
        let [_, s] = frame(&meta("THÀNH ỦY", "năm 2021", 70), &signer("BÍ THƯ"));
        let s = s.unwrap();
        // The title and the first recipients are beside the signature.
        let beside = 70 - (s.len() - 1);
        assert!((5..=8).contains(&beside), "{beside} lines beside");
        assert!(!s[0].break_before);
        let rest = &s[1..];
        assert!(rest
            .iter()
            .all(|u| u.space_before == 0.0 && u.height == 15.0));
        // Never one line alone on the next page.
        let flags: Vec<bool> = rest.iter().map(|u| u.break_before).collect();
        assert_eq!(flags[flags.len() - 2..], [true, false]);
        assert!(flags[..flags.len() - 1].iter().all(|b| *b));
    }

    #[test]
    fn a_recipient_over_two_lines_is_not_split_between_pages() {
        let long =
            "Ban Thường vụ Tỉnh ủy và các ban xây dựng Đảng của Tỉnh ủy, Văn phòng Tỉnh ủy (b/c),";
        let mut m = meta("THÀNH ỦY", "năm 2021", 0);
        m.recipients = vec![long.to_string(); 30];
        let [_, s] = frame(&m, &signer("BÍ THƯ"));
        let s = s.unwrap();
        let flags: Vec<bool> = s[1..].iter().map(|u| u.break_before).collect();
        // Each recipient takes two lines: breaks only before every other line.
        let first = flags.iter().position(|b| *b).unwrap();
        for (i, b) in flags.iter().enumerate().skip(first) {
            assert_eq!(*b, (i - first) % 2 == 0, "line {i}: {flags:?}");
        }
    }

    #[test]
    fn a_header_taller_than_page_one_names_the_value_to_shorten() {
        let [h, _] = frame(
            &meta(&lines(300, "PHÒNG"), "năm 2021", 2),
            &signer("BÍ THƯ"),
        );
        let e = h.unwrap_err();
        assert_eq!(e.key, Some("co_quan"));
        assert_eq!(e.lines, 300);
        // 35 lines of it fit with the rest of the header and the title's first line.
        assert_eq!(e.excess, 265);
    }

    #[test]
    fn a_signature_taller_than_a_page_names_the_value_to_shorten() {
        let [_, s] = frame(
            &meta("THÀNH ỦY", "năm 2021", 2),
            &signer(&lines(50, "BÍ THƯ")),
        );
        let e = s.unwrap_err();
        assert_eq!((e.key, e.lines), (Some("chuc_vu"), 50));
        // 40 lines of 18 pt fit in 257 mm: the authority, 34 of these, 4 blank, the name.
        assert_eq!(e.excess, 16);
    }

    #[test]
    fn a_title_longer_than_page_one_continues_a_line_a_unit() {
        let summary = vec![
            "kết quả học tập và làm theo tư tưởng, đạo đức, phong cách";
            80
        ]
        .join(" ");
        let [h, _] = frame(&meta("THÀNH ỦY", &summary, 2), &signer("BÍ THƯ"));
        let h = h.unwrap();
        assert!(h.len() > 40, "{} units", h.len());
        assert!(h[1..].iter().all(|u| !u.break_before));
        let height: f32 = h.iter().map(|u| u.space_before + u.height).sum();
        assert!(height > super::mm(257.0));
    }

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
