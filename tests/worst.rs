//! The worst inputs within the limits (`aftersale_testkit::worst`) get structured answers
//! through every native entry: a decision, or `LIMIT_EXCEEDED` at a path. The same scenarios
//! run in the JavaScript hosts (`pkg/test/worst.test.mjs`) and their times are a bench row.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use aftersale_rules::{compile_policy_json, evaluate_batch_json, evaluate_json};
use aftersale_testkit::worst::scenarios;
use serde_json::Value;

fn codes(answer: &Value) -> Vec<String> {
    answer["errors"].as_array().map(|e| e.iter().map(|d| d["code"].as_str().unwrap().to_owned()).collect()).unwrap_or_default()
}

#[test]
fn the_worst_inputs_get_structured_answers() {
    for s in scenarios() {
        let policy = compile_policy_json(&s.policy).unwrap_or_else(|e| panic!("{}: the policy does not compile: {e:?}", s.name));
        if s.batch {
            let text = evaluate_batch_json(&policy, &s.input);
            assert!(text.len() <= 64 * 1024 * 1024 + 64 * 1024, "{}: {} bytes", s.name, text.len());
            let answers: Vec<Value> = serde_json::from_str(&text).unwrap();
            assert!(answers.iter().all(|a| a["type"] == "decision" || a["type"] == "errors"), "{}", s.name);
            let expected = s.expect.unwrap_or_default();
            assert!(answers.iter().any(|a| codes(a).iter().any(|c| c == expected)), "{}: no answer says {expected}", s.name);
            assert!(answers[0]["type"] == "decision", "{}: the first input fits", s.name);
        } else {
            let text = evaluate_json(&policy, &s.input);
            assert!(text.len() <= 8 * 1024 * 1024 + 64 * 1024, "{}: {} bytes", s.name, text.len());
            let answer: Value = serde_json::from_str(&text).unwrap();
            match s.expect {
                None => assert_eq!(answer["type"], "decision", "{}: {}", s.name, &text[..text.len().min(400)]),
                Some(code) => assert_eq!(codes(&answer), [code], "{}: {}", s.name, &text[..text.len().min(400)]),
            }
        }
    }
}
