//! One decided item's money: its refund by the kind of request (capped where an amount was
//! asked), and the deductions it carries (fees, diminished value).

use super::items::Judged;
use super::notes::Trace;
use super::refund::{self, LineMoney, OrderMoney};
use super::{accounts::Accounts, settle};
use crate::answer::{CapBasis, Deduction, ExchangeOut, ItemDecision, ItemRefund, ReviewReason, TraceEntry};
use crate::expr::fields::Scope;
use crate::model::ledger::LineRecord;
use crate::model::request::ExchangeFor;
use crate::model::{DeductionKind, Line, RequestItem, RequestKind};
use crate::money::{apply_bp, Money};
use crate::policy::CompiledPolicy;
use crate::wire::error::{overflow, Errors};
use crate::wire::text::Text;

/// The money of one decided item: its refund by kind, fees and diminished value.
#[allow(clippy::too_many_arguments)]
pub fn item_money(
    policy: &CompiledPolicy,
    scope: &Scope<'_>,
    money: &OrderMoney,
    accounts: &Accounts,
    j: Judged<'_>,
    asked: Option<Money>,
    extras: &mut settle::Extras,
    trace: &mut Trace,
) -> Result<ItemDecision, Errors> {
    let r = j.resolved;
    let (Some(line), Some(item)) = (scope.order.lines.get(r.line_index), scope.request.items.get(r.index)) else {
        return Err(vec![overflow("request.items")]);
    };
    extras.reviews.extend(j.outcome.reviews.iter().cloned());
    extras.destroy_on_site |= j.outcome.destroy_on_site;
    extras.interception |= j.outcome.interception;
    let mut refund = match j.outcome.denial {
        Some(_) => ItemRefund::default(),
        None => item_refund(policy, scope.request.kind, &j, asked, line, extras, trace)?,
    };
    let exchange = match (&j.outcome.denial, &item.exchange_for) {
        (None, Some(to)) if scope.request.kind == RequestKind::Exchange => {
            let (out, back) = exchange(line, item, to, &money.line(r.line_index), &accounts.line(r.line_index), &j, trace)
                .ok_or_else(|| vec![overflow(&format!("request.items[{}].exchange_for", r.index))])?;
            refund.amount = back;
            Some(out)
        }
        _ => None,
    };
    let deducting =
        Deducting { policy, kind: scope.request.kind, line, item, record: accounts.line(r.line_index), line_index: r.line_index };
    // An exchange's difference is the price of the variant, not a refund a fee is taken from.
    let fees = if scope.request.kind == RequestKind::Exchange { &[][..] } else { &j.outcome.fees[..] };
    let left = deducting.fees(&money.line(r.line_index), fees, &refund, extras)?;
    if j.outcome.denial.is_none() && scope.request.kind != RequestKind::Exchange {
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
        warranty_until: outcome.warranty_until,
        claim: outcome.claim,
        no_return: outcome.no_return,
        exchange,
        refund,
    })
}

/// An exchange for another variant: the units' allocated discounts carry over as amounts, so
/// the difference is the list prices' — due from the shopper for a dearer variant, refunded
/// for a cheaper one up to what the units were paid and what is left of the line.
fn exchange(
    line: &Line,
    item: &RequestItem,
    to: &ExchangeFor,
    money: &LineMoney,
    record: &LineRecord,
    j: &Judged<'_>,
    trace: &mut Trace,
) -> Option<(ExchangeOut, Money)> {
    let paid = money.units_share(line.quantity, record.returned_qty, item.qty)?;
    let difference = to.unit_price.checked_mul(item.qty)?.checked_sub(line.unit_price.checked_mul(item.qty)?)?;
    let (due, back) = if difference >= Money::ZERO {
        (difference, Money::ZERO)
    } else {
        (Money::ZERO, Money::ZERO.checked_sub(difference)?.min(j.share.amount))
    };
    let out = ExchangeOut { sku: to.sku.clone(), unit_price: to.unit_price, paid: paid.checked_add(due)?.saturating_sub(back), due };
    trace.add(|| TraceEntry {
        rule: Text::Static("engine.exchange"),
        line_id: Some(line.id.clone()),
        effect: format!("exchange for {} at {}: {} due, {} back", to.sku, to.unit_price.0, due.0, back.0),
    });
    Some((out, back))
}

/// An eligible item's refund by the kind of request, capped where an amount was asked.
fn item_refund(
    policy: &CompiledPolicy,
    kind: RequestKind,
    j: &Judged<'_>,
    asked: Option<Money>,
    line: &Line,
    extras: &mut settle::Extras,
    trace: &mut Trace,
) -> Result<ItemRefund, Errors> {
    let refund = match kind {
        RequestKind::Exchange | RequestKind::Repair => ItemRefund::default(),
        RequestKind::RefundWithReturn | RequestKind::RefundWithoutReturn => refund::asked(j.share.clone(), asked, j.share.amount, j.basis),
        RequestKind::PriceDifference => {
            let (mut bp, declared) = policy.price_difference.unwrap_or((0, None));
            let mut rule = Text::Static("price_difference");
            // A partial refund's share, by the units' defect share, replaces the policy's rate.
            if let Some((partial, share)) = &j.outcome.partial {
                (rule, bp) = (partial.clone(), *share);
            }
            let rounding = declared.unwrap_or(policy.rounding);
            let amount =
                apply_bp(j.share.amount, bp, rounding).ok_or_else(|| vec![overflow(&format!("order.lines[{}]", j.resolved.line_index))])?;
            if asked.is_none() {
                trace.add(|| TraceEntry {
                    rule,
                    line_id: Some(line.id.clone()),
                    effect: format!("{bp} bp of {} = {}", j.share.amount.0, amount.0),
                });
            }
            // More than the policy's rate is the shopper's figure, not the policy's: it needs the
            // review an amount asked for needs.
            if asked.is_some_and(|a| a > amount) {
                extras.reviews.push(ReviewReason { rule: "engine.amount_asked".into(), tier: policy.goodwill_approval });
            }
            let computed = ItemRefund { amount, allocated_discount: Money::ZERO, rounding: declared, capped: None };
            refund::asked(computed, asked, j.share.amount, j.basis)
        }
        RequestKind::Goodwill => refund::asked(ItemRefund::default(), asked, j.left, CapBasis::LineRemaining),
    };
    if let Some(cap) = &refund.capped {
        trace.add(|| TraceEntry {
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
    fn diminished_value(&self, refund: &ItemRefund, left: Money, extras: &mut settle::Extras, trace: &mut Trace) {
        let Some(value) = self.item.diminished_value else { return };
        if self.policy.diminished_value && refund.amount > Money::ZERO {
            let legal_ref = Some(Text::Static("EU-CRD-ART14"));
            extras.deductions.push(Deduction::on_line(DeductionKind::DiminishedValue, &self.line.id, None, value.min(left), legal_ref));
        } else {
            trace.add(|| TraceEntry {
                rule: "diminished_value".into(),
                line_id: Some(self.line.id.clone()),
                effect: "not deductible under this policy".into(),
            });
        }
    }
}
