//! Conditions an item's reason settles when the policy compiles decide exactly as evaluated:
//! every corpus input answers byte for byte alike under its policy as compiled and under the
//! same policy with nothing settled (every condition evaluated per item); and a condition whose
//! evaluation could fail before the reason is read is never settled, so its error stays.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(not(target_arch = "wasm32"))]

use aftersale_rules::internals::expr::fields::Settled;
use aftersale_rules::{compile_policy_json, evaluate_json, CompiledPolicy};
use aftersale_testkit::corpus::load_cases;
use aftersale_testkit::CASES;

/// The same policy with every condition evaluated per item.
fn unsettled(policy: &CompiledPolicy) -> CompiledPolicy {
    let mut plain = policy.clone();
    for reason in &mut plain.reasons {
        reason.settled = Settled::default();
    }
    plain.previous = policy.previous.iter().map(unsettled).collect();
    plain
}

fn settles_any(policy: &CompiledPolicy) -> bool {
    policy.reasons.iter().any(|r| r.settled.windows.iter().chain(&r.settled.rules).chain(&r.settled.no_return).any(Option::is_some))
}

#[test]
fn every_corpus_input_decides_alike_with_and_without_settled_conditions() {
    let (mut compared, mut settling) = (0, 0);
    for (name, text) in CASES {
        for case in load_cases(name, text).unwrap() {
            if case.service {
                continue;
            }
            let Ok(policy) = compile_policy_json(&case.policy_text) else { continue };
            let plain = unsettled(&policy);
            assert_eq!(evaluate_json(&policy, &case.input_text), evaluate_json(&plain, &case.input_text), "{}", case.name);
            compared += 1;
            settling += usize::from(settles_any(&policy));
        }
    }
    assert!(compared >= 400 && settling >= 300, "{compared} inputs compared, {settling} under a policy that settles conditions");
}

const POLICY: &str = r#"{"id": "known", "version": "1", "extends": "platform-default", "rules": [
  {"id": "fails-first", "when": "line.unit_price * 9007199254740991 > 0fen && reason.no_reason", "require_review": "agent"},
  {"id": "reason-first", "when": "reason.no_reason && line.unit_price * 9007199254740991 > 0fen", "require_review": "agent"},
  {"id": "read-then-reason", "when": "line.gift && reason.fault == \"seller\"", "require_review": "agent"},
  {"id": "negated", "when": "!(reason.fault == \"buyer\" || reason.code in [\"wrong_item\"])", "require_review": "agent"},
  {"id": "both", "when": "reason.fault == \"seller\" && !reason.no_reason", "require_review": "agent"}
]}"#;

fn input(reason: &str) -> String {
    format!(
        r#"{{"order": {{"id": "O1", "currency": "CNY", "placed_at": "2026-11-01T10:00:00+08:00", "paid_at": "2026-11-01T10:00:00+08:00",
            "shipped_at": "2026-11-02T10:00:00+08:00", "delivered_at": "2026-11-03T10:00:00+08:00",
            "lines": [{{"id": "L1", "category": "home", "unit_price": 9990, "quantity": 1}}]}},
          "request": {{"kind": "refund_with_return", "items": [{{"line_id": "L1", "qty": 1, "reason": "{reason}"}}]}},
          "now": "2026-11-05T10:00:00+08:00"}}"#
    )
}

#[test]
fn a_condition_that_may_fail_before_the_reason_is_read_is_evaluated() {
    let policy = compile_policy_json(POLICY).unwrap();
    let at = |id: &str| policy.rules.iter().position(|r| r.id == id).unwrap();
    for reason in &policy.reasons {
        let rules = &reason.settled.rules;
        assert_eq!(rules[at("fails-first")], None, "{}", reason.code);
        assert_eq!(rules[at("reason-first")], (!reason.no_reason).then_some(false), "{}", reason.code);
        // `line.gift` cannot fail: a reason that refutes the right operand settles it.
        let seller = reason.fault.as_str() == "seller";
        assert_eq!(rules[at("read-then-reason")], (!seller).then_some(false), "{}", reason.code);
        let negated = !(reason.fault.as_str() == "buyer" || reason.code == "wrong_item");
        assert_eq!(rules[at("negated")], Some(negated), "{}", reason.code);
        assert_eq!(rules[at("both")], Some(seller && !reason.no_reason), "{}", reason.code);
    }
    // Each rule alone: the overflow is reported wherever evaluation reaches it, settled or not.
    let rules: serde_json::Value = serde_json::from_str::<serde_json::Value>(POLICY).unwrap()["rules"].clone();
    for rule in rules.as_array().unwrap() {
        let id = rule["id"].as_str().unwrap();
        let alone = serde_json::json!({"id": "known", "version": "1", "extends": "platform-default", "rules": [rule]});
        let policy = compile_policy_json(&alone.to_string()).unwrap();
        for reason in ["no_reason", "quality"] {
            let answer = evaluate_json(&policy, &input(reason));
            let overflows = answer.contains("\"code\":\"OVERFLOW\"");
            let expected = id == "fails-first" || (id == "reason-first" && reason == "no_reason");
            assert_eq!(overflows, expected, "{id}, {reason}: {answer}");
            assert_eq!(answer, evaluate_json(&unsettled(&policy), &input(reason)), "{id}, {reason}");
        }
    }
}

#[test]
fn a_policy_past_the_settling_bound_is_evaluated_per_item_and_decides_alike() {
    use aftersale_rules::internals::wire::limits::MAX_SETTLING;
    // 400 reasons × rules of about 60 nodes each, past the bound.
    let reasons: Vec<serde_json::Value> =
        (0..400).map(|i| serde_json::json!({"code": format!("r{i}"), "fault": "seller", "liability": "merchant"})).collect();
    let when = (0..20).map(|i| format!("reason.code == \"r{i}\"")).collect::<Vec<_>>().join(" || ");
    let rules: Vec<serde_json::Value> =
        (0..60).map(|i| serde_json::json!({"id": format!("rule-{i}"), "when": when, "require_review": "agent"})).collect();
    let doc = serde_json::json!({"id": "many", "version": "1", "extends": "platform-default", "reasons": reasons, "rules": rules});
    let policy = compile_policy_json(&doc.to_string()).unwrap();
    assert!(u64::try_from(policy.reasons.len()).unwrap() * policy.item_conditions.nodes > MAX_SETTLING);
    assert!(!settles_any(&policy), "past the bound nothing is settled");
    for reason in ["r3", "r300", "quality"] {
        assert_eq!(evaluate_json(&policy, &input(reason)), evaluate_json(&unsettled(&policy), &input(reason)));
    }
    // Within the bound the same rules are settled.
    let few = serde_json::json!({"id": "few", "version": "1", "extends": "platform-default", "reasons": &doc["reasons"].as_array().unwrap()[..20], "rules": &doc["rules"].as_array().unwrap()[..5]});
    assert!(settles_any(&compile_policy_json(&few.to_string()).unwrap()));
}
