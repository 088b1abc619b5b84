//! Invariants of whole decisions over random realistic requests (platform-default over
//! cn-statutory): the same inputs give the same bytes; a later request time never reopens a
//! closed window; a line nobody asks about never changes another line's eligibility; a decision
//! replayed with its own refunds recorded pays nothing more; and the money of every decision
//! adds up (items + shipping − deductions = total = the tender split; liability = total +
//! compensation + the return postage's parts).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(not(target_arch = "wasm32"))]

use aftersale_rules::{compile_policy_json, evaluate, evaluate_json, parse_input, CompiledPolicy, Decision};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use std::sync::OnceLock;

const POLICY: &str = r#"{"id":"p","version":"1","extends":"platform-default"}"#;

fn policy() -> &'static CompiledPolicy {
    static P: OnceLock<CompiledPolicy> = OnceLock::new();
    P.get_or_init(|| compile_policy_json(POLICY).unwrap())
}

const CATEGORIES: &[&str] = &["apparel", "electronics", "fresh", "shoes", "books", "beauty"];
const REASONS: &[&str] = &["no_reason", "quality", "not_as_described", "damaged_in_transit", "wrong_item"];
const KINDS: &[&str] = &["refund_with_return", "refund_without_return", "exchange", "repair", "price_difference"];

#[derive(Debug, Clone)]
struct LineSpec {
    category: usize,
    price: i64,
    qty: i64,
    returned: i64,
    facts: u8,
    requested: Option<(i64, usize, bool)>,
}

#[derive(Debug, Clone)]
struct Spec {
    lines: Vec<LineSpec>,
    kind: usize,
    /// Minutes from delivery to the request, up to 40 days: many land near window edges.
    after_delivery: i64,
    discount: Option<i64>,
    shipping: i64,
    insured: bool,
    member: bool,
    score: i64,
}

fn line_spec() -> impl Strategy<Value = LineSpec> {
    (
        0..CATEGORIES.len(),
        1i64..300_000,
        1i64..4,
        0i64..4,
        any::<u8>(),
        prop::option::weighted(0.7, (1i64..4, 0..REASONS.len(), any::<bool>())),
    )
        .prop_map(|(category, price, qty, returned, facts, requested)| {
            let returned = returned.min(qty - 1);
            let requested = requested.map(|(q, r, tags)| (q.min(qty - returned), r, tags));
            LineSpec { category, price, qty, returned, facts, requested }
        })
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec(line_spec(), 1..7),
        0..KINDS.len(),
        prop_oneof![0i64..(40 * 1440), (6i64 * 1440 + 1300)..(8 * 1440 + 200), (29i64 * 1440 + 1300)..(31 * 1440 + 200)],
        prop::option::of(100i64..5000),
        0i64..2000,
        any::<bool>(),
        any::<bool>(),
        20i64..101,
    )
        .prop_map(|(lines, kind, after_delivery, discount, shipping, insured, member, score)| Spec {
            lines,
            kind,
            after_delivery,
            discount,
            shipping,
            insured,
            member,
            score,
        })
}

/// Minutes since 2026-09-01T00:00+08:00 as RFC 3339 at +08:00 (every request falls in 2026,
/// inside the `cn` calendar's years).
fn at(minutes: i64) -> String {
    aftersale_rules::Instant(minutes * 60_000 + 1_788_192_000_000).to_rfc3339(aftersale_rules::Offset(480))
}

impl Spec {
    fn goods(&self) -> i64 {
        self.lines.iter().map(|l| l.price * l.qty).sum()
    }

    /// The evaluation input, with per-line `refunded`/`returned_qty` overrides and an extra line.
    fn input(&self, now_minutes: i64, extra_line: bool, already: &[(i64, i64)], shipping_refunded: i64) -> String {
        let delivered = 3 * 1440 + 600;
        let mut lines = Vec::new();
        let mut ledger = Vec::new();
        let mut items = Vec::new();
        for (i, l) in self.lines.iter().enumerate() {
            let (returned, refunded) = already.get(i).copied().unwrap_or((l.returned, 0));
            let f = l.facts;
            let facts = format!(
                r#"{{"perishable":{},"activated":{},"nature_confirmed":{},"hygiene_seal_opened":{},"warranty_months":{}}}"#,
                f & 1 != 0 && l.category == 2,
                f & 2 != 0,
                f & 4 != 0,
                f & 8 != 0,
                if f & 16 != 0 { 12 } else { 0 }
            );
            lines.push(format!(
                r#"{{"id":"L{i}","category":"{}","unit_price":{},"quantity":{},"facts":{facts}}}"#,
                CATEGORIES[l.category], l.price, l.qty
            ));
            ledger.push(format!(r#"{{"line_id":"L{i}","returned_qty":{returned},"refunded":{refunded}}}"#));
            if let Some((q, r, tags)) = l.requested {
                items.push(format!(
                    r#"{{"line_id":"L{i}","qty":{q},"reason":"{}","condition":{{"tags_attached":{tags},"used_beyond_inspection":false}}}}"#,
                    REASONS[r]
                ));
            }
        }
        if extra_line {
            lines.push(r#"{"id":"EXTRA","category":"books","unit_price":4200,"quantity":2}"#.to_owned());
        }
        if items.is_empty() {
            items.push(r#"{"line_id":"L0","qty":1,"reason":"quality"}"#.to_owned());
        }
        let discount = match self.discount {
            Some(d) if d < self.goods() => {
                format!(r#","discounts":[{{"id":"MJ","kind":"threshold","amount":{d},"threshold":{}}}]"#, self.goods().min(d * 10))
            }
            _ => String::new(),
        };
        format!(
            r#"{{"order":{{"id":"O","currency":"CNY","placed_at":"{}","promised_ship_by":"{}","shipped_at":"{}","delivered_at":"{}","shipping_fee":{},"freight_insurance":{},"customer":{{"integrity_score":{},"member_free_returns":{}}}{discount},"lines":[{}]}},"ledger":{{"lines":[{}],"shipping_refunded":{shipping_refunded}}},"request":{{"kind":"{}","items":[{}],"evidence":{{"photos":2,"package_photos":1,"description_chars":40}}}},"now":"{}"}}"#,
            at(0),
            at(1440),
            at(2 * 1440),
            at(delivered),
            self.shipping,
            self.insured,
            self.score,
            self.member,
            lines.join(","),
            ledger.join(","),
            KINDS[self.kind],
            items.join(","),
            at(delivered + now_minutes),
        )
    }

    fn decide(&self, now_minutes: i64, extra_line: bool) -> Decision {
        let text = self.input(now_minutes, extra_line, &[], 0);
        let input = parse_input(&text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        evaluate(policy(), &input).unwrap_or_else(|e| panic!("{e:?}\n{text}"))
    }
}

/// The money of one decision adds up (`Decision::check_money`).
fn money_adds_up(d: &Decision) -> Result<(), TestCaseError> {
    aftersale_testkit::check_money(d).map_err(TestCaseError::fail)
}

fn verdicts(d: &Decision) -> Vec<(String, bool, Option<String>)> {
    d.items.iter().map(|i| (i.line_id.to_string(), i.eligible, i.denial.as_ref().map(|x| x.code.to_string()))).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn evaluation_is_deterministic_to_the_byte(s in spec()) {
        let text = s.input(s.after_delivery, false, &[], 0);
        let first = evaluate_json(policy(), &text);
        prop_assert_eq!(&first, &evaluate_json(policy(), &text));
        // A policy compiled afresh answers the same bytes too.
        prop_assert_eq!(&first, &evaluate_json(&compile_policy_json(POLICY).unwrap(), &text));
        prop_assert!(first.starts_with(r#"{"type":"decision""#), "{}", first);
        money_adds_up(&s.decide(s.after_delivery, false))?;
    }

    #[test]
    fn a_later_request_never_reopens_a_closed_window(s in spec(), later in 1i64..(60 * 1440)) {
        let before = s.decide(s.after_delivery, false);
        let after = s.decide(s.after_delivery + later, false);
        for (b, a) in before.items.iter().zip(&after.items) {
            if b.denial.as_ref().is_some_and(|d| d.code == "WINDOW_CLOSED") {
                prop_assert!(!a.eligible, "{} closed at +{} min but eligible at +{} min", b.line_id, s.after_delivery, s.after_delivery + later);
            }
        }
    }

    #[test]
    fn an_unrelated_line_never_changes_another_lines_eligibility(mut s in spec()) {
        // Without order-level discounts, a new line changes no other line's money either.
        s.discount = None;
        let alone = s.decide(s.after_delivery, false);
        let with_extra = s.decide(s.after_delivery, true);
        prop_assert_eq!(verdicts(&alone), verdicts(&with_extra));
        for (a, b) in alone.items.iter().zip(&with_extra.items) {
            prop_assert_eq!(a.refund.amount, b.refund.amount);
        }
    }

    #[test]
    fn a_decision_replayed_with_its_refunds_recorded_pays_nothing_more(mut s in spec(), whole in any::<bool>()) {
        // An honest history: no order-level discount, and what was returned before was refunded
        // (its cumulative share). With `whole`, the request takes every unit still left.
        s.discount = None;
        s.kind = 0;
        if whole {
            for l in &mut s.lines {
                l.requested = Some((l.qty - l.returned, l.requested.map_or(1, |r| r.1), true));
            }
        }
        let paid = |l: &LineSpec| l.price * l.qty;
        let before: Vec<(i64, i64)> = s.lines.iter().map(|l| (l.returned, paid(l) * l.returned / l.qty)).collect();
        let first_text = s.input(s.after_delivery, false, &before, 0);
        let first = evaluate(policy(), &parse_input(&first_text).unwrap()).unwrap();
        money_adds_up(&first)?;
        // Record what it paid, units and money, as the platform would, and ask again.
        let mut after = before.clone();
        for item in first.items.iter().filter(|i| i.eligible) {
            let i: usize = item.line_id.trim_start_matches('L').parse().unwrap();
            after[i].0 += item.qty;
            after[i].1 += item.refund.amount.0;
        }
        let text = s.input(s.after_delivery, false, &after, first.refund.shipping.0);
        let replay = evaluate(policy(), &parse_input(&text).unwrap()).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        money_adds_up(&replay)?;
        for (i, l) in s.lines.iter().enumerate() {
            let again: i64 = replay.items.iter().filter(|d| d.line_id == format!("L{i}")).map(|d| d.refund.amount.0).sum();
            prop_assert!(after[i].1 + again <= paid(l), "line L{i} paid {} in all, more than its {}", after[i].1 + again, paid(l));
        }
        if whole && first.items.iter().all(|i| i.eligible) {
            prop_assert_eq!(replay.refund.total.0, 0, "the same request paid twice:\n{}", text);
            prop_assert!(replay.items.iter().all(|i| i.denial.as_ref().is_some_and(|d| d.code == "QTY_EXCEEDS_REMAINING")));
        }
    }
}

#[test]
fn the_generated_inputs_cover_every_outcome() {
    // The strategies are only useful if they reach eligible items, closed windows and exclusions.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut codes = std::collections::BTreeSet::new();
    for _ in 0..600 {
        let s = spec().new_tree(&mut runner).unwrap().current();
        for (_, eligible, code) in verdicts(&s.decide(s.after_delivery, false)) {
            codes.insert(if eligible { "ELIGIBLE".to_owned() } else { code.unwrap_or_default() });
        }
    }
    for want in ["ELIGIBLE", "WINDOW_CLOSED", "EXCLUDED_PERISHABLE", "NOT_INTACT", "RESOLUTION_NOT_AVAILABLE"] {
        assert!(codes.contains(want), "never reached {want}: {codes:?}");
    }
}
