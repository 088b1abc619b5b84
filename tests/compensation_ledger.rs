//! The ledger's compensation entries per line (damages): applied effects name a line of the
//! order, in cash, once each; a coupon stays owed once per order; the ledger stays readable.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use aftersale_rules::apply_effects_json;

const ORDER: &str = r#"{"id":"O-1","currency":"CNY","placed_at":"2026-11-01T10:00:00+08:00","paid_at":"2026-11-01T10:01:00+08:00",
  "delivered_at":"2026-11-03T15:00:00+08:00","shipping_fee":0,
  "lines":[{"id":"L1","category":"jewellery","unit_price":9900,"quantity":2}]}"#;

fn apply(ledger: &str, compensation: &str) -> serde_json::Value {
    let effects =
        format!(r#"{{"order_id":"O-1","ledger_version":{},"compensation":{compensation}}}"#, if ledger.is_empty() { 0 } else { 1 });
    let ledger = if ledger.is_empty() { String::new() } else { format!(r#","ledger":{ledger}"#) };
    serde_json::from_str(&apply_effects_json(&format!(r#"{{"order":{ORDER}{ledger},"effects":{effects}}}"#))).unwrap()
}

fn codes(answer: &serde_json::Value) -> Vec<(String, String)> {
    answer["errors"].as_array().map_or_else(Vec::new, |e| {
        e.iter().map(|e| (e["code"].as_str().unwrap().to_owned(), e["path"].as_str().unwrap().to_owned())).collect()
    })
}

#[test]
fn damages_add_up_per_rule_and_line() {
    let first = apply("", r#"[{"rule":"fraud","line_id":"L1","kind":"cash","amount":50000}]"#);
    let ledger = serde_json::to_string(&first["ledger"]).unwrap();
    let second = apply(&ledger, r#"[{"rule":"fraud","line_id":"L1","kind":"cash","amount":9400}]"#);
    assert_eq!(second["ledger"]["compensation"], serde_json::json!([{"rule":"fraud","line_id":"L1","kind":"cash","amount":59400}]));
}

#[test]
fn a_coupon_is_still_owed_once_per_order() {
    let first = apply("", r#"[{"rule":"late","kind":"coupon","amount":500}]"#);
    let ledger = serde_json::to_string(&first["ledger"]).unwrap();
    let again = apply(&ledger, r#"[{"rule":"late","kind":"coupon","amount":500}]"#);
    assert_eq!(codes(&again), vec![("INCONSISTENT".to_owned(), "effects.compensation[0].rule".to_owned())]);
}

#[test]
fn damages_name_a_line_of_the_order_in_cash_once() {
    let unknown = apply("", r#"[{"rule":"fraud","line_id":"L9","kind":"cash","amount":100}]"#);
    assert_eq!(codes(&unknown), vec![("UNKNOWN_REFERENCE".to_owned(), "ledger.compensation[0].line_id".to_owned())]);
    let coupon = apply("", r#"[{"rule":"fraud","line_id":"L1","kind":"coupon","amount":100}]"#);
    assert_eq!(codes(&coupon), vec![("INCONSISTENT".to_owned(), "ledger.compensation[0].kind".to_owned())]);
    let twice = apply(
        "",
        r#"[{"rule":"fraud","line_id":"L1","kind":"cash","amount":100},{"rule":"fraud","line_id":"L1","kind":"cash","amount":100}]"#,
    );
    assert_eq!(codes(&twice), vec![("INCONSISTENT".to_owned(), "effects.compensation[1].rule".to_owned())]);
}

#[test]
fn the_ledger_stays_within_what_it_can_read_back() {
    let entries: Vec<String> = (0..1000).map(|i| format!(r#"{{"rule":"c{i}","kind":"coupon","amount":1}}"#)).collect();
    let ledger = format!(r#"{{"version":1,"compensation":[{}]}}"#, entries.join(","));
    let over = apply(&ledger, r#"[{"rule":"fraud","line_id":"L1","kind":"cash","amount":100}]"#);
    assert_eq!(codes(&over), vec![("LIMIT_EXCEEDED".to_owned(), "effects.compensation".to_owned())]);
}
