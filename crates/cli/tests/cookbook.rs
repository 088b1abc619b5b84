//! The cookbook of merchant policies (`examples/policies/`): each is `aftersale check` clean,
//! and each does what its README line says, pinned by a request decided under it (and, where
//! it matters, the same request under its preset, which decides otherwise).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use aftersale_rules::{compile_policy_json, evaluate_json, CompiledPolicy};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::Command;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/policies")
}

fn policy(name: &str) -> CompiledPolicy {
    let text = std::fs::read_to_string(dir().join(format!("{name}.json"))).unwrap();
    compile_policy_json(&text).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

fn preset(name: &str) -> CompiledPolicy {
    compile_policy_json(&format!(r#"{{"id":"preset","version":"1","extends":"{name}"}}"#)).unwrap()
}

/// An order of one line delivered 2026-11-03 15:00 (+08:00), with `line` merged into its line
/// and `order` into the order.
fn order(line: Value, order: Value) -> Value {
    let mut l = json!({ "id": "L1", "category": "general", "unit_price": 29900, "quantity": 1 });
    l.as_object_mut().unwrap().extend(line.as_object().unwrap().clone());
    let mut o = json!({ "id": "O1", "currency": "CNY", "placed_at": "2026-11-01T10:00:00+08:00", "paid_at": "2026-11-01T10:01:00+08:00",
        "shipped_at": "2026-11-02T10:00:00+08:00", "delivered_at": "2026-11-03T15:00:00+08:00", "shipping_fee": 800, "lines": [l] });
    o.as_object_mut().unwrap().extend(order.as_object().unwrap().clone());
    o
}

fn decide(policy: &CompiledPolicy, order: &Value, request: Value, now: &str) -> Value {
    let input = json!({ "order": order, "request": request, "now": now });
    let answer: Value = serde_json::from_str(&evaluate_json(policy, &input.to_string())).unwrap();
    assert_eq!(answer["type"], "decision", "{answer}");
    answer
}

fn request(kind: &str, reason: &str, extra: Value) -> Value {
    let mut r = json!({ "kind": kind, "items": [{ "line_id": "L1", "qty": 1, "reason": reason }] });
    r.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    r
}

#[test]
fn every_cookbook_policy_is_check_clean_and_described() {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let out = Command::new(env!("CARGO_BIN_EXE_aftersale")).arg("check").arg(&path).output().unwrap();
            let said = String::from_utf8_lossy(&out.stdout);
            assert!(out.status.success() && said.contains("0 error(s), 0 warning(s)"), "{}: {said}", path.display());
            names.push(path.file_stem().unwrap().to_string_lossy().into_owned());
        }
    }
    names.sort();
    assert_eq!(names, ["apparel-shop", "cross-border", "electronics-store", "eu-seller", "fresh-grocer", "membership"]);
    let readme = std::fs::read_to_string(dir().join("README.md")).unwrap();
    for name in &names {
        assert!(readme.contains(&format!("[{name}.json]({name}.json)")), "examples/policies/README.md lists {name}");
    }
}

/// Every cookbook policy ships with its own suite (`NAME.tests/`), which passes and reaches
/// each of the policy's windows and rules both ways.
#[test]
fn every_cookbook_suite_passes_at_full_coverage() {
    for name in ["apparel-shop", "cross-border", "electronics-store", "eu-seller", "fresh-grocer", "membership"] {
        let policy = dir().join(format!("{name}.json"));
        let out = Command::new(env!("CARGO_BIN_EXE_aftersale")).arg("test").arg("--require-coverage").arg(&policy).output().unwrap();
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{name}: {said}{}", String::from_utf8_lossy(&out.stderr));
        assert!(said.contains("0 failed") && !said.contains("FAIL"), "{name}: {said}");
    }
}

#[test]
fn apparel_shop_exchanges_sizes_free_and_denies_swimwear_without_tags() {
    let p = policy("apparel-shop");
    let d = aftersale_rules::describe(&p);
    assert!(d.reasons.iter().any(|r| r.code == "size_not_fitting" && r.no_reason));
    let swim = order(json!({ "category": "apparel", "tags": ["swimwear"] }), json!({}));
    let exchange = decide(&p, &swim, request("exchange", "size_not_fitting", json!({})), "2026-11-15T10:00:00+08:00");
    assert_eq!(exchange["items"][0]["eligible"], true);
    assert_eq!(exchange["return_shipping"]["payer"], "seller", "size exchanges travel free");
    let under_preset = decide(&preset("platform-default"), &swim, request("exchange", "no_reason", json!({})), "2026-11-15T10:00:00+08:00");
    assert_eq!(under_preset["return_shipping"]["payer"], "buyer");
    let torn = json!({ "kind": "refund_with_return", "items": [{ "line_id": "L1", "qty": 1, "reason": "no_reason", "condition": { "tags_attached": false } }] });
    let refused = decide(&p, &swim, torn, "2026-11-05T10:00:00+08:00");
    assert_eq!(refused["items"][0]["eligible"], false);
}

#[test]
fn electronics_store_charges_its_restocking_fee_only_after_the_statutory_week() {
    let p = policy("electronics-store");
    let phone = order(json!({ "category": "electronics", "unit_price": 199900 }), json!({ "shipping_fee": 0 }));
    let early = decide(&p, &phone, request("refund_with_return", "no_reason", json!({})), "2026-11-06T10:00:00+08:00");
    assert_eq!((early["refund"]["total"].as_i64(), early["refund"]["deductions"].as_array().map(Vec::len)), (Some(199900), Some(0)));
    let late = decide(&p, &phone, request("refund_with_return", "no_reason", json!({})), "2026-11-20T10:00:00+08:00");
    assert_eq!(late["items"][0]["window"]["rule"], "electronics-30-day-returns");
    assert_eq!(late["refund"]["deductions"][0]["kind"], "fee");
    assert_eq!(late["refund"]["total"], 199900 - 19990);
    let under_preset =
        decide(&preset("platform-default"), &phone, request("refund_with_return", "no_reason", json!({})), "2026-11-20T10:00:00+08:00");
    assert_eq!(under_preset["items"][0]["eligible"], false, "the preset's no-reason week is over");
}

#[test]
fn fresh_grocer_refunds_spoiled_food_without_a_return() {
    let p = policy("fresh-grocer");
    let berries = order(json!({ "category": "fresh" }), json!({}));
    let evidence = json!({ "evidence": { "photos": 2, "description_chars": 12 } });
    let d = decide(&p, &berries, request("refund_without_return", "spoiled", evidence), "2026-11-04T10:00:00+08:00");
    assert_eq!(d["items"][0]["eligible"], true);
    assert_eq!(
        (d["return_shipping"]["return_required"].as_bool(), d["return_shipping"]["destroy_on_site"].as_bool()),
        (Some(false), Some(true))
    );
    assert_eq!(d["compensation"][0]["kind"], "coupon");
    let one_photo = decide(
        &p,
        &berries,
        request("refund_without_return", "spoiled", json!({ "evidence": { "photos": 1 } })),
        "2026-11-04T10:00:00+08:00",
    );
    assert!(!one_photo["requirements"]["missing_evidence"].as_array().unwrap().is_empty(), "two photos are needed");
}

#[test]
fn cross_border_store_keeps_the_international_shipping() {
    let p = policy("cross-border");
    let parcel = order(json!({}), json!({ "cross_border": true }));
    let evidence = json!({ "evidence": { "photos": 1, "description_chars": 12 } });
    let d = decide(&p, &parcel, request("refund_with_return", "quality", evidence.clone()), "2026-11-05T10:00:00+08:00");
    assert_eq!((d["refund"]["shipping"].as_i64(), d["refund"]["total"].as_i64()), (Some(0), Some(29900)));
    let under_preset =
        decide(&preset("platform-default"), &parcel, request("refund_with_return", "quality", evidence), "2026-11-05T10:00:00+08:00");
    assert_eq!(under_preset["refund"]["shipping"], 800);
    let no_reason = decide(&p, &parcel, request("refund_with_return", "no_reason", json!({})), "2026-11-05T10:00:00+08:00");
    assert_eq!(no_reason["return_shipping"]["rule"], "cross-border-buyer-pays-no-reason");
}

#[test]
fn eu_seller_takes_returns_for_thirty_days_in_paris_time() {
    let p = policy("eu-seller");
    let d = aftersale_rules::describe(&p);
    assert!(d.eu_summer_time && d.utc_offset == "+01:00" && d.currency == "EUR");
    let coat = json!({ "id": "O1", "currency": "EUR", "placed_at": "2026-06-01T10:00:00+02:00", "paid_at": "2026-06-01T10:01:00+02:00",
        "shipped_at": "2026-06-02T10:00:00+02:00", "delivered_at": "2026-06-03T15:00:00+02:00",
        "lines": [{ "id": "L1", "category": "apparel", "unit_price": 8900, "quantity": 1 }] });
    let late = decide(&p, &coat, request("refund_with_return", "withdrawal", json!({})), "2026-06-25T10:00:00+02:00");
    assert_eq!(late["items"][0]["eligible"], true);
    assert_eq!(late["items"][0]["window"]["rule"], "eu-30-day-goodwill-returns");
    assert!(late["items"][0]["window"]["closes_at"].as_str().unwrap().ends_with("+02:00"), "summer time in Paris");
    assert_eq!(late["return_shipping"]["payer"], "seller", "free returns from €50");
    let under_preset =
        decide(&preset("eu-crd"), &coat, request("refund_with_return", "withdrawal", json!({})), "2026-06-25T10:00:00+02:00");
    assert_eq!(under_preset["items"][0]["eligible"], false, "the 14 days are over");
}

#[test]
fn membership_gives_members_sixty_days() {
    let p = policy("membership");
    let member = order(json!({}), json!({ "customer": { "member_free_returns": true } }));
    let guest = order(json!({}), json!({}));
    let day_45 = "2026-12-18T10:00:00+08:00";
    assert_eq!(decide(&p, &member, request("refund_with_return", "no_reason", json!({})), day_45)["items"][0]["eligible"], true);
    assert_eq!(decide(&p, &guest, request("refund_with_return", "no_reason", json!({})), day_45)["items"][0]["eligible"], false);
    let big = order(json!({ "unit_price": 45000 }), json!({ "customer": { "member_free_returns": true } }));
    let approval =
        &decide(&p, &big, request("refund_with_return", "no_reason", json!({})), "2026-11-05T10:00:00+08:00")["requirements"]["approval"];
    assert_eq!(approval, "auto", "members' refunds up to ¥500 are automatic");
}

/// Every complete policy shown in docs/policies.md compiles (a block with an id, a version and
/// either a preset or its own currency; the others are fragments of one).
#[test]
fn the_policies_in_the_guide_compile() {
    let guide = std::fs::read_to_string(dir().join("../../docs/policies.md")).unwrap();
    let mut compiled = 0;
    for block in guide.split("```json").skip(1) {
        let text = block.split("```").next().unwrap();
        let Ok(Value::Object(doc)) = serde_json::from_str::<Value>(text) else { continue };
        if doc.contains_key("id") && doc.contains_key("version") && (doc.contains_key("extends") || doc.contains_key("currency")) {
            compile_policy_json(text).unwrap_or_else(|e| panic!("a policy of docs/policies.md does not compile: {e:?}\n{text}"));
            compiled += 1;
        }
    }
    assert!(compiled >= 3, "{compiled} complete policies found in the guide");
}
