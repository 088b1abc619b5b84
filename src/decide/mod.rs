//! Deciding one request: validate the request against the order and policy, read the money
//! of every line and what the ledger says was paid back, decide each item's eligibility,
//! then its money, then settle the order-wide parts.

pub mod accounts;
mod clawback;
pub mod eligibility;
pub mod refund;
mod settle;

use crate::answer::{CapBasis, Decision, Deduction, ItemDecision, ItemRefund, ReviewReason, TraceEntry, ENGINE_VERSION};
use crate::expr::fields::{ItemScope, Scope};
use crate::expr::types::EvalError;
use crate::model::ledger::LineRecord;
use crate::model::{DeductionKind, EvaluationInput, Line, RequestItem, RequestKind};
use crate::money::{allocate, apply_bp, Money};
use crate::policy::{CompiledPolicy, Reason};
use crate::vocab::Resolution;
use crate::wire::error::{overflow, Code, Diagnostic, Errors};
use crate::wire::text::Text;
use accounts::Accounts;
use eligibility::ItemOutcome;
use refund::{LineMoney, OrderMoney};

pub use accounts::apply_effects;

/// One requested item, resolved against the order and the policy.
#[derive(Debug, Clone, Copy)]
pub struct Resolved<'a> {
    pub index: usize,
    pub line_index: usize,
    pub reason: &'a Reason,
}

/// The resolution a request kind needs from a window (a goodwill amount needs none).
pub fn needed_resolution(kind: RequestKind) -> Resolution {
    match kind {
        RequestKind::RefundWithReturn | RequestKind::RefundWithoutReturn | RequestKind::Goodwill => Resolution::Refund,
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

/// The policy version that decides: the current one, or the earlier one the order names.
fn version<'p>(current: &'p CompiledPolicy, input: &EvaluationInput) -> Result<(&'p CompiledPolicy, &'static str), Errors> {
    let Some(version) = &input.order.policy_version else { return Ok((current, "current")) };
    match current.version_named(version) {
        Some(p) => Ok((p, "order")),
        None => {
            let known: Vec<&str> =
                std::iter::once(current.version.as_str()).chain(current.previous.iter().map(|p| p.version.as_str())).collect();
            Err(vec![Diagnostic::new(
                Code::UnknownReference,
                "order.policy_version",
                format!("the policy `{}` has no version `{version}`", current.id),
            )
            .with_help(format!("versions: {}", known.join(", ")))])
        }
    }
}

/// Decides a request under a compiled policy, or under the earlier version the order names.
pub fn decide(current: &CompiledPolicy, input: &EvaluationInput) -> Result<Decision, Errors> {
    let (policy, basis) = version(current, input)?;
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
    let money = match refund::order_money(order) {
        Ok(money) => money,
        Err(mut e) => {
            errors.append(&mut e);
            return Err(errors);
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let accounts = Accounts::read(order, &input.ledger, &money)?;
    let scope =
        Scope { order, totals: money.totals, request, now: input.now, offset: policy.offset, rounding: policy.rounding, item: None };

    let mut trace = Vec::new();
    let mut judged = Vec::with_capacity(resolved.len());
    for r in &resolved {
        judged.push(judge(policy, &scope, &money, &accounts, r, &mut trace)?);
    }
    let asked = asked_amounts(input, &judged);
    let mut items: Vec<ItemDecision> = Vec::with_capacity(judged.len());
    let mut extras = settle::Extras::default();
    for (j, asked) in judged.into_iter().zip(asked) {
        items.push(item_money(policy, &scope, &money, &accounts, j, asked, &mut extras, &mut trace)?);
    }

    let inputs = settle::Inputs {
        policy,
        scope: &scope,
        ledger: &input.ledger,
        accounts: &accounts,
        money: &money,
        resolved: &resolved,
        items: &items,
    };
    let settled = settle::settle(inputs, extras, &mut trace)?;
    let mut messages = eligibility::item_messages(policy, &items);
    messages.extend(settled.messages);

    Ok(Decision {
        answer_type: crate::answer::DecisionTag,
        engine_version: crate::wire::text::Text::Static(ENGINE_VERSION),
        policy_id: policy.id.clone(),
        policy_version: policy.version.clone(),
        policy_version_basis: crate::wire::text::Text::Static(basis),
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
        effects: settled.effects,
    })
}

/// An item judged: whether it may have what is asked, and what its units were paid.
#[derive(Debug)]
struct Judged<'r> {
    resolved: &'r Resolved<'r>,
    outcome: ItemOutcome,
    /// The units' refund: their share of the line, capped by what is left of it.
    share: ItemRefund,
    /// What capped `share`.
    basis: CapBasis,
    /// What is left of the line after every earlier event.
    left: Money,
}

/// The scope of one requested item: the only place an [`ItemScope`] is built.
pub(super) fn item_scope<'s>(
    scope: &Scope<'s>,
    money: &OrderMoney,
    accounts: &Accounts,
    r: &Resolved<'s>,
    refund: Money,
) -> Option<Scope<'s>> {
    let (line, item) = (scope.order.lines.get(r.line_index)?, scope.request.items.get(r.index)?);
    let m = money.line(r.line_index);
    let ledger = accounts.line(r.line_index);
    Some(Scope {
        item: Some(ItemScope { line, ledger, line_net: m.net, line_paid: m.paid, item, reason: r.reason.facts(), refund }),
        ..*scope
    })
}

/// Decides whether one item may have what is asked.
fn judge<'r>(
    policy: &CompiledPolicy,
    scope: &Scope<'_>,
    money: &OrderMoney,
    accounts: &Accounts,
    r: &'r Resolved<'r>,
    trace: &mut Vec<TraceEntry>,
) -> Result<Judged<'r>, Errors> {
    let (Some(line), Some(item)) = (scope.order.lines.get(r.line_index), scope.request.items.get(r.index)) else {
        return Err(vec![overflow("request.items")]);
    };
    let (m, record) = (money.line(r.line_index), accounts.line(r.line_index));
    // What these units were paid, before knowing whether they qualify: conditions read it.
    let (share, basis) = refund::units_refund(line, &m, &record, item.qty).unwrap_or((ItemRefund::default(), CapBasis::UnitsShare));
    let s = item_scope(scope, money, accounts, r, share.amount).ok_or_else(|| vec![overflow("request.items")])?;
    let outcome = eligibility::decide_item(policy, &s, scope.request.kind, trace)?;
    Ok(Judged { resolved: r, outcome, share, basis, left: refund::line_left(&m, &record) })
}

/// The amount each item of a goodwill request asks for: its own, or its share of the
/// request's, divided among the eligible items by what is left of each line.
fn asked_amounts(input: &EvaluationInput, judged: &[Judged<'_>]) -> Vec<Option<Money>> {
    let items = &input.request.items;
    let own = judged.iter().map(|j| items.get(j.resolved.index).and_then(|i| i.amount));
    let Some(total) = input.request.amount.filter(|_| input.request.kind == RequestKind::Goodwill) else { return own.collect() };
    let eligible: Vec<bool> = judged.iter().map(|j| j.outcome.denial.is_none()).collect();
    let weights: Vec<Money> = judged.iter().zip(&eligible).map(|(j, ok)| if *ok { j.left } else { Money::ZERO }).collect();
    // With nothing left anywhere, the first eligible item carries the whole amount (and is capped).
    let shares = allocate(total, &weights).unwrap_or_else(|| {
        let first = eligible.iter().position(|ok| *ok);
        (0..judged.len()).map(|i| if Some(i) == first { total } else { Money::ZERO }).collect()
    });
    shares.into_iter().map(Some).collect()
}

/// The money of one decided item: its refund by kind, fees and diminished value.
#[allow(clippy::too_many_arguments)]
fn item_money(
    policy: &CompiledPolicy,
    scope: &Scope<'_>,
    money: &OrderMoney,
    accounts: &Accounts,
    j: Judged<'_>,
    asked: Option<Money>,
    extras: &mut settle::Extras,
    trace: &mut Vec<TraceEntry>,
) -> Result<ItemDecision, Errors> {
    let r = j.resolved;
    let (Some(line), Some(item)) = (scope.order.lines.get(r.line_index), scope.request.items.get(r.index)) else {
        return Err(vec![overflow("request.items")]);
    };
    extras.reviews.extend(j.outcome.reviews.iter().cloned());
    extras.destroy_on_site |= j.outcome.destroy_on_site;
    let refund = match j.outcome.denial {
        Some(_) => ItemRefund::default(),
        None => item_refund(policy, scope.request.kind, &j, asked, line, extras, trace)?,
    };
    let deducting =
        Deducting { policy, kind: scope.request.kind, line, item, record: accounts.line(r.line_index), line_index: r.line_index };
    let left = deducting.fees(&money.line(r.line_index), &j.outcome.fees, &refund, extras)?;
    if j.outcome.denial.is_none() {
        deducting.diminished_value(&refund, left, extras, trace);
    }
    let outcome = j.outcome;
    Ok(ItemDecision {
        line_id: item.line_id.clone(),
        qty: item.qty,
        reason: item.reason.clone(),
        eligible: outcome.denial.is_none(),
        denial: outcome.denial,
        resolutions: outcome.resolutions,
        options: outcome.options,
        window: outcome.window,
        refund,
    })
}

/// An eligible item's refund by the kind of request, capped where an amount was asked.
fn item_refund(
    policy: &CompiledPolicy,
    kind: RequestKind,
    j: &Judged<'_>,
    asked: Option<Money>,
    line: &Line,
    extras: &mut settle::Extras,
    trace: &mut Vec<TraceEntry>,
) -> Result<ItemRefund, Errors> {
    let refund = match kind {
        RequestKind::Exchange | RequestKind::Repair => ItemRefund::default(),
        RequestKind::RefundWithReturn | RequestKind::RefundWithoutReturn => refund::asked(j.share.clone(), asked, j.share.amount, j.basis),
        RequestKind::PriceDifference => {
            let (bp, rounding) = policy.price_difference.unwrap_or((0, policy.rounding));
            let amount =
                apply_bp(j.share.amount, bp, rounding).ok_or_else(|| vec![overflow(&format!("order.lines[{}]", j.resolved.line_index))])?;
            if asked.is_none() {
                trace.push(TraceEntry {
                    rule: "price_difference".into(),
                    line_id: Some(line.id.clone()),
                    effect: format!("{bp} bp of {} = {}", j.share.amount.0, amount.0),
                });
            }
            // More than the policy's rate is the shopper's figure, not the policy's: it needs the
            // review an amount asked for needs.
            if asked.is_some_and(|a| a > amount) {
                extras.reviews.push(ReviewReason { rule: "engine.amount_asked".into(), tier: policy.goodwill_approval });
            }
            let computed = ItemRefund { amount, allocated_discount: Money::ZERO, capped: None };
            refund::asked(computed, asked, j.share.amount, j.basis)
        }
        RequestKind::Goodwill => refund::asked(ItemRefund::default(), asked, j.left, CapBasis::LineRemaining),
    };
    if let Some(cap) = &refund.capped {
        trace.push(TraceEntry {
            rule: "engine.amount".into(),
            line_id: Some(line.id.clone()),
            effect: format!("{} asked, capped at {} ({})", cap.asked.0, cap.cap.0, cap.basis.as_str()),
        });
    }
    Ok(refund)
}

/// The deductions one item's refund carries: the fees its rules charge and its diminished value.
struct Deducting<'a> {
    policy: &'a CompiledPolicy,
    kind: RequestKind,
    line: &'a Line,
    item: &'a RequestItem,
    record: LineRecord,
    line_index: usize,
}

impl Deducting<'_> {
    /// Each fee, on the units returned (or on the amount, for other kinds), within what is
    /// left; what is left after them.
    fn fees(&self, m: &LineMoney, fees: &[(Text, i64)], refund: &ItemRefund, extras: &mut settle::Extras) -> Result<Money, Errors> {
        let mut left = refund.amount;
        for (rule, bp) in fees {
            let fee = if self.kind.refunds_units() {
                refund::units_fee(self.line, m, &self.record, self.item.qty, *bp, self.policy.rounding)
            } else {
                apply_bp(refund.amount, *bp, self.policy.rounding)
            };
            let fee = fee.ok_or_else(|| vec![overflow(&format!("order.lines[{}]", self.line_index))])?.min(left);
            left = left.saturating_sub(fee);
            extras.deductions.push(Deduction::on_line(DeductionKind::Fee, &self.line.id, Some(rule.clone()), fee, None));
        }
        Ok(left)
    }

    /// The value lost by handling beyond what was needed to inspect the goods (EU), where the
    /// policy deducts it.
    fn diminished_value(&self, refund: &ItemRefund, left: Money, extras: &mut settle::Extras, trace: &mut Vec<TraceEntry>) {
        let Some(value) = self.item.diminished_value else { return };
        if self.policy.diminished_value && refund.amount > Money::ZERO {
            let legal_ref = Some(Text::Static("EU-CRD-ART14"));
            extras.deductions.push(Deduction::on_line(DeductionKind::DiminishedValue, &self.line.id, None, value.min(left), legal_ref));
        } else {
            trace.push(TraceEntry {
                rule: "diminished_value".into(),
                line_id: Some(self.line.id.clone()),
                effect: "not deductible under this policy".into(),
            });
        }
    }
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
            let help = crate::wire::text::suggest(&item.line_id, &known, "the order's lines");
            errors.push(
                Diagnostic::new(Code::UnknownReference, format!("{at}.line_id"), format!("the order has no line `{}`", item.line_id))
                    .with_help(help),
            );
        }
        let reason = policy.reason(&item.reason);
        if reason.is_none() {
            let known: Vec<&str> = policy.reasons.iter().map(|r| r.code.as_str()).collect();
            let help = crate::wire::text::suggest(&item.reason, &known, "reasons");
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
