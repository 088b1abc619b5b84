//! The worst inputs within the limits: each scenario a policy and what to send it, at the
//! largest sizes the engine accepts, so that every host can be shown to answer them with a
//! structured answer (a decision or `LIMIT_EXCEEDED`), never a trap or an exception.

use std::fmt::Write as _;

/// One worst case: a policy, and either one evaluation input or a batch of them.
#[derive(Debug)]
pub struct Scenario {
    pub name: &'static str,
    pub what: &'static str,
    pub policy: String,
    /// `{"order","request","now"}` text, or a JSON array of them when `batch`.
    pub input: String,
    pub batch: bool,
    /// The code the answer (or, for a batch, some answer) must carry; `None`: a decision.
    pub expect: Option<&'static str>,
}

const NOW: &str = "2026-11-05T12:00:00+08:00";

/// `n` lines of `tags` tags each, every one requested.
pub fn order_and_request(n: usize, tags: usize, discounts: usize) -> String {
    let tag_list: Vec<String> = (0..tags).map(|t| format!("\"t{t:03}\"")).collect();
    let tags_json = tag_list.join(",");
    let mut lines = String::new();
    let mut items = String::new();
    for i in 0..n {
        let comma = if i > 0 { "," } else { "" };
        let _ = write!(lines, r#"{comma}{{"id":"L{i}","category":"general","unit_price":9990,"quantity":1,"tags":[{tags_json}]}}"#);
        let _ = write!(items, r#"{comma}{{"line_id":"L{i}","qty":1,"reason":"no_reason"}}"#);
    }
    let discount_list: Vec<String> = (0..discounts).map(|d| format!(r#"{{"id":"D{d}","kind":"platform_coupon","amount":1}}"#)).collect();
    format!(
        r#"{{"order":{{"id":"O-WORST","currency":"CNY","placed_at":"2026-11-01T10:00:00+08:00","paid_at":"2026-11-01T10:00:00+08:00","delivered_at":"2026-11-03T10:00:00+08:00","discounts":[{}],"lines":[{lines}]}},"request":{{"kind":"refund_with_return","items":[{items}]}},"now":"{NOW}"}}"#,
        discount_list.join(",")
    )
}

/// A policy of `rules` review rules, each testing `tests` tags of `line.tags`.
pub fn tag_policy(rules: usize, tests: usize) -> String {
    let condition: Vec<String> = (0..tests).map(|t| format!(r#"\"x{t:03}\" in line.tags"#)).collect();
    let condition = condition.join(" || ");
    let list: Vec<String> = (0..rules).map(|r| format!(r#"{{"id":"r{r}","when":"{condition}","require_review":"agent"}}"#)).collect();
    format!(r#"{{"id":"worst","version":"1","extends":"platform-default","rules":[{}]}}"#, list.join(","))
}

/// A policy (with no statutory layer, which would override it) that denies every item with
/// its own message of the longest text allowed.
fn long_text_policy(chars: usize) -> String {
    let zh = "长".repeat(chars);
    let en = "L".repeat(chars);
    format!(
        r#"{{"id":"worst","version":"1","currency":"CNY","utc_offset":"+08:00","reasons":[{{"code":"no_reason","fault":"buyer","no_reason":true}}],"windows":[{{"id":"w","days":7,"anchor":"delivered","resolutions":["refund"]}}],"rules":[{{"id":"deny-all","when":"true","deny":"WORST_DENIED"}}],"messages":{{"WORST_DENIED":{{"zh-CN":"{zh}","en":"{en}"}}}}}}"#
    )
}

/// Every scenario.
pub fn scenarios() -> Vec<Scenario> {
    let full = order_and_request(500, 256, 0);
    vec![
        Scenario {
            name: "conditions-past-the-bound",
            what: "960 rules (near the limit of 1,000 with the presets') of 18 tag tests over 500 lines of 256 tags: refused before the work",
            policy: tag_policy(960, 18),
            input: full.clone(),
            batch: false,
            expect: Some("LIMIT_EXCEEDED"),
        },
        Scenario {
            name: "conditions-at-the-bound",
            what: "the most tag tests one request may do: 500 items under 2 rules of 13 tests over 256 tags",
            policy: tag_policy(2, 13),
            input: full.clone(),
            batch: false,
            expect: None,
        },
        Scenario {
            name: "discounts-by-lines",
            what: "500 discounts allocated over 500 lines",
            policy: r#"{"id":"worst","version":"1","extends":"platform-default"}"#.to_owned(),
            input: order_and_request(500, 0, 500),
            batch: false,
            expect: None,
        },
        Scenario {
            name: "long-texts",
            what: "500 items each denied with a message of 1,000 characters in both languages",
            policy: long_text_policy(1000),
            input: order_and_request(500, 0, 0),
            batch: false,
            expect: None,
        },
        Scenario {
            name: "batch-of-heavy-work",
            what: "30 inputs of one item of 256 tags under 118 rules of 128 tag tests (3.9 M units each): past 100 M units the later inputs are LIMIT_EXCEEDED",
            policy: tag_policy(118, 128),
            input: format!("[{}]", vec![order_and_request(1, 256, 0); 30].join(",")),
            batch: true,
            expect: Some("LIMIT_EXCEEDED"),
        },
        Scenario {
            name: "batch-of-large-answers",
            what: "40 inputs of 500 denied items with long messages: past 64 MB the later inputs are LIMIT_EXCEEDED",
            policy: long_text_policy(1000),
            input: format!("[{}]", vec![order_and_request(500, 0, 0); 40].join(",")),
            batch: true,
            expect: Some("LIMIT_EXCEEDED"),
        },
    ]
}
