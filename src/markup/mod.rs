//! Markup: CommonMark with GFM tables → a [`Document`] of blocks.
//!
//! Takes the text the template rendered; returns headings, paragraphs, list items,
//! tables and page breaks, each with its source line. A line holding only
//! `\pagebreak` breaks the page; `\ngang` starts a landscape section on a new
//! page and `\doc` a portrait one; `\phu_luc I` starts an appendix (its title
//! is the heading right after it); `\do_rong 8 40 12 …` gives the next table's
//! relative column widths, `\chu_so - - 0 2` the decimals of its numeric
//! columns (`-`: as written), `\ten_bang …` its caption and `\don_vi_tinh …`
//! the unit line above it. Raw HTML and images are not typeset: they are
//! reported as warnings naming the line.
use crate::diag::{Diagnostic, Sink, Source, SourceResult, Span};
use pulldown_cmark::{Alignment, Event, Options, Parser, Tag, TagEnd};
use std::sync::Arc;

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

/// Inline content: styled runs. `'\n'` inside a run is a hard line break.
pub type Inlines = Vec<Run>;

/// Column alignment of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Not given: numbers right, text left.
    Auto,
    Left,
    Center,
    Right,
}

/// A block of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// `#`..`###`.
    Heading {
        level: u8,
        text: Inlines,
        /// Byte offset of the block in the markup.
        at: usize,
    },
    /// A paragraph; `marker` is a list marker ("- ", "3. ") typeset before it.
    Paragraph {
        text: Inlines,
        marker: Option<String>,
        at: usize,
    },
    /// A GFM table.
    Table {
        align: Vec<Align>,
        head: Vec<Inlines>,
        rows: Vec<Vec<Inlines>>,
        at: usize,
    },
    /// `\pagebreak`.
    PageBreak,
    /// `\ngang` (landscape) or `\doc` (portrait): a new section on a new page.
    Section { landscape: bool },
    /// `\phu_luc I`: an appendix starts on a new page; `number` as written
    /// (may be empty). The heading right after it is the appendix's title.
    Appendix { number: String, at: usize },
    /// `\do_rong 8 40 12 …`: relative column widths for the next table.
    Widths { widths: Vec<f32>, at: usize },
    /// `\chu_so - - 0 2 …`: decimals of the next table's numbers, per column
    /// (`None`: as written).
    Decimals {
        decimals: Vec<Option<u32>>,
        at: usize,
    },
    /// `\ten_bang …` (a caption) or `\don_vi_tinh …` (the unit line) of the
    /// next table.
    Caption {
        kind: CaptionKind,
        text: String,
        at: usize,
    },
}

/// The lines a table may have above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptionKind {
    /// `\ten_bang`: the table's name, centred.
    Title,
    /// `\don_vi_tinh`: "Đơn vị tính: …", right-aligned.
    Unit,
}

/// The parsed body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub blocks: Vec<Block>,
}

/// Parse the filled-in markup `source`; warnings go to `sink`, at their
/// places in the markup.
pub fn parse(source: &Arc<Source>, sink: &mut Sink) -> SourceResult<Document> {
    let text = source.text();
    let mut doc = Document::default();
    // Split at directive lines (`\pagebreak`, `\ngang`, `\doc`, `\phu_luc`,
    // `\do_rong`);
    // parse each chunk between them on its own.
    let mut chunk = String::new();
    let mut chunk_start = 0usize;
    let mut line_start = 0usize;
    for line in text.split('\n') {
        let at = line_start;
        line_start += line.len() + 1;
        let Some(block) = directive(line, at) else {
            chunk.push_str(line);
            chunk.push('\n');
            continue;
        };
        parse_chunk(&chunk, chunk_start, source, &mut doc, sink);
        match block {
            Ok(block) => doc.blocks.push(block),
            Err((d, at)) => sink.warn(d.with_span(Span::at(source, at))),
        }
        chunk.clear();
        chunk_start = line_start;
    }
    parse_chunk(&chunk, chunk_start, source, &mut doc, sink);
    Ok(doc)
}

/// The block a directive line (at byte `at`) stands for, or the warning for a
/// `\do_rong` line without valid widths (the table keeps its automatic
/// widths) and the byte it is about.
fn directive(line: &str, at: usize) -> Option<Result<Block, (Diagnostic, usize)>> {
    let t = line.trim();
    let start = at + (line.len() - line.trim_start().len());
    match t {
        "\\pagebreak" => Some(Ok(Block::PageBreak)),
        "\\ngang" => Some(Ok(Block::Section { landscape: true })),
        "\\doc" => Some(Ok(Block::Section { landscape: false })),
        _ if is_command(t, "\\phu_luc") => Some(Ok(Block::Appendix {
            number: t
                .get("\\phu_luc".len()..)
                .unwrap_or_default()
                .trim()
                .to_string(),
            at: start,
        })),
        _ => {
            if let Some(rest) = t.strip_prefix("\\do_rong") {
                return Some(widths(rest, start + t.len() - rest.len(), at));
            }
            if let Some(rest) = t.strip_prefix("\\chu_so") {
                return Some(decimals(rest, start + t.len() - rest.len(), at));
            }
            let (kind, rest) = if let Some(rest) = t.strip_prefix("\\ten_bang") {
                (CaptionKind::Title, rest)
            } else {
                (CaptionKind::Unit, t.strip_prefix("\\don_vi_tinh")?)
            };
            // The command's name must end where its text begins.
            if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
                return None;
            }
            Some(caption(kind, rest.trim(), at))
        }
    }
}

/// A `\ten_bang` or `\don_vi_tinh` line (at byte `at`) with its `text`.
fn caption(kind: CaptionKind, text: &str, at: usize) -> Result<Block, (Diagnostic, usize)> {
    if text.is_empty() {
        let (name, example) = match kind {
            CaptionKind::Title => (
                "\\ten_bang",
                "ví dụ \\ten_bang Một số chỉ tiêu kinh tế - xã hội chủ yếu năm 2025",
            ),
            CaptionKind::Unit => ("\\don_vi_tinh", "ví dụ \\don_vi_tinh tỷ đồng"),
        };
        return Err((
            Diagnostic::warning(format!("{name} không có chữ nào nên bị bỏ qua"))
                .with_hint(example),
            at,
        ));
    }
    Ok(Block::Caption {
        kind,
        text: text.to_string(),
        at,
    })
}

/// The decimals of `\chu_so` (`rest` of the line, at byte `from`; the line
/// at `at`): per column, a whole number 0–10, or `-` for a column left as
/// written.
fn decimals(rest: &str, from: usize, at: usize) -> Result<Block, (Diagnostic, usize)> {
    let example = "ví dụ \\chu_so - - - 0 0 2 2: cột 4 và 5 in số nguyên, cột 6 và 7 in hai chữ số thập phân, dấu - giữ nguyên cột";
    let mut decimals = Vec::new();
    for (place, word) in arguments(rest, from) {
        if word == "-" {
            decimals.push(None);
            continue;
        }
        match word.parse::<u32>() {
            Ok(n) if n <= 10 => decimals.push(Some(n)),
            _ => {
                return Err((
                    Diagnostic::warning(format!(
                        "\\chu_so: số chữ số thập phân phải là số nguyên từ 0 đến 10 hoặc dấu -, nhận được \"{word}\"; bảng giữ số như đã viết"
                    ))
                    .with_hint(example),
                    place,
                ))
            }
        }
    }
    if decimals.is_empty() {
        return Err((
            Diagnostic::warning("\\chu_so không ghi cột nào; bảng giữ số như đã viết")
                .with_hint(example),
            at,
        ));
    }
    Ok(Block::Decimals { decimals, at })
}

/// A command's arguments in `rest` (which starts at byte `from`), split at
/// white space and `;`: each with its byte place.
fn arguments(rest: &str, from: usize) -> impl Iterator<Item = (usize, &str)> {
    rest.split(|c: char| c.is_whitespace() || c == ';')
        .scan(from, |place, word| {
            let at = *place;
            *place += word.len() + 1;
            Some((at, word))
        })
        .filter(|(_, word)| !word.is_empty())
}

/// `line` is the command `name`, alone or followed by a space and arguments.
fn is_command(line: &str, name: &str) -> bool {
    line.strip_prefix(name)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
}

/// The widths of `\do_rong` (`rest` of the line, at byte `from`; the line at
/// `at`): each a positive number, `8`, `40,5` or `12%`.
fn widths(rest: &str, from: usize, at: usize) -> Result<Block, (Diagnostic, usize)> {
    let example = "ví dụ \\do_rong 8 40 12: cột thứ hai rộng gấp 5 lần cột thứ nhất";
    let mut widths = Vec::new();
    for (place, word) in arguments(rest, from) {
        let w = word
            .trim_end_matches('%')
            .replace(',', ".")
            .parse::<f32>()
            .ok()
            .filter(|w| w.is_finite() && *w > 0.0);
        let Some(w) = w else {
            return Err((
                Diagnostic::warning(format!(
                    "\\do_rong: độ rộng cột phải là số dương, nhận được \"{word}\"; bảng dùng độ rộng tự động"
                ))
                .with_hint(example),
                place,
            ));
        };
        widths.push(w);
    }
    if widths.is_empty() {
        return Err((
            Diagnostic::warning("\\do_rong không có độ rộng cột nào; bảng dùng độ rộng tự động")
                .with_hint(example),
            at,
        ));
    }
    Ok(Block::Widths { widths, at })
}

struct Builder {
    bold: u32,
    italic: u32,
    inlines: Inlines,
    /// Stack of lists: next number (None for bullets).
    lists: Vec<Option<u64>>,
    pending_marker: Option<String>,
    in_table: bool,
    align: Vec<Align>,
    head: Vec<Inlines>,
    rows: Vec<Vec<Inlines>>,
    row: Vec<Inlines>,
    /// Byte offset of the block being read.
    block_at: usize,
    /// The level of the heading being read.
    heading_level: u8,
    /// The heading being read is a part ("Phần thứ nhất"): a setext heading
    /// underlined with `=`; its lines stay lines.
    part: bool,
}

impl Builder {
    fn push_text(&mut self, t: &str) {
        // A line break in a data value (see `template::escape_markdown`).
        let t: std::borrow::Cow<str> = if t.contains('\u{2028}') {
            t.replace('\u{2028}', "\n").into()
        } else {
            t.into()
        };
        let (bold, italic) = (self.bold > 0, self.italic > 0);
        if let Some(last) = self.inlines.last_mut() {
            if last.bold == bold && last.italic == italic {
                last.text.push_str(&t);
                return;
            }
        }
        self.inlines.push(Run {
            text: t.to_string(),
            bold,
            italic,
        });
    }

    fn take(&mut self) -> Inlines {
        normalize_inlines(std::mem::take(&mut self.inlines))
    }
}

/// Fold whitespace runs to one space, trim the ends, drop empty runs.
fn normalize_inlines(v: Inlines) -> Inlines {
    let mut out: Inlines = Vec::new();
    let mut prev_space = true;
    for s in v {
        let mut t = String::with_capacity(s.text.len());
        for c in s.text.chars() {
            if c == '\n' {
                // Hard break: drop a space before it.
                if t.ends_with(' ') {
                    t.pop();
                }
                t.push('\n');
                prev_space = true;
            } else if c.is_whitespace() {
                if !prev_space {
                    t.push(' ');
                }
                prev_space = true;
            } else {
                t.push(c);
                prev_space = false;
            }
        }
        if !t.is_empty() {
            out.push(Run { text: t, ..s });
        }
    }
    // Trim trailing whitespace.
    while let Some(last) = out.last_mut() {
        let trimmed = last.text.trim_end_matches([' ', '\n']).len();
        last.text.truncate(trimmed);
        if last.text.is_empty() {
            out.pop();
        } else {
            break;
        }
    }
    out
}

/// Parse one chunk (text between directives) that starts at byte
/// `chunk_start` of the markup `source`, into `doc`'s blocks.
fn parse_chunk(
    chunk: &str,
    chunk_start: usize,
    source: &Arc<Source>,
    doc: &mut Document,
    sink: &mut Sink,
) {
    if chunk.trim().is_empty() {
        return;
    }
    let mut b = Builder {
        bold: 0,
        italic: 0,
        inlines: Vec::new(),
        lists: Vec::new(),
        pending_marker: None,
        in_table: false,
        align: Vec::new(),
        head: Vec::new(),
        rows: Vec::new(),
        row: Vec::new(),
        block_at: chunk_start,
        heading_level: 0,
        part: false,
    };
    let parser = Parser::new_ext(
        chunk,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    for (event, range) in parser.into_offset_iter() {
        let at = chunk_start + range.start;
        if let Event::Start(Tag::Heading { level, .. }) = &event {
            b.part = *level == pulldown_cmark::HeadingLevel::H1
                && chunk.get(range.clone()).is_some_and(underlined_with_equals);
        }
        // A warning, and the place it is about.
        let (warning, at) = match event {
            Event::Start(Tag::Table(_) | Tag::TableHead | Tag::TableRow | Tag::TableCell)
            | Event::End(
                TagEnd::Table | TagEnd::TableHead | TagEnd::TableRow | TagEnd::TableCell,
            ) => {
                b.table_event(event, at, doc);
                (None, at)
            }
            Event::Start(Tag::Heading { .. } | Tag::Paragraph | Tag::List(_) | Tag::Item)
            | Event::End(TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::List(_) | TagEnd::Item) => {
                (b.block_event(event, at, doc), b.block_at)
            }
            _ => (b.inline_event(event), at),
        };
        if let Some(d) = warning {
            sink.warn(d.with_span(Span::at(source, at)));
        }
    }
    flush_item(&mut b, doc);
}

impl Builder {
    /// Headings, paragraphs, lists and their items; a warning (without its
    /// place) for a heading deeper than level 3.
    fn block_event(&mut self, event: Event, at: usize, doc: &mut Document) -> Option<Diagnostic> {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.heading_level = level as u8;
                self.block_at = at;
            }
            Event::End(TagEnd::Heading(_)) => {
                let text = self.take();
                doc.blocks.push(Block::Heading {
                    level: if self.part {
                        0
                    } else {
                        self.heading_level.min(3)
                    },
                    text,
                    at: self.block_at,
                });
                if self.heading_level > 3 {
                    return Some(Diagnostic::warning(
                        "đề mục cấp 4 trở xuống được trình bày như cấp 3",
                    ));
                }
            }
            Event::Start(Tag::Paragraph) => self.block_at = at,
            Event::End(TagEnd::Paragraph) if !self.in_table => flush_item(self, doc),
            Event::Start(Tag::List(start)) => {
                flush_item(self, doc);
                self.lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                flush_item(self, doc);
                self.lists.pop();
            }
            Event::Start(Tag::Item) => {
                flush_item(self, doc);
                self.block_at = at;
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    _ => "- ".to_string(),
                };
                self.pending_marker = Some(marker);
            }
            Event::End(TagEnd::Item) => flush_item(self, doc),
            _ => {}
        }
        None
    }

    /// Tables: their alignment, header, rows and cells.
    fn table_event(&mut self, event: Event, at: usize, doc: &mut Document) {
        match event {
            Event::Start(Tag::Table(al)) => {
                self.in_table = true;
                self.block_at = at;
                self.align = al
                    .iter()
                    .map(|a| match a {
                        Alignment::None => Align::Auto,
                        Alignment::Left => Align::Left,
                        Alignment::Center => Align::Center,
                        Alignment::Right => Align::Right,
                    })
                    .collect();
                self.head.clear();
                self.rows.clear();
            }
            Event::End(TagEnd::Table) => {
                self.in_table = false;
                doc.blocks.push(Block::Table {
                    align: std::mem::take(&mut self.align),
                    head: std::mem::take(&mut self.head),
                    rows: std::mem::take(&mut self.rows),
                    at: self.block_at,
                });
            }
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => self.row.clear(),
            Event::End(TagEnd::TableHead) => self.head = std::mem::take(&mut self.row),
            Event::End(TagEnd::TableRow) => {
                let r = std::mem::take(&mut self.row);
                self.rows.push(r);
            }
            Event::Start(Tag::TableCell) => self.inlines.clear(),
            Event::End(TagEnd::TableCell) => {
                let cell = self.take();
                self.row.push(cell);
            }
            _ => {}
        }
    }

    /// Text and its emphasis; a warning (without its place) for what is left
    /// out (HTML, images).
    fn inline_event(&mut self, event: Event) -> Option<Diagnostic> {
        match event {
            Event::Start(Tag::Strong) => self.bold += 1,
            Event::End(TagEnd::Strong) => self.bold = self.bold.saturating_sub(1),
            Event::Start(Tag::Emphasis) => self.italic += 1,
            Event::End(TagEnd::Emphasis) => self.italic = self.italic.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => self.push_text(&t),
            // A part heading keeps its lines ("Phần thứ nhất", then its title).
            Event::SoftBreak if self.part => self.push_text("\n"),
            Event::SoftBreak => self.push_text(" "),
            Event::HardBreak => self.push_text("\n"),
            Event::Html(_) | Event::InlineHtml(_) => {
                return Some(Diagnostic::warning(
                    "HTML trong mẫu không được hỗ trợ và đã bị bỏ qua",
                ))
            }
            Event::Start(Tag::Image { .. }) => {
                return Some(Diagnostic::warning(
                    "hình ảnh chưa được hỗ trợ; chỉ giữ lại phần chữ mô tả",
                ))
            }
            _ => {}
        }
        None
    }
}

/// A heading's source ends with a line of `=` (a setext heading of level 1):
/// the way Markdown underlines a title, used here for parts above level 1.
fn underlined_with_equals(source: &str) -> bool {
    source
        .trim_end()
        .lines()
        .last()
        .is_some_and(|l| !l.trim().is_empty() && l.trim().chars().all(|c| c == '='))
}

/// A tight list item's text arrives without paragraph events: emit it.
fn flush_item(b: &mut Builder, doc: &mut Document) {
    if b.in_table {
        return;
    }
    let text = b.take();
    let marker = b.pending_marker.take();
    if !text.is_empty() || marker.is_some() {
        doc.blocks.push(Block::Paragraph {
            text,
            marker,
            at: b.block_at,
        });
    }
}

/// The plain text of inline runs.
pub fn plain(inlines: &Inlines) -> String {
    inlines.iter().map(|s| s.text.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(src: &str) -> Vec<Block> {
        parse(&Source::new("t.md", src), &mut Sink::new())
            .unwrap()
            .blocks
    }

    /// `command` over a table: the table is kept, and the one warning's
    /// message and (line, column).
    fn one_warning_over_a_table(command: &str) -> (String, Option<(usize, usize)>) {
        let mut sink = Sink::new();
        let text = format!("{command}| A | B | C |\n|---|---|---|\n| 1 | 2 | 3 |\n");
        let doc = parse(&Source::new("t.md", text.as_str()), &mut sink).unwrap();
        assert!(matches!(doc.blocks[0], Block::Table { .. }), "{command:?}");
        let w = sink.into_warnings();
        assert_eq!(w.len(), 1, "{command:?}");
        (
            w[0].message.clone(),
            w[0].span.as_ref().and_then(Span::line_col),
        )
    }

    #[test]
    fn a_heading_underlined_with_equals_is_a_part_keeping_its_lines() {
        let b = blocks("Phần thứ nhất\nĐÁNH GIÁ\n=======\n\n# I- MỘT\n\nTên\n---\n");
        match &b[0] {
            Block::Heading { level, text, .. } => {
                assert_eq!(*level, 0);
                assert_eq!(plain(text), "Phần thứ nhất\nĐÁNH GIÁ");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(b[1], Block::Heading { level: 1, .. }));
        assert!(matches!(b[2], Block::Heading { level: 2, .. }));
    }

    #[test]
    fn headings_paragraphs_styles() {
        let b = blocks("# I- MỘT\n\nĐoạn **đậm** và *nghiêng*\nnối dòng.\n");
        assert_eq!(b.len(), 2);
        match &b[1] {
            Block::Paragraph { text, at, .. } => {
                assert_eq!(plain(text), "Đoạn đậm và nghiêng nối dòng.");
                assert!(text[1].bold && !text[1].italic);
                assert!(text[3].italic);
                assert_eq!(*at, "# I- MỘT\n\n".len());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lists_keep_markers_and_numbers() {
        let b = blocks("- một\n- hai\n\n3. ba\n4. bốn\n");
        let markers: Vec<_> = b
            .iter()
            .filter_map(|x| match x {
                Block::Paragraph { marker, text, .. } => {
                    Some((marker.clone().unwrap_or_default(), plain(text)))
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            markers,
            vec![
                ("- ".into(), "một".into()),
                ("- ".into(), "hai".into()),
                ("3. ".into(), "ba".into()),
                ("4. ".into(), "bốn".into())
            ]
        );
    }

    #[test]
    fn pagebreak_and_table() {
        let b = blocks("a\n\\pagebreak\n| A | B |\n|---|--:|\n| x | 1 |\n");
        assert!(matches!(b[1], Block::PageBreak));
        match &b[2] {
            Block::Table {
                align,
                head,
                rows,
                at,
            } => {
                assert_eq!(align, &vec![Align::Auto, Align::Right]);
                assert_eq!(plain(&head[0]), "A");
                assert_eq!(plain(&rows[0][1]), "1");
                assert_eq!(*at, "a\n\\pagebreak\n".len());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn column_widths_directive() {
        let b = blocks("\\do_rong 8 40,5 12%\n| A | B | C |\n|---|---|---|\n| 1 | 2 | 3 |\n");
        assert_eq!(
            b[0],
            Block::Widths {
                widths: vec![8.0, 40.5, 12.0],
                at: 0
            }
        );
        assert!(matches!(b[1], Block::Table { .. }));
    }

    #[test]
    fn decimals_caption_and_unit_directives() {
        let b = blocks(
            "\\ten_bang Chỉ tiêu chủ yếu\n\\don_vi_tinh tỷ đồng\n\\chu_so - - 0 2\n| A | B | C | D |\n|---|---|---|---|\n| a | b | 1 | 2 |\n",
        );
        assert_eq!(
            b[0],
            Block::Caption {
                kind: CaptionKind::Title,
                text: "Chỉ tiêu chủ yếu".into(),
                at: 0
            }
        );
        assert!(
            matches!(&b[1], Block::Caption { kind: CaptionKind::Unit, text, .. } if text == "tỷ đồng")
        );
        assert!(
            matches!(&b[2], Block::Decimals { decimals, .. } if decimals == &vec![None, None, Some(0), Some(2)])
        );
        assert!(matches!(b[3], Block::Table { .. }));
        // Bad values are warnings at the value; the table stays.
        for (src, col) in [
            ("\\chu_so - x\n", 11),
            ("\\chu_so 11\n", 9),
            ("\\ten_bang\n", 1),
        ] {
            let (_, at) = one_warning_over_a_table(src);
            assert_eq!(at, Some((1, col)), "{src:?}");
        }
    }

    #[test]
    fn a_line_separator_is_a_hard_break_in_paragraphs_and_cells() {
        let b = blocks("Trước dòng\u{2028}sau.\n\n| A |\n|---|\n| x\u{2028}y |\n| z |\n");
        match &b[0] {
            Block::Paragraph { text, .. } => assert_eq!(plain(text), "Trước dòng\nsau."),
            other => panic!("{other:?}"),
        }
        match &b[1] {
            Block::Table { rows, .. } => {
                assert_eq!(rows.len(), 2);
                assert_eq!(plain(&rows[0][0]), "x\ny");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn widths_that_are_not_positive_are_a_warning_at_the_width() {
        for (src, col) in [
            ("\\do_rong 8 0 12\n", 12),
            ("  \\do_rong 8 x\n", 14),
            ("\\do_rong\n", 1),
        ] {
            let (message, at) = one_warning_over_a_table(src);
            assert!(message.starts_with("\\do_rong"), "{message}");
            assert_eq!(at, Some((1, col)), "{src:?}");
        }
    }

    #[test]
    fn html_is_a_warning() {
        let mut sink = Sink::new();
        parse(&Source::new("t.md", "a\n\n<div>x</div>\n"), &mut sink).unwrap();
        let w = sink.into_warnings();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].span.as_ref().and_then(Span::line_col), Some((3, 1)));
    }
}
