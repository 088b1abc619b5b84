//! The requested items: resolved against the order and the policy's reasons, their scopes
//! (what conditions read), and each judged by eligibility with what its units were paid.

use super::accounts::Accounts;
use super::eligibility::{self, ItemOutcome};
use super::notes::Trace;
use super::refund::{self, OrderMoney};
use crate::answer::{CapBasis, ItemRefund};
use crate::expr::fields::{ItemScope, Scope};
use crate::model::{EvaluationInput, RequestKind};
use crate::money::{allocate, Money};
use crate::policy::{CompiledPolicy, Reason};
use crate::wire::error::{overflow, Code, Diagnostic, Errors};
use crate::wire::limits::MAX_WORK;

/// One requested item, resolved against the order and the policy.
#[derive(Debug, Clone, Copy)]
pub struct Resolved<'a> {
    pub index: usize,
    pub line_index: usize,
    pub reason: &'a Reason,
}

/// Checks every requested item against the order and the policy's reasons.
pub fn resolve_items<'p>(policy: &'p CompiledPolicy, input: &EvaluationInput, errors: &mut Errors) -> Vec<Resolved<'p>> {
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

/// The scope of one requested item: the only place an [`ItemScope`] is built.
pub fn item_scope<'s>(scope: &Scope<'s>, money: &OrderMoney, accounts: &Accounts, r: &Resolved<'s>, refund: Money) -> Option<Scope<'s>> {
    let (line, item) = (scope.order.lines.get(r.line_index)?, scope.request.items.get(r.index)?);
    let m = money.line(r.line_index);
    let ledger = accounts.line(r.line_index);
    Some(Scope {
        item: Some(ItemScope { line, ledger, line_net: m.net, line_paid: m.paid, item, reason: r.reason.facts(), refund }),
        ..*scope
    })
}

/// An item judged: whether it may have what is asked, and what its units were paid.
#[derive(Debug)]
pub struct Judged<'r> {
    pub resolved: &'r Resolved<'r>,
    pub outcome: ItemOutcome,
    /// The units' refund: their share of the line, capped by what is left of it.
    pub share: ItemRefund,
    /// What capped `share`.
    pub basis: CapBasis,
    /// What is left of the line after every earlier event.
    pub left: Money,
}

/// Decides whether one item may have what is asked (and, with `options`, what else it could have).
pub fn judge<'r>(
    policy: &CompiledPolicy,
    scope: &Scope<'_>,
    money: &OrderMoney,
    accounts: &Accounts,
    r: &'r Resolved<'r>,
    (trace, options): (&mut Trace, bool),
) -> Result<Judged<'r>, Errors> {
    let (Some(line), Some(item)) = (scope.order.lines.get(r.line_index), scope.request.items.get(r.index)) else {
        return Err(vec![overflow("request.items")]);
    };
    let (m, record) = (money.line(r.line_index), accounts.line(r.line_index));
    // What these units were paid, before knowing whether they qualify: conditions read it.
    let (share, basis) = refund::units_refund(line, &m, &record, item.qty).unwrap_or((ItemRefund::default(), CapBasis::UnitsShare));
    let s = item_scope(scope, money, accounts, r, share.amount).ok_or_else(|| vec![overflow("request.items")])?;
    let outcome = eligibility::decide_item(policy, &s, (scope.request.kind, options), trace)?;
    Ok(Judged { resolved: r, outcome, share, basis, left: refund::line_left(&m, &record) })
}

/// The amount each item of a goodwill request asks for: its own, or its share of the
/// request's, divided among the eligible items by what is left of each line.
pub fn asked_amounts(input: &EvaluationInput, judged: &[Judged<'_>]) -> Vec<Option<Money>> {
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

/// The work of deciding `input` under `policy`, in units of one condition node evaluated for
/// one item: every condition of the policy evaluated for every requested item (a membership
/// test in a list field reading the longest list of the order), a trace entry per item and
/// rule, and the allocation of every discount and payment over every line.
pub fn work(policy: &CompiledPolicy, input: &EvaluationInput) -> u64 {
    let (order, items) = (&input.order, input.request.items.len());
    let wide = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    let longest_list = wide(order.lines.iter().map(|l| l.tags.len()).max().unwrap_or(0));
    let per_item = policy
        .item_conditions
        .work(longest_list)
        .saturating_add(wide(policy.windows.len() + policy.rules.len()))
        .saturating_add(policy.span_work);
    wide(items)
        .saturating_mul(per_item)
        .saturating_add(policy.order_conditions.work(longest_list))
        .saturating_add(wide(order.lines.len()).saturating_mul(wide(order.discounts.len() + order.payments.len() + 1)))
}

/// Refuses, before any of it is done, a request whose [`work`] passes [`MAX_WORK`].
pub fn check_work(policy: &CompiledPolicy, input: &EvaluationInput) -> Result<(), Errors> {
    let work = work(policy, input);
    if work <= MAX_WORK {
        return Ok(());
    }
    let items = input.request.items.len();
    Err(vec![Diagnostic::new(
        Code::LimitExceeded,
        "request.items",
        format!("{items} items under this policy take {work} units of work; at most {MAX_WORK} are done for one request"),
    )
    .with_help("ask for fewer items at once, or give lines fewer tags; a policy with fewer or shorter conditions allows more")])
}
