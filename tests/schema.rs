//! The JSON Schemas shipped in the npm package (`pkg/schema/`) are exactly what the decoders
//! and writers generate today. After changing a format: `AFTERSALE_BLESS=1 cargo test --test schema`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(not(target_arch = "wasm32"))]

use aftersale_rules::schema;
use std::path::PathBuf;

fn file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("pkg/schema").join(format!("{name}.schema.json"))
}

#[test]
fn shipped_schemas_are_the_generated_ones() {
    let bless = std::env::var_os("AFTERSALE_BLESS").is_some();
    let mut stale = Vec::new();
    for name in schema::NAMES {
        let generated = schema::document(name).unwrap().to_pretty();
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
    assert!(stale.is_empty(), "stale schemas (regenerate with AFTERSALE_BLESS=1 cargo test --test schema): {stale:?}");
    let shipped: Vec<String> =
        std::fs::read_dir(file("x").parent().unwrap()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(shipped.len(), schema::NAMES.len(), "pkg/schema/ holds a file no format generates: {shipped:?}");
}

#[test]
fn every_decoded_field_is_in_the_schema_and_required_ones_are_marked() {
    let order = schema::document("order").unwrap().to_pretty();
    for field in ["\"placed_at\"", "\"unit_price\"", "\"nature_confirmed\"", "\"payments\"", "\"lines\""] {
        assert!(order.contains(field), "order schema lacks {field}");
    }
    assert!(order.contains("\"required\": [\"id\", \"currency\", \"placed_at\", \"lines\"]"), "{order}");
    assert!(order.contains("\"maxItems\": 500"));
    let policy = schema::document("policy").unwrap().to_pretty();
    assert!(policy.contains("\"$schema\""), "a policy may name its schema");
    assert!(policy.contains("\"enum\": [\"cn-statutory\", \"platform-default\", \"eu-crd\"]"));
    assert!(policy.contains("\"$ref\": \"#/$defs/PolicyDoc\""), "previous_versions refer back to the policy");
    let ledger = schema::document("ledger").unwrap().to_pretty();
    for field in ["\"returned_qty\"", "\"buyer_fault_qty\"", "\"tenders\"", "\"given_back\"", "\"coupons_restored\""] {
        assert!(ledger.contains(field), "ledger schema lacks {field}");
    }
    assert!(schema::document("input").unwrap().to_pretty().contains("\"$ref\": \"#/$defs/Ledger\""));
    let answer = schema::document("answer").unwrap().to_pretty();
    assert!(answer.contains("\"const\": \"decision\"") && answer.contains("\"const\": \"errors\""));
    assert!(!answer.contains(": {}"), "every answer field has a schema");
    assert!(schema::document("nope").is_none());
}
