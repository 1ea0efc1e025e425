//! Markup blocks (from `baocao render --emit markup`, parsed by pulldown-cmark).

use super::*;
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    /// A heading of its level; 0 is a part ("Phần thứ nhất"): a heading
    /// underlined with `=`.
    Heading(usize),
    /// A paragraph or a list item (its marker, "- " or "3. ", starts its text).
    Paragraph,
    /// A GFM table; its cells are in [`Block::cells`].
    Table,
    /// `\pagebreak`: what follows starts a new page.
    PageBreak,
    /// `\ngang` (`true`, landscape) or `\doc` (`false`): a section on a new page.
    Section(bool),
    /// `\phu_luc I`: an appendix (its number as written) on a new page; the
    /// layout sets its label line, the heading after it as its title, and a
    /// "(Kèm theo …)" line.
    Appendix(String),
    /// `\ten_bang` (`false`: the caption, its text in [`Block::text`]) or
    /// `\don_vi_tinh` (`true`: the unit, printed after the profile's
    /// `bang.chu_don_vi_tinh`) above the next table.
    Caption(bool),
}

#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    /// Plain text, folded, NFC (a table's cells joined by spaces).
    pub text: String,
    /// Whether the block had emphasis (bold/italic runs).
    pub emphasis: bool,
    /// A table's cells, row by row (the header row first), plain text folded and
    /// NFC, span markers (`<`, `^`) as written; empty for other blocks.
    pub cells: Vec<Vec<String>>,
    /// A table's column alignments from its delimiter row; empty for other blocks.
    pub align: Vec<pulldown_cmark::Alignment>,
}

/// The example's markup, as `baocao render --emit markup` prints it.
pub fn emit_markup(data: &Path) -> String {
    let out = bin()
        .arg("render")
        .arg(data)
        .arg("--emit")
        .arg("markup")
        .output()
        .expect("run baocao");
    assert!(
        out.status.success(),
        "baocao render --emit markup failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("markup is UTF-8")
}

/// Headings, paragraphs (list items included), tables and the `\pagebreak`,
/// `\ngang`, `\doc` directives of a CommonMark + GFM text, in order — as the
/// README describes the markup, read with pulldown-cmark (tables enabled).
pub fn blocks(markup: &str) -> Vec<Block> {
    let mut out = Vec::new();
    // `\chu_so` lines: the block index after them and their decimals.
    let mut decimals: Vec<(usize, Vec<Option<u32>>)> = Vec::new();
    let mut chunk = String::new();
    for line in markup.split('\n') {
        let caption = [("\\ten_bang ", false), ("\\don_vi_tinh ", true)]
            .into_iter()
            .find_map(|(cmd, unit)| Some((line.trim().strip_prefix(cmd)?, unit)));
        if let Some((text, unit)) = caption {
            chunk_blocks(&chunk, &mut out);
            chunk.clear();
            out.push(Block {
                kind: BlockKind::Caption(unit),
                text: fold(&nfc(text)),
                emphasis: false,
                cells: Vec::new(),
                align: Vec::new(),
            });
            continue;
        }
        let directive = match line.trim() {
            "\\pagebreak" => Some(BlockKind::PageBreak),
            "\\ngang" => Some(BlockKind::Section(true)),
            "\\doc" => Some(BlockKind::Section(false)),
            t if t == "\\phu_luc" || t.starts_with("\\phu_luc ") => Some(BlockKind::Appendix(
                t["\\phu_luc".len()..].trim().to_string(),
            )),
            // `\chu_so` rounds the next table's numbers (below).
            t if t.starts_with("\\chu_so") => {
                chunk_blocks(&chunk, &mut out);
                chunk.clear();
                let d = t["\\chu_so".len()..]
                    .split(|c: char| c.is_whitespace() || c == ';')
                    .filter(|w| !w.is_empty())
                    .map(|w| w.parse::<u32>().ok())
                    .collect();
                decimals.push((out.len(), d));
                continue;
            }
            // `\do_rong` sets the next table's column widths: no block of its own.
            t if t.starts_with("\\do_rong") => {
                chunk_blocks(&chunk, &mut out);
                chunk.clear();
                continue;
            }
            _ => None,
        };
        match directive {
            Some(kind) => {
                chunk_blocks(&chunk, &mut out);
                chunk.clear();
                out.push(Block {
                    kind,
                    text: String::new(),
                    emphasis: false,
                    cells: Vec::new(),
                    align: Vec::new(),
                });
            }
            None => {
                chunk.push_str(line);
                chunk.push('\n');
            }
        }
    }
    chunk_blocks(&chunk, &mut out);
    for (at, d) in decimals {
        if let Some(t) = out.iter_mut().skip(at).find(|b| b.kind == BlockKind::Table) {
            round_columns(t, &d);
        }
    }
    out
}

/// The numbers of a table's body rounded as `\chu_so` asks (`None`: a column
/// left as written): half away from zero, trailing zeros kept. Rows under the
/// header that continue it (a `^` cell) are header rows.
fn round_columns(t: &mut Block, decimals: &[Option<u32>]) {
    let header = 1 + t
        .cells
        .iter()
        .skip(1)
        .take_while(|r| r.iter().any(|c| c == "^"))
        .count();
    for row in t.cells.iter_mut().skip(header) {
        for (cell, d) in row.iter_mut().zip(decimals) {
            let Some(n) = d else { continue };
            let (body, pct) = match cell.strip_suffix('%') {
                Some(b) => (b, "%"),
                None => (cell.as_str(), ""),
            };
            let plain = body.replace('.', "").replace(',', ".");
            if let Ok(v) = plain.parse::<rust_decimal::Decimal>() {
                if body
                    .chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-'))
                {
                    *cell = format!("{}{pct}", vn_fixed(v, *n));
                }
            }
        }
    }
    t.text = cells_text(&t.cells);
}

/// A table's text: its non-empty cells, row by row, a space apart.
fn cells_text(cells: &[Vec<String>]) -> String {
    cells
        .iter()
        .flatten()
        .filter(|c| !c.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `d` rounded half away from zero to `n` decimals, Vietnamese notation
/// ("." between thousands, "," before decimals), trailing zeros kept —
/// written here from the README's rules.
pub fn vn_fixed(d: rust_decimal::Decimal, n: u32) -> String {
    let r = d.round_dp_with_strategy(n, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let s = format!("{:.*}", n as usize, r.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(i, f)| (i, f));
    let mut out = String::new();
    if r.is_sign_negative() && !r.is_zero() {
        out.push('-');
    }
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(ch);
    }
    if !frac.is_empty() {
        out.push(',');
        out.push_str(frac);
    }
    out
}

/// Text being gathered for the next paragraph or list item.
#[derive(Default)]
struct Gather {
    text: String,
    emphasis: bool,
    marker: Option<String>,
}

impl Gather {
    /// Emit the paragraph or list item gathered so far, if any.
    fn flush(&mut self, out: &mut Vec<Block>) {
        let marker = self.marker.take();
        let text = std::mem::take(&mut self.text);
        let emphasis = std::mem::take(&mut self.emphasis);
        if !text.trim().is_empty() || marker.is_some() {
            out.push(Block {
                kind: BlockKind::Paragraph,
                text: fold(&nfc(&format!("{}{text}", marker.unwrap_or_default()))),
                emphasis,
                cells: Vec::new(),
                align: Vec::new(),
            });
        }
    }
}

fn chunk_blocks(chunk: &str, out: &mut Vec<Block>) {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut g = Gather::default();
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut table: Option<(Vec<Vec<String>>, bool)> = None;
    let mut align = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut part = false;
    for (ev, range) in Parser::new_ext(chunk, Options::ENABLE_TABLES).into_offset_iter() {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                g.flush(out);
                // Underlined with `=`: a part.
                part = level == pulldown_cmark::HeadingLevel::H1
                    && chunk[range]
                        .trim_end()
                        .lines()
                        .last()
                        .is_some_and(|l| l.trim().chars().all(|c| c == '='));
            }
            Event::End(TagEnd::Heading(level)) => {
                out.push(Block {
                    kind: BlockKind::Heading(if part { 0 } else { level as usize }),
                    text: fold(&nfc(&g.text)),
                    emphasis: g.emphasis,
                    cells: Vec::new(),
                    align: Vec::new(),
                });
                g = Gather::default();
            }
            Event::End(TagEnd::Paragraph) if table.is_none() => g.flush(out),
            Event::Start(Tag::List(start)) => {
                g.flush(out);
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                g.flush(out);
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                g.flush(out);
                g.marker = Some(match lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "- ".to_string(),
                });
            }
            Event::End(TagEnd::Item) => g.flush(out),
            Event::Start(Tag::Table(a)) => {
                g.flush(out);
                align = a;
                table = Some((Vec::new(), false));
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => row.clear(),
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                if let Some((rows, _)) = table.as_mut() {
                    rows.push(std::mem::take(&mut row));
                }
            }
            Event::Start(Tag::TableCell) => g.text.clear(),
            Event::End(TagEnd::TableCell) => {
                row.push(fold(&nfc(&std::mem::take(&mut g.text))));
                if std::mem::take(&mut g.emphasis) {
                    if let Some(t) = table.as_mut() {
                        t.1 = true;
                    }
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some((cells, emphasis)) = table.take() {
                    let text = cells_text(&cells);
                    out.push(Block {
                        kind: BlockKind::Table,
                        text,
                        emphasis,
                        cells,
                        align: std::mem::take(&mut align),
                    });
                }
            }
            Event::Start(Tag::Strong) | Event::Start(Tag::Emphasis) => g.emphasis = true,
            Event::Text(t) | Event::Code(t) => g.text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => g.text.push(' '),
            _ => {}
        }
    }
    g.flush(out);
}
