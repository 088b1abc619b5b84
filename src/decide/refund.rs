//! The money of lines and items (SPEC §5): net amounts, largest-remainder allocation of
//! every order-level discount, cumulative partial refunds capped by what is left, and the
//! split of a refund by tender.

use super::{overflow, LineMoney};
use crate::answer::{ItemRefund, TenderAmount};
use crate::error::{Code, Diagnostic, Errors};
use crate::expr::fields::OrderTotals;
use crate::model::{Line, Order, Tender};
use crate::money::{allocate, cumulative_share, Money};

/// Net, allocated discount and paid amount of every line, and the order totals.
pub fn line_money(order: &Order) -> Result<(Vec<LineMoney>, OrderTotals), Errors> {
    let mut errors = Errors::new();
    let mut nets = Vec::with_capacity(order.lines.len());
    for (i, line) in order.lines.iter().enumerate() {
        let gross = i64::try_from(i128::from(line.unit_price.0) * i128::from(line.quantity)).ok().map(Money);
        match gross {
            None => errors.push(overflow(&format!("order.lines[{i}]"))),
            Some(gross) if line.line_discount > gross => errors.push(Diagnostic::new(
                Code::Inconsistent,
                format!("order.lines[{i}].line_discount"),
                format!("the line discount {} exceeds the line's price {}", line.line_discount.0, gross.0),
            )),
            Some(gross) => nets.push(gross.saturating_sub(line.line_discount)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut allocated = vec![Money::ZERO; nets.len()];
    let goods = Money::sum(nets.iter().copied()).ok_or_else(|| vec![overflow("order.lines")])?;
    let discounts = Money::sum(order.discounts.iter().map(|d| d.amount)).ok_or_else(|| vec![overflow("order.discounts")])?;
    if discounts > goods {
        return Err(vec![Diagnostic::new(
            Code::Inconsistent,
            "order.discounts",
            format!("the order-level discounts ({}) exceed the goods they apply to ({})", discounts.0, goods.0),
        )]);
    }
    for (k, discount) in order.discounts.iter().enumerate() {
        let shares = allocate(discount.amount, &nets).ok_or_else(|| vec![overflow(&format!("order.discounts[{k}]"))])?;
        for (slot, share) in allocated.iter_mut().zip(shares) {
            *slot = slot.checked_add(share).ok_or_else(|| vec![overflow(&format!("order.discounts[{k}]"))])?;
        }
    }
    let lines: Vec<LineMoney> =
        nets.iter().zip(&allocated).map(|(&net, &allocated)| LineMoney { net, allocated, paid: net.saturating_sub(allocated) }).collect();
    for (i, (line, money)) in order.lines.iter().zip(&lines).enumerate() {
        if line.refunded > money.paid {
            errors.push(Diagnostic::new(
                Code::Inconsistent,
                format!("order.lines[{i}].refunded"),
                format!("{} already refunded on a line that was paid {}", line.refunded.0, money.paid.0),
            ));
        }
    }
    let totals = LineMoney::totals(&lines, order.shipping_fee).ok_or_else(|| vec![overflow("order")])?;
    if !order.payments.is_empty() {
        let paid = Money::sum(order.payments.iter().map(|p| p.amount)).ok_or_else(|| vec![overflow("order.payments")])?;
        if paid != totals.paid_total {
            errors.push(
                Diagnostic::new(
                    Code::Inconsistent,
                    "order.payments",
                    format!(
                        "the payments add up to {} but the order comes to {} (goods after discounts, plus shipping)",
                        paid.0, totals.paid_total.0
                    ),
                )
                .with_help("payments must cover exactly what the order cost"),
            );
        }
    }
    if errors.is_empty() {
        Ok((lines, totals))
    } else {
        Err(errors)
    }
}

/// The refund of `qty` more units of `line`: the cumulative share of what was paid for the
/// line, never more than what is left after earlier refunds.
pub fn item_refund(line: &Line, money: &LineMoney, qty: i64) -> Option<ItemRefund> {
    let share = cumulative_share(money.paid, line.quantity, line.returned_qty, qty)?;
    let left = money.paid.saturating_sub(line.refunded);
    let discount = cumulative_share(money.allocated, line.quantity, line.returned_qty, qty)?;
    Some(ItemRefund { amount: share.min(left), allocated_discount: discount })
}

/// Splits `total` over the order's payments in proportion (largest remainder); all to the
/// original payment when the order records no split.
pub fn by_tender(order: &Order, total: Money) -> Option<Vec<TenderAmount>> {
    if order.payments.is_empty() {
        return Some(vec![TenderAmount { tender: Tender::OriginalPayment, amount: total, points: None }]);
    }
    let weights: Vec<Money> = order.payments.iter().map(|p| p.amount).collect();
    let shares = allocate(total, &weights)?;
    order
        .payments
        .iter()
        .zip(shares)
        .map(|(p, amount)| {
            // Points come back as points: the share of the points paid, rounded down.
            let points = match (p.tender, p.points) {
                (Tender::Points, Some(count)) if p.amount.0 > 0 => {
                    Some(i64::try_from(i128::from(count) * i128::from(amount.0) / i128::from(p.amount.0)).ok()?)
                }
                (Tender::Points, Some(_)) => Some(0),
                _ => None,
            };
            Some(TenderAmount { tender: p.tender, amount, points })
        })
        .collect()
}
