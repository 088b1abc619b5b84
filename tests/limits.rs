//! Every documented limit (README "Limits") has a case in the corpus that crosses it by the
//! smallest step or by far, answered LIMIT_EXCEEDED at the right path, before any work.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(not(target_arch = "wasm32"))]

const LIMITS: &[(&str, &str, &str)] = &[
    ("input bytes (1 MiB)", "bad-json-10mb-string", "input"),
    ("input bytes, by line count (100,000 lines)", "bad-json-100000-lines", "input"),
    ("JSON nesting (32)", "bad-json-nested-100000-deep", "input"),
    ("lines per order (500)", "bad-order-501-lines", "order.lines"),
    ("items per request (500)", "bad-request-501-items", "request.items"),
    ("entries per policy list (1,000)", "policy-1001-rules", "policy.rules"),
    ("expression length (4,096 bytes)", "policy-expression-too-long", "policy.rules[0].when"),
    ("expression nesting (32)", "policy-expression-nested-40-deep", "policy.rules[0].when"),
    ("expression nesting, far past (10,000)", "policy-expression-nested-10000-deep", "policy.rules[0].when"),
    ("expression operators (256)", "policy-expression-too-many-operators", "policy.rules[0].when"),
    ("calendar years (50)", "policy-calendar-51-years", "policy.calendar.years"),
    ("policy JSON nesting (32)", "policy-deep-json", "policy"),
    ("string length in an input (4 KiB)", "bad-string-too-long", "order.lines[0].id"),
    ("customer text (1,000 characters)", "policy-message-too-long", "policy.messages.LONG.zh-CN"),
    ("window length (36,600 days)", "policy-window-of-eight-millennia", "policy.windows[0].days"),
];

#[test]
fn every_limit_has_a_case_answered_limit_exceeded_at_its_path() {
    for (limit, case, path) in LIMITS {
        let file = format!("/{case}.json");
        let (_, text) =
            aftersale_testkit::CASES.iter().find(|(name, _)| name.ends_with(&file)).unwrap_or_else(|| panic!("{limit}: no case {case}"));
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let errors = match value.get("expect").and_then(|e| e.get("errors")) {
            Some(serde_json::Value::Array(errors)) => errors.clone(),
            other => panic!("{limit}: {case} expects no errors: {other:?}"),
        };
        let first = &errors[0];
        assert_eq!(first.get("code").and_then(|c| c.as_str()), Some("LIMIT_EXCEEDED"), "{limit}: {case}");
        assert_eq!(first.get("path").and_then(|c| c.as_str()), Some(*path), "{limit}: {case}");
        assert_eq!(errors.len(), 1, "{limit}: {case}: the limit is the only error (nothing past it was read)");
    }
}
