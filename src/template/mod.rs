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
    /// The partial files read, resolved (links followed), in the order read.
    files: Vec<PathBuf>,
}

/// Filled-in markup: the text, and where its pieces came from.
pub struct Filled {
    pub text: String,
    /// (offset in `text`, origin number), in order.
    origins: Vec<(usize, usize)>,
}

/// Escape text for CommonMark so that it is read back literally.
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start_matches([' ', '\t']);
        let lead = &line[..line.len() - trimmed.len()];
        out.push_str(lead);
        // Block markers at the start of a line.
        let mut chars = trimmed.char_indices().peekable();
        if let Some(&(_, c)) = chars.peek() {
            if matches!(c, '#' | '>' | '-' | '+' | '=' | '|') {
                out.push('\\');
            } else if c.is_ascii_digit() {
                let digits: String = trimmed.chars().take_while(|c| c.is_ascii_digit()).collect();
                let rest = &trimmed[digits.len()..];
                if (rest.starts_with(". ") || rest.starts_with(") ") || rest == "." || rest == ")")
                    && digits.len() <= 9
                {
                    out.push_str(&digits);
                    out.push('\\');
                    out.push_str(rest);
                    continue;
                }
            }
        }
        for c in trimmed.chars() {
            match c {
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '!' => {
                    out.push('\\');
                    out.push(c);
                }
                _ => out.push(c),
            }
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
            files: Vec::new(),
        }
    }

    /// Register a template (or partial) under `name`.
    /// `source`'s text has its BOM removed and its line endings as written
    /// (line numbers stay true).
    pub fn add(&mut self, name: &str, source: &Arc<Source>) -> Result<(), Diagnostic> {
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
        let here = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
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
            let rel = Path::new(&name);
            let escapes = rel.is_absolute()
                || rel
                    .components()
                    .any(|c| !matches!(c, std::path::Component::Normal(_)));
            let candidates = [
                format!("{name}.hbs"),
                format!("{name}.md.hbs"),
                name.clone(),
            ];
            // Anything there but a folder: a FIFO or a device is refused when read.
            let found = candidates
                .iter()
                .map(|c| dir.join(c))
                .find(|p| std::fs::metadata(p).is_ok_and(|m| !m.is_dir()));
            let resolved = found.as_ref().and_then(|p| p.canonicalize().ok());
            let inside = resolved.as_ref().is_some_and(|c| c.starts_with(root));
            if escapes || (found.is_some() && !inside) {
                return Err(Diagnostic::error(format!(
                    "mẫu con \"{name}\" nằm ngoài thư mục của mẫu"
                ))
                .with_span(at())
                .with_hint("mẫu con phải nằm trong thư mục chứa tệp mẫu chính"));
            }
            let Some(file) = found else {
                return Err(
                    Diagnostic::error(format!("không tìm thấy mẫu con \"{name}\""))
                        .with_span(at())
                        .with_hint(format!(
                            "cần tệp {name}.hbs trong thư mục {}",
                            if dir.as_os_str().is_empty() {
                                Path::new(".")
                            } else {
                                dir
                            }
                            .display()
                        )),
                );
            };
            let text = crate::source::read_text(&file).map_err(|e| {
                Diagnostic::error(format!(
                    "không đọc được mẫu con \"{name}\": {}",
                    crate::source::io_reason(&e)
                ))
                .with_span(at())
            })?;
            let partial = Source::new(file.display().to_string(), crate::source::strip_bom(&text));
            self.files.extend(resolved);
            self.add(&name, &partial)?;
            path.push(name.clone());
            self.partials_rec(root, dir, &partial, path)?;
            path.pop();
        }
        Ok(())
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
            budget::render(&self.hb, name, data).map_err(|e| self.render_error(name, &e))?;
        let (text, origins) = self.origins.strip(&crate::source::nfc(&marked));
        Ok(Filled { text, origins })
    }

    fn render_error(&self, main: &str, e: &handlebars::RenderError) -> Diagnostic {
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
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        d
    }
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
        R::Other(msg) => (msg.clone(), None),
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
