//! The core's structure, checked from its source: modules form layers that import only
//! downwards (no import circle, no upward arrow), and no function is longer than a screen.
//! Reads `src/` as text (the `crate::` and `super::` paths of every file, tests left out).

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
    &["api", "schema"],
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
            out.push(rest[0] as char);
            i += 1;
            continue;
        };
        blank(&mut out, &b[i..end.min(b.len())]);
        i = end;
    }
    out
}

/// Each module's code, by module path.
fn modules() -> BTreeMap<String, String> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.iter().map(|f| (module_of(f), code_of(&std::fs::read_to_string(f).unwrap()))).collect()
}

/// The modules `code` (of module `me`) names through `crate::` or `super::` paths: the
/// longest known module each path starts with.
fn uses(me: &str, code: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let parent = me.rsplit_once("::").map_or("", |(p, _)| p);
    for (prefix, base) in [("crate::", ""), ("super::", parent)] {
        for (at, _) in code.match_indices(prefix) {
            let tail = &code[at + prefix.len()..];
            let mut path: Vec<&str> = base.split("::").filter(|s| !s.is_empty()).collect();
            let mut target = base.to_owned();
            for segment in tail.split("::") {
                let name: String = segment.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if name.is_empty() || name.len() != segment.len() && !segment.starts_with(&name) {
                    break;
                }
                path.push(Box::leak(name.into_boxed_str()));
                let candidate = path.join("::");
                if !known.contains(&candidate) {
                    break;
                }
                target = candidate;
                if segment.len() != path.last().unwrap().len() {
                    break;
                }
            }
            if !target.is_empty() && target != me && !me.starts_with(&format!("{target}::")) {
                out.insert(target);
            }
        }
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

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let known: BTreeSet<String> = modules.keys().cloned().collect();
    modules.iter().filter(|(m, _)| !m.is_empty()).map(|(m, code)| (m.clone(), uses(m, code, &known))).collect()
}

#[test]
fn the_graph_sees_the_imports_it_should() {
    let g = graph();
    // Spot checks, so that a parser that sees nothing cannot pass the tests below.
    assert!(g["decide::settle"].contains("service::deadlines"), "{:?}", g["decide::settle"]);
    assert!(g["policy::compile"].contains("expr::check"), "{:?}", g["policy::compile"]);
    assert!(g["wire::json"].contains("wire::reader"), "{:?}", g["wire::json"]);
    assert!(g.len() > 40, "{} modules", g.len());
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
