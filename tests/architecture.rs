//! The core's structure, checked from its source: modules form layers that import only
//! downwards (no import circle, no upward arrow), and no function is longer than a screen.
//! Reads `src/` as text (the `crate::` and `super::` paths of every file, tests left out).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers of the core, bottom first: a module may use its own layer and those before it.
/// A module belongs to the first entry that is a prefix of its path.
const LAYERS: &[&[&str]] = &[
    &["wire"],
    &["vocab"],
    &["money"],
    &["time"],
    &["messages"],
    &["model"],
    &["answer"],
    &["expr"],
    &["policy"],
    &["service"],
    &["decide"],
    &["api", "labels", "schema"],
];

/// Upward arrows allowed (each one a known debt, named here).
const UPWARD_ALLOWED: &[(&str, &str)] = &[];

const MAX_FUNCTION_LINES: usize = 80;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/policy/compile.rs` → `policy::compile`; `src/time/mod.rs` → `time`; `src/lib.rs` → ``.
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix(src()).unwrap().with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts.join("::")
}

/// The source's code: comments, string and character literals blanked (newlines kept), and
/// the `#[cfg(test)]` module at the end of a file left out.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    let b = text.as_bytes();
    let mut out = String::with_capacity(b.len());
    let mut i = 0;
    let blank = |out: &mut String, s: &[u8]| out.extend(s.iter().map(|&c| if c == b'\n' { '\n' } else { ' ' }));
    while i < b.len() {
        let rest = &b[i..];
        let end = if rest.starts_with(b"//") {
            i + rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len())
        } else if rest.starts_with(b"/*") {
            i + rest.windows(2).position(|w| w == b"*/").map_or(rest.len(), |p| p + 2)
        } else if rest.starts_with(b"r#\"") || rest.starts_with(b"r\"") || rest.starts_with(b"br\"") || rest.starts_with(b"br#\"") {
            let open = rest.iter().position(|&c| c == b'"').unwrap();
            let hashes = rest[..open].iter().filter(|&&c| c == b'#').count();
            let close: Vec<u8> = std::iter::once(b'"').chain(std::iter::repeat_n(b'#', hashes)).collect();
            i + open + 1 + rest[open + 1..].windows(close.len()).position(|w| w == close.as_slice()).unwrap() + close.len()
        } else if rest[0] == b'"' {
            let mut j = 1;
            while j < rest.len() && rest[j] != b'"' {
                j += if rest[j] == b'\\' { 2 } else { 1 };
            }
            i + j + 1
        } else if rest[0] == b'\'' && rest.len() > 2 && (rest[1] == b'\\' || rest.get(2) == Some(&b'\'') || !rest[1].is_ascii()) {
            // A character literal (a lifetime has no closing quote right after one character).
            let mut j = 1;
            while j < rest.len() && rest[j] != b'\'' {
                j += if rest[j] == b'\\' { 2 } else { 1 };
            }
            i + j + 1
        } else {
            out.push(char::from(rest[0]));
            i += 1;
            continue;
        };
        blank(&mut out, &b[i..end.min(b.len())]);
        i = end;
    }
    out
}

/// `code` without the bodies of `macro_rules!` (their paths are resolved where they expand).
fn without_macros(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("macro_rules!") {
        out.push_str(&rest[..at]);
        let body = &rest[at..];
        let mut depth = 0usize;
        let mut end = body.len();
        for (i, c) in body.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.extend(body[..end].chars().filter(|&c| c == '\n'));
        rest = &body[end..];
    }
    out.push_str(rest);
    out
}

/// Each module's code, by module path.
fn modules() -> BTreeMap<String, String> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.iter().map(|f| (module_of(f), without_macros(&code_of(&std::fs::read_to_string(f).unwrap())))).collect()
}

/// The leaves of a `use` tree (`a::{b, c::{d, e as f}}`) as paths, each with the name it binds.
fn expand_tree(prefix: &str, tree: &str, out: &mut Vec<(String, String)>) {
    let join = |a: &str, b: &str| if a.is_empty() { b.to_owned() } else { format!("{a}::{b}") };
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let base = join(prefix, tree[..open].trim().trim_end_matches("::"));
        let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        let (mut depth, mut start) = (0usize, 0);
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand_tree(&base, &inner[start..i], out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand_tree(&base, &inner[start..], out);
    } else if !tree.is_empty() {
        let (path, alias) = match tree.split_once(" as ") {
            Some((path, alias)) => (path.trim(), alias.trim()),
            None => (tree, tree.rsplit("::").next().unwrap_or(tree)),
        };
        if path == "self" {
            // `a::{self}` binds `a`.
            let name = if alias == "self" { prefix.rsplit("::").next().unwrap_or(prefix) } else { alias };
            out.push((prefix.to_owned(), name.to_owned()));
        } else {
            out.push((join(prefix, path), alias.to_owned()));
        }
    }
}

/// One leaf of a `use`: its path, the name it binds, whether it is re-exported.
type Use = (String, String, bool);

/// Every `use` of `code`, and `code` with them blanked.
fn use_statements(code: &str) -> (Vec<Use>, String) {
    let mut uses = Vec::new();
    let mut rest = code.to_owned();
    let mut from = 0;
    while let Some(found) = code[from..].find("use ") {
        let at = from + found;
        from = at + 4;
        let line_start = code[..at].rfind('\n').map_or(0, |n| n + 1);
        let head = code[line_start..at].trim();
        let is_statement = head.is_empty() || head.starts_with("pub");
        if !is_statement || code[at..].starts_with("use std") || code[at..].starts_with("use serde") {
            continue;
        }
        let Some(len) = code[at..].find(';') else { continue };
        let mut leaves = Vec::new();
        expand_tree("", &code[at + 4..at + len], &mut leaves);
        uses.extend(leaves.into_iter().map(|(path, name)| (path, name, head.starts_with("pub"))));
        rest.replace_range(line_start..at + len, &" ".repeat(at + len - line_start));
    }
    (uses, rest)
}

/// Every path of `code` that starts at `crate::`, `super::` or one of `children`.
fn inline_paths(code: &str, children: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for start in ["crate", "super"].into_iter().chain(children.iter().map(String::as_str)) {
        let prefix = format!("{start}::");
        for (at, _) in code.match_indices(&prefix) {
            if code[..at].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let path: String = code[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':').collect();
            out.push(path.trim_end_matches(':').to_owned());
        }
    }
    out
}

/// `path` as written in module `me`, as absolute segments.
fn absolute(me: &str, path: &str) -> Vec<String> {
    let mut base: Vec<String> = me.split("::").filter(|s| !s.is_empty()).map(str::to_owned).collect();
    let mut segments: Vec<String> = path.split("::").map(str::to_owned).collect();
    match segments.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            segments.remove(0);
        }
        Some("self") => {
            segments.remove(0);
        }
        _ => {}
    }
    while segments.first().map(String::as_str) == Some("super") {
        base.pop();
        segments.remove(0);
    }
    base.extend(segments);
    base
}

/// The module graph of the core: for each module, the modules whose items it uses. A name
/// used through a re-export counts as a use of the module that defines it.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let known: BTreeSet<String> = modules.keys().cloned().collect();
    let statements: BTreeMap<&str, (Vec<Use>, String)> = modules.iter().map(|(m, code)| (m.as_str(), use_statements(code))).collect();
    // (module, name) → the absolute path it re-exports.
    let mut reexports: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (me, (uses, _)) in &statements {
        for (path, name, public) in uses {
            if *public {
                reexports.insert(((*me).to_owned(), name.clone()), absolute(me, path));
            }
        }
    }
    // The module that defines what `segments` names: the longest known module it starts
    // with, followed through re-exports.
    let resolve = |segments: Vec<String>| -> Option<String> {
        let mut segments = segments;
        for _ in 0..16 {
            let len = (1..=segments.len()).rev().find(|&len| known.contains(&segments[..len].join("::")))?;
            let module = segments[..len].join("::");
            match segments.get(len).and_then(|name| reexports.get(&(module.clone(), name.clone()))) {
                Some(target) => segments = target.iter().chain(&segments[len + 1..]).cloned().collect(),
                None => return Some(module),
            }
        }
        None
    };
    let mut out = BTreeMap::new();
    for (me, (uses, rest)) in &statements {
        if me.is_empty() {
            continue;
        }
        let children: Vec<String> =
            known.iter().filter_map(|m| m.strip_prefix(&format!("{me}::")).filter(|r| !r.contains("::")).map(str::to_owned)).collect();
        let paths = uses.iter().map(|(p, _, _)| p.clone()).chain(inline_paths(rest, &children));
        let targets: BTreeSet<String> =
            paths.filter_map(|path| resolve(absolute(me, &path))).filter(|t| t != me && !t.is_empty()).collect();
        out.insert((*me).to_owned(), targets);
    }
    out
}

fn layer_of(module: &str) -> usize {
    let top = module.split("::").next().unwrap_or("");
    LAYERS
        .iter()
        .position(|layer| layer.contains(&top))
        .unwrap_or_else(|| panic!("module `{module}` is in no layer of tests/architecture.rs: add it to LAYERS"))
}

#[test]
fn the_graph_sees_the_imports_it_should() {
    let g = graph();
    // Spot checks, so that a parser that sees nothing cannot pass the tests below.
    assert!(g["decide::settle"].contains("service::deadlines"), "{:?}", g["decide::settle"]);
    assert!(g["policy::compile"].contains("expr::check"), "{:?}", g["policy::compile"]);
    assert!(g["wire::json"].contains("wire::reader"), "{:?}", g["wire::json"]);
    assert!(g["decide"].contains("decide::settle"), "{:?}", g["decide"]);
    assert!(g["decide::settle"].contains("decide::items"), "{:?}", g["decide::settle"]);
    // Through a re-export (`crate::model::EvaluationInput`) to the module that defines it.
    assert!(g["api"].contains("model::request") && !g["api"].contains("model"), "{:?}", g["api"]);
    assert!(g.len() > 40, "{} modules", g.len());
}

#[test]
fn use_trees_expand_to_every_leaf() {
    let mut leaves = Vec::new();
    expand_tree("", "crate::a::{b, c::{self, d as e}}", &mut leaves);
    let want = [("crate::a::b", "b"), ("crate::a::c", "c"), ("crate::a::c::d", "e")];
    assert_eq!(leaves, want.map(|(p, n)| (p.to_owned(), n.to_owned())));
    assert_eq!(absolute("decide::settle", "super::items::Resolved"), ["decide", "items", "Resolved"]);
}

#[test]
fn layers_import_only_downwards() {
    let mut upward = Vec::new();
    for (from, tos) in graph() {
        for to in tos {
            if layer_of(&to) > layer_of(&from) && !UPWARD_ALLOWED.contains(&(from.as_str(), to.as_str())) {
                upward.push(format!("{from} -> {to}"));
            }
        }
    }
    assert!(upward.is_empty(), "imports from a higher layer:\n{}", upward.join("\n"));
    assert!(UPWARD_ALLOWED.len() <= 1, "at most one upward arrow");
}

#[test]
fn no_import_circle_between_modules() {
    let g = graph();
    // Repeatedly remove modules that import nothing left; what remains is on a circle.
    let mut left: BTreeMap<&str, BTreeSet<&str>> =
        g.iter().map(|(m, tos)| (m.as_str(), tos.iter().map(String::as_str).filter(|t| g.contains_key(*t)).collect())).collect();
    loop {
        let leaves: Vec<&str> = left.iter().filter(|(_, tos)| tos.is_empty()).map(|(m, _)| *m).collect();
        if leaves.is_empty() {
            break;
        }
        for leaf in leaves {
            left.remove(leaf);
            for tos in left.values_mut() {
                tos.remove(leaf);
            }
        }
    }
    let circle: Vec<String> = left.iter().map(|(m, tos)| format!("{m} -> {tos:?}")).collect();
    assert!(circle.is_empty(), "modules on an import circle:\n{}", circle.join("\n"));
}

/// Every function of `code`: its name, first line and length in lines (brace to brace).
fn functions(code: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = Vec::new();
    for (n, line) in lines.iter().enumerate() {
        let Some(at) = line.find("fn ").filter(|&at| at == 0 || !line.as_bytes()[at - 1].is_ascii_alphanumeric()) else { continue };
        let name: String = line[at + 3..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if name.is_empty() {
            continue;
        }
        // The body opens at the first `{` after the signature (or there is none: a declaration).
        let mut depth = 0usize;
        let mut opened = false;
        let mut paren = 0i32;
        'scan: for (m, l) in lines.iter().enumerate().skip(n) {
            let start = if m == n { at } else { 0 };
            for c in l[start..].chars() {
                match c {
                    '(' | '[' => paren += 1,
                    ')' | ']' => paren -= 1,
                    ';' if !opened && paren == 0 => break 'scan,
                    '{' => {
                        opened = true;
                        depth += 1;
                    }
                    '}' if opened => {
                        depth -= 1;
                        if depth == 0 {
                            out.push((name.clone(), n + 1, m - n + 1));
                            break 'scan;
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    out
}

#[test]
fn the_function_counter_counts() {
    let code = "fn a() {\n    if x { y }\n}\nfn b(x: [u8; 2]) -> u8;\nfn c() { '{'; }\n";
    assert_eq!(functions(&code_of(code)), vec![("a".into(), 1, 3), ("c".into(), 5, 1)]);
}

#[test]
fn no_function_is_longer_than_a_screen() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut long = Vec::new();
    let mut counted = 0;
    for file in &files {
        for (name, line, len) in functions(&code_of(&std::fs::read_to_string(file).unwrap())) {
            counted += 1;
            if len > MAX_FUNCTION_LINES {
                long.push(format!("{}:{line} {name}: {len} lines", file.strip_prefix(src()).unwrap().display()));
            }
        }
    }
    assert!(counted > 300, "only {counted} functions seen");
    assert!(long.is_empty(), "functions over {MAX_FUNCTION_LINES} lines:\n{}", long.join("\n"));
}
