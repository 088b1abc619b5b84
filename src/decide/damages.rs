//! Damages owed on top of a refund when the facts that establish them are given (退一赔三 for
//! fraud, 十倍赔偿 for unsafe food): per refunded item, in cash, from the policy's `damages`
//! rules. Each unit is refunded once, so its damages are owed once; the ledger adds them up
//! per rule and line.

use super::accounts::Accounts;
use super::items::{item_scope, Resolved};
use super::notes::{Said, Trace};
use super::refund::OrderMoney;
use crate::answer::{CompensationOut, ItemDecision, TraceEntry};
use crate::expr::eval::holds;
use crate::expr::fields::Scope;
use crate::messages::{render, Arg};
use crate::model::{CompensationKind, Ledger};
use crate::money::Money;
use crate::policy::CompiledPolicy;
use crate::vocab::Party;
use crate::wire::error::{overflow, Errors};
use crate::wire::text::Text;

/// What damages read of the decision so far: the order's money and the eligible items.
pub struct Refunded<'a> {
    pub policy: &'a CompiledPolicy,
    pub scope: &'a Scope<'a>,
    pub money: &'a OrderMoney,
    pub accounts: &'a Accounts,
    pub ledger: &'a Ledger,
    pub eligible: Vec<(&'a Resolved<'a>, &'a ItemDecision)>,
}

/// The damages of every eligible item of a refund (the caller adds them to the liability).
pub fn damages(inputs: &Refunded<'_>, trace: &mut Trace, messages: &mut Said) -> Result<Vec<CompensationOut>, Errors> {
    let mut out = Vec::new();
    if !inputs.scope.request.kind.refunds_units() {
        return Ok(out);
    }
    let overflowed = || vec![overflow("request.items")];
    for &(r, d) in &inputs.eligible {
        let Some(s) = item_scope(inputs.scope, inputs.money, inputs.accounts, r, d.refund.amount) else { continue };
        let Some(it) = s.item else { continue };
        // The minimum and the loss are owed once per purchase, the price multiple on every unit
        // refunded: what the line's units were refunded before, and now, count together.
        let paid = it.ledger.refunded.checked_add(d.refund.amount).ok_or_else(overflowed)?;
        let from_rules = out.len();
        for rule in &inputs.policy.damages {
            if !holds(&rule.condition, &s).map_err(|e| vec![e.of_rule(&rule.id)])? {
                continue;
            }
            let by_price = paid.checked_mul(rule.price_multiple).ok_or_else(overflowed)?;
            let by_loss = match (rule.loss_multiple, it.item.loss) {
                (Some(multiple), Some(loss)) => loss.checked_mul(multiple).ok_or_else(overflowed)?,
                _ => Money::ZERO,
            };
            let owed = by_price.max(by_loss).max(rule.min);
            let already = paid_before(inputs.ledger, &d.line_id, |id| *id == rule.id).ok_or_else(overflowed)?;
            let amount = owed.saturating_sub(already);
            let effect = format!(
                "damages {} ({} × {} paid, {} from the loss, at least {}; {} paid before)",
                amount.0, rule.price_multiple, paid.0, by_loss.0, rule.min.0, already.0
            );
            let title = Arg::Localized { zh: rule.title.zh.as_str().into(), en: rule.title.en.as_str().into() };
            let owing = Owing { rule: &rule.id, line_id: &d.line_id, amount, borne_by: rule.borne_by, legal_ref: rule.legal_ref.as_ref() };
            owe(owing, effect, title, inputs.policy, (&mut out, trace, messages));
        }
        if !it.item.fraud_established {
            continue;
        }
        // A promised multiple (假一赔十) tops the damages for the line up to it: the shopper has
        // the largest of the policy's damages and the promises, never two of them. What any
        // rule or promise paid on the line before counts towards it.
        let best = it.line.promises.iter().filter_map(|p| p.fraud_multiple.map(|m| (m, p))).max_by_key(|(m, _)| *m);
        let Some((multiple, promise)) = best else { continue };
        let promised = i64::try_from(multiple).ok().and_then(|m| paid.checked_mul(m)).ok_or_else(overflowed)?;
        let is_rule = |id: &Text| inputs.policy.damages.iter().any(|r| r.id == *id) || it.line.promises.iter().any(|p| p.id == *id);
        let given = paid_before(inputs.ledger, &d.line_id, is_rule)
            .zip(Money::sum(out.get(from_rules..).unwrap_or_default().iter().map(|c| c.amount)))
            .and_then(|(before, now)| before.checked_add(now))
            .ok_or_else(overflowed)?;
        let amount = promised.saturating_sub(given);
        let effect = format!("promised damages {} ({multiple} × {} paid; {} given otherwise)", amount.0, paid.0, given.0);
        let said = promise.said.as_ref().map_or("", Text::as_str);
        let title = Arg::Localized { zh: said.into(), en: said.into() };
        let legal_ref = Text::Static(super::eligibility::PROMISE_LEGAL_REF);
        let owing = Owing { rule: &promise.id, line_id: &d.line_id, amount, borne_by: Party::Merchant, legal_ref: Some(&legal_ref) };
        owe(owing, effect, title, inputs.policy, (&mut out, trace, messages));
    }
    Ok(out)
}

/// Damages the ledger records as paid on a line under the rules `rule` accepts.
fn paid_before(ledger: &Ledger, line_id: &Text, rule: impl Fn(&Text) -> bool) -> Option<Money> {
    Money::sum(ledger.compensation.iter().filter(|x| rule(&x.rule) && x.line_id.as_ref() == Some(line_id)).map(|x| x.amount))
}

/// Damages owed on one line under one rule or promise.
struct Owing<'a> {
    rule: &'a Text,
    line_id: &'a Text,
    amount: Money,
    borne_by: Party,
    legal_ref: Option<&'a Text>,
}

/// Traces the damages and, when any are owed, says so and adds them.
fn owe(
    o: Owing<'_>,
    effect: String,
    title: Arg<'_>,
    policy: &CompiledPolicy,
    (out, trace, messages): (&mut Vec<CompensationOut>, &mut Trace, &mut Said),
) {
    trace.add(|| TraceEntry { rule: o.rule.clone(), line_id: Some(o.line_id.clone()), effect });
    if o.amount == Money::ZERO {
        return;
    }
    let said = Arg::Plain(o.amount.format(policy.money).into());
    messages.add(|| render("DAMAGES".into(), Some(o.line_id), &[("title", title), ("amount", said)], policy.texts("DAMAGES")));
    out.push(CompensationOut {
        rule: o.rule.clone(),
        line_id: Some(o.line_id.clone()),
        kind: CompensationKind::Cash,
        amount: o.amount,
        rounding: None,
        step: None,
        min_spend: Money::ZERO,
        valid_until: None,
        borne_by: o.borne_by,
        legal_ref: o.legal_ref.cloned(),
    });
}
