//! Deductions that depend on what the shopper keeps rather than on what comes back: a
//! threshold promotion (满减) or free shipping the kept goods no longer reach, and a gift kept
//! when its goods came back.
//!
//! Each is settled against a target that depends only on the units back after this request:
//! the deduction due now is the target less what earlier refunds already kept back, and a
//! negative difference is given back. A sequence of returns therefore keeps back, in all,
//! what one combined return would (docs/money.md, "Clawbacks").

use super::notes::Trace;
use super::refund::OrderMoney;
use crate::answer::TraceEntry;
use crate::model::{DeductionKind, Ledger, Order, RequestKind};
use crate::money::{cumulative_share, Money};
use crate::policy::doc::PromotionSettlement;
use crate::policy::CompiledPolicy;
use crate::wire::text::Text;

/// A deduction whose amount due changed: `target` is what should be kept back in all.
#[derive(Debug, Clone)]
pub struct Due {
    pub kind: DeductionKind,
    pub line_id: Option<Text>,
    pub rule: Option<Text>,
    pub target: Money,
    /// What earlier refunds kept back and did not give back.
    pub outstanding: Money,
    pub legal_ref: Option<&'static str>,
    /// The line whose refund a new deduction reduces (for liability).
    pub against: Text,
}

/// What the request does to the units of the order, line by line.
#[derive(Debug, Clone)]
pub struct Units<'a> {
    /// Units of each line back before this request.
    pub before: Vec<i64>,
    /// Units of each line this request gives back (refund kinds only).
    pub now: Vec<i64>,
    pub kind: RequestKind,
    pub gifts_returned: bool,
    pub order: &'a Order,
}

impl Units<'_> {
    pub fn after(&self, i: usize) -> i64 {
        self.before.get(i).copied().unwrap_or(0) + self.now.get(i).copied().unwrap_or(0)
    }

    /// Whether this request returns the last units of line `i`, with their goods.
    fn completes_with_goods(&self, i: usize) -> bool {
        self.kind == RequestKind::RefundWithReturn
            && self.now.get(i).is_some_and(|n| *n > 0)
            && self.order.lines.get(i).is_some_and(|l| self.after(i) >= l.quantity)
    }

    /// Gifts that come back now because their goods do and the shopper sends them too:
    /// `(gift line index, units)`. They count as back from here on.
    pub fn gifts_coming_back(&mut self) -> Vec<(usize, i64)> {
        let mut back = Vec::new();
        if !self.gifts_returned {
            return back;
        }
        for (g, gift) in self.order.lines.iter().enumerate().filter(|(_, l)| l.gift) {
            let Some(main) = gift.gift_for.as_ref().and_then(|id| self.order.lines.iter().position(|l| &l.id == id)) else { continue };
            let left = gift.quantity - self.after(g);
            if left > 0 && self.completes_with_goods(main) {
                if let Some(slot) = self.now.get_mut(g) {
                    *slot += left;
                    back.push((g, left));
                }
            }
        }
        back
    }
}

/// The value of `amounts` (one per line) still kept after the units of `units`.
fn kept(order: &Order, amounts: &[Money], units: &Units<'_>) -> Option<Money> {
    let mut sum = Money::ZERO;
    for (i, (line, amount)) in order.lines.iter().zip(amounts).enumerate() {
        let back = units.after(i).min(line.quantity);
        sum = sum.checked_add(amount.checked_sub(cumulative_share(*amount, line.quantity, 0, back)?)?)?;
    }
    Some(sum)
}

fn outstanding(ledger: &Ledger, kind: DeductionKind, line_id: Option<&Text>, rule: Option<&Text>) -> Money {
    ledger.deduction(kind, line_id, rule).map_or(Money::ZERO, |x| x.outstanding())
}

/// Every clawback whose amount due differs from what earlier refunds kept back; gifts kept
/// without a declared value are named in `unpriced`. `None` on overflow.
pub fn due(
    policy: &CompiledPolicy,
    money: &OrderMoney,
    ledger: &Ledger,
    units: &Units<'_>,
    against: &Text,
    trace: &mut Trace,
    unpriced: &mut Vec<Text>,
) -> Option<Vec<Due>> {
    let order = units.order;
    let mut out = Vec::new();
    gifts(order, ledger, units, &mut out, unpriced);
    let nets: Vec<Money> = money.lines.iter().map(|l| l.net).collect();
    let goods = money.totals.goods_total;
    let kept_goods = kept(order, &nets, units)?;
    // A threshold the order reached and the kept goods, if any are kept, no longer reach.
    let broken = |threshold: Money| goods >= threshold && kept_goods < threshold && kept_goods > Money::ZERO;
    if policy.promotion_settlement == PromotionSettlement::Reprice {
        for (k, (discount, shares)) in order.discounts.iter().zip(&money.discount_shares).enumerate() {
            let Some(threshold) = discount.threshold else { continue };
            let name: Text = discount.id.clone().unwrap_or_else(|| format!("discounts[{k}]")).into();
            let target = if broken(threshold) { kept(order, shares, units)? } else { Money::ZERO };
            let before = outstanding(ledger, DeductionKind::PromotionLost, None, Some(&name));
            if target == before {
                continue;
            }
            trace.add(|| TraceEntry {
                rule: format!("promotion.{name}").into(),
                line_id: None,
                effect: if target > Money::ZERO {
                    format!("kept goods {} below the threshold {}: re-priced, {} of the discount due", kept_goods.0, threshold.0, target.0)
                } else {
                    format!("kept goods {} no longer re-priced against the threshold {}: nothing due", kept_goods.0, threshold.0)
                },
            });
            out.push(Due {
                kind: DeductionKind::PromotionLost,
                line_id: None,
                rule: Some(name),
                target,
                outstanding: before,
                legal_ref: None,
                against: against.clone(),
            });
        }
    }
    if let Some(threshold) = order.free_shipping_threshold.filter(|_| policy.free_shipping_clawback && order.shipping_waived > Money::ZERO)
    {
        let target = if broken(threshold) { order.shipping_waived } else { Money::ZERO };
        let before = outstanding(ledger, DeductionKind::FreeShippingLost, None, None);
        if target != before {
            trace.add(|| TraceEntry {
                rule: "free_shipping".into(),
                line_id: None,
                effect: format!(
                    "kept goods {} against the free-shipping threshold {}: {} of the waived {} due",
                    kept_goods.0, threshold.0, target.0, order.shipping_waived.0
                ),
            });
            out.push(Due {
                kind: DeductionKind::FreeShippingLost,
                line_id: None,
                rule: None,
                target,
                outstanding: before,
                legal_ref: None,
                against: against.clone(),
            });
        }
    }
    if policy.cn_law {
        for d in &mut out {
            d.legal_ref = cn_article(d.kind);
        }
    }
    Some(out)
}

/// The article of 网络购买商品七日无理由退货暂行办法 behind each deduction of what is kept
/// (docs/legal.md quotes them).
fn cn_article(kind: DeductionKind) -> Option<&'static str> {
    match kind {
        DeductionKind::GiftNotReturned => Some("CN-7DAY-ART12"),
        DeductionKind::PromotionLost => Some("CN-7DAY-ART17"),
        DeductionKind::FreeShippingLost => Some("CN-7DAY-ART18"),
        DeductionKind::Fee | DeductionKind::DiminishedValue => None,
    }
}

/// Gifts go back with their goods; one kept when the last of its goods comes back costs its
/// declared value, given back if the gift comes back later.
fn gifts(order: &Order, ledger: &Ledger, units: &Units<'_>, out: &mut Vec<Due>, unpriced: &mut Vec<Text>) {
    for (g, gift) in order.lines.iter().enumerate().filter(|(_, l)| l.gift) {
        let Some(main) = gift.gift_for.as_ref().and_then(|id| order.lines.iter().position(|l| &l.id == id)) else { continue };
        let before = outstanding(ledger, DeductionKind::GiftNotReturned, Some(&gift.id), None);
        // Once due, the value stays due until the gift comes back: what a refund could not
        // cover, a later one takes.
        let due = ledger.deduction(DeductionKind::GiftNotReturned, Some(&gift.id), None).is_some();
        let gift_back = units.after(g) >= gift.quantity;
        let target = if gift_back {
            Money::ZERO
        } else if due || (units.completes_with_goods(main) && !units.gifts_returned) {
            match gift.gift_value {
                Some(value) => value,
                None => {
                    unpriced.push(gift.id.clone());
                    before
                }
            }
        } else {
            before
        };
        if target != before {
            out.push(Due {
                kind: DeductionKind::GiftNotReturned,
                line_id: Some(gift.id.clone()),
                rule: None,
                target,
                outstanding: before,
                legal_ref: None,
                against: order.lines.get(main).map(|l| l.id.clone()).unwrap_or_default(),
            });
        }
    }
}
