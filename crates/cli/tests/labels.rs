//! The label catalogue the package ships (`pkg/labels.json`) is what the engine's catalogue
//! (`aftersale_rules::labels`) generates, and it labels every value a form can be shown: every
//! enum value of the answers' schemas, and every code, deadline and legal reference the
//! corpus's answers and the presets carry. Bless: `AFTERSALE_BLESS=1 cargo test -p aftersale-cli --test labels`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use aftersale_rules::schema;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn pkg(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../pkg").join(file)
}

#[test]
fn shipped_labels_are_the_generated_ones() {
    let generated = schema::labels_json();
    let path = pkg("labels.json");
    if std::env::var_os("AFTERSALE_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    assert!(std::fs::read_to_string(&path).unwrap_or_default() == generated, "stale pkg/labels.json: bless with AFTERSALE_BLESS=1");
}

/// Every `(vocabulary, value)` labelled, and every value labelled somewhere.
fn labelled() -> (BTreeSet<(String, String)>, BTreeSet<String>) {
    let mut pairs = BTreeSet::new();
    let mut values = BTreeSet::new();
    for (name, entries) in aftersale_rules::labels() {
        let mut seen = BTreeSet::new();
        for (value, (zh, en)) in entries {
            assert!(seen.insert(value), "{name}.{value} labelled twice");
            assert!(!zh.trim().is_empty() && !en.trim().is_empty(), "{name}.{value} has an empty label");
            assert!(en.starts_with(|c: char| !c.is_ascii_lowercase()), "{name}.{value}: `{en}` is not capitalised");
            assert!(!zh.contains('_') && !en.contains('_'), "{name}.{value}: a label is not an identifier");
            pairs.insert((name.to_owned(), value.to_owned()));
            values.insert(value.to_owned());
        }
    }
    (pairs, values)
}

/// Every string of every `enum` in a schema.
fn enum_values(node: &Value, out: &mut BTreeSet<String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::Array(list)) = map.get("enum") {
                out.extend(list.iter().filter_map(Value::as_str).map(str::to_owned));
            }
            if let Some(Value::String(c)) = map.get("const") {
                out.insert(c.clone());
            }
            map.values().for_each(|v| enum_values(v, out));
        }
        Value::Array(list) => list.iter().for_each(|v| enum_values(v, out)),
        _ => {}
    }
}

#[test]
fn every_enum_value_an_answer_can_carry_has_a_label() {
    let (_, values) = labelled();
    let mut wanted = BTreeSet::new();
    for name in ["answer", "service-answer", "policy-info"] {
        enum_values(&serde_json::from_str(&schema::document(name).unwrap()).unwrap(), &mut wanted);
    }
    // The answers' `type` tags are not shown to anyone.
    for tag in ["decision", "errors", "policy", "transition", "refusal", "status", "ledger"] {
        wanted.remove(tag);
    }
    let missing: Vec<&String> = wanted.iter().filter(|v| !values.contains(*v)).collect();
    assert!(missing.is_empty(), "values without a label: {missing:?}");
    assert!(wanted.len() > 100, "the schemas' enums were read ({} values)", wanted.len());
}

/// `(vocabulary, value)` for every code, deadline and legal reference in `node`.
fn shown(node: &Value, out: &mut BTreeSet<(String, String)>) {
    match node {
        Value::Object(map) => {
            // A reason's code: its policy gives its title (`describe`), the catalogue does not.
            let reason = map.contains_key("fault");
            // A missing piece of evidence says `what` too, and so does a suggestion to attach it.
            let what = if map.contains_key("required") || map.contains_key("at_least") { "evidence" } else { "deadline" };
            for (key, vocabulary) in [("code", "code"), ("what", what), ("legal_ref", "legal_ref"), ("deny", "code")] {
                if let (Some(Value::String(v)), false) = (map.get(key), reason && key == "code") {
                    out.insert((vocabulary.to_owned(), v.clone()));
                }
            }
            map.values().for_each(|v| shown(v, out));
        }
        Value::Array(list) => list.iter().for_each(|v| shown(v, out)),
        _ => {}
    }
}

#[test]
fn every_code_deadline_and_legal_reference_of_the_corpus_and_presets_has_a_label() {
    let (pairs, _) = labelled();
    let mut wanted = BTreeSet::new();
    for (_, text) in aftersale_testkit::CASES {
        let case: Value = serde_json::from_str(text).unwrap();
        if let Some(expect) = case.get("expect") {
            shown(expect, &mut wanted);
        }
    }
    for preset in ["cn-statutory", "platform-default", "eu-crd"] {
        let text =
            std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../src/policy/presets/{preset}.json")))
                .unwrap();
        shown(&serde_json::from_str(&text).unwrap(), &mut wanted);
    }
    // Input errors are labelled under `error`; codes a case's own policy defines (with its own
    // messages) are the policy's to label.
    let own: BTreeSet<&str> = ["SOLES_WORN", "agent_callback", "BULKY_BY_PICKUP"].into();
    let missing: Vec<&(String, String)> = wanted
        .iter()
        .filter(|(vocabulary, value)| {
            !pairs.contains(&(vocabulary.clone(), value.clone()))
                && !pairs.contains(&("error".to_owned(), value.clone()))
                && !own.contains(value.as_str())
        })
        .collect();
    assert!(missing.is_empty(), "shown without a label: {missing:?}");
    assert!(wanted.len() > 60, "the corpus was read ({} values)", wanted.len());
}
