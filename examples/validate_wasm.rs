//! Validates WebAssembly modules against an explicit feature set, ignoring the module's own
//! `target_features` declaration (binaryen's `wasm-opt --mvp-features` trusts it, so a
//! post-MVP module passes there).
//!
//! `cargo run --example validate_wasm -- [--expect-invalid] FILE...`: exit 0 when every file
//! validates with only the MVP features plus mutable globals (or, with `--expect-invalid`,
//! when every file fails to).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use wasmparser::{Validator, WasmFeatures};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let expect_invalid = args.first().is_some_and(|a| a == "--expect-invalid");
    if expect_invalid {
        args.remove(0);
    }
    if args.is_empty() {
        eprintln!("usage: validate_wasm [--expect-invalid] FILE...");
        std::process::exit(2);
    }
    let features = WasmFeatures::MUTABLE_GLOBAL | WasmFeatures::FLOATS;
    let mut ok = true;
    for file in &args {
        let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{file}: {e}"));
        match (Validator::new_with_features(features).validate_all(&bytes), expect_invalid) {
            (Ok(_), false) => println!("mvp-validate: {file}: valid with MVP + mutable-globals only"),
            (Err(e), true) => println!("mvp-validate: {file}: rejected as expected ({e})"),
            (Ok(_), true) => {
                println!("mvp-validate: {file}: valid, but it was expected to use post-MVP features");
                ok = false;
            }
            (Err(e), false) => {
                println!("mvp-validate: {file}: NOT valid with MVP + mutable-globals: {e}");
                ok = false;
            }
        }
    }
    std::process::exit(if ok { 0 } else { 1 });
}
