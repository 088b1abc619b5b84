//! `describe`: what a form renders from. The presets described, the categories a policy's
//! conditions name found wherever they are compared, and the JSON the package's
//! `policy.describe()` parses is the typed description, written.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use aftersale_rules::{compile_policy_json, describe, policy_info_json, RequestKind};

#[test]
fn the_platform_preset_describes_its_reasons_kinds_and_windows() {
    let policy = compile_policy_json(r#"{"id":"acme","version":"2026-11","extends":"platform-default"}"#).unwrap();
    let d = describe(&policy);
    assert_eq!((d.policy_id.as_str(), d.policy_version.as_str(), d.currency.as_str()), ("acme", "2026-11", "CNY"));
    assert_eq!((d.utc_offset.as_str(), d.eu_summer_time, d.minor_unit_digits), ("+08:00", false, 2));
    assert_eq!(d.calendar.as_deref(), Some("cn"));
    let codes: Vec<&str> = d.reasons.iter().map(|r| r.code.as_str()).collect();
    assert!(codes.contains(&"no_reason") && codes.contains(&"quality"), "{codes:?}");
    assert!(d.reasons.iter().all(|r| r.title.is_some()), "every preset reason has a title");
    let no_reason = d.reasons.iter().find(|r| r.code == "no_reason").unwrap();
    assert!(no_reason.no_reason && no_reason.evidence.photos == 0);
    let quality = d.reasons.iter().find(|r| r.code == "quality").unwrap();
    assert!(quality.evidence.photos >= 1, "a quality claim needs a photo");
    assert_eq!(d.request_kinds.first(), Some(&RequestKind::RefundWithReturn));
    assert!(!d.request_kinds.contains(&RequestKind::Goodwill), "goodwill is offered, not chosen");
    assert_eq!(d.windows.len(), policy.windows.len());
    let seven = d.windows.iter().find(|w| w.id == "cn-7day-no-reason").unwrap();
    assert_eq!((seven.days, seven.legal_ref.as_deref()), (Some(7), Some("CN-CRPL-ART25")));
    assert_eq!(policy_info_json(&policy), serde_json::to_string(&serde_json::to_value(&d).unwrap()).unwrap());
}

#[test]
fn the_eu_preset_keeps_summer_time_in_euros() {
    let d = describe(&compile_policy_json(r#"{"id":"shop","version":"1","extends":"eu-crd"}"#).unwrap());
    assert_eq!((d.currency.as_str(), d.utc_offset.as_str(), d.eu_summer_time), ("EUR", "+01:00", true));
    assert!(d.reasons.iter().any(|r| r.code == "withdrawal"));
}

#[test]
fn categories_are_found_wherever_a_condition_compares_them() {
    let policy = compile_policy_json(
        r#"{"id":"shop","version":"1","extends":"platform-default",
            "windows":[{"id":"fresh-24h","when":"line.category in [\"fresh\", \"frozen\"]","anchor":"delivered","hours":24,"counting":"exact","resolutions":["refund"]}],
            "rules":[{"id":"books","when":"reason.no_reason && !(line.category == \"books\") && \"magazines\" != line.category","require_review":"agent"}],
            "return_postage":[{"id":"big","when":"line.category == \"furniture\" && line.unit_price > 100000fen","payer":"seller"}]}"#,
    )
    .unwrap();
    let d = describe(&policy);
    for c in ["books", "fresh", "frozen", "furniture", "magazines"] {
        assert!(d.categories.iter().any(|x| x == c), "{c} in {:?}", d.categories);
    }
    let mut sorted = d.categories.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, d.categories, "sorted, each once");
    let window = d.windows.iter().find(|w| w.id == "fresh-24h").unwrap();
    assert_eq!((window.hours, window.days, window.conditional), (Some(24), None, true));
}
