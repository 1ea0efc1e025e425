//! The module graph of `src/` has no cycle.
//!
//! Each file `src/**/*.rs` belongs to a top-level module (`src/layout/par.rs` →
//! `layout`, `src/vn/date.rs` → `vn`, `src/pdf.rs` → `pdf`); `src/lib.rs` and
//! `src/main.rs` are the roots and are left out. A file depends on the top-level
//! modules its `crate::…` paths name (in `use` lines and in code, grouped
//! `use crate::{a, b::c}` included) and those its `super::…` paths reach. Test
//! code is left out: files whose name holds `tests`, and everything from a
//! `#[cfg(test)]` line to the end of its file. Comments and the insides of
//! string literals are left out too.
//!
//! The test fails naming every cycle between top-level modules, with the lines
//! that make each dependency.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Where a dependency is made: a file, a line and the code written there.
#[derive(Debug, Clone)]
struct Evidence {
    file: String,
    line: usize,
    code: String,
}

/// Dependencies between top-level modules, each with where it is first made.
type Graph = BTreeMap<String, BTreeMap<String, Evidence>>;

/// Every `.rs` file below `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}

/// The module path of a file below `src/`: `layout/par.rs` → [layout, par],
/// `layout/mod.rs` → [layout], `pdf.rs` → [pdf].
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// What the reader of [`code_of`] is inside of.
#[derive(Clone, Copy, PartialEq)]
enum In {
    Code,
    /// A string literal; for a raw one, the number of `#` that close it.
    Str(Option<usize>),
    BlockComment,
}

/// The text of a file that counts: up to its first `#[cfg(test)]` line, with
/// comments and the insides of string literals blanked (lines kept).
fn code_of(text: &str) -> String {
    let mut out = String::new();
    let mut state = In::Code;
    for line in text.lines() {
        if state == In::Code && line.trim() == "#[cfg(test)]" {
            break;
        }
        let c: Vec<char> = line.chars().collect();
        let at = |i: usize| c.get(i).copied().unwrap_or('\0');
        let mut i = 0;
        while i < c.len() {
            match state {
                In::BlockComment => {
                    if at(i) == '*' && at(i + 1) == '/' {
                        state = In::Code;
                        out.push(' ');
                        i += 1;
                    }
                    out.push(' ');
                }
                In::Str(raw) => match (at(i), raw) {
                    ('\\', None) => {
                        out.push_str("  ");
                        i += 1;
                    }
                    ('"', None) => {
                        state = In::Code;
                        out.push('"');
                    }
                    ('"', Some(n)) if (1..=n).all(|k| at(i + k) == '#') => {
                        state = In::Code;
                        out.push('"');
                        out.push_str(&"#".repeat(n));
                        i += n;
                    }
                    _ => out.push(' '),
                },
                In::Code => match at(i) {
                    '/' if at(i + 1) == '/' => break,
                    '/' if at(i + 1) == '*' => {
                        state = In::BlockComment;
                        out.push_str("  ");
                        i += 1;
                    }
                    '"' => {
                        state = In::Str(None);
                        out.push('"');
                    }
                    'r' if !(i > 0 && is_ident(at(i - 1)))
                        && (at(i + 1) == '"' || at(i + 1) == '#') =>
                    {
                        let hashes = c[i + 1..].iter().take_while(|&&h| h == '#').count();
                        if at(i + 1 + hashes) == '"' {
                            state = In::Str(Some(hashes));
                            out.push('r');
                            out.push_str(&"#".repeat(hashes));
                            out.push('"');
                            i += hashes + 1;
                        } else {
                            out.push('r');
                        }
                    }
                    // A character literal holding a quote: '"' or '\''.
                    '\'' if at(i + 1) == '"' && at(i + 2) == '\'' => {
                        out.push_str("' '");
                        i += 2;
                    }
                    '\'' if at(i + 1) == '\\' && at(i + 3) == '\'' => {
                        out.push_str("'  '");
                        i += 3;
                    }
                    ch => out.push(ch),
                },
            }
            i += 1;
        }
        out.push('\n');
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The first identifier of `s` (after spaces).
fn ident(s: &str) -> &str {
    let s = s.trim_start();
    &s[..s.find(|c: char| !is_ident(c)).unwrap_or(s.len())]
}

/// The first names of a `{…}` group's items (`{a, b::c, d::{e, f}}` → a, b, d);
/// `s` starts just after the opening brace.
fn group_heads(s: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0usize;
    let mut item_start = true;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => item_start = true,
            c if item_start && is_ident(c) => {
                heads.push(ident(&s[i..]).to_string());
                item_start = false;
            }
            _ => {}
        }
    }
    heads
}

/// The modules (full paths, from the crate root) that `code` names through
/// `crate::` and `super::` paths, each with its 1-based line.
fn named_paths(code: &str, here: &[String]) -> Vec<(Vec<String>, usize)> {
    let mut out = Vec::new();
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    for (at, _) in code.match_indices("crate::") {
        if code[..at].chars().next_back().is_some_and(is_ident) {
            continue; // `foo_crate::`, not the crate root
        }
        let rest = &code[at + "crate::".len()..];
        let heads = match rest.strip_prefix('{') {
            Some(group) => group_heads(group),
            None => vec![ident(rest).to_string()],
        };
        for h in heads.into_iter().filter(|h| !h.is_empty()) {
            out.push((vec![h], line_of(at)));
        }
    }
    for (at, _) in code.match_indices("super::") {
        let before = code[..at].trim_end_matches("super::");
        if before.chars().next_back().is_some_and(is_ident) {
            continue;
        }
        if code[..at].ends_with("super::") {
            continue; // counted from the first `super::` of the chain
        }
        let mut base: Vec<String> = here.to_vec();
        let mut rest = &code[at..];
        while let Some(r) = rest.strip_prefix("super::") {
            base.pop();
            rest = r;
        }
        let heads = match rest.strip_prefix('{') {
            Some(group) => group_heads(group),
            None => vec![ident(rest).to_string()],
        };
        for h in heads.into_iter().filter(|h| !h.is_empty()) {
            let mut p = base.clone();
            p.push(h);
            out.push((p, line_of(at)));
        }
    }
    out
}

/// The graph between the top-level modules of the crate whose sources are in `src`.
fn module_graph(src: &Path) -> (BTreeSet<String>, Graph) {
    let files: Vec<PathBuf> = rust_files(src);
    let modules: BTreeSet<String> = files
        .iter()
        .map(|f| module_path(f.strip_prefix(src).expect("below src"))[0].clone())
        .filter(|m| m != "lib" && m != "main")
        .collect();
    let mut graph = Graph::new();
    for f in &files {
        let rel = f.strip_prefix(src).expect("below src");
        let here = module_path(rel);
        let top = here[0].clone();
        let name = f.file_name().expect("file name").to_string_lossy();
        if !modules.contains(&top) || name.contains("tests") {
            continue;
        }
        let text =
            std::fs::read_to_string(f).unwrap_or_else(|e| panic!("read {}: {e}", f.display()));
        let code = code_of(&text);
        for (path, line) in named_paths(&code, &here) {
            let Some(to) = path.first() else { continue };
            if *to == top || !modules.contains(to) {
                continue;
            }
            graph
                .entry(top.clone())
                .or_default()
                .entry(to.clone())
                .or_insert_with(|| Evidence {
                    file: format!("src/{}", rel.display()),
                    line,
                    code: text.lines().nth(line - 1).unwrap_or("").trim().to_string(),
                });
        }
    }
    (modules, graph)
}

/// The strongly connected components of more than one module (Tarjan).
fn cycles(modules: &BTreeSet<String>, graph: &Graph) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        let graph = s.graph;
        for w in graph.get(v).into_iter().flat_map(|e| e.keys()) {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut scc = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                scc.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if scc.len() > 1 {
                scc.sort();
                s.out.push(scc);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for m in modules {
        if !s.index.contains_key(m.as_str()) {
            visit(&mut s, m);
        }
    }
    s.out.sort();
    s.out
}

/// A shortest cycle through `from` inside `scc` (breadth first), `from` first.
fn cycle_through(graph: &Graph, scc: &[String], from: &str) -> Vec<String> {
    let mut prev: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([from]);
    while let Some(v) = queue.pop_front() {
        for w in graph.get(v).into_iter().flat_map(|e| e.keys()) {
            if !scc.contains(w) {
                continue;
            }
            if w == from {
                let mut path = vec![v.to_string()];
                let mut at = v;
                while at != from {
                    at = prev[at];
                    path.push(at.to_string());
                }
                path.reverse();
                return path;
            }
            if !prev.contains_key(w.as_str()) {
                prev.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    unreachable!("{from} is in a strongly connected component, so on a cycle")
}

/// The report of every cycle: the modules of each, a cycle through each of them,
/// and the line that makes each dependency in it.
fn describe(graph: &Graph, sccs: &[Vec<String>]) -> String {
    let mut out = String::new();
    for scc in sccs {
        out.push_str(&format!(
            "modules {} depend on each other:\n",
            scc.join(", ")
        ));
        let mut shown = BTreeSet::new();
        for m in scc {
            let cycle = cycle_through(graph, scc, m);
            let mut key = cycle.clone();
            key.sort();
            if !shown.insert((key, cycle.len())) {
                continue;
            }
            out.push_str(&format!("  {} → {}\n", cycle.join(" → "), cycle[0]));
            for (i, from) in cycle.iter().enumerate() {
                let to = &cycle[(i + 1) % cycle.len()];
                let e = &graph[from][to];
                out.push_str(&format!(
                    "      {from} → {to}: {}:{}: {}\n",
                    e.file, e.line, e.code
                ));
            }
        }
    }
    out
}

#[test]
fn the_module_graph_of_src_has_no_cycle() {
    let src = crate::common::root().join("src");
    let (modules, graph) = module_graph(&src);
    // The reading must see the crate: several modules and dependencies between
    // them (no names: the modules change, the rule does not).
    assert!(
        modules.len() >= 4,
        "too few modules found in src/: {modules:?}"
    );
    assert!(
        graph.values().map(BTreeMap::len).sum::<usize>() >= 4,
        "too few dependencies read from src/: {graph:?}"
    );
    let sccs = cycles(&modules, &graph);
    assert!(
        sccs.is_empty(),
        "the module graph of src/ has cycles:\n{}",
        describe(&graph, &sccs)
    );
}

/// A graph from `a → b` pairs, for the tests of the cycle finder.
fn graph_of(edges: &[(&str, &str)]) -> (BTreeSet<String>, Graph) {
    let mut g = Graph::new();
    let mut modules = BTreeSet::new();
    for (a, b) in edges {
        modules.insert(a.to_string());
        modules.insert(b.to_string());
        g.entry(a.to_string()).or_default().insert(
            b.to_string(),
            Evidence {
                file: format!("src/{a}.rs"),
                line: 1,
                code: format!("use crate::{b};"),
            },
        );
    }
    (modules, g)
}

#[test]
fn the_cycle_finder_finds_cycles_and_accepts_a_layered_graph() {
    let (m, g) = graph_of(&[("a", "b"), ("b", "c"), ("a", "c"), ("d", "a")]);
    assert!(cycles(&m, &g).is_empty());
    let (m, g) = graph_of(&[
        ("a", "b"),
        ("b", "a"),
        ("c", "d"),
        ("d", "e"),
        ("e", "c"),
        ("e", "f"),
    ]);
    let found = cycles(&m, &g);
    assert_eq!(found, vec![vec!["a", "b"], vec!["c", "d", "e"]]);
    let text = describe(&g, &found);
    assert!(text.contains("a → b → a"), "{text}");
    assert!(text.contains("c → d → e → c"), "{text}");
}

#[test]
fn dependencies_are_read_from_use_lines_code_paths_and_super() {
    let code = code_of(
        "use crate::diag::{Diagnostic, Span};\n\
         use crate::{data::Date, vn::{self, Settings}};\n\
         // use crate::commented_out;\n\
         /* crate::in_a_block */ let s = \"// crate::in_a_string \\\" crate::still\";\n\
         let q = '\"'; let r = r#\"crate::raw \" crate::raw_too\"#; crate::markup::parse();\n\
         let x = crate::pdf::write(&y);\n\
         use super::super::layout::Page;\n\
         #[cfg(test)]\n\
         mod tests { use crate::test_only; }\n",
    );
    let here = vec!["template".to_string(), "compile".to_string()];
    let found: Vec<(String, usize)> = named_paths(&code, &here)
        .into_iter()
        .map(|(p, l)| (p.join("::"), l))
        .collect();
    let want = [
        ("diag", 1),
        ("data", 2),
        ("vn", 2),
        ("markup", 5),
        ("pdf", 6),
        ("layout", 7),
    ];
    let want: Vec<(String, usize)> = want.iter().map(|(p, l)| (p.to_string(), *l)).collect();
    assert_eq!(found, want);
    assert_eq!(
        module_path(Path::new("layout/par.rs")),
        ["layout", "par"],
        "a file below a folder"
    );
    assert_eq!(module_path(Path::new("vn/mod.rs")), ["vn"]);
    assert_eq!(module_path(Path::new("pdf.rs")), ["pdf"]);
}
