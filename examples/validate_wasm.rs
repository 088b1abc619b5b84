//! Validates WebAssembly modules against an explicit feature set, ignoring the module's own
//! `target_features` declaration (binaryen's `wasm-opt --mvp-features` trusts it, so a
//! post-MVP module passes there).
//!
//! `cargo run --example validate_wasm -- [--expect-invalid] [--node18] FILE...`: exit 0 when
//! every file validates with only the MVP features plus mutable globals (or, with
//! `--expect-invalid`, when every file fails to). `--node18`: the features Node 18 runs (the
//! package's server build), no more.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use wasmparser::{Validator, WasmFeatures};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let expect_invalid = args.first().is_some_and(|a| a == "--expect-invalid");
    if expect_invalid {
        args.remove(0);
    }
    let node18 = args.first().is_some_and(|a| a == "--node18");
    if node18 {
        args.remove(0);
    }
    if args.is_empty() {
        eprintln!("usage: validate_wasm [--expect-invalid] [--node18] FILE...");
        std::process::exit(2);
    }
    let mvp = WasmFeatures::MUTABLE_GLOBAL | WasmFeatures::FLOATS;
    // `GC_TYPES` is wasmparser's base flag for any reference type (externref), not the GC proposal.
    let node = WasmFeatures::GC_TYPES
        | WasmFeatures::BULK_MEMORY
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::SATURATING_FLOAT_TO_INT
        | WasmFeatures::MULTI_VALUE
        | WasmFeatures::REFERENCE_TYPES;
    let (features, set) = if node18 { (mvp | node, "Node 18's features") } else { (mvp, "MVP + mutable-globals") };
    let mut ok = true;
    for file in &args {
        let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{file}: {e}"));
        match (Validator::new_with_features(features).validate_all(&bytes), expect_invalid) {
            (Ok(_), false) => println!("mvp-validate: {file}: valid with {set} only"),
            (Err(e), true) => println!("mvp-validate: {file}: rejected as expected ({e})"),
            (Ok(_), true) => {
                println!("mvp-validate: {file}: valid, but it was expected to use post-MVP features");
                ok = false;
            }
            (Err(e), false) => {
                println!("mvp-validate: {file}: NOT valid with {set}: {e}");
                ok = false;
            }
        }
    }
    std::process::exit(if ok { 0 } else { 1 });
}
