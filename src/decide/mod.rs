//! Deciding one request: validate the request against the order and policy, read the money
//! of every line and what the ledger says was paid back, decide each item's eligibility,
//! then its money, then settle the order-wide parts.

pub mod accounts;
mod clawback;
mod damages;
pub mod eligibility;
mod item_money;
mod items;
mod notes;
mod path;
pub mod refund;
mod settle;

use crate::answer::{Decision, ItemDecision, ENGINE_VERSION};
use crate::expr::fields::Scope;
use crate::model::view::Messages;
use crate::model::EvaluationInput;
use crate::policy::CompiledPolicy;
use crate::wire::error::{Code, Diagnostic, Errors};
use accounts::Accounts;

pub use accounts::apply_effects;

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

/// The work [`decide`] will do for `input` (see [`items::work`]); none for an input it
/// refuses at once for naming a version the policy does not have.
pub fn work(current: &CompiledPolicy, input: &EvaluationInput) -> u64 {
    version(current, input).map_or(0, |(policy, _)| items::work(policy, input))
}

/// The requested items resolved against the order and the policy, and the order's money:
/// every error of either, or both.
fn resolve<'p>(policy: &'p CompiledPolicy, input: &EvaluationInput) -> Result<(Vec<items::Resolved<'p>>, refund::OrderMoney), Errors> {
    let mut errors = Errors::new();
    if input.order.currency != policy.currency {
        let message = format!("the order is in `{}` but the policy decides `{}`", input.order.currency, policy.currency);
        errors.push(
            Diagnostic::new(Code::Inconsistent, "order.currency", message).with_help("evaluate the order under a policy of its currency"),
        );
    }
    let resolved = items::resolve_items(policy, input, &mut errors);
    if errors.is_empty() {
        items::check_work(policy, input)?;
    }
    match refund::order_money(&input.order) {
        Ok(money) if errors.is_empty() => Ok((resolved, money)),
        Ok(_) => Err(errors),
        Err(mut e) => {
            errors.append(&mut e);
            Err(errors)
        }
    }
}

/// Decides a request under a compiled policy, or under the earlier version the order names;
/// for one with items refused, evidence missing or a gift kept, with the path to yes ([`path`]).
/// Only what the input's view keeps is worked out (the path reads the items' options).
pub fn decide(current: &CompiledPolicy, input: &EvaluationInput) -> Result<Decision, Errors> {
    let mut decision = decide_once(current, input)?;
    if !input.view.path_to_yes {
        return Ok(decision);
    }
    let gift_kept = decision.refund.deductions.iter().any(|d| d.kind == crate::model::DeductionKind::GiftNotReturned);
    if decision.items.iter().any(|i| !i.eligible) || !decision.requirements.missing_evidence.is_empty() || gift_kept {
        let (policy, _) = version(current, input)?;
        decision.path_to_yes = path::path_to_yes(current, input, &decision, decide_once);
        if input.view.messages != Messages::None {
            decision.messages.extend(path::messages(policy, &decision.path_to_yes));
        }
    }
    Ok(decision)
}

/// Decides a request, without the path to yes.
fn decide_once(current: &CompiledPolicy, input: &EvaluationInput) -> Result<Decision, Errors> {
    let (policy, basis) = version(current, input)?;
    let order = &input.order;
    let request = &input.request;
    let (resolved, money) = resolve(policy, input)?;
    let money = money.with_paid_in(order, &input.ledger)?;
    let accounts = Accounts::read(order, &input.ledger, &money)?;
    let phase = order.phase(input.now);
    let scope = Scope {
        order,
        totals: money.totals,
        request,
        now: input.now,
        phase,
        requests: input.ledger.requests,
        zone: policy.zone,
        rounding: policy.rounding,
        item: None,
    };

    let view = &input.view;
    let mut trace = notes::Trace::new(view.trace);
    let mut judged = Vec::with_capacity(resolved.len());
    for r in &resolved {
        judged.push(items::judge(policy, &scope, &money, &accounts, r, (&mut trace, view.options || view.path_to_yes))?);
    }
    let asked = items::asked_amounts(input, &judged);
    let mut items: Vec<ItemDecision> = Vec::with_capacity(judged.len());
    let mut extras = settle::Extras::default();
    for (j, asked) in judged.into_iter().zip(asked) {
        items.push(item_money::item_money(policy, &scope, &money, &accounts, j, asked, &mut extras, &mut trace)?);
    }

    let inputs = settle::Inputs {
        policy,
        scope: &scope,
        ledger: &input.ledger,
        accounts: &accounts,
        money: &money,
        resolved: &resolved,
        items: &items,
        messages: view.messages != Messages::None,
    };
    let settled = settle::settle(inputs, extras, &mut trace)?;
    let mut messages = notes::Said::new(view.messages != Messages::None);
    messages.extend(|| eligibility::item_messages(policy, &items, request.kind, phase));
    messages.extend(|| settled.messages);

    Ok(Decision {
        answer_type: crate::answer::DecisionTag,
        engine_version: crate::wire::text::Text::Static(ENGINE_VERSION),
        policy_id: policy.id.clone(),
        policy_version: policy.version.clone(),
        policy_version_basis: crate::wire::text::Text::Static(basis),
        policy_hash: policy.hash.clone(),
        currency: policy.currency.clone(),
        rounding: policy.rounding,
        evaluated_at: crate::time::Timestamp::new(input.now, policy.zone),
        phase: (phase != crate::vocab::Phase::Delivered).then_some(phase),
        kind: request.kind,
        items,
        refund: settled.refund,
        return_shipping: settled.return_shipping,
        fast_track: settled.fast_track,
        liability: settled.liability,
        compensation: settled.compensation,
        requirements: settled.requirements,
        path_to_yes: Vec::new(),
        deadlines: settled.deadlines,
        trace: trace.into_entries(),
        messages: messages.into_messages(),
        effects: settled.effects,
    })
}
