//! The shape of the house, as tests: the deciding code is plain Rust, and only the binding
//! crate depends on the JavaScript binding crates.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Only the binding crate depends on the JavaScript binding crates: the core, the command line
/// and the test support cannot name what they do not depend on.
#[test]
fn only_the_binding_crate_depends_on_the_javascript_binding() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for manifest in ["Cargo.toml", "crates/cli/Cargo.toml", "crates/testkit/Cargo.toml"] {
        let text = std::fs::read_to_string(root.join(manifest)).unwrap();
        for name in ["wasm-bindgen", "js-sys", "serde-wasm-bindgen", "web-sys"] {
            assert!(!text.contains(&format!("\n{name} ")), "{manifest} depends on {name}");
        }
    }
    let binding = std::fs::read_to_string(root.join("crates/wasm/Cargo.toml")).unwrap();
    assert!(binding.contains("\nwasm-bindgen = "));
}

/// The engine never reads a clock and serializes nothing from a hash map. Hosts may read the
/// clock (the `aftersale` binary in `src/bin/` takes "now" from it when `--now` is not given).
#[test]
fn nothing_in_the_engine_uses_a_hash_map_or_a_clock() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 10);
    for path in files.into_iter().filter(|p| !p.starts_with(src.join("bin"))) {
        let text = std::fs::read_to_string(&path).unwrap();
        for banned in ["HashMap", "HashSet", "SystemTime", "Utc::now", "Local::now", "std::time::Instant"] {
            assert!(!text.contains(banned), "{} uses {banned}", path.display());
        }
    }
}
