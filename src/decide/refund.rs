//! The money of lines and items: net amounts, the joint largest-remainder allocation of the
//! order-level discounts, and what a request's units were paid, capped by what is left of
//! the line after every earlier event (docs/money.md).

use crate::answer::{AmountCap, CapBasis, ItemRefund};
use crate::expr::fields::OrderTotals;
use crate::model::ledger::LineRecord;
use crate::model::{Ledger, Line, Order};
use crate::money::{allocate_discounts, apply_bp, cumulative_share, Money, Rounding};
use crate::wire::error::overflow;
use crate::wire::error::{Code, Diagnostic, Errors};

/// The money of one order line, derived once per evaluation.
#[derive(Debug, Clone, Copy, Default)]
pub struct LineMoney {
    /// unit price × quantity − line discount.
    pub net: Money,
    /// This line's share of the order-level discounts.
    pub allocated: Money,
    /// net − allocated: what the shopper paid for the whole line, and what they paid in after
    /// the sale (`paid_in`, included).
    pub paid: Money,
    /// Paid in after the sale (exchanges for a dearer variant): the line's last units carry it.
    pub paid_in: Money,
}

impl LineMoney {
    /// What `k` more units were paid after `b` came back: their cumulative share of what the
    /// line was paid at sale, and, for the line's last units, what was paid in after it (that
    /// came after earlier units' shares were paid back).
    pub fn units_share(&self, n: i64, b: i64, k: i64) -> Option<Money> {
        let share = cumulative_share(self.paid.checked_sub(self.paid_in)?, n, b, k)?;
        if b.checked_add(k)? >= n {
            share.checked_add(self.paid_in)
        } else {
            Some(share)
        }
    }
}

/// The money of the whole order.
#[derive(Debug, Clone)]
pub struct OrderMoney {
    pub lines: Vec<LineMoney>,
    /// Per order-level discount, its share of each line.
    pub discount_shares: Vec<Vec<Money>>,
    pub totals: OrderTotals,
    /// The shipping a full return may refund: the fee, or under EU rules at most the least
    /// expensive standard delivery.
    pub refundable_shipping: Money,
}

impl OrderMoney {
    pub fn line(&self, index: usize) -> LineMoney {
        self.lines.get(index).copied().unwrap_or_default()
    }

    /// The money with what the shopper paid in after the sale (the ledger's `paid_in`: the
    /// difference of exchanges for a dearer variant) added to its lines and to the total paid,
    /// so that later refunds can pay it back.
    pub fn with_paid_in(mut self, order: &Order, ledger: &Ledger) -> Result<OrderMoney, Errors> {
        for (i, record) in ledger.lines.iter().enumerate().filter(|(_, l)| l.paid_in > Money::ZERO) {
            let Some(line) = order.lines.iter().position(|l| l.id == record.line_id).and_then(|k| self.lines.get_mut(k)) else { continue };
            let total = self.totals.paid_total.checked_add(record.paid_in);
            match (line.paid.checked_add(record.paid_in), total) {
                (Some(paid), Some(total)) => (line.paid, line.paid_in, self.totals.paid_total) = (paid, record.paid_in, total),
                _ => return Err(vec![overflow(&format!("ledger.lines[{i}].paid_in"))]),
            }
        }
        Ok(self)
    }
}

/// Net, allocated discount and paid amount of every line, and the order totals. Every sum
/// stays within ±(2^53 − 1) or is an `OVERFLOW` error at the path that caused it.
pub fn order_money(order: &Order) -> Result<OrderMoney, Errors> {
    let mut errors = Errors::new();
    let mut nets = Vec::with_capacity(order.lines.len());
    for (i, line) in order.lines.iter().enumerate() {
        match line.unit_price.checked_mul(line.quantity) {
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
    let goods = Money::sum(nets.iter().copied()).ok_or_else(|| vec![overflow("order.lines")])?;
    let amounts: Vec<Money> = order.discounts.iter().map(|d| d.amount).collect();
    let discounts = Money::sum(amounts.iter().copied()).ok_or_else(|| vec![overflow("order.discounts")])?;
    if discounts > goods {
        return Err(vec![Diagnostic::new(
            Code::Inconsistent,
            "order.discounts",
            format!("the order-level discounts ({}) exceed the goods they apply to ({})", discounts.0, goods.0),
        )]);
    }
    let (allocated, discount_shares) = allocate_discounts(&amounts, &nets).ok_or_else(|| vec![overflow("order.discounts")])?;
    let lines: Vec<LineMoney> = nets
        .iter()
        .zip(&allocated)
        .map(|(&net, &allocated)| LineMoney { net, allocated, paid: net.saturating_sub(allocated), paid_in: Money::ZERO })
        .collect();
    let totals = totals(&lines, order.shipping_fee).ok_or_else(|| vec![overflow("order.shipping_fee")])?;
    if !order.payments.is_empty() {
        let paid = Money::sum(order.payments.iter().map(|p| p.amount)).ok_or_else(|| vec![overflow("order.payments")])?;
        if paid != totals.paid_total {
            return Err(vec![Diagnostic::new(
                Code::Inconsistent,
                "order.payments",
                format!(
                    "the payments add up to {} but the order comes to {} (goods after discounts, plus shipping)",
                    paid.0, totals.paid_total.0
                ),
            )
            .with_help("payments must cover exactly what the order cost")]);
        }
    }
    let refundable_shipping = order.standard_shipping_fee.map_or(order.shipping_fee, |standard| standard.min(order.shipping_fee));
    Ok(OrderMoney { lines, discount_shares, totals, refundable_shipping })
}

fn totals(lines: &[LineMoney], shipping: Money) -> Option<OrderTotals> {
    let goods_total = Money::sum(lines.iter().map(|l| l.net))?;
    let discount_total = Money::sum(lines.iter().map(|l| l.allocated))?;
    let paid_total = goods_total.checked_sub(discount_total)?.checked_add(shipping)?;
    Some(OrderTotals { goods_total, discount_total, paid_total })
}

/// What is left of a line to pay back: what it was paid less everything paid back against it.
pub fn line_left(money: &LineMoney, record: &LineRecord) -> Money {
    money.paid.saturating_sub(record.paid_back().unwrap_or(money.paid))
}

/// The refund of `qty` more units of `line`: their cumulative share of what the line was
/// paid, never more than what is left after every earlier event on the line; and which of
/// the two is the limit.
pub fn units_refund(line: &Line, money: &LineMoney, record: &LineRecord, qty: i64) -> Option<(ItemRefund, CapBasis)> {
    let share = money.units_share(line.quantity, record.returned_qty, qty)?;
    let discount = cumulative_share(money.allocated, line.quantity, record.returned_qty, qty)?;
    let left = line_left(money, record);
    let basis = if share <= left { CapBasis::UnitsShare } else { CapBasis::LineRemaining };
    Some((ItemRefund { amount: share.min(left), allocated_discount: discount, rounding: None, capped: None }, basis))
}

/// A fee of `bp` on `qty` more units, cumulative like their refund: the fee on all units back
/// after this request less the fee on those back before, so that the fees of a sequence of
/// returns add up to the fee of one combined return.
pub fn units_fee(line: &Line, money: &LineMoney, record: &LineRecord, qty: i64, bp: i64, rounding: Rounding) -> Option<Money> {
    let upto = |units: i64| apply_bp(money.units_share(line.quantity, 0, units)?, bp, rounding);
    upto(record.returned_qty.checked_add(qty)?)?.checked_sub(upto(record.returned_qty)?)
}

/// `computed`, or the amount asked for when it is smaller; when the shopper asked for more than
/// `cap`, the answer says so (`AMOUNT_CAPPED`) with the cap's basis.
pub fn asked(computed: ItemRefund, asked: Option<Money>, cap: Money, basis: CapBasis) -> ItemRefund {
    match asked {
        None => computed,
        Some(asked) if asked <= cap => ItemRefund { amount: asked, ..computed },
        Some(asked) => ItemRefund {
            amount: cap,
            capped: Some(AmountCap { code: crate::wire::text::Text::Static("AMOUNT_CAPPED"), asked, cap, basis }),
            ..computed
        },
    }
}
