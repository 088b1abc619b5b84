//! The golden corpus, natively. `AFTERSALE_BLESS=1 cargo test --test corpus` rewrites every
//! case's `expect` with the engine's current answer: review the diff before committing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(not(target_arch = "wasm32"))]

include!(concat!(env!("OUT_DIR"), "/corpus_cases.rs"));

use aftersale_rules::corpus::{answer, load_case, run_all};
use aftersale_rules::json::{self, ParseLimits, Value};

const LIMITS: ParseLimits = ParseLimits { max_bytes: 64 << 20, max_depth: 128 };

fn bless() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    for (name, text) in CASES {
        let case = load_case(name, text).unwrap();
        let actual = answer(&case);
        let mut file = json::parse(text, name, LIMITS).unwrap();
        let fresh = json::parse(&actual, "answer", LIMITS).unwrap();
        if let Value::Object(pairs) = &mut file {
            match pairs.iter_mut().find(|(k, _)| k == "expect") {
                Some((_, v)) => *v = fresh,
                None => pairs.push(("expect".into(), fresh)),
            }
        }
        let mut out = json::Out::new();
        json::write_pretty(&file, 0, &mut out);
        out.byte(b'\n');
        std::fs::write(dir.join(name), out.into_string()).unwrap();
    }
}

#[test]
fn golden_corpus_native() {
    if std::env::var_os("AFTERSALE_BLESS").is_some() {
        bless();
        return;
    }
    match run_all(CASES) {
        Ok(n) => {
            println!("corpus: {n} cases passed (native)");
            assert!(n >= 40, "the corpus should hold at least 40 cases, found {n}");
        }
        Err(failures) => panic!("{} of {} cases failed:\n{}", failures.len(), CASES.len(), failures.join("\n\n")),
    }
}
