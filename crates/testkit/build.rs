//! Embeds the golden corpus (`tests/cases/**/*.json` of the repository) as `CASES`, so that the
//! WebAssembly hosts, which have no file system, run exactly the files the native tests run.

use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::{env, fs};

/// Every `.json` file below `dir`, as paths relative to `root` with `/` separators.
fn cases(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    println!("cargo:rerun-if-changed={}", dir.display());
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            cases(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            let name = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            out.push((name, path));
        }
    }
}

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let root = manifest.join("../../tests/cases");
    let root = root.canonicalize().unwrap_or(root);
    let mut found = Vec::new();
    cases(&root, &root, &mut found);
    found.sort();
    let mut out = String::from(
        "/// Every case file of `tests/cases/`, as `(path below it, text)`, sorted by path.\npub const CASES: &[(&str, &str)] = &[\n",
    );
    for (name, path) in &found {
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(out, "    ({name:?}, include_str!({:?})),", path.display().to_string());
    }
    out.push_str("];\n");
    let target = Path::new(&env::var("OUT_DIR").unwrap_or_default()).join("corpus_cases.rs");
    if let Err(e) = fs::write(&target, out) {
        println!("cargo:warning=cannot write {}: {e}", target.display());
    }
}
