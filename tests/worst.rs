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

/// A batch stops at its work budget: the inputs that fit are decided, in order, and from the
/// first that would take the batch past it every input is refused at `input`; an input over
/// the limit of one is refused alone (at `request.items`) and costs the batch nothing.
#[test]
fn a_batch_stops_at_its_work_budget() {
    use aftersale_testkit::worst::{order_and_request, tag_policy};
    let policy = compile_policy_json(&tag_policy(118, 128)).unwrap();
    let heavy = order_and_request(1, 256, 0);
    let too_heavy = order_and_request(2, 256, 0);
    let mut batch = vec![too_heavy.clone(); 40];
    batch.extend(vec![heavy; 30]);
    let answers: Vec<Value> = serde_json::from_str(&evaluate_batch_json(&policy, &format!("[{}]", batch.join(",")))).unwrap();
    assert_eq!(answers.len(), 70);
    for a in &answers[..40] {
        assert_eq!(codes(a), ["LIMIT_EXCEEDED"]);
        assert_eq!(a["errors"][0]["path"], "request.items", "alone over the limit of one");
    }
    let decided = answers[40..].iter().take_while(|a| a["type"] == "decision").count();
    assert!((20..30).contains(&decided), "{decided} of 30 inputs of 3.9 M units decided under 100 M");
    for a in &answers[40 + decided..] {
        assert_eq!(codes(a), ["LIMIT_EXCEEDED"]);
        assert_eq!(a["errors"][0]["path"], "input");
        assert!(a["errors"][0]["message"].as_str().unwrap().contains("units of work"), "{a}");
    }
    assert_eq!(evaluate_json(&policy, &too_heavy), serde_json::to_string(&answers[0]).unwrap(), "as alone");
}
