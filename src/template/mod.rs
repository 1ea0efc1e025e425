//! Templates: Handlebars (strict mode) from the report data to markup text.
//!
//! Takes the body template's text (and the partials beside it) and the report data;
//! returns the rendered CommonMark text. Values inserted with `{{…}}` are escaped so
//! data can never turn into markup; `{{{…}}}` inserts raw markup.
mod budget;
mod compile;
mod helpers;
mod indicators;
mod origin;
mod tags;

use crate::diag::{Diagnostic, Source, Span};
use handlebars::Handlebars;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tags::Kind;

/// A Handlebars registry with baocao's helpers and escaping.
pub struct Engine {
    hb: Handlebars<'static>,
    sources: HashMap<String, Arc<Source>>,
    /// Where the filled-in markup comes from (see [`origin`]).
    origins: origin::Origins,
    /// The markers' places in each template, by name.
    marks: HashMap<String, Vec<origin::Mark>>,
    /// Every `{{…}}` that prints a value, by number (see [`route_values`]).
    prints: Vec<Print>,
    /// The partial files read, resolved (links followed), in the order read.
    files: Vec<PathBuf>,
    /// The built-in template whose partials fill in for those not found
    /// beside the data file (`mau = "@name"`).
    builtin: Option<crate::builtin::Builtin>,
}

/// A `{{…}}` that prints a value: its template, and its line and column in
/// the marked text (as Handlebars counts them).
struct Print {
    template: String,
    line: usize,
    col: usize,
}

/// Filled-in markup: the text, and where its pieces came from.
#[derive(Debug)]
pub struct Filled {
    pub text: String,
    /// (offset in `text`, origin number), in order.
    origins: Vec<(usize, usize)>,
    /// What the template printed that the author should check (a number
    /// printed without a helper), each at its `{{…}}`.
    pub warnings: Vec<Diagnostic>,
}

/// A note in the filled-in text (see `helpers::PrintValue`): the mark of the
/// `{{…}}` (U+100000 + its number), the number as typed, [`NOTE_SEP`], the text
/// printed, [`NOTE_END`]. Private-use plane 16: data may not hold it.
const NOTE_FIRST: u32 = 0x10_0000;
/// How many `{{…}}` a note can name.
const NOTE_COUNT: usize = 0xFFFC;
const NOTE_SEP: char = '\u{10FFFC}';
const NOTE_END: char = '\u{10FFFD}';

/// Between a helper's error message and its hint (`RenderErrorReason::Other`
/// carries one text).
const HINT: char = '\u{1F}';

/// The mark of the note of the `{{…}}` numbered `n`.
fn note_mark(n: usize) -> Option<char> {
    (n < NOTE_COUNT)
        .then(|| u32::try_from(n).ok())
        .flatten()
        .and_then(|n| char::from_u32(NOTE_FIRST + n))
}

/// Escape a value for CommonMark so that it is read back literally, in a
/// paragraph or a table cell, at the start of a line or inside one. A line
/// break in the value becomes U+2028 LINE SEPARATOR, which `markup` reads as a
/// hard line break: the value stays on its line (a table row keeps its cells),
/// and prints on as many lines as it was typed. Line breaks at either end are
/// dropped, and leading blanks become one space (four of them would start a
/// code block).
pub fn escape_markdown(s: &str) -> String {
    let s = s.trim_matches(['\n', '\r']);
    let body = s.trim_start_matches([' ', '\t']);
    let mut out = String::with_capacity(body.len() + 8);
    if body.len() < s.len() {
        out.push(' ');
    }
    // Block markers: the value may start a line. (Those escaped everywhere are
    // below.)
    let mut rest = body;
    if body.starts_with(['-', '+', '=']) {
        out.push('\\');
    } else {
        let digits = body.len() - body.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let after = body.get(digits..).unwrap_or("");
        let mut next = after.chars().skip(1);
        if (1..=9).contains(&digits)
            && after.starts_with(['.', ')'])
            && next.next().is_none_or(|c| c.is_whitespace())
        {
            out.push_str(body.get(..digits).unwrap_or(""));
            out.push('\\');
            rest = after;
        }
    }
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '!' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\u{2028}');
                }
            }
            '\n' => out.push('\u{2028}'),
            _ => out.push(c),
        }
    }
    out
}

impl Engine {
    /// A registry with helpers configured by `settings`.
    pub fn new(settings: Arc<crate::vn::Settings>) -> Engine {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(escape_markdown);
        helpers::register(&mut hb, settings);
        Engine {
            hb,
            sources: HashMap::new(),
            origins: origin::Origins::default(),
            marks: HashMap::new(),
            prints: Vec::new(),
            files: Vec::new(),
            builtin: None,
        }
    }

    /// Register a template (or partial) under `name`.
    /// `source`'s text has its BOM removed and its line endings as written
    /// (line numbers stay true).
    pub fn add(&mut self, name: &str, source: &Arc<Source>) -> Result<(), Diagnostic> {
        if let Some((offset, c)) = forbidden(source.text()) {
            return Err(Diagnostic::error(format!(
                "mẫu có {} (không in được)",
                crate::vn::char_name(c)
            ))
            .with_span(Span::at(source, offset))
            .with_hint("xóa ký tự này (thường lẫn vào khi sao chép từ phần mềm khác)"));
        }
        // Handlebars parses and renders recursively: refuse nesting deep enough to
        // exhaust the stack before handing the text over.
        if let Some((offset, what)) = too_deep(source.text()) {
            return Err(Diagnostic::error(format!("sai cú pháp mẫu: {what} lồng nhau quá sâu"))
                .with_span(Span::at(source, offset))
                .with_hint(format!(
                    "mẫu chỉ được lồng tối đa {MAX_BLOCKS} khối {{{{#…}}}} và {MAX_PARENS} lớp ngoặc ( ) trong một thẻ"
                )));
        }
        let (marked, marks) = self.origins.mark(name, source.text());
        let mut compiled = compile::compile(name, &marked).map_err(|e| {
            // A block never closed is reported by Handlebars at the end of the
            // file; point at its opening tag instead.
            let syntax = matches!(
                e.reason(),
                handlebars::TemplateErrorReason::InvalidSyntax(_)
            );
            if let Some((block, offset)) = unclosed_block(source.text()).filter(|_| syntax) {
                return Diagnostic::error(format!(
                    "sai cú pháp mẫu: khối {{{{#{block}}}}} chưa được đóng"
                ))
                .with_span(Span::at(source, offset))
                .with_hint(format!("thêm {{{{/{block}}}}} ở nơi khối kết thúc"));
            }
            let (line, col) = e.pos().unwrap_or((0, 0));
            let col = origin::unmarked_col(&marks, line, col);
            let span = if line == 0 {
                Span::whole(source)
            } else {
                Span::at_line(source, line, col)
            };
            Diagnostic::error(format!("sai cú pháp mẫu: {}", template_reason(&e))).with_span(span)
        })?;
        self.route_values(name, &mut compiled);
        budget::instrument(&mut compiled);
        self.hb.register_template(name, compiled);
        // Handlebars prints a `}}` outside any tag as text: almost always a typo.
        if let Some((offset, what)) = stray_braces(source.text()) {
            return Err(Diagnostic::error(format!(
                "sai cú pháp mẫu: thừa dấu {what} ngoài thẻ {{{{…}}}}"
            ))
            .with_span(Span::at(source, offset))
            .with_hint("thiếu {{ ở trước, hoặc gõ thừa dấu ngoặc nhọn?"));
        }
        self.sources.insert(name.to_string(), Arc::clone(source));
        self.marks.insert(name.to_string(), marks);
        Ok(())
    }

    /// Register the partials `source` uses (`{{> ten}}`), found as `ten.hbs` or
    /// `ten.md.hbs` inside `dir`, and theirs in turn. A partial outside `dir`
    /// (`..`, an absolute path, a link leading out) or one that includes itself,
    /// directly or through others, is an error at the place it is used.
    pub fn add_partials_of(&mut self, dir: &Path, source: &Arc<Source>) -> Result<(), Diagnostic> {
        // `dir` stays empty for a template named without a folder, so that its
        // partials are named as the author would (`dau.hbs`, not `./dau.hbs`).
        let here = crate::source::dir_or_here(dir);
        // A folder that cannot be resolved holds no partials at all.
        let Ok(root) = here.canonicalize() else {
            return Ok(());
        };
        // The main template is on the path too: a partial that includes it loops.
        let main = Path::new(source.name())
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let main = main
            .strip_suffix(".md.hbs")
            .or_else(|| main.strip_suffix(".hbs"))
            .unwrap_or(&main)
            .to_string();
        let mut path = vec![main];
        self.partials_rec(&root, dir, source, &mut path)
    }

    /// Take the partials a file beside the data does not provide from the
    /// built-in template `b` (a file of the same name replaces just that part).
    pub fn use_builtin(&mut self, b: crate::builtin::Builtin) {
        self.builtin = Some(b);
    }

    fn partials_rec(
        &mut self,
        root: &Path,
        dir: &Path,
        source: &Arc<Source>,
        path: &mut Vec<String>,
    ) -> Result<(), Diagnostic> {
        for (name, offset) in partial_refs(source.text()) {
            let at = || Span::at(source, offset);
            if path.contains(&name) {
                return Err(Diagnostic::error(format!(
                    "mẫu con \"{name}\" gọi lại chính nó ({} → {name}): sẽ lặp vô tận",
                    path.join(" → ")
                ))
                .with_span(at()));
            }
            if self.sources.contains_key(&name) {
                continue;
            }
            let partial = match self.partial_file(root, dir, &name, &at)? {
                Some(p) => p,
                None => self
                    .builtin_partial(&name)
                    .ok_or_else(|| partial_not_found(&name, dir, at()))?,
            };
            self.add(&name, &partial)?;
            path.push(name.clone());
            self.partials_rec(root, dir, &partial, path)?;
            path.pop();
        }
        Ok(())
    }

    /// The partial `name` from a file in `dir` (inside `root`), if there is one.
    fn partial_file(
        &mut self,
        root: &Path,
        dir: &Path,
        name: &str,
        at: &dyn Fn() -> Span,
    ) -> Result<Option<Arc<Source>>, Diagnostic> {
        let rel = Path::new(name);
        let escapes = rel.is_absolute()
            || rel
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)));
        let candidates = [
            format!("{name}.hbs"),
            format!("{name}.md.hbs"),
            name.to_string(),
        ];
        // Anything there but a folder: a FIFO or a device is refused when read.
        let found = candidates
            .iter()
            .map(|c| dir.join(c))
            .find(|p| std::fs::metadata(p).is_ok_and(|m| !m.is_dir()));
        let resolved = found.as_ref().and_then(|p| p.canonicalize().ok());
        let inside = resolved.as_ref().is_some_and(|c| c.starts_with(root));
        if escapes || (found.is_some() && !inside) {
            return Err(
                Diagnostic::error(format!("mẫu con \"{name}\" nằm ngoài thư mục của mẫu"))
                    .with_span(at())
                    .with_hint("mẫu con phải nằm trong thư mục chứa tệp mẫu chính"),
            );
        }
        let Some(file) = found else {
            return Ok(None);
        };
        let text = crate::source::read_text(&file).map_err(|e| {
            // Not UTF-8: the error at the first bad byte.
            if let Some(d) = (e.kind() == std::io::ErrorKind::InvalidData)
                .then(|| crate::source::read_source(&file, "mẫu con").err())
                .flatten()
            {
                return d;
            }
            Diagnostic::error(format!(
                "không đọc được mẫu con \"{name}\": {}",
                crate::source::io_reason(&e)
            ))
            .with_span(at())
        })?;
        self.files.extend(resolved);
        Ok(Some(Source::new(
            file.display().to_string(),
            crate::source::strip_bom(&text),
        )))
    }

    /// The partial `name` of the built-in template in use, if it has one.
    fn builtin_partial(&self, name: &str) -> Option<Arc<Source>> {
        let b = self.builtin?;
        let (file, text) = b.partial(name)?;
        Some(Source::new(format!("@{}/{file}", b.name()), text))
    }

    /// The partial files this engine read, resolved (links followed).
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// The template place the markup in `range` of `filled` came from: the
    /// last origin marked at or before the range's end.
    pub fn origin_of(&self, filled: &Filled, range: std::ops::Range<usize>) -> Option<Span> {
        let i = filled
            .origins
            .partition_point(|(at, _)| *at < range.end.max(range.start + 1));
        let (_, n) = filled.origins.get(i.checked_sub(1)?)?;
        let o = self.origins.get(*n)?;
        let src = self.sources.get(&o.template)?;
        Some(Span::at_line(src, o.line, o.col))
    }

    /// Render the template `name` with `data`; the text is NFC (template text
    /// may arrive decomposed from some editors). The work is bounded (see
    /// [`budget`]): a template that blows up is an error at the place it did.
    pub fn render(&self, name: &str, data: &Value) -> Result<Filled, Diagnostic> {
        let marked =
            budget::render(&self.hb, name, data).map_err(|e| self.render_error(name, &e, data))?;
        // Notes first: the origin markers then give offsets in the final text.
        let (text, warnings) = self.take_notes(crate::source::nfc(&marked));
        let (text, origins) = self.origins.strip(&text);
        Ok(Filled {
            text,
            origins,
            warnings,
        })
    }

    /// The filled-in text without its notes (see [`NOTE_FIRST`]), each note a
    /// warning at its `{{…}}`.
    fn take_notes(&self, text: String) -> (String, Vec<Diagnostic>) {
        // Every note starts with a character of plane 16, whose UTF-8 starts F4.
        if !text.as_bytes().contains(&0xF4) {
            return (text, Vec::new());
        }
        let mut out = String::with_capacity(text.len());
        let mut warnings = Vec::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find(|c: char| u32::from(c) >= NOTE_FIRST) {
            out.push_str(rest.get(..at).unwrap_or(""));
            let tail = rest.get(at..).unwrap_or("");
            let mark = tail.chars().next().map_or(0, |c| u32::from(c) - NOTE_FIRST);
            let (typed, printed, len) = match (tail.find(NOTE_SEP), tail.find(NOTE_END)) {
                (Some(sep), Some(end)) if sep < end => (
                    tail.get(4..sep).unwrap_or(""),
                    tail.get(sep + 4..end).unwrap_or(""),
                    end + 4,
                ),
                _ => ("", "", 4),
            };
            out.push_str(printed);
            if !typed.is_empty() {
                warnings.push(self.number_note(mark as usize, typed, printed));
            }
            rest = tail.get(len..).unwrap_or("");
        }
        out.push_str(rest);
        (out, warnings)
    }

    /// The warning for the number `typed`, printed as `printed` by the `{{…}}`
    /// numbered `n`.
    fn number_note(&self, n: usize, typed: &str, printed: &str) -> Diagnostic {
        let mut d = Diagnostic::warning(format!(
            "số {typed} được in thành {printed} (cách viết số của Việt Nam: dấu chấm ngăn cách hàng nghìn, dấu phẩy thập phân)"
        ));
        let Some(p) = self.prints.get(n) else {
            return d;
        };
        let Some(src) = self.sources.get(&p.template) else {
            return d;
        };
        let marks = self.marks.get(&p.template).map_or(&[][..], Vec::as_slice);
        let span = Span::at_line(src, p.line, origin::unmarked_col(marks, p.line, p.col));
        let inner = span
            .range()
            .and_then(|r| src.text().get(r.start..))
            .and_then(|t| t.find("}}").and_then(|e| t.get(..e)))
            .map(|t| {
                t.trim_start_matches('{')
                    .trim_matches(['~', ' '])
                    .to_string()
            })
            .filter(|t| !t.is_empty() && !t.contains('\n'));
        let call = match inner {
            Some(t) if t.contains(' ') => format!("{{{{so ({t})}}}}"),
            Some(t) => format!("{{{{so {t}}}}}"),
            None => "{{so …}}".to_string(),
        };
        d = d.with_span(span).with_hint(format!(
            "viết {call} để tự chọn cách in (thêm chu_so=… để làm tròn); mã số, số điện thoại… thì ghi trong tệp dữ liệu dạng chữ, trong dấu ngoặc kép"
        ));
        d
    }

    fn render_error(&self, main: &str, e: &handlebars::RenderError, data: &Value) -> Diagnostic {
        let tname = e.template_name.clone().unwrap_or_else(|| main.to_string());
        let src = self.sources.get(&tname).or_else(|| self.sources.get(main));
        let span = match (src, e.line_no, e.column_no) {
            (Some(s), Some(l), Some(c)) => {
                let marks = self.marks.get(&tname).map_or(&[][..], Vec::as_slice);
                Span::at_line(s, l, origin::unmarked_col(marks, l, c))
            }
            (Some(s), _, _) => Span::whole(s),
            (None, _, _) => Span::file(&tname),
        };
        let (msg, hint) = match budget::exceeded(e) {
            Some(b) => (b.message(), Some(b.hint().to_string())),
            None => render_reason(e),
        };
        let mut d = Diagnostic::error(msg).with_span(span);
        if let Some(near) = nearest_name(e, data) {
            d = d.with_hint(format!("có phải ý bạn là `{near}`?"));
        }
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        d
    }
}

/// The first character of a template that no report may hold (see
/// `vn::forbidden_char`; a CR before LF is a line end), and its offset.
fn forbidden(text: &str) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    text.char_indices().find(|&(i, c)| {
        crate::vn::forbidden_char(c) && !(c == '\r' && bytes.get(i + 1) == Some(&b'\n'))
    })
}

impl Engine {
    /// Route every `{{…}}` of `t` (template `name`), blocks' insides too, through
    /// `helpers::PRINT`, which checks what it prints: `{{x}}` becomes
    /// `{{PRINT x n}}` and `{{so x}}` becomes `{{PRINT (so x) n}}`, where `n`
    /// numbers the place. Handlebars renders both as before (a missing value is
    /// the same error at the same place, a helper's value is escaped the same).
    fn route_values(&mut self, name: &str, t: &mut handlebars::Template) {
        use handlebars::template::TemplateElement as E;
        for (k, e) in t.elements.iter_mut().enumerate() {
            match e {
                E::Expression(ht) | E::HtmlExpression(ht) if !ht.block => {
                    let Some(m) = t.mapping.get(k) else { continue };
                    let n = self.prints.len();
                    self.prints.push(Print {
                        template: name.to_string(),
                        line: m.0,
                        col: m.1,
                    });
                    print_through(ht, n);
                }
                E::HelperBlock(ht) => {
                    for inner in [&mut ht.template, &mut ht.inverse].into_iter().flatten() {
                        self.route_values(name, inner);
                    }
                }
                E::DecoratorBlock(dt) | E::PartialBlock(dt) => {
                    if let Some(inner) = &mut dt.template {
                        self.route_values(name, inner);
                    }
                }
                _ => {}
            }
        }
    }
}

/// Make the expression `ht` print through `helpers::PRINT` (see
/// [`Engine::route_values`]), naming its place `n`.
fn print_through(ht: &mut handlebars::template::HelperTemplate, n: usize) {
    use handlebars::template::{Parameter as P, Subexpression};
    let name = std::mem::replace(&mut ht.name, P::Name(helpers::PRINT.to_string()));
    let params = std::mem::take(&mut ht.params);
    let hash = std::mem::take(&mut ht.hash);
    let value = if params.is_empty() && hash.is_empty() {
        // A name alone is a helper called without arguments, if there is one.
        let helper = name.as_name().is_some_and(helpers::is_helper);
        match name {
            P::Path(p) if !helper => P::Path(p),
            P::Name(n) if !helper => P::parse(&n).unwrap_or(P::Name(n)),
            P::Literal(j) => P::Literal(j),
            P::Subexpression(s) => P::Subexpression(s),
            helper => P::Subexpression(Subexpression::new(helper, Vec::new(), HashMap::new())),
        }
    } else {
        P::Subexpression(Subexpression::new(name, params, hash))
    };
    ht.params = vec![value, P::Literal(Value::from(n))];
}

/// A partial found neither beside the template nor in the built-in in use.
fn partial_not_found(name: &str, dir: &Path, at: Span) -> Diagnostic {
    let dir = crate::source::dir_or_here(dir);
    Diagnostic::error(format!("không tìm thấy mẫu con \"{name}\""))
        .with_span(at)
        .with_hint(format!(
            "cần tệp {name}.hbs trong thư mục {}",
            dir.display()
        ))
}

/// Deepest nesting of `{{#…}}` blocks a template may have.
const MAX_BLOCKS: usize = 64;
/// Deepest nesting of `( )` sub-expressions inside one tag.
const MAX_PARENS: usize = 32;

/// The place where blocks or sub-expressions nest deeper than allowed.
fn too_deep(text: &str) -> Option<(usize, &'static str)> {
    let mut blocks = 0usize;
    // Levels each open block adds (1, plus one per `else if` link).
    let mut open: Vec<usize> = Vec::new();
    for tag in tags::scan(text) {
        match tag.kind {
            Kind::Comment | Kind::Raw => continue,
            Kind::Open | Kind::Else { chained: true } => {
                // Handlebars nests an `{{else if …}}` chain inside its block: each
                // link counts as one more level until the block's closing tag.
                if tag.kind == Kind::Open {
                    open.push(1);
                } else if let Some(top) = open.last_mut() {
                    *top += 1;
                }
                blocks += 1;
                if blocks > MAX_BLOCKS {
                    return Some((tag.start, "các khối {{#…}} (kể cả chuỗi {{else if}})"));
                }
            }
            Kind::Close => blocks = blocks.saturating_sub(open.pop().unwrap_or(1)),
            Kind::Else { chained: false } | Kind::Other => {}
        }
        let mut depth = 0usize;
        for (k, c) in tag.inner.char_indices() {
            match c {
                '(' => {
                    depth += 1;
                    if depth > MAX_PARENS {
                        return Some((tag.start + 2 + k, "các ngoặc ( )"));
                    }
                }
                ')' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    None
}

/// The first `}}` outside any `{{…}}` tag, or a third `}` after a double-brace
/// tag: (byte offset, the braces).
fn stray_braces(text: &str) -> Option<(usize, &'static str)> {
    let mut i = 0;
    loop {
        let rest = text.get(i..)?;
        let open = rest.find("{{");
        let close = rest.find("}}");
        match (open, close) {
            (_, Some(c)) if open.is_none_or(|o| c < o) => return Some((i + c, "}}")),
            (Some(o), _) => {
                let start = i + o;
                let after = text.get(start..)?;
                let (end_pat, skip) = if after.starts_with("{{!--") {
                    ("--}}", 4)
                } else if after.starts_with("{{{{") {
                    ("}}}}", 4)
                } else if after.starts_with("{{{") {
                    ("}}}", 3)
                } else {
                    ("}}", 2)
                };
                let Some(e) = after.get(2..).and_then(|a| a.find(end_pat)) else {
                    return None; // unclosed: Handlebars reports it
                };
                let end = start + 2 + e + skip;
                if skip == 2 && text.get(end..).is_some_and(|t| t.starts_with('}')) {
                    return Some((end, "}"));
                }
                i = end;
            }
            _ => return None,
        }
    }
}

/// The partials a template uses: (name, offset of its `{{`), in order.
fn partial_refs(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for tag in tags::scan(text) {
        if matches!(tag.kind, Kind::Comment | Kind::Raw) {
            continue;
        }
        let head = tag.head();
        let head = head.strip_prefix('#').unwrap_or(head);
        if let Some(t) = head.strip_prefix('>') {
            let t = t.trim_start().trim_start_matches(['"', '\'']);
            let name: String = t
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, '}' | '~' | '"' | '\''))
                .collect();
            // `{{> (expr)}}` names its partial at run time: Handlebars reports it then.
            if !name.is_empty() && !name.starts_with('(') {
                out.push((name, tag.start));
            }
        }
    }
    out
}

/// The innermost block (`{{#name …}}`) left open at the end of `text`, with the
/// byte offset of its `{{`.
fn unclosed_block(text: &str) -> Option<(String, usize)> {
    let mut stack: Vec<(String, usize)> = Vec::new();
    for tag in tags::scan(text) {
        match tag.kind {
            Kind::Open => stack.push((tag.name(), tag.start)),
            Kind::Close => {
                let n = tag.name();
                if let Some(k) = stack.iter().rposition(|(s, _)| *s == n) {
                    stack.truncate(k);
                }
            }
            _ => {}
        }
    }
    stack.pop()
}

fn template_reason(e: &handlebars::TemplateError) -> String {
    use handlebars::TemplateErrorReason as R;
    match e.reason() {
        R::MismatchingClosedHelper(open, close) => {
            format!("khối \"{open}\" được đóng bằng \"{close}\"")
        }
        R::MismatchingClosedDecorator(open, close) => {
            format!("khối \"{open}\" được đóng bằng \"{close}\"")
        }
        R::InvalidSyntax(_) => {
            "cú pháp Handlebars không hợp lệ (thiếu hoặc thừa dấu ngoặc nhọn?)".to_string()
        }
        R::InvalidParam(p) => format!("tham số không hợp lệ: {p}"),
        R::NestedSubexpression => "không hỗ trợ biểu thức con lồng nhau ở đây".to_string(),
        other => other.to_string(),
    }
}

/// For a name that is not there (a value, a helper), the nearest name that is:
/// the path as written with its last part replaced.
fn nearest_name(e: &handlebars::RenderError, data: &Value) -> Option<String> {
    use handlebars::RenderErrorReason as R;
    match e.reason() {
        R::MissingVariable(Some(path)) => nearest_path(path, data),
        R::HelperNotFound(name) => near(name, &helpers::NAMES).map(str::to_string),
        _ => None,
    }
}

/// The name of `names` nearest to `key`, if near enough to be a slip of the
/// keyboard: 1 edit for a short name, 2 up to 8 letters, else 3.
fn near<'a>(key: &str, names: &[&'a str]) -> Option<&'a str> {
    let n = crate::diag::nearest(key, names)?;
    let len = key.chars().count();
    let allowed = if len <= 4 {
        1
    } else if len <= 8 {
        2
    } else {
        3
    };
    (edits(key, n) <= allowed).then_some(n)
}

/// Levenshtein distance.
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let sub = prev
                .get(j)
                .map_or(usize::MAX, |d| d + usize::from(ca != *cb));
            let del = prev.get(j + 1).map_or(usize::MAX, |d| d + 1);
            let ins = cur.last().map_or(usize::MAX, |d| d + 1);
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// The path nearest to `path` (as Handlebars names it: `a.b`, `this.b`,
/// `../b`, `@root.a.b`) among the names the data has where its parents lead:
/// from the top of the data first, then from any table inside it (inside
/// `{{#each}}` or `{{#with}}` a path starts there).
pub(crate) fn nearest_path(path: &str, data: &Value) -> Option<String> {
    let (head, last) = match path.rfind(['.', '/']) {
        Some(i) => (path.get(..=i)?, path.get(i + 1..)?),
        None => ("", path),
    };
    let mut parents = head.trim_end_matches(['.', '/']);
    let mut root_only = false;
    loop {
        if let Some(r) = parents.strip_prefix("@root") {
            parents = r.trim_start_matches(['.', '/']);
            root_only = true;
        } else if let Some(r) = ["this", "..", "."].iter().find_map(|p| {
            parents
                .strip_prefix(p)
                .filter(|r| r.is_empty() || r.starts_with(['.', '/']))
        }) {
            parents = r.trim_start_matches(['.', '/']);
        } else {
            break;
        }
    }
    let keys: Vec<&str> = parents
        .split(['.', '/'])
        .filter(|k| !k.is_empty())
        .collect();
    fn at<'v>(v: &'v Value, keys: &[&str]) -> Option<&'v Value> {
        keys.iter().try_fold(v, |cur, k| cur.get(*k))
    }
    let from_top: Vec<&str> = at(data, &keys)
        .and_then(Value::as_object)
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let mut found = near(last, &from_top);
    if found.is_none() && !root_only {
        let mut names = Vec::new();
        let mut stack = vec![data];
        while let Some(v) = stack.pop() {
            match v {
                Value::Object(m) => {
                    if let Some(t) = at(v, &keys).and_then(Value::as_object) {
                        names.extend(t.keys().map(String::as_str));
                    }
                    stack.extend(m.values());
                }
                Value::Array(a) => stack.extend(a),
                _ => {}
            }
        }
        names.sort_unstable();
        names.dedup();
        found = near(last, &names);
    }
    found.filter(|n| *n != last).map(|n| format!("{head}{n}"))
}

fn render_reason(e: &handlebars::RenderError) -> (String, Option<String>) {
    use handlebars::RenderErrorReason as R;
    match e.reason() {
        R::MissingVariable(Some(path)) => (
            format!("không có dữ liệu \"{path}\" (biến chưa được khai báo trong tệp dữ liệu)"),
            Some(
                "kiểm tra tên mục trong tệp .toml, hoặc dùng {{#if …}} nếu mục có thể vắng"
                    .to_string(),
            ),
        ),
        R::MissingVariable(None) => ("thiếu dữ liệu cho một biến trong mẫu".to_string(), None),
        R::HelperNotFound(name) => (format!("không có hàm \"{name}\""), None),
        R::PartialNotFound(name) => (format!("không tìm thấy mẫu con \"{name}\""), None),
        R::ParamNotFoundForIndex(helper, idx) => (
            format!("hàm '{helper}': thiếu tham số thứ {}", idx + 1),
            None,
        ),
        R::ParamNotFoundForName(helper, name) => {
            (format!("hàm '{helper}': thiếu tham số \"{name}\""), None)
        }
        R::Other(msg) => match msg.split_once(HINT) {
            Some((m, h)) => (m.to_string(), Some(h.to_string())),
            None => (msg.clone(), None),
        },
        other => (other.to_string(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_lines_point_back_at_their_template_lines() {
        let mut e = Engine::new(Arc::new(crate::vn::Settings::default()));
        let text = "# I. KẾT QUẢ\n\n{{#each xs}}\n- Mục {{this}}\n{{/each}}\n\n{{x}} cuối\n";
        e.add("m", &Source::new("m.hbs", text)).unwrap();
        let data = serde_json::json!({"xs": ["a", "b"], "x": "X"});
        let filled = e.render("m", &data).unwrap();
        assert_eq!(filled.text, "# I. KẾT QUẢ\n\n- Mục a\n- Mục b\n\nX cuối\n");
        let line_of = |needle: &str| {
            let at = filled.text.find(needle).unwrap();
            let span = e.origin_of(&filled, at..at + needle.len()).unwrap();
            span.line_col().unwrap()
        };
        assert_eq!(line_of("- Mục b"), (4, 1));
        assert_eq!(line_of("# I."), (1, 1));
        assert_eq!(line_of("X cuối"), (7, 1));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep_blocks = format!("{}x{}", "{{#if a}}".repeat(70), "{{/if}}".repeat(70));
        assert!(too_deep(&deep_blocks).is_some());
        let ok_blocks = format!("{}x{}", "{{#if a}}".repeat(10), "{{/if}}".repeat(10));
        assert_eq!(too_deep(&ok_blocks), None);
        let chain = format!("{{{{#if a}}}}{}{{{{/if}}}}", "{{else if b}}x".repeat(100));
        assert!(too_deep(&chain).is_some());
        let short_chain = format!(
            "{{{{#if a}}}}{}{{{{/if}}}} {{{{#if c}}}}y{{{{/if}}}}",
            "{{else if b}}x".repeat(10)
        );
        assert_eq!(too_deep(&short_chain), None);
        let deep_parens = format!("{{{{so {}a{}}}}}", "(cong ".repeat(40), ")".repeat(40));
        assert!(too_deep(&deep_parens).is_some());
    }

    #[test]
    fn stray_closing_braces() {
        assert_eq!(stray_braces("a {{x}} b"), None);
        assert_eq!(stray_braces("a {{{x}}} b {{!-- }} --}} c"), None);
        assert_eq!(stray_braces("a }} b"), Some((2, "}}")));
        assert_eq!(stray_braces("a {{x}}} b"), Some((7, "}")));
        assert_eq!(stray_braces("{so x}} đồng"), Some((5, "}}")));
    }

    #[test]
    fn finds_partial_references() {
        let t =
            "a {{> dau}} b {{#> khung x=1}}c{{/khung}} {{!-- {{> khong}} --}} {{> \"phan/duoi\"}}";
        let names: Vec<String> = partial_refs(t).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, vec!["dau", "khung", "phan/duoi"]);
    }

    #[test]
    fn finds_the_block_left_open() {
        let t = "a\n{{#each xs}}\n{{#if y}}b{{/if}}\n{{!-- {{#if z}} --}}\n";
        assert_eq!(unclosed_block(t), Some(("each".to_string(), 2)));
        assert_eq!(unclosed_block("{{#if a}}{{/if}}"), None);
    }

    fn engine(text: &str) -> Engine {
        let mut e = Engine::new(Arc::new(crate::vn::Settings::default()));
        e.add("m", &Source::new("m.hbs", text)).unwrap();
        e
    }

    /// Template data from JSON text (numbers keep their text, as the loader's).
    fn data(json: &str) -> Value {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn numbers_print_the_vietnamese_way_with_a_warning_at_their_place() {
        let text = "Năm {{nam}}\nA {{x}} B {{{x}}} {{so x}}\n{{#each xs}}{{this}};{{cong @index 1}} {{/each}}\nCuối {{y}}\n";
        let e = engine(text);
        let d = data(r#"{"nam": 2021, "x": 3045.35, "xs": [1, 10000.5], "y": 12345}"#);
        let filled = e.render("m", &d).unwrap();
        assert_eq!(
            filled.text,
            "Năm 2021\nA 3.045,35 B 3.045,35 3.045,35\n1;1 10.000,5;2 \nCuối 12.345\n"
        );
        let places: Vec<(usize, usize)> = filled
            .warnings
            .iter()
            .map(|w| w.span.as_ref().and_then(Span::line_col).unwrap())
            .collect();
        assert_eq!(places, [(2, 3), (2, 11), (3, 13), (4, 6)]);
        assert!(filled.warnings[0]
            .message
            .starts_with("số 3045.35 được in thành 3.045,35"));
        assert!(filled.warnings[1].hints[0].starts_with("viết {{so x}} "));
        assert!(filled.warnings[3]
            .message
            .starts_with("số 12345 được in thành 12.345"));
        // The notes taken out, the lines after them still point home.
        let at = filled.text.find("Cuối").unwrap();
        let span = e.origin_of(&filled, at..at + 4).unwrap();
        assert_eq!(span.line_col(), Some((4, 1)));
    }

    #[test]
    fn tables_and_lists_are_not_printed() {
        let e = engine("A {{t}}\n");
        let err = e.render("m", &data(r#"{"t": {"a": 1}}"#)).unwrap_err();
        assert!(err.message.contains("`t` là bảng"), "{}", err.message);
        assert_eq!(err.hints, ["in từng mục của nó, ví dụ {{t.ten_muc}}"]);
        assert_eq!(err.span.and_then(|s| s.line_col()), Some((1, 3)));
        let e = engine("A\n{{#each xs}}{{this}}{{/each}}\n");
        let err = e.render("m", &data(r#"{"xs": [[1, 2]]}"#)).unwrap_err();
        assert!(
            err.message.contains("`this` là danh sách (2 phần tử)"),
            "{}",
            err.message
        );
        assert_eq!(err.span.and_then(|s| s.line_col()), Some((2, 13)));
    }

    #[test]
    fn printing_through_the_checking_helper_changes_nothing_else() {
        let e = engine("{{so}}");
        let err = e.render("m", &data("{}")).unwrap_err();
        assert!(
            err.message.starts_with("hàm 'so': thiếu tham số"),
            "{}",
            err.message
        );
        let e = engine(
            "{{ten}} {{@root.ten}} {{#with o}}{{../ten}}{{a}}{{/with}} {{lookup o \"a\"}} {{{s}}}",
        );
        let filled = e
            .render("m", &data(r#"{"ten": "*A*", "s": "*B*", "o": {"a": "c"}}"#))
            .unwrap();
        assert_eq!(filled.text, "\\*A\\* \\*A\\* \\*A\\*c c *B*");
        assert!(filled.warnings.is_empty());
    }

    #[test]
    fn a_misspelt_name_gets_the_nearest_one_in_the_data() {
        let d = serde_json::json!({"so_lieu": {"ke_hoach": 1}, "xa": [{"dan_so": 2}]});
        assert_eq!(
            nearest_path("so_lieu.ke_hoac", &d).as_deref(),
            Some("so_lieu.ke_hoach")
        );
        assert_eq!(nearest_path("dan_os", &d).as_deref(), Some("dan_so"));
        assert_eq!(
            nearest_path("this.dan_os", &d).as_deref(),
            Some("this.dan_so")
        );
        assert_eq!(nearest_path("@root.dan_os", &d), None);
        assert_eq!(nearest_path("khong_co", &d), None);
        assert_eq!(nearest_path("so_lieu.ke_hoach", &d), None);
        let e = engine("A {{so_lieu.ke_hoac}}\n");
        let err = e.render("m", &d).unwrap_err();
        assert_eq!(err.hints[0], "có phải ý bạn là `so_lieu.ke_hoach`?");
        let e = engine("A {{so so_lieu.ke_hoac}}\n");
        let err = e.render("m", &d).unwrap_err();
        assert!(
            err.message
                .starts_with("hàm 'so': tham số thứ 1: không có dữ liệu"),
            "{}",
            err.message
        );
        assert_eq!(err.hints, ["có phải ý bạn là `so_lieu.ke_hoach`?"]);
    }

    #[test]
    fn control_characters_in_a_template_are_refused_at_their_place() {
        let mut e = Engine::new(Arc::new(crate::vn::Settings::default()));
        let err = e
            .add("m", &Source::new("m.hbs", "a\r\nb\u{7}c"))
            .unwrap_err();
        assert!(err.message.contains("U+0007 (BEL)"), "{}", err.message);
        assert_eq!(err.span.and_then(|s| s.line_col()), Some((2, 2)));
        assert!(e.add("m", &Source::new("m.hbs", "a\r\nb\tc\n")).is_ok());
    }

    #[test]
    fn values_keep_their_line_breaks_inside_their_line() {
        assert_eq!(escape_markdown("a\nb\r\nc"), "a\u{2028}b\u{2028}c");
        assert_eq!(
            escape_markdown("\nDòng 1\nDòng 2\n"),
            "Dòng 1\u{2028}Dòng 2"
        );
        assert_eq!(escape_markdown("    mã"), " mã");
        assert_eq!(escape_markdown("| a"), "\\| a");
        assert_eq!(escape_markdown("> b"), "\\> b");
        assert_eq!(escape_markdown("a\\b"), "a\\\\b");
        assert_eq!(escape_markdown("2) x"), "2\\) x");
        assert_eq!(escape_markdown("2)x"), "2)x");
        assert_eq!(escape_markdown("-5"), "\\-5");
    }

    #[test]
    fn escapes_markup_in_values() {
        assert_eq!(escape_markdown("a *b* _c_"), "a \\*b\\* \\_c\\_");
        assert_eq!(escape_markdown("# x"), "\\# x");
        assert_eq!(escape_markdown("- x"), "\\- x");
        assert_eq!(escape_markdown("1. x"), "1\\. x");
        assert_eq!(escape_markdown("3.250 tỷ"), "3.250 tỷ");
        assert_eq!(escape_markdown("<b>"), "\\<b\\>");
        assert_eq!(escape_markdown("106,72%"), "106,72%");
    }
}
