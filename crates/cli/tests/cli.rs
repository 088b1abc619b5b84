//! The `aftersale` command line, run as a process: caret positions, lints, exit codes, and
//! `eval --json` giving exactly the engine's answer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
use std::process::Command;

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("aftersale-cli-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(name: &str, text: &str) -> String {
    let path = dir().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_aftersale")).args(args).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap())
}

const BROKEN: &str = r#"{
  "id": "acme",
  "version": "1",
  "extends": "platform-default",
  "rules": [
    { "id": "big-items", "when": "line.quantity > 2 && line.unit_prise > 10000fen", "require_review": "agent" },
    { "id": "late", "when": "order.shipped_at > 500fen", "require_review": "agent" },
    { "id": "recent", "when": "day_between(order.delivered_at, now) > 3", "require_review": "agent" }
  ]
}"#;

#[test]
fn check_points_at_the_character_with_a_caret() {
    let file = write("broken.json", BROKEN);
    let (code, out) = run(&["check", &file]);
    assert_eq!(code, 1, "{out}");
    // `line.unit_prise` starts at column 22 of the expression: column 56 of line 6 in the file.
    assert!(out.contains("error[EXPR_UNKNOWN_FIELD]: rule `big-items`, column 22: unknown field `line.unit_prise`"), "{out}");
    assert!(out.contains(&format!("--> {file}:6:56")), "{out}");
    assert!(out.contains(&format!("  |{}^\n", " ".repeat(56))), "{out}");
    assert!(out.contains("= help: did you mean `line.unit_price`?"), "{out}");
    assert!(out.contains(&format!("--> {file}:7:30")), "{out}");
    assert!(out.contains("error[EXPR_UNKNOWN_FUNCTION]"), "{out}");
    assert!(out.contains(&format!("--> {file}:8:32")), "{out}");
    assert!(out.contains("3 error(s), 0 warning(s)"), "{out}");
}

#[test]
fn check_reports_other_errors_at_their_path() {
    let file = write("preset.json", "{\n  \"id\": \"x\",\n  \"version\": \"1\",\n  \"extends\": \"platform-defualt\"\n}");
    let (code, out) = run(&["check", &file]);
    assert_eq!(code, 1);
    assert!(out.contains("error[UNKNOWN_REFERENCE]: unknown preset `platform-defualt`"), "{out}");
    assert!(out.contains(&format!("--> {file}:4:14")), "{out}");
}

#[test]
fn check_lints_and_json_output() {
    let file = write(
        "lint.json",
        r#"{
  "id": "acme", "version": "1", "extends": "cn-statutory",
  "calendar": "cn",
  "windows": [
    { "id": "short", "when": "reason.no_reason", "anchor": "delivered", "days": 5, "resolutions": ["refund"] }
  ],
  "rules": [
    { "id": "a", "when": "customer.returns_90d > 10", "require_review": "agent" },
    { "id": "b", "when": "customer.returns_90d >  10", "require_review": "supervisor" }
  ]
}"#,
    );
    let (code, out) = run(&["check", "--json", &file]);
    assert_eq!(code, 1);
    let codes: Vec<&str> = ["LINT_WINDOW_BELOW_STATUTORY", "LINT_DUPLICATE_CONDITION", "LINT_UNUSED_CALENDAR"]
        .into_iter()
        .filter(|c| out.contains(c))
        .collect();
    assert_eq!(codes.len(), 3, "{out}");
    assert!(out.starts_with("[{\"file\":"), "{out}");
    assert!(out.contains("\"line\":5,\"column\":81"), "{out}");
}

#[test]
fn check_clean_policy_exits_zero_and_usage_errors_exit_two() {
    let ok = write("ok.json", r#"{"id":"ok","version":"1","extends":"platform-default"}"#);
    assert_eq!(run(&["check", &ok]).0, 0);
    assert_eq!(run(&["check"]).0, 2);
    assert_eq!(run(&["check", "/no/such/file.json"]).0, 2);
    assert_eq!(run(&["frobnicate"]).0, 2);
    let (code, out) = run(&["check", "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("aftersale check [--json] POLICY..."));
    assert_eq!(run(&["eval", "--help"]).0, 0);
    assert_eq!(run(&["help"]).0, 0);
}

#[test]
fn eval_json_is_the_engine_answer_and_errors_exit_two() {
    let case: String =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/cases/settlement/late-shipment-coupon-5-percent.json"))
            .unwrap();
    let v: serde_json::Value = serde_json::from_str(&case).unwrap();
    let compact = |key: &str| v[key].to_string();
    let policy = write("pd.json", r#"{"id":"platform-default","version":"corpus","extends":"platform-default"}"#);
    let order = write("order.json", &compact("order"));
    let request = write("request.json", &compact("request"));
    let (code, out) =
        run(&["eval", "--policy", &policy, "--order", &order, "--request", &request, "--now", "2026-11-06T12:00:00+08:00", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(out.trim_end(), compact("expect"));
    let (code, out) =
        run(&["eval", "--policy", &policy, "--order", &order, "--request", &request, "--now", "2026-11-06T12:00:00+08:00", "--lang", "en"]);
    assert_eq!(code, 0);
    assert!(out.contains("L1 ×1: Eligible → 2026-11-11T23:59:59.999+08:00; refund ¥99.90"), "money in yuan: {out}");
    assert!(out.contains("compensation: Coupon ¥5.00") && out.contains("approval: Automatic"), "{out}");
    assert!(out.contains("You will receive a ¥5.00 coupon"), "{out}");
    let bad = write("bad.json", r#"{"kind":"refund"}"#);
    let (code, out) = run(&["eval", "--policy", &policy, "--order", &order, "--request", &bad, "--now", "2026-11-06T12:00:00+08:00"]);
    assert_eq!(code, 2);
    assert!(out.contains("error[INVALID_VALUE] at request.kind"), "{out}");
}

fn simulate_json(base: &str, cand: &str, orders: &str) -> (i32, String, u64) {
    let out = Command::new(env!("CARGO_BIN_EXE_aftersale"))
        .args(["simulate", "--baseline", base, "--candidate", cand, "--orders", orders, "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let peak = stderr.split("peak memory ").nth(1).and_then(|s| s.split(' ').next()).and_then(|n| n.parse().ok()).unwrap_or(0);
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), peak)
}

fn number_after(json: &str, key: &str) -> i128 {
    let at = json.find(&format!("\"{key}\":")).unwrap() + key.len() + 3;
    json[at..].chars().take_while(|c| c.is_ascii_digit() || *c == '-').collect::<String>().parse().unwrap()
}

const CANDIDATE: &str = r#"{"id":"candidate","version":"2","extends":"platform-default",
 "windows":[{"id":"cand-30-days","when":"reason.no_reason","anchor":"delivered","days":30,"resolutions":["refund"]}]}"#;

#[test]
fn simulate_totals_equal_the_sum_of_single_evaluations() {
    let history = dir().join("sample.ndjson");
    assert_eq!(run(&["generate", "--count", "300", "--seed", "11", "--out", history.to_str().unwrap()]).0, 0);
    let base = write("base.json", r#"{"id":"base","version":"1","extends":"platform-default"}"#);
    let cand = write("cand.json", CANDIDATE);
    let (code, out, _) = simulate_json(&base, &cand, history.to_str().unwrap());
    assert_eq!(code, 0, "{out}");
    assert_eq!(number_after(&out, "records"), 300);
    // The same records, one evaluation at a time through the library.
    let policy = aftersale_rules::compile_policy_json(&std::fs::read_to_string(&base).unwrap()).unwrap();
    let mut sum = 0i128;
    for line in std::fs::read_to_string(&history).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let input = serde_json::json!({ "order": v["order"], "request": v["request"], "now": v["now"] }).to_string();
        let answer = aftersale_rules::evaluate(&policy, &aftersale_rules::parse_input(&input).unwrap()).unwrap();
        sum += i128::from(answer.refund.total.0);
    }
    let baseline = &out[out.find("\"baseline\"").unwrap()..];
    assert_eq!(number_after(baseline, "refund_total"), sum);
    assert!(number_after(&out, "more_eligible") > 0, "the 30-day candidate makes some decisions more generous");
}

#[test]
fn simulate_streams_with_flat_memory_and_reports_malformed_lines() {
    let base = write("base2.json", r#"{"id":"base","version":"1","extends":"platform-default"}"#);
    let cand = write("cand2.json", CANDIDATE);
    let small = dir().join("h10k.ndjson");
    let large = dir().join("h100k.ndjson");
    assert_eq!(run(&["generate", "--count", "10000", "--seed", "3", "--out", small.to_str().unwrap()]).0, 0);
    assert_eq!(run(&["generate", "--count", "100000", "--seed", "3", "--out", large.to_str().unwrap()]).0, 0);
    let (code, out_small, peak_small) = simulate_json(&base, &cand, small.to_str().unwrap());
    assert_eq!(code, 0);
    assert_eq!(number_after(&out_small, "records"), 10_000);
    let (code, out_large, peak_large) = simulate_json(&base, &cand, large.to_str().unwrap());
    assert_eq!(code, 0);
    assert_eq!(number_after(&out_large, "records"), 100_000);
    assert!(peak_small > 0 && peak_large > 0);
    // Ten times the records, about the same memory.
    assert!(peak_large <= peak_small + peak_small / 4 + 4096, "peak memory {peak_small} KiB for 10k records, {peak_large} KiB for 100k");
    eprintln!("simulate peak memory: {peak_small} KiB for 10,000 records, {peak_large} KiB for 100,000");
    // Malformed records are reported by line number, and the rest still decided.
    let mixed = write(
        "mixed.ndjson",
        &format!("{}\nnot json\n{{\"id\":\"X\",\"order\":{{}}}}\n", std::fs::read_to_string(&small).unwrap().lines().next().unwrap()),
    );
    let (code, out, _) = simulate_json(&base, &cand, &mixed);
    assert_eq!(code, 1);
    assert_eq!(number_after(&out, "records"), 3);
    assert_eq!(number_after(&out, "malformed"), 2);
    assert!(out.contains("line 2: "), "{out}");
    assert!(out.contains("line 3: MISSING_FIELD"), "{out}");
    // A history that cannot be read through is an error, not a report of part of it.
    let (code, out, _) = simulate_json(&base, &cand, std::env::temp_dir().to_str().unwrap());
    assert_eq!((code, out.as_str()), (2, ""));
}

#[test]
fn check_finds_rules_that_can_never_match() {
    let file = write(
        "never.json",
        r#"{
  "id": "acme", "version": "1", "extends": "platform-default",
  "rules": [
    { "id": "contradiction", "when": "reason.code == \"quality\" && line.quantity > 1 && reason.code == \"wrong_item\"", "require_review": "agent" },
    { "id": "off", "when": "false && customer.returns_90d > 3", "require_review": "agent" },
    { "id": "constant", "when": "1 == 2", "require_review": "agent" },
    { "id": "fine", "when": "reason.code == \"quality\" || reason.code == \"wrong_item\"", "require_review": "agent" }
  ]
}"#,
    );
    let (code, out) = run(&["check", &file]);
    assert_eq!(code, 1);
    assert!(out.contains("rule `contradiction` can never match: `reason.code` cannot equal both \"quality\" and \"wrong_item\""), "{out}");
    assert!(out.contains("rule `off` can never match: it requires `false`"), "{out}");
    assert!(out.contains("rule `constant` can never match: `1 == 2` is always false"), "{out}");
    assert!(!out.contains("rule `fine`"), "{out}");
    assert!(out.contains("3 error(s), 0 warning(s)"), "{out}");
}

#[test]
fn schema_prints_the_shipped_file_and_refuses_unknown_names() {
    let (code, out) = run(&["schema", "policy"]);
    assert_eq!(code, 0);
    let shipped = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../pkg/schema/policy.schema.json")).unwrap();
    assert_eq!(out, shipped);
    let (code, out) = run(&["schema", "orders"]);
    assert_eq!(code, 2);
    assert!(out.contains("aftersale schema NAME"), "{out}");
    // A policy naming its schema passes `check`.
    let file = write("with-schema.json", r#"{"$schema": "x.json", "id": "s", "version": "1", "extends": "platform-default"}"#);
    assert_eq!(run(&["check", &file]).0, 0);
}

#[test]
fn lints_speak_only_where_they_are_true() {
    // No statutory window to fall below, and a fee beside a review of one condition: silent.
    let file = write(
        "standalone.json",
        r#"{
  "id": "acme", "version": "1", "currency": "CNY", "utc_offset": "+08:00",
  "reasons": [{ "code": "no_reason", "fault": "buyer", "no_reason": true }],
  "windows": [{ "id": "short", "when": "reason.no_reason", "anchor": "delivered", "days": 5, "resolutions": ["refund"] }],
  "rules": [
    { "id": "a", "when": "reason.no_reason", "require_review": "agent" },
    { "id": "b", "when": "reason.no_reason", "fee_bp": 500 }
  ]
}"#,
    );
    let (code, out) = run(&["check", &file]);
    assert_eq!((code, out.trim()), (0, "0 error(s), 0 warning(s)"));
    // Under the Chinese statute the 5-day window is below its 7 days: a warning, not an error.
    let under = write(
        "under.json",
        r#"{ "id": "acme", "version": "1", "extends": "cn-statutory",
  "windows": [{ "id": "short", "when": "reason.no_reason", "anchor": "delivered", "days": 5, "resolutions": ["refund"] }] }"#,
    );
    let (code, out) = run(&["check", &under]);
    assert_eq!(code, 1);
    assert!(out.contains("warning[LINT_WINDOW_BELOW_STATUTORY]") && out.contains("statutory 7 days"), "{out}");
}

#[test]
fn check_places_syntax_errors_and_reports_expressions_beside_shape_errors() {
    let comma = write("comma.json", "{\n  \"id\": \"x\",\n  \"version\": \"1\",\n  \"extends\": \"platform-default\",\n}\n");
    let (code, out) = run(&["check", &comma]);
    assert_eq!(code, 1);
    assert!(out.contains("line 5, column 1") && out.contains(&format!("--> {comma}:5:1")), "the caret is where the message says: {out}");
    let both = write(
        "both.json",
        "{\n  \"id\": \"x\", \"version\": \"1\", \"extends\": \"platform-default\",\n  \"rounding\": \"half_down\",\n  \"rules\": [{\"id\":\"r\",\"when\":\"line.categori == \\\"x\\\" && reason.code == \\\"quality\\\"\",\"require_review\":\"agent\"}]\n}\n",
    );
    let (code, out) = run(&["check", &both]);
    assert_eq!(code, 1);
    assert!(out.contains("error[INVALID_VALUE]: unknown value `half_down`"), "{out}");
    assert!(out.contains("error[EXPR_UNKNOWN_FIELD]") && out.contains("did you mean `line.category`?"), "{out}");
    assert!(out.contains("2 error(s)"), "a known reason of the preset is no error: {out}");
}

/// A copy of a cookbook suite with one expectation planted wrong: `aftersale test` fails, and
/// says where, what was expected and what the engine answered.
#[test]
fn a_planted_wrong_expectation_fails_with_a_readable_diff() {
    let cookbook = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/policies");
    let suite = dir().join("planted.tests");
    std::fs::create_dir_all(&suite).unwrap();
    for entry in std::fs::read_dir(cookbook.join("electronics-store.tests")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, suite.join(path.file_name().unwrap())).unwrap();
    }
    let case = suite.join("no-reason-day-20-fee.json");
    let text = std::fs::read_to_string(&case).unwrap().replace("\"amount\": 2990", "\"amount\": 2500");
    std::fs::write(&case, text).unwrap();
    let policy = cookbook.join("electronics-store.json");
    let (code, out) = run(&["test", policy.to_str().unwrap(), suite.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAIL ") && out.contains("no-reason-day-20-fee.json"), "{out}");
    assert!(out.contains("refund.deductions[0].amount\n    expected: 2500\n    actual:   2990"), "{out}");
    assert!(out.contains("5 case(s), 4 passed, 1 failed"), "{out}");
    let (code, json) = run(&["test", "--json", policy.to_str().unwrap(), suite.to_str().unwrap()]);
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["failures"][0]["differences"][0]["path"], "refund.deductions[0].amount");
    assert_eq!(report["failures"][0]["differences"][0]["actual"], 2990);
}

/// Coverage names what no case reached, and what was only ever decided one way.
#[test]
fn coverage_names_what_the_cases_never_reached_or_saw_one_way() {
    let cookbook = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/policies");
    let suite = dir().join("thin.tests");
    std::fs::create_dir_all(&suite).unwrap();
    std::fs::copy(cookbook.join("electronics-store.tests/no-reason-day-20-fee.json"), suite.join("only.json")).unwrap();
    let policy = cookbook.join("electronics-store.json");
    let (code, out) = run(&["test", policy.to_str().unwrap(), suite.to_str().unwrap()]);
    assert_eq!(code, 0, "the case passes: {out}");
    assert!(out.contains("coverage: 0 of 4"), "{out}");
    assert!(out.contains("compensation `repair-apology-coupon`: no case reached it"), "{out}");
    assert!(out.contains("windows `electronics-30-day-returns`: always: window open until #"), "{out}");
    let (code, _) = run(&["test", "--require-coverage", policy.to_str().unwrap(), suite.to_str().unwrap()]);
    assert_eq!(code, 1, "--require-coverage fails short coverage");
    let (code, out) = run(&["test", policy.to_str().unwrap(), dir().join("no-such-folder").to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
}

/// The floor check finds a planted rule that would refuse what the law grants, with a
/// counterexample that really shows it, and passes the presets' own rules.
#[test]
fn the_floor_check_finds_a_planted_violation_with_a_true_counterexample() {
    let planted = write(
        "planted.json",
        r#"{"id":"planted","version":"1","extends":"platform-default",
        "rules":[{"id":"no-cheap-toys","when":"line.category == \"toys\" && item.refund < 5000fen && reason.code == \"quality\"","deny":"NO_CHEAP_TOYS"},
                 {"id":"fine","when":"line.category == \"toys\" && reason.no_reason && item.condition.used_beyond_inspection == true","deny":"USED"}],
        "messages":{"NO_CHEAP_TOYS":{"zh-CN":"便宜玩具不退","en":"No cheap toys"},"USED":{"zh-CN":"已使用","en":"Used"}}}"#,
    );
    let (code, out) = run(&["check", &planted]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("warning[FLOOR_VIOLATION]: `no-cheap-toys` would refuse what the statutory layer grants"), "{out}");
    assert!(out.contains("lines.0.unit_price = 4999") && out.contains("lines.0.category = \"toys\""), "{out}");
    assert!(!out.contains("`fine`"), "a rule the law agrees with is not reported: {out}");
    let (_, json) = run(&["check", "--json", &planted]);
    let findings: serde_json::Value = serde_json::from_str(&json).unwrap();
    let found = findings.as_array().unwrap().iter().find(|f| f["code"] == "FLOOR_VIOLATION").unwrap();
    assert_eq!(found["line"], 2, "at the rule's condition");
    // The counterexample is decided as the check says: granted, the rule overridden to review.
    let policy = aftersale_rules::compile_policy_json(&std::fs::read_to_string(&planted).unwrap()).unwrap();
    let answer: serde_json::Value =
        serde_json::from_str(&aftersale_rules::evaluate_json(&policy, &found["counterexample"].to_string())).unwrap();
    assert_eq!(answer["items"][0]["eligible"], true, "{answer}");
    let trace = answer["trace"].as_array().unwrap();
    assert!(trace.iter().any(|t| t["rule"] == "no-cheap-toys" && t["effect"].as_str().unwrap().starts_with("overridden")), "{answer}");
    // The platform preset's own rules pass, checked as a document (the statutory presets'
    // rules are the floor itself).
    let preset = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../src/policy/presets/platform-default.json");
    let (code, out) = run(&["check", preset.to_str().unwrap()]);
    assert!(code == 0 && !out.contains("FLOOR"), "{out}");
    for preset in ["platform-default", "eu-crd"] {
        let (code, out) =
            run(&["check", &write(&format!("{preset}-only.json"), &format!(r#"{{"id":"p","version":"1","extends":"{preset}"}}"#))]);
        assert!(code == 0 && !out.contains("FLOOR"), "{preset}: {out}");
    }
}
