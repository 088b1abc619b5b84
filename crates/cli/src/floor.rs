//! The floor check: which of a policy's own denials would refuse what the statutory preset it
//! extends grants. At run time such a denial only sends the request to review (the statutory
//! right stands); this tells the author before deployment, with a counterexample.
//!
//! Exhaustive over a finite domain, not sampled: a denial's condition and the statutory
//! windows' conditions can only tell apart the values on either side of the constants they
//! compare with, so each fact they read takes those values (a string each constant and one
//! other; a number each constant and its neighbours; a flag both), each reason of the
//! policy, each kind a statutory window grants, and the days on either side of each statutory
//! window's end. Facts nobody reads keep the values that exclude nothing.

use aftersale_rules::internals::expr::parser::{parse, Ast, BinOp, Spanned};
use aftersale_rules::CompiledPolicy;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The line's unit price where no condition compares an amount.
const DEFAULT_PRICE: i64 = 10_000;
/// The most decisions the check makes for one rule; a larger domain is reported, not sampled.
const MAX_COMBINATIONS: usize = 500_000;

/// A denial that would take a statutory right away, and the request that shows it.
pub struct Violation {
    /// The rule's index in the document's `rules`.
    pub index: usize,
    pub id: String,
    pub summary: String,
    /// The engine's input: order, request and now.
    pub input: Value,
}

/// The statutory preset a document extends, through the presets it names.
fn statutory_preset(doc: &Value) -> Option<&'static str> {
    let mut next = doc.get("extends")?.as_str()?.to_owned();
    for _ in 0..8 {
        if next == "cn-statutory" || next == "eu-crd" {
            return aftersale_rules::internals::policy::presets::PRESETS.iter().map(|(id, _)| *id).find(|id| *id == next);
        }
        let text = aftersale_rules::internals::policy::presets::find(&next)?;
        let parent: Value = serde_json::from_str(text).ok()?;
        next = parent.get("extends")?.as_str()?.to_owned();
    }
    None
}

/// Adds to `domain` the values of each fact `e` reads that its constants tell apart.
fn read_values(e: &Spanned, domain: &mut BTreeMap<String, Vec<Value>>) {
    let mut add = |path: &[String], values: Vec<Value>| {
        let slot = domain.entry(path.join(".")).or_default();
        for v in values {
            if !slot.contains(&v) {
                slot.push(v);
            }
        }
    };
    // The value that excludes nothing comes first, so a counterexample names only what matters.
    let around = |neutral: i64, n: i64, least: i64| {
        std::iter::once(neutral)
            .chain((n.saturating_sub(1)..=n.saturating_add(1)).filter(|v| *v >= least))
            .map(Value::from)
            .collect::<Vec<_>>()
    };
    match &e.ast {
        Ast::Path(p) => add(p, vec![json!(false), json!(true)]),
        Ast::Binary(op, l, r) => {
            match (&l.ast, &r.ast) {
                (Ast::Str(s), Ast::Path(p)) if *op == BinOp::In => add(p, vec![json!([]), json!([s])]),
                (Ast::Path(p), Ast::List(items)) if *op == BinOp::In => {
                    let listed = items.iter().filter_map(|i| if let Ast::Str(s) = &i.ast { Some(json!(s)) } else { None });
                    add(p, std::iter::once(json!("other")).chain(listed).collect());
                }
                (Ast::Path(p), lit) | (lit, Ast::Path(p)) => match lit {
                    Ast::Str(s) => add(p, vec![json!("other"), json!(s)]),
                    Ast::Int(n) => add(p, around(0, *n, 0)),
                    Ast::Money(n) => add(p, around(DEFAULT_PRICE, *n, 1)),
                    Ast::Bool(_) => add(p, vec![json!(false), json!(true)]),
                    _ => {}
                },
                _ => {}
            }
            for side in [l, r] {
                if !matches!(side.ast, Ast::Path(_)) {
                    read_values(side, domain);
                }
            }
        }
        Ast::Not(x) | Ast::Neg(x) => read_values(x, domain),
        Ast::Call(_, args) | Ast::List(args) => args.iter().for_each(|a| read_values(a, domain)),
        _ => {}
    }
}

/// Where a fact lives in the engine's input, if the check can set it: `(in the order?, the
/// pointer)`. The reason, the kind and the time are axes of their own.
fn place(path: &str) -> Option<(bool, String)> {
    let (head, rest) = path.split_once('.')?;
    let field = rest.replace('.', "/");
    match head {
        "line" if matches!(rest, "unit_price" | "net" | "paid") => Some((true, "/lines/0/unit_price".into())),
        "line" if rest == "quantity" => Some((true, "/lines/0/quantity".into())),
        "line" if rest == "category" || rest == "tags" || rest.starts_with("facts.") => Some((true, format!("/lines/0/{field}"))),
        "item" if rest == "refund" => Some((true, "/lines/0/unit_price".into())),
        "item" if rest.starts_with("condition.") => Some((false, format!("/items/0/{field}"))),
        "customer" | "merchant" => Some((true, format!("/{head}/{field}"))),
        "order" if matches!(rest, "goods_total" | "paid_total") => Some((true, "/lines/0/unit_price".into())),
        "order" if matches!(rest, "cross_border" | "freight_insurance" | "group_buy") => Some((true, format!("/{rest}"))),
        _ => None,
    }
}

/// Sets `pointer` in `v`, making the objects on the way.
fn set(v: &mut Value, pointer: &str, value: Value) {
    let mut at = v;
    let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        at = match at {
            Value::Array(a) => match part.parse::<usize>().ok().and_then(|k| a.get_mut(k)) {
                Some(x) => x,
                None => return,
            },
            Value::Object(m) => m.entry((*part).to_owned()).or_insert_with(|| if last { Value::Null } else { json!({}) }),
            _ => return,
        };
        if last {
            *at = value;
            return;
        }
    }
}

/// The statutory windows' conditions and the days on either side of each one's end.
fn statutory_windows(preset: &str) -> (Vec<Spanned>, Vec<i64>) {
    let doc: Value =
        aftersale_rules::internals::policy::presets::find(preset).and_then(|t| serde_json::from_str(t).ok()).unwrap_or(Value::Null);
    let mut conditions = Vec::new();
    let mut days = vec![1];
    for w in doc.get("windows").and_then(Value::as_array).into_iter().flatten() {
        if let Some(c) = w.get("when").and_then(Value::as_str).and_then(|s| parse(s).ok()) {
            conditions.push(c);
        }
        if let Some(d) = w.get("days").and_then(Value::as_i64) {
            days.extend([d, d + 1]);
        }
    }
    days.sort_unstable();
    days.dedup();
    (conditions, days)
}

/// Every own `deny` rule of `doc` that would refuse what the statutory preset grants, each
/// with its first counterexample; or why the check could not run.
pub fn check(doc: &Value, compiled: &CompiledPolicy) -> Result<Vec<Violation>, String> {
    let Some(preset) = statutory_preset(doc) else { return Ok(Vec::new()) };
    let (statutory, days) = statutory_windows(preset);
    let eu = preset == "eu-crd";
    let reasons: Vec<String> = compiled.reasons.iter().map(|r| r.code.clone()).collect();
    let mut out = Vec::new();
    for (index, rule) in doc.get("rules").and_then(Value::as_array).into_iter().flatten().enumerate() {
        let (Some(id), Some(when), Some(_)) =
            (rule.get("id").and_then(Value::as_str), rule.get("when").and_then(Value::as_str), rule.get("deny"))
        else {
            continue;
        };
        let Ok(condition) = parse(when) else { continue };
        let mut domain = BTreeMap::new();
        for c in statutory.iter().chain(std::iter::once(&condition)) {
            read_values(c, &mut domain);
        }
        let axes: Vec<(bool, String, Vec<Value>)> =
            domain.into_iter().filter_map(|(path, values)| place(&path).map(|(in_order, pointer)| (in_order, pointer, values))).collect();
        let count = axes.iter().fold(reasons.len().saturating_mul(3 * days.len()), |n, a| n.saturating_mul(a.2.len()));
        if count > MAX_COMBINATIONS {
            return Err(format!(
                "the rule `{id}` reads facts with {count} combinations, more than the {MAX_COMBINATIONS} the check decides"
            ));
        }
        if let Some(v) = first_violation(compiled, id, eu, &axes, &reasons, &days) {
            out.push(Violation { index, id: id.to_owned(), summary: v.0, input: v.1 });
        }
    }
    Ok(out)
}

/// The first combination in which `id` matched an item that was granted all the same.
fn first_violation(
    compiled: &CompiledPolicy,
    id: &str,
    eu: bool,
    axes: &[(bool, String, Vec<Value>)],
    reasons: &[String],
    days: &[i64],
) -> Option<(String, Value)> {
    let (currency, offset) = if eu { ("EUR", "+02:00") } else { ("CNY", "+08:00") };
    let mut choice = vec![0usize; axes.len()];
    loop {
        for reason in reasons {
            for kind in ["refund_with_return", "exchange", "repair"] {
                for day in days {
                    let mut order = json!({ "id": "FLOOR", "currency": currency, "placed_at": format!("2026-06-01T10:00:00{offset}"),
                        "paid_at": format!("2026-06-01T10:01:00{offset}"), "shipped_at": format!("2026-06-02T10:00:00{offset}"),
                        "delivered_at": format!("2026-06-03T10:00:00{offset}"),
                        "lines": [{ "id": "L1", "category": "general", "unit_price": DEFAULT_PRICE, "quantity": 1 }] });
                    let mut request = json!({ "kind": kind, "items": [{ "line_id": "L1", "qty": 1, "reason": reason }],
                        "evidence": { "photos": 9, "package_photos": 9, "videos": 9, "description_chars": 500 } });
                    for ((in_order, pointer, values), k) in axes.iter().zip(&choice) {
                        let value = values.get(*k).cloned().unwrap_or(Value::Null);
                        set(if *in_order { &mut order } else { &mut request }, pointer, value);
                    }
                    let now = noon_after_delivery(*day, offset);
                    let input = json!({ "order": order, "request": request, "now": now });
                    let answer: Value = serde_json::from_str(&aftersale_rules::evaluate_json(compiled, &input.to_string())).ok()?;
                    let denied = |t: &Value| {
                        t.get("rule").and_then(Value::as_str) == Some(id)
                            && t.get("effect").and_then(Value::as_str).is_some_and(|e| e.starts_with("deny "))
                    };
                    let matched = answer.get("trace").and_then(Value::as_array).into_iter().flatten().any(denied);
                    let granted = answer.pointer("/items/0/eligible") == Some(&Value::Bool(true));
                    if matched && granted {
                        let facts: Vec<String> = axes
                            .iter()
                            .zip(&choice)
                            .filter(|(_, k)| **k > 0)
                            .map(|((_, p, vs), k)| {
                                format!("{} = {}", p.trim_start_matches('/').replace('/', "."), vs.get(*k).unwrap_or(&Value::Null))
                            })
                            .collect();
                        let summary = format!(
                            "{kind} for `{reason}` on day {day} after delivery{}{}",
                            if facts.is_empty() { "" } else { ", " },
                            facts.join(", ")
                        );
                        return Some((summary, input));
                    }
                }
            }
        }
        // The next combination of the facts, like an odometer.
        let mut i = 0;
        loop {
            let (Some(c), Some(axis)) = (choice.get_mut(i), axes.get(i)) else { return None };
            *c += 1;
            if *c < axis.2.len() {
                break;
            }
            *c = 0;
            i += 1;
        }
    }
}

/// Noon of the local day `day` days after a delivery on 3 June 2026 (within the year).
fn noon_after_delivery(day: i64, offset: &str) -> String {
    let mut left = 3 + day;
    for (month, length) in [(6, 30), (7, 31), (8, 31), (9, 30), (10, 31), (11, 30), (12, 31)] {
        if left <= length {
            return format!("2026-{month:02}-{left:02}T12:00:00{offset}");
        }
        left -= length;
    }
    format!("2026-12-31T12:00:00{offset}")
}
