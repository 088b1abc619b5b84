//! The money every decision must satisfy, for tests and fuzzing to check.

use aftersale_rules::internals::money::{Money, MAX_AMOUNT};
use aftersale_rules::Decision;

/// The arithmetic every decision must satisfy, for tests and fuzzing to check: the items'
/// refunds sum to `refund.items`; items + shipping + given back − deductions = total; the
/// tender split sums to the total, and so do the effects' tenders; the parties liable carry
/// the total, the compensation and the postage's parts (which add up to a known postage);
/// nothing is negative; a denied item
/// refunds nothing; every amount fits in ±(2^53 − 1).
pub fn check_money(d: &Decision) -> Result<(), String> {
    let sum = |xs: Vec<Money>| Money::sum(xs).map(|m| m.0).ok_or("overflow");
    let items = sum(d.items.iter().map(|i| i.refund.amount).collect())?;
    let deducted = sum(d.refund.deductions.iter().map(|d| d.amount).collect())?;
    let given_back = sum(d.refund.given_back.iter().map(|d| d.amount).collect())?;
    let effect_tenders = sum(d.effects.tenders.iter().map(|t| t.amount).collect())?;
    let tenders = sum(d.refund.by_tender.iter().map(|t| t.amount).collect())?;
    let liable = sum(d.liability.iter().map(|p| p.amount).collect())?;
    let compensation = sum(d.compensation.iter().map(|c| c.amount).collect())?;
    let shipping = &d.return_shipping;
    let insured = shipping.insured_amount.map_or(0, |m| m.0);
    // The postage's parts: the insurer's, the paying seller's or platform's, the shopper's.
    let postage = insured + shipping.reimbursed.map_or(0, |m| m.0) + shipping.shopper_pays.map_or(0, |m| m.0);
    let total = d.refund.total.0;
    let checks = [
        (items == d.refund.items.0, "the items' refunds do not sum to refund.items"),
        (
            d.refund.items.0.checked_add(d.refund.shipping.0).and_then(|x| x.checked_add(given_back)).and_then(|x| x.checked_sub(deducted))
                == Some(total),
            "items + shipping + given back - deductions is not the total",
        ),
        (tenders == total, "the tender split does not sum to the total"),
        (effect_tenders == total, "the effects' tenders do not sum to the total"),
        (
            total.checked_add(compensation).and_then(|x| x.checked_add(postage)) == Some(liable),
            "liability is not total + compensation + the postage's parts",
        ),
        (shipping.postage.is_none_or(|p| p.0 == postage), "the postage's parts do not add up to the postage"),
        (total >= 0 && d.items.iter().all(|i| i.refund.amount.0 >= 0), "a negative amount"),
        (d.items.iter().all(|i| i.eligible || i.refund.amount.0 == 0), "a denied item refunds money"),
        (within_safe_integers(d), "an amount beyond 2^53 - 1"),
    ];
    match checks.iter().find(|(ok, _)| !ok) {
        Some((_, what)) => Err((*what).to_owned()),
        None => Ok(()),
    }
}

/// Whether every amount of the decision's money fits in ±(2^53 − 1).
fn within_safe_integers(d: &Decision) -> bool {
    let fits = |m: Money| m.0.abs() <= MAX_AMOUNT;
    let items = d.items.iter().all(|i| fits(i.refund.amount) && fits(i.refund.allocated_discount));
    let refund = [d.refund.items, d.refund.shipping, d.refund.total].into_iter().all(fits)
        && d.refund.deductions.iter().chain(&d.refund.given_back).all(|x| fits(x.amount))
        && d.refund.by_tender.iter().all(|t| fits(t.amount));
    let others = d.liability.iter().all(|p| fits(p.amount)) && d.compensation.iter().all(|c| fits(c.amount));
    items && refund && others
}
