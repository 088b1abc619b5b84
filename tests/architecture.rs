//! The shape of the house, as tests: the deciding code is plain Rust, and only `src/wasm/`
//! names the JavaScript binding crates.
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

#[test]
fn only_src_wasm_names_the_binding_crates() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 10);
    let offenders: Vec<String> = files
        .iter()
        .filter(|p| !p.starts_with(src.join("wasm")))
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            ["wasm_bindgen", "js_sys", "serde_wasm_bindgen", "web_sys"].iter().any(|name| text.contains(name))
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "binding crates named outside src/wasm: {offenders:?}");
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
