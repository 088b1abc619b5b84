//! The golden corpus, natively. `AFTERSALE_BLESS=1 cargo test --test corpus` rewrites every
//! case's `expect` with the engine's current answer (and, in a sequence, each step's ledger
//! from the effects before it): review the diff before committing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(not(target_arch = "wasm32"))]

use aftersale_testkit::corpus::{answer, load_cases, run_all};
use aftersale_testkit::pretty::pretty;
use aftersale_testkit::CASES;
use serde_json::Value;

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// Blesses a sequence step by step: each step's answer, then the ledger its effects leave for
/// the next step (or `ledger_after`).
fn bless_sequence(name: &str, text: &str) -> String {
    let mut text = text.to_owned();
    let steps = parse(&text)["steps"].as_array().map(Vec::len).unwrap_or_else(|| panic!("{name}: `steps` is an array"));
    for k in 0..steps {
        let actual = answer(&load_cases(name, &text).unwrap()[k]);
        let mut file = parse(&text);
        let fresh = parse(&actual);
        let before = if k == 0 { file.get("ledger").cloned() } else { file["steps"][k].get("ledger").cloned() };
        let next = fresh.get("effects").map(|effects| {
            let input = serde_json::json!({ "order": file["order"], "ledger": before.unwrap_or_else(|| serde_json::json!({})), "effects": effects });
            parse(&aftersale_rules::apply_effects_json(&input.to_string()))
        });
        file["steps"][k]["expect"] = fresh;
        if let Some(next) = next {
            let ledger = next.get("ledger").cloned().unwrap_or(Value::Null);
            if k + 1 < steps {
                file["steps"][k + 1]["ledger"] = ledger;
            } else {
                file["ledger_after"] = ledger;
            }
        }
        text = pretty(&file);
    }
    text
}

fn bless() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    for (name, text) in CASES {
        let mut file = parse(text);
        let written = if file.get("steps").is_some() {
            bless_sequence(name, text)
        } else {
            let case = load_cases(name, text).unwrap().remove(0);
            file["expect"] = parse(&answer(&case));
            pretty(&file)
        };
        std::fs::write(dir.join(name), written).unwrap();
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
        Err(failures) => panic!("{} of {} files failed:\n{}", failures.len(), CASES.len(), failures.join("\n\n")),
    }
}

#[test]
fn the_corpus_layout_is_what_blessing_writes() {
    for (name, text) in CASES {
        assert_eq!(pretty(&parse(text)), *text, "{name} is not laid out as blessing writes it");
    }
}

#[test]
fn serde_json_writes_every_decision_as_the_engine_answers_it() {
    let mut decisions = 0;
    for (name, text) in CASES {
        for case in load_cases(name, text).unwrap() {
            if case.service {
                continue;
            }
            let (Ok(policy), Ok(input)) =
                (aftersale_rules::compile_policy_json(&case.policy_text), aftersale_rules::parse_input(&case.input_text))
            else {
                continue;
            };
            // A view's answer leaves members out (tests/views.rs holds it to the full one's).
            if !input.view.is_full() {
                continue;
            }
            if let Ok(decision) = aftersale_rules::evaluate(&policy, &input) {
                assert_eq!(serde_json::to_string(&decision).unwrap(), answer(&case), "{}", case.name);
                decisions += 1;
            }
        }
    }
    assert!(decisions > 150, "only {decisions} decisions");
}
