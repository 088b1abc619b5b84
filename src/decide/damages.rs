//! Damages owed on top of a refund when the facts that establish them are given (退一赔三 for
//! fraud, 十倍赔偿 for unsafe food): per refunded item, in cash, from the policy's `damages`
//! rules. Each unit is refunded once, so its damages are owed once; the ledger adds them up
//! per rule and line.

use super::accounts::Accounts;
use super::items::{item_scope, Resolved};
use super::refund::OrderMoney;
use crate::answer::{CompensationOut, ItemDecision, TraceEntry};
use crate::expr::eval::holds;
use crate::expr::fields::Scope;
use crate::messages::{render, Arg, Message};
use crate::model::{CompensationKind, Ledger};
use crate::money::Money;
use crate::policy::CompiledPolicy;
use crate::wire::error::{overflow, Errors};

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
pub fn damages(inputs: &Refunded<'_>, trace: &mut Vec<TraceEntry>, messages: &mut Vec<Message>) -> Result<Vec<CompensationOut>, Errors> {
    let mut out = Vec::new();
    if inputs.policy.damages.is_empty() || !inputs.scope.request.kind.refunds_units() {
        return Ok(out);
    }
    for &(r, d) in &inputs.eligible {
        let Some(s) = item_scope(inputs.scope, inputs.money, inputs.accounts, r, d.refund.amount) else { continue };
        let loss = s.item.and_then(|i| i.item.loss);
        // The minimum and the loss are owed once per purchase, the price multiple on every unit
        // refunded: what the line's units were refunded before, and now, count together.
        let refunded_before = s.item.map_or(Money::ZERO, |i| i.ledger.refunded);
        for rule in &inputs.policy.damages {
            if !holds(&rule.condition, &s).map_err(|e| vec![e.of_rule(&rule.id)])? {
                continue;
            }
            let overflowed = || vec![overflow("request.items")];
            let paid = refunded_before.checked_add(d.refund.amount).ok_or_else(overflowed)?;
            let by_price = paid.checked_mul(rule.price_multiple).ok_or_else(overflowed)?;
            let by_loss = match (rule.loss_multiple, loss) {
                (Some(multiple), Some(loss)) => loss.checked_mul(multiple).ok_or_else(overflowed)?,
                _ => Money::ZERO,
            };
            let owed = by_price.max(by_loss).max(rule.min);
            let already = inputs.ledger.compensation.iter().filter(|x| x.rule == rule.id && x.line_id.as_ref() == Some(&d.line_id));
            let already = Money::sum(already.map(|x| x.amount)).ok_or_else(overflowed)?;
            let amount = owed.saturating_sub(already);
            trace.push(TraceEntry {
                rule: rule.id.clone(),
                line_id: Some(d.line_id.clone()),
                effect: format!(
                    "damages {} ({} × {} paid, {} from the loss, at least {}; {} paid before)",
                    amount.0, rule.price_multiple, paid.0, by_loss.0, rule.min.0, already.0
                ),
            });
            if amount == Money::ZERO {
                continue;
            }
            let title = Arg::Localized { zh: rule.title.zh.as_str().into(), en: rule.title.en.as_str().into() };
            let said = Arg::Plain(amount.format(inputs.policy.money).into());
            messages.push(render(
                "DAMAGES".into(),
                Some(&d.line_id),
                &[("title", title), ("amount", said)],
                inputs.policy.texts("DAMAGES"),
            ));
            out.push(CompensationOut {
                rule: rule.id.clone(),
                line_id: Some(d.line_id.clone()),
                kind: CompensationKind::Cash,
                amount,
                rounding: None,
                step: None,
                min_spend: Money::ZERO,
                valid_until: None,
                borne_by: rule.borne_by,
                legal_ref: rule.legal_ref.clone(),
            });
        }
    }
    Ok(out)
}
