//! The JSON Schemas shipped in the npm package (`pkg/schema/`) are exactly what the wire types
//! generate today. After changing a format: `AFTERSALE_BLESS=1 cargo test -p aftersale-cli --test schema`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use aftersale_rules::schema;
use serde_json::Value;
use std::path::PathBuf;

fn file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../pkg/schema").join(format!("{name}.schema.json"))
}

fn doc(name: &str) -> Value {
    serde_json::from_str(&schema::document(name).unwrap()).unwrap()
}

#[test]
fn shipped_schemas_are_the_generated_ones() {
    let bless = std::env::var_os("AFTERSALE_BLESS").is_some();
    let mut stale = Vec::new();
    for name in schema::NAMES {
        let generated = schema::document(name).unwrap();
        let path = file(name);
        let shipped = std::fs::read_to_string(&path).unwrap_or_default();
        if shipped != generated {
            if bless {
                std::fs::write(&path, &generated).unwrap();
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    assert!(stale.is_empty(), "stale schemas (regenerate with AFTERSALE_BLESS=1 cargo test -p aftersale-cli --test schema): {stale:?}");
    let shipped: Vec<String> =
        std::fs::read_dir(file("x").parent().unwrap()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(shipped.len(), schema::NAMES.len(), "pkg/schema/ holds a file no format generates: {shipped:?}");
}

#[test]
fn the_schemas_say_what_the_reader_enforces() {
    let order = doc("order");
    let required: Vec<&str> = order["required"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(required, ["id", "currency", "placed_at", "lines"]);
    for field in ["placed_at", "unit_price", "nature_confirmed", "payments", "lines"] {
        assert!(order.to_string().contains(&format!("\"{field}\"")), "order schema lacks {field}");
    }
    assert_eq!(order["properties"]["lines"]["maxItems"], 500);
    assert_eq!(order["properties"]["lines"]["minItems"], 1);
    let policy = doc("policy").to_string();
    assert!(policy.contains("\"$schema\""), "a policy may name its schema");
    assert!(policy.contains(r##""items":{"$ref":"#"}"##), "previous_versions refer back to the policy");
    let ledger = doc("ledger").to_string();
    for field in ["returned_qty", "buyer_fault_qty", "tenders", "given_back", "coupons_restored"] {
        assert!(ledger.contains(&format!("\"{field}\"")), "ledger schema lacks {field}");
    }
    assert!(doc("input").to_string().contains(r##""$ref":"#/$defs/Ledger""##));
    let answer = doc("answer").to_string();
    assert!(answer.contains(r#""const":"decision""#) && answer.contains(r#""const":"errors""#));
    assert!(!answer.contains(":{}"), "every answer field has a schema");
    assert!(!answer.contains("\"format\""), "no Rust integer formats: validators do not know them");
    assert!(schema::document("nope").is_none());
}

/// Every list a caller sends has a count limit, and the schema says it.
#[test]
fn every_list_of_every_input_has_a_limit() {
    fn arrays_without_limit(v: &Value, path: &str, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                let is_array = match map.get("type") {
                    Some(Value::String(t)) => t == "array",
                    Some(Value::Array(ts)) => ts.iter().any(|t| t == "array"),
                    _ => false,
                };
                if is_array && !map.get("maxItems").is_some_and(Value::is_u64) {
                    out.push(path.to_owned());
                }
                for (k, child) in map {
                    arrays_without_limit(child, &format!("{path}/{k}"), out);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    arrays_without_limit(child, &format!("{path}[{i}]"), out);
                }
            }
            _ => {}
        }
    }
    let mut missing = Vec::new();
    for name in ["input", "policy", "service-input", "effects", "ledger", "order", "request"] {
        arrays_without_limit(&doc(name), name, &mut missing);
    }
    assert!(missing.is_empty(), "lists without a count limit: {missing:?}");
    assert_eq!(doc("order")["$defs"]["Line"]["properties"]["tags"]["maxItems"], 256);
}
