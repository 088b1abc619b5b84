//! Replays every fuzz input under plain `cargo test` (no libFuzzer, no nightly): seeds drawn
//! from the golden corpus (`tests/cases/`) and the presets, the corpora the fuzzer kept
//! (`fuzz/corpus/<target>/`), and the inputs that once crashed a target
//! (`fuzz/regressions/<target>/`). A fuzz finding fixed once stays fixed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use aftersale_rules_fuzz::{decision, evaluate_json, expr, policy, seeds, Shaped};
use arbitrary::{Arbitrary, Unstructured};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Every file under `fuzz/<kind>/<target>/`.
fn files(target: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for kind in ["corpus", "regressions"] {
        let dir = root().join("fuzz").join(kind).join(target);
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for entry in entries {
                out.push(std::fs::read(entry.unwrap().path()).unwrap());
            }
        }
    }
    out
}

#[test]
fn seeds_from_the_golden_corpus_pass_every_target() {
    let (policies, inputs, exprs) = seeds(&root());
    assert!(policies.len() > 50 && inputs.len() > 250 && exprs.len() > 30, "{} {} {}", policies.len(), inputs.len(), exprs.len());
    for p in &policies {
        policy(p.as_bytes());
    }
    for i in &inputs {
        evaluate_json(i.as_bytes());
    }
    for e in &exprs {
        expr(e.as_bytes());
    }
}

#[test]
fn kept_corpora_and_regressions_replay() {
    let mut count = 0;
    for (target, run) in [("expr", expr as fn(&[u8])), ("policy", policy), ("evaluate_json", evaluate_json)] {
        for data in files(target) {
            run(&data);
            count += 1;
        }
    }
    for data in files("decision") {
        if let Ok(case) = Shaped::arbitrary_take_rest(Unstructured::new(&data)) {
            decision(&case);
        }
        count += 1;
    }
    println!("fuzz replay: {count} kept inputs");
}

#[test]
fn shaped_inputs_decode_and_decide() {
    // The structure-aware target must reach real decisions, not only input errors.
    let mut decided = 0;
    for seed in 0u32..400 {
        let bytes: Vec<u8> =
            (0..600u32).map(|i| (seed.wrapping_mul(2_654_435_761).wrapping_add(i.wrapping_mul(40_503)) >> 13) as u8).collect();
        let Ok(case) = Shaped::arbitrary_take_rest(Unstructured::new(&bytes)) else { continue };
        decision(&case);
        if let Some(text) = case.input() {
            decided += usize::from(aftersale_rules::parse_input(&text).is_ok());
        }
    }
    assert!(decided > 100, "only {decided} shaped inputs decoded");
}
