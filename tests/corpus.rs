//! The golden corpus, natively. `AFTERSALE_BLESS=1 cargo test --test corpus` rewrites every
//! case's `expect` with the engine's current answer (and, in a sequence, each step's ledger
//! from the effects before it): review the diff before committing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(not(target_arch = "wasm32"))]

use aftersale_rules::json::{self, ParseLimits, Value};
use aftersale_testkit::corpus::{answer, load_cases, run_all};
use aftersale_testkit::CASES;
use std::borrow::Cow;

const LIMITS: ParseLimits = ParseLimits { max_bytes: 64 << 20, max_depth: 128 };

fn set<'a>(object: &mut Value<'a>, key: &'a str, value: Value<'a>) {
    if let Value::Object(pairs) = object {
        match pairs.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value,
            None => pairs.push((Cow::Borrowed(key), value)),
        }
    }
}

fn compact(v: &Value<'_>) -> String {
    let mut out = json::Out::new();
    json::write_compact(v, &mut out);
    out.into_string()
}

fn pretty(v: &Value<'_>) -> String {
    let mut out = json::Out::new();
    json::write_pretty(v, 0, &mut out);
    out.byte(b'\n');
    out.into_string()
}

/// Blesses a sequence step by step: each step's answer, then the ledger its effects leave for
/// the next step (or `ledger_after`).
fn bless_sequence(name: &str, text: &str) -> String {
    let mut text = text.to_owned();
    let steps = match json::parse(&text, name, LIMITS).unwrap().get("steps") {
        Some(Value::Array(steps)) => steps.len(),
        _ => panic!("{name}: `steps` is an array"),
    };
    for k in 0..steps {
        let actual = answer(&load_cases(name, &text).unwrap()[k]);
        let mut file = json::parse(&text, name, LIMITS).unwrap();
        let fresh = json::parse(&actual, "answer", LIMITS).unwrap();
        let before = match (k, file.get("steps")) {
            (0, _) => file.get("ledger").cloned(),
            (_, Some(Value::Array(steps))) => steps[k].get("ledger").cloned(),
            _ => None,
        };
        let applied = fresh.get("effects").map(|effects| {
            let input = format!(
                r#"{{"order":{},"ledger":{},"effects":{}}}"#,
                compact(file.get("order").unwrap()),
                before.as_ref().map_or("{}".to_owned(), compact),
                compact(effects)
            );
            aftersale_rules::apply_effects_json(&input)
        });
        let next = applied.as_deref().map(|a| json::parse(a, "ledger", LIMITS).unwrap());
        if let Value::Object(pairs) = &mut file {
            for (key, value) in pairs.iter_mut() {
                if key == "steps" {
                    if let Value::Array(steps) = value {
                        set(&mut steps[k], "expect", fresh.clone());
                        if let (Some(step), Some(next)) = (steps.get_mut(k + 1), &next) {
                            set(step, "ledger", next.get("ledger").cloned().unwrap_or(Value::Null));
                        }
                    }
                }
            }
        }
        if k + 1 == steps {
            if let Some(next) = &next {
                set(&mut file, "ledger_after", next.get("ledger").cloned().unwrap_or(Value::Null));
            }
        }
        let written = pretty(&file);
        text = written;
    }
    text
}

fn bless() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    for (name, text) in CASES {
        let file = json::parse(text, name, LIMITS).unwrap();
        let written = if file.get("steps").is_some() {
            bless_sequence(name, text)
        } else {
            let case = load_cases(name, text).unwrap().remove(0);
            let mut file = file.clone();
            let actual = answer(&case);
            set(&mut file, "expect", json::parse(&actual, "answer", LIMITS).unwrap());
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
