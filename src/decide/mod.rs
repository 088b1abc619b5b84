//! Deciding one request: validate the request against the order and policy, derive the
//! money of every line, decide each item, then settle the order-wide parts.

pub mod eligibility;
mod refund;
mod settle;

use crate::answer::{Decision, Deduction, ItemDecision, ItemRefund, TraceEntry, ENGINE_VERSION};
use crate::error::{Code, Diagnostic, Errors};
use crate::expr::eval::EvalError;
use crate::expr::fields::{ItemScope, OrderTotals, Scope};
use crate::model::{EvaluationInput, RequestKind};
use crate::money::{apply_bp, Money};
use crate::policy::{CompiledPolicy, Reason, Resolution};

/// The money of one order line, derived once per evaluation.
#[derive(Debug, Clone, Copy, Default)]
pub struct LineMoney {
    /// unit price × quantity − line discount.
    pub net: Money,
    /// This line's share of the order-level discounts.
    pub allocated: Money,
    /// net − allocated: what the shopper paid for the whole line.
    pub paid: Money,
}

/// One requested item, resolved against the order and the policy.
#[derive(Debug, Clone, Copy)]
pub struct Resolved<'a> {
    pub index: usize,
    pub line_index: usize,
    pub reason: &'a Reason,
}

/// The resolution a request kind needs from a window.
pub fn needed_resolution(kind: RequestKind) -> Resolution {
    match kind {
        RequestKind::RefundWithReturn | RequestKind::RefundWithoutReturn => Resolution::Refund,
        RequestKind::Exchange => Resolution::Exchange,
        RequestKind::Repair => Resolution::Repair,
        RequestKind::PriceDifference => Resolution::PriceAdjustment,
    }
}

/// An evaluation error of a rule, as an input error (the only kind left after compile).
pub fn rule_error(rule: &str, e: EvalError) -> Diagnostic {
    let mut d = Diagnostic::new(Code::Overflow, "policy", format!("rule `{rule}`: {}", e.message()))
        .with_help("amounts in the order are too large for this rule's arithmetic");
    d.rule = Some(rule.to_owned());
    d
}

/// Decides a request under a compiled policy, or under the earlier version the order names.
pub fn decide(current: &CompiledPolicy, input: &EvaluationInput) -> Result<Decision, Errors> {
    let (policy, basis) = match &input.order.policy_version {
        None => (current, "current"),
        Some(version) => match current.version_named(version) {
            Some(p) => (p, "order"),
            None => {
                let known: Vec<&str> =
                    std::iter::once(current.version.as_str()).chain(current.previous.iter().map(|p| p.version.as_str())).collect();
                return Err(vec![Diagnostic::new(
                    Code::UnknownReference,
                    "order.policy_version",
                    format!("the policy `{}` has no version `{version}`", current.id),
                )
                .with_help(format!("versions: {}", known.join(", ")))]);
            }
        },
    };
    let order = &input.order;
    let request = &input.request;
    let mut errors = Errors::new();

    if order.currency != policy.currency {
        errors.push(
            Diagnostic::new(
                Code::Inconsistent,
                "order.currency",
                format!("the order is in `{}` but the policy decides `{}`", order.currency, policy.currency),
            )
            .with_help("evaluate the order under a policy of its currency"),
        );
    }
    let resolved = resolve_items(policy, input, &mut errors);
    let (lines, totals) = match refund::line_money(order) {
        Ok(x) => x,
        Err(mut e) => {
            errors.append(&mut e);
            return Err(errors);
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }

    let scope = Scope { order, totals, request, now: input.now, offset: policy.offset, rounding: policy.rounding, item: None };
    let mut trace = Vec::new();
    let mut items: Vec<ItemDecision> = Vec::with_capacity(resolved.len());
    let mut reviews = Vec::new();
    let mut deductions = Vec::new();
    let mut destroy_on_site = false;
    for r in &resolved {
        let (Some(item), Some(line), Some(money)) = (request.items.get(r.index), order.lines.get(r.line_index), lines.get(r.line_index))
        else {
            continue;
        };
        // Named only when an amount overflows.
        let line_path = || format!("order.lines[{}]", r.line_index);
        // What these units were paid, before knowing whether they qualify: conditions read it.
        let share = refund::item_refund(line, money, item.qty).unwrap_or_default();
        let item_scope = Scope {
            item: Some(ItemScope { line, line_net: money.net, line_paid: money.paid, item, reason: r.reason, refund: share.amount }),
            ..scope
        };
        let outcome = eligibility::decide_item(policy, &item_scope, request.kind, &mut trace)?;
        reviews.extend(outcome.reviews.iter().cloned());
        destroy_on_site |= outcome.destroy_on_site;
        let refund = match (&outcome.denial, request.kind) {
            (Some(_), _) | (None, RequestKind::Exchange | RequestKind::Repair) => ItemRefund::default(),
            (None, RequestKind::RefundWithReturn | RequestKind::RefundWithoutReturn) => share,
            (None, RequestKind::PriceDifference) => {
                let (bp, rounding) = policy.price_difference.unwrap_or((0, policy.rounding));
                let amount = apply_bp(share.amount, bp, rounding).ok_or_else(|| vec![overflow(&line_path())])?;
                trace.push(TraceEntry {
                    rule: "price_difference".into(),
                    line_id: Some(line.id.clone()),
                    effect: format!("{bp} bp of {} = {}", share.amount.0, amount.0),
                });
                ItemRefund { amount, allocated_discount: Money::ZERO }
            }
        };
        let mut left = refund.amount;
        for (rule, bp) in &outcome.fees {
            let fee = apply_bp(refund.amount, *bp, policy.rounding).ok_or_else(|| vec![overflow(&line_path())])?.min(left);
            left = left.saturating_sub(fee);
            deductions.push(Deduction {
                kind: "fee",
                line_id: Some(line.id.clone()),
                rule: Some(rule.clone()),
                amount: fee,
                legal_ref: None,
                against: line.id.clone(),
            });
        }
        if let (Some(value), None) = (item.diminished_value, &outcome.denial) {
            if policy.diminished_value && refund.amount > Money::ZERO {
                let amount = value.min(left);
                deductions.push(Deduction {
                    kind: "diminished_value",
                    line_id: Some(line.id.clone()),
                    rule: None,
                    amount,
                    legal_ref: Some("EU-CRD-ART14"),
                    against: line.id.clone(),
                });
            } else {
                trace.push(TraceEntry {
                    rule: "diminished_value".into(),
                    line_id: Some(line.id.clone()),
                    effect: "not deductible under this policy".into(),
                });
            }
        }
        items.push(ItemDecision {
            line_id: item.line_id.clone(),
            qty: item.qty,
            reason: item.reason.clone(),
            eligible: outcome.denial.is_none(),
            denial: outcome.denial,
            resolutions: outcome.resolutions,
            options: outcome.options,
            window: outcome.window,
            refund,
        });
    }

    let settled =
        settle::settle(policy, &scope, &resolved, &lines, &items, settle::Extras { reviews, deductions, destroy_on_site }, &mut trace)?;
    let mut messages = eligibility::item_messages(policy, &items);
    messages.extend(settled.messages);

    Ok(Decision {
        answer_type: "decision",
        engine_version: ENGINE_VERSION,
        policy_id: policy.id.clone(),
        policy_version: policy.version.clone(),
        policy_version_basis: basis,
        policy_hash: policy.hash.clone(),
        currency: policy.currency.clone(),
        rounding: policy.rounding,
        evaluated_at: crate::time::Timestamp::new(input.now, policy.offset),
        kind: request.kind,
        items,
        refund: settled.refund,
        return_shipping: settled.return_shipping,
        liability: settled.liability,
        compensation: settled.compensation,
        requirements: settled.requirements,
        deadlines: settled.deadlines,
        trace,
        messages,
    })
}

pub fn overflow(path: &str) -> Diagnostic {
    Diagnostic::new(Code::Overflow, path, "the amounts overflow the arithmetic range")
        .with_help("amounts must stay below 2^53 - 1 fen in every sum")
}

/// Checks every requested item against the order and the policy's reasons.
fn resolve_items<'p>(policy: &'p CompiledPolicy, input: &EvaluationInput, errors: &mut Errors) -> Vec<Resolved<'p>> {
    let mut out = Vec::with_capacity(input.request.items.len());
    for (i, item) in input.request.items.iter().enumerate() {
        let at = format!("request.items[{i}]");
        if input.request.items.iter().take(i).any(|earlier| earlier.line_id == item.line_id) {
            errors.push(
                Diagnostic::new(Code::DuplicateId, format!("{at}.line_id"), format!("the line `{}` is requested twice", item.line_id))
                    .with_help("request each line once, with the total quantity"),
            );
            continue;
        }
        let line_index = input.order.lines.iter().position(|l| l.id == item.line_id);
        if line_index.is_none() {
            let known: Vec<&str> = input.order.lines.iter().map(|l| l.id.as_str()).collect();
            let help = crate::text::suggest(&item.line_id, &known, "the order's lines");
            errors.push(
                Diagnostic::new(Code::UnknownReference, format!("{at}.line_id"), format!("the order has no line `{}`", item.line_id))
                    .with_help(help),
            );
        }
        let reason = policy.reason(&item.reason);
        if reason.is_none() {
            let known: Vec<&str> = policy.reasons.iter().map(|r| r.code.as_str()).collect();
            let help = crate::text::suggest(&item.reason, &known, "reasons");
            errors.push(
                Diagnostic::new(Code::UnknownReference, format!("{at}.reason"), format!("the policy has no reason `{}`", item.reason))
                    .with_help(help),
            );
        }
        if let (Some(line_index), Some(reason)) = (line_index, reason) {
            out.push(Resolved { index: i, line_index, reason });
        }
    }
    out
}

impl LineMoney {
    pub fn totals(lines: &[LineMoney], shipping: Money) -> Option<OrderTotals> {
        let goods_total = Money::sum(lines.iter().map(|l| l.net))?;
        let discount_total = Money::sum(lines.iter().map(|l| l.allocated))?;
        let paid_total = goods_total.checked_sub(discount_total)?.checked_add(shipping)?;
        Some(OrderTotals { goods_total, discount_total, paid_total })
    }
}
