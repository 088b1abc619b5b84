//! The fuzz targets' bodies, shared by the libFuzzer binaries (`fuzz_targets/`, run with
//! cargo-fuzz) and by `tests/replay.rs`, which replays every corpus file under plain
//! `cargo test`. Each target feeds the engine something from outside and checks what must
//! hold whatever the input: no panic (a panic aborts the fuzzer), an answer that is JSON of
//! the right type, the same bytes twice, and for well-shaped inputs the money invariants.

use aftersale_rules::{compile_policy_json, evaluate, evaluate_json as engine_evaluate, parse_input, CompiledPolicy};
use arbitrary::Arbitrary;
use serde_json::Value;
use std::path::Path;
use std::sync::OnceLock;

/// A small valid input, evaluated under every policy that compiles.
const INPUT: &str = r#"{"order":{"id":"O1","currency":"CNY","placed_at":"2026-11-01T10:00:00+08:00","delivered_at":"2026-11-03T15:00:00+08:00","lines":[{"id":"L1","category":"apparel","unit_price":9990,"quantity":2}]},"request":{"kind":"refund_with_return","items":[{"line_id":"L1","qty":1,"reason":"no_reason"}]},"now":"2026-11-05T12:00:00+08:00"}"#;

fn platform() -> &'static CompiledPolicy {
    static P: OnceLock<CompiledPolicy> = OnceLock::new();
    P.get_or_init(|| compile_policy_json(r#"{"id":"fuzz","version":"1","extends":"platform-default"}"#).unwrap_or_else(|e| panic!("{e:?}")))
}

/// Every answer is one JSON object whose `type` is `decision` or `errors`.
fn check_answer(answer: &str) {
    let value: Value = serde_json::from_str(answer).unwrap_or_else(|e| panic!("the answer is not JSON ({e}): {answer}"));
    match value.get("type").and_then(Value::as_str) {
        Some("decision" | "errors") => {}
        other => panic!("an answer of type {other:?}: {answer}"),
    }
}

/// Decides the fixed input under `policy` twice: an answer, and the same bytes both times.
fn exercise(policy: &CompiledPolicy, input: &str) {
    let answer = engine_evaluate(policy, input);
    check_answer(&answer);
    assert_eq!(answer, engine_evaluate(policy, input), "not deterministic");
}

/// An expression as a rule's condition: lexer, parser, type checker, and when it compiles,
/// evaluation.
pub fn expr(data: &[u8]) {
    let Ok(source) = std::str::from_utf8(data) else { return };
    let when = Value::from(source).to_string();
    // A policy of its own (no preset to merge) keeps each run cheap, so the fuzzer goes deep.
    let text = format!(
        r#"{{"id":"fuzz","version":"1","currency":"CNY","utc_offset":"+08:00","reasons":[{{"code":"no_reason","fault":"buyer","no_reason":true}}],"windows":[{{"id":"w","anchor":"delivered","days":7,"resolutions":["refund"]}}],"rules":[{{"id":"r","when":{when},"require_review":"agent"}}]}}"#
    );
    if let Ok(policy) = compile_policy_json(&text) {
        exercise(&policy, INPUT);
    }
}

/// A whole policy document: reader, decoder, merge with presets, compile.
pub fn policy(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(policy) = compile_policy_json(text) {
        exercise(&policy, INPUT);
    }
}

/// The JSON-string entry every host calls: any text in, an answer out.
pub fn evaluate_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    exercise(platform(), text);
}

/// A well-shaped order and request built from fuzz bytes, so the fuzzer spends its time in
/// the decision rather than in the JSON reader.
#[derive(Debug, Clone, Arbitrary)]
pub struct Shaped {
    lines: Vec<ShapedLine>,
    discounts: Vec<(u8, u32, Option<u32>)>,
    points_bp: Option<u16>,
    shipping: (u16, u16),
    insured: Option<Option<u16>>,
    member: bool,
    score: Option<u8>,
    cross_border: bool,
    group_buy: u8,
    kind: u8,
    items: Vec<(u8, u8, u8, Option<bool>, Option<bool>)>,
    /// Minutes: placed → promised, → shipped, → delivered, → now.
    times: (u16, u16, u16, u32),
    gifts_returned: bool,
}

#[derive(Debug, Clone, Arbitrary)]
struct ShapedLine {
    category: u8,
    price: u32,
    qty: u8,
    returned: u8,
    refunded_bp: u16,
    line_discount_bp: u16,
    facts: u8,
    warranty: u8,
    gift: bool,
}

const CATEGORIES: &[&str] = &["apparel", "electronics", "fresh", "books", "beauty", "gift"];
const REASONS: &[&str] = &["no_reason", "quality", "not_as_described", "damaged_in_transit", "wrong_item", "group_buy_failed"];
const KINDS: &[&str] = &["refund_with_return", "refund_without_return", "exchange", "repair", "price_difference", "goodwill"];
const DISCOUNTS: &[&str] = &["threshold", "platform_coupon", "merchant_coupon"];
const GROUP_BUY: &[&str] = &["", "pending", "succeeded", "failed"];

fn pick<'a>(list: &[&'a str], n: u8) -> &'a str {
    list.get(usize::from(n) % list.len()).copied().unwrap_or_default()
}

fn at(minutes: i64) -> String {
    // From 2026-01-05T00:00+08:00; every time stays inside the cn calendar's 2026.
    aftersale_rules::Instant(1_767_542_400_000 + minutes * 60_000).to_rfc3339(aftersale_rules::Offset(480))
}

impl Shaped {
    /// The evaluation input as JSON text; `None` when the shape has no line to ask about.
    pub fn input(&self) -> Option<String> {
        let lines: Vec<&ShapedLine> = self.lines.iter().take(8).collect();
        if lines.is_empty() {
            return None;
        }
        let mut goods = 0i64;
        let mut out_lines = Vec::new();
        let mut ledger_lines = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            let qty = i64::from(l.qty % 5) + 1;
            let price = i64::from(l.price % 500_000);
            let gross = price * qty;
            let returned = i64::from(l.returned) % (qty + 1);
            let line_discount = gross * i64::from(l.line_discount_bp % 5_000) / 10_000;
            let refunded = (gross - line_discount) * returned / qty * i64::from(l.refunded_bp % 10_001) / 10_000;
            goods += gross - line_discount;
            let gift = if l.gift && i > 0 { r#","gift":true,"gift_for":"L0","gift_value":990"# } else { "" };
            let f = l.facts;
            out_lines.push(format!(
                r#"{{"id":"L{i}","category":"{}","unit_price":{price},"quantity":{qty},"line_discount":{line_discount}{gift},"facts":{{"custom_made":{},"perishable":{},"activated":{},"nature_confirmed":{},"hygiene_seal_opened":{},"warranty_months":{},"failed_repairs":{}}}}}"#,
                pick(CATEGORIES, l.category),
                f & 1 != 0,
                f & 2 != 0,
                f & 4 != 0,
                f & 8 != 0,
                f & 16 != 0,
                l.warranty % 25,
                (f >> 5) % 4
            ));
            ledger_lines.push(format!(r#"{{"line_id":"L{i}","returned_qty":{returned},"refunded":{refunded}}}"#));
        }
        let mut discounts = Vec::new();
        let mut discounted = 0i64;
        for (kind, amount, threshold) in self.discounts.iter().take(3) {
            let amount = i64::from(*amount) % (goods - discounted + 1);
            discounted += amount;
            let threshold = threshold.map_or(String::new(), |t| format!(r#","threshold":{}"#, i64::from(t) % (goods + 1)));
            discounts.push(format!(r#"{{"id":"D{}","kind":"{}","amount":{amount}{threshold}}}"#, discounts.len(), pick(DISCOUNTS, *kind)));
        }
        let shipping = i64::from(self.shipping.0 % 3000);
        let shipping_refunded = i64::from(self.shipping.1) % (shipping + 1);
        let paid = goods - discounted + shipping;
        let payments = match self.points_bp {
            Some(bp) => {
                let points = paid * i64::from(bp % 10_001) / 10_000;
                format!(
                    r#","payments":[{{"tender":"original_payment","amount":{}}},{{"tender":"points","amount":{points},"points":{}}}]"#,
                    paid - points,
                    points * 10
                )
            }
            None => String::new(),
        };
        let insurance = match self.insured {
            Some(Some(payout)) => format!(r#","freight_insurance":true,"freight_insurance_payout":{}"#, payout % 2000),
            Some(None) => r#","freight_insurance":true"#.to_owned(),
            None => String::new(),
        };
        let score = self.score.map_or(String::new(), |s| format!(r#""integrity_score":{},"#, s % 101));
        let group_buy = match pick(GROUP_BUY, self.group_buy) {
            "" => String::new(),
            g => format!(r#","group_buy":"{g}""#),
        };
        let n = u8::try_from(lines.len()).unwrap_or(1);
        let mut items: Vec<String> = Vec::new();
        let mut seen = Vec::new();
        for (line, qty, reason, tags, used) in self.items.iter().take(8) {
            let line = line % n;
            if seen.contains(&line) {
                continue;
            }
            seen.push(line);
            let mut condition = Vec::new();
            if let Some(t) = tags {
                condition.push(format!(r#""tags_attached":{t}"#));
            }
            if let Some(u) = used {
                condition.push(format!(r#""used_beyond_inspection":{u}"#));
            }
            // Amounts asked for: required on goodwill, sometimes on refunds and price differences.
            let amount = match pick(KINDS, self.kind) {
                "goodwill" => format!(r#","amount":{}"#, (u32::from(*qty) + 1) * 1013),
                "refund_with_return" | "price_difference" if qty % 3 == 0 => format!(r#","amount":{}"#, (u32::from(*reason) + 1) * 997),
                _ => String::new(),
            };
            items.push(format!(
                r#"{{"line_id":"L{line}","qty":{},"reason":"{}","condition":{{{}}}{amount}}}"#,
                qty % 4 + 1,
                pick(REASONS, *reason),
                condition.join(",")
            ));
        }
        if items.is_empty() {
            let amount = if pick(KINDS, self.kind) == "goodwill" { r#","amount":500"# } else { "" };
            items.push(format!(r#"{{"line_id":"L0","qty":1,"reason":"quality"{amount}}}"#));
        }
        let (promised, shipped, delivered, now) = self.times;
        let (promised, shipped, delivered) = (i64::from(promised % 7200), i64::from(shipped % 7200), i64::from(delivered % 14_400));
        let now = shipped + delivered + i64::from(now % (200 * 1440));
        Some(format!(
            r#"{{"order":{{"id":"O","currency":"CNY","placed_at":"{}","promised_ship_by":"{}","shipped_at":"{}","delivered_at":"{}","shipping_fee":{shipping},"cross_border":{}{insurance},"customer":{{{score}"member_free_returns":{}}}{group_buy},"discounts":[{}]{payments},"lines":[{}]}},"ledger":{{"lines":[{}],"shipping_refunded":{shipping_refunded}}},"request":{{"kind":"{}","items":[{}],"gifts_returned":{},"evidence":{{"photos":1}}}},"now":"{}"}}"#,
            at(0),
            at(promised),
            at(shipped),
            at(shipped + delivered),
            self.cross_border,
            self.member,
            discounts.join(","),
            out_lines.join(","),
            ledger_lines.join(","),
            pick(KINDS, self.kind),
            items.join(","),
            self.gifts_returned,
            at(now),
        ))
    }
}

/// A well-shaped request: decided or refused with input errors, never a panic; a decision's
/// money adds up, never pays back more than was paid and not yet refunded, and its effects
/// always fit the ledger it was decided on.
pub fn decision(case: &Shaped) {
    let Some(text) = case.input() else { return };
    let input = match parse_input(&text) {
        Ok(input) => input,
        Err(e) => panic!("a well-shaped input did not decode: {e:?}\n{text}"),
    };
    let Ok(decision) = evaluate(platform(), &input) else { return };
    if let Err(what) = aftersale_testkit::check_money(&decision) {
        panic!("{what}\n{text}");
    }
    let paid: i64 = input.order.payments.iter().map(|p| p.amount.0).sum();
    let already: i64 = input.ledger.lines.iter().map(|l| l.refunded.0).sum::<i64>() + input.ledger.shipping_refunded.0;
    if !input.order.payments.is_empty() {
        assert!(
            decision.refund.total.0 + already <= paid,
            "refunds {} + {already} exceed the {paid} paid\n{text}",
            decision.refund.total.0
        );
    }
    if let Err(e) = aftersale_rules::apply_effects(&input.order, input.ledger.clone(), &decision.effects) {
        panic!("a decision's effects do not fit its own ledger: {e:?}\n{text}");
    }
    check_answer(&engine_evaluate(platform(), &text));
}

/// Seeds from the golden corpus and the presets under `root` (the repository):
/// `(policy texts, input texts, expressions)`.
pub fn seeds(root: &Path) -> (Vec<String>, Vec<String>, Vec<String>) {
    let (mut policies, mut inputs, mut exprs) = (Vec::new(), Vec::new(), Vec::new());
    let compact = |v: &Value| v.to_string();
    let mut docs = Vec::new();
    let mut dirs = vec![root.join("tests/cases")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{e:?}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e:?}")).path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                docs.push(std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e:?}")));
            }
        }
    }
    for entry in std::fs::read_dir(root.join("src/policy/presets")).unwrap_or_else(|e| panic!("{e:?}")) {
        let text = std::fs::read_to_string(entry.unwrap_or_else(|e| panic!("{e:?}")).path()).unwrap_or_else(|e| panic!("{e:?}"));
        policies.push(text);
    }
    for text in &docs {
        let case: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e:?}"));
        if let Some(p @ Value::Object(_)) = case.get("policy") {
            policies.push(compact(p));
        }
        if let Some(Value::String(raw)) = case.get("policy_text") {
            policies.push(raw.clone());
        }
        if let Some(Value::String(raw)) = case.get("input_text") {
            inputs.push(raw.clone());
        } else if case.get("order").is_some() {
            let parts: Vec<String> = ["order", "ledger", "request", "now"]
                .iter()
                .filter_map(|k| case.get(k).map(|v| format!("\"{k}\":{}", compact(v))))
                .collect();
            inputs.push(format!("{{{}}}", parts.join(",")));
        }
    }
    for p in &policies {
        let Ok(doc) = serde_json::from_str::<Value>(p) else { continue };
        for list in ["windows", "rules", "no_return", "return_postage", "compensation"] {
            if let Some(Value::Array(entries)) = doc.get(list) {
                exprs.extend(entries.iter().filter_map(|e| e.get("when").and_then(Value::as_str)).map(str::to_owned));
            }
        }
    }
    (policies, inputs, exprs)
}
