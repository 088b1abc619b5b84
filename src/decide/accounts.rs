//! The ledger read against the order's money: what each line and each tender has left, and
//! how a refund splits by tender so that a sequence of refunds adds up to one combined refund.

use super::refund::OrderMoney;
use crate::model::ledger::LineRecord;
use crate::model::{Effects, Ledger, LedgerTender, Order, Tender};
use crate::money::{allocate, cumulative_split, Money};
use crate::wire::error::overflow;
use crate::wire::error::{Code, Diagnostic, Errors};

/// One tender: what it paid, and what it got back so far.
#[derive(Debug, Clone, Copy)]
pub struct TenderAccount {
    pub tender: Tender,
    pub paid: Money,
    /// For points: how many points paid `paid`.
    pub points_paid: Option<i64>,
    pub back: Money,
    pub points_back: i64,
}

/// The ledger read against the order.
#[derive(Debug, Clone)]
pub struct Accounts {
    /// By order line index.
    pub lines: Vec<LineRecord>,
    pub tenders: Vec<TenderAccount>,
    /// Everything paid back to the tenders so far.
    pub paid_back: Money,
}

fn inconsistent(path: String, message: String) -> Diagnostic {
    Diagnostic::new(Code::Inconsistent, path, message)
        .with_help("the ledger holds what was accepted on this order: record each decision's `effects` with applyEffects")
}

/// `points` of `paid` for `amount` of it, rounded down.
fn points_for(points_paid: i64, paid: Money, amount: Money) -> Option<i64> {
    if paid.0 <= 0 {
        return Some(0);
    }
    i64::try_from(i128::from(points_paid) * i128::from(amount.0) / i128::from(paid.0)).ok()
}

impl Accounts {
    /// Reads `ledger` against the order and its money; every amount that exceeds what was paid
    /// is an input error at its path.
    pub fn read(order: &Order, ledger: &Ledger, money: &OrderMoney) -> Result<Accounts, Errors> {
        let mut errors = Errors::new();
        let mut lines = vec![LineRecord::default(); order.lines.len()];
        for (i, record) in ledger.lines.iter().enumerate() {
            let Some(index) = order.lines.iter().position(|l| l.id == record.line_id) else { continue };
            let (Some(slot), Some(line_money)) = (lines.get_mut(index), money.lines.get(index)) else { continue };
            *slot = LineRecord::of(record);
            let back = slot.paid_back().ok_or_else(|| vec![overflow(&format!("ledger.lines[{i}]"))])?;
            if back > line_money.paid {
                errors.push(inconsistent(
                    format!("ledger.lines[{i}]"),
                    format!("{} paid back on a line that was paid {}", back.0, line_money.paid.0),
                ));
            }
        }
        let tenders = Self::tenders(order, ledger, money, &lines, &mut errors)?;
        if ledger.shipping_refunded > money.refundable_shipping {
            errors.push(inconsistent(
                "ledger.shipping_refunded".into(),
                format!("{} shipping refunded of {} that can be", ledger.shipping_refunded.0, money.refundable_shipping.0),
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let paid_back = Money::sum(tenders.iter().map(|t| t.back)).ok_or_else(|| vec![overflow("ledger.tenders")])?;
        Ok(Accounts { lines, tenders, paid_back })
    }

    /// The order's tenders with what each got back: as recorded, or, when the ledger records
    /// none, the engine's split of everything paid back so far.
    fn tenders(
        order: &Order,
        ledger: &Ledger,
        money: &OrderMoney,
        lines: &[LineRecord],
        errors: &mut Errors,
    ) -> Result<Vec<TenderAccount>, Errors> {
        let account = |tender, paid, points_paid| TenderAccount { tender, paid, points_paid, back: Money::ZERO, points_back: 0 };
        let mut tenders: Vec<TenderAccount> = if order.payments.is_empty() {
            vec![account(Tender::OriginalPayment, money.totals.paid_total, None)]
        } else {
            let mut listed: Vec<TenderAccount> =
                order.payments.iter().map(|p| account(p.tender, p.amount, p.points.and_then(|n| i64::try_from(n).ok()))).collect();
            // What was paid in after the sale came by the original payment method.
            let paid_in = ledger.paid_in();
            if paid_in > Money::ZERO {
                match listed.iter_mut().find(|t| t.tender == Tender::OriginalPayment) {
                    Some(t) => t.paid = t.paid.checked_add(paid_in).ok_or_else(|| vec![overflow("ledger.lines")])?,
                    None => listed.push(account(Tender::OriginalPayment, paid_in, None)),
                }
            }
            listed
        };
        // What the ledger says went back, by its own parts: lines, shipping, less deductions.
        let overflowed = || vec![overflow("ledger")];
        let mut net = Money::sum(lines.iter().map(LineRecord::paid_back).collect::<Option<Vec<_>>>().ok_or_else(overflowed)?)
            .and_then(|m| m.checked_add(ledger.shipping_refunded))
            .ok_or_else(overflowed)?;
        for x in &ledger.deductions {
            net = net.checked_sub(x.outstanding()).ok_or_else(overflowed)?;
        }
        match &ledger.tenders {
            Some(recorded) => Self::recorded_tenders(&mut tenders, recorded, net, errors)?,
            None => {
                let paid: Vec<Money> = tenders.iter().map(|t| t.paid).collect();
                let Some(split) = cumulative_split(net, &paid) else {
                    errors.push(inconsistent(
                        "ledger".into(),
                        format!("{} paid back in all of an order that was paid {}", net.0, money.totals.paid_total.0),
                    ));
                    return Ok(tenders);
                };
                for (t, back) in tenders.iter_mut().zip(split) {
                    t.back = back;
                    t.points_back = t.points_paid.and_then(|n| points_for(n, t.paid, back)).unwrap_or(0);
                }
            }
        }
        Ok(tenders)
    }

    /// The tenders as the ledger records them: none beyond what it paid, points in proportion
    /// to the money, and together what the lines, shipping and deductions say went back.
    fn recorded_tenders(tenders: &mut [TenderAccount], recorded: &[LedgerTender], net: Money, errors: &mut Errors) -> Result<(), Errors> {
        for (i, r) in recorded.iter().enumerate() {
            let Some(t) = tenders.iter_mut().find(|t| t.tender == r.tender) else { continue };
            t.back = r.amount;
            t.points_back = r.points.unwrap_or_else(|| t.points_paid.and_then(|n| points_for(n, t.paid, r.amount)).unwrap_or(0));
            if t.back > t.paid {
                errors.push(inconsistent(
                    format!("ledger.tenders[{i}].amount"),
                    format!("{} paid back in `{}`, which paid {}", t.back.0, t.tender.as_str(), t.paid.0),
                ));
            }
            // Points come back in proportion to the money: never more than its share, rounded up.
            let most = t.points_paid.map(|n| points_for(n, t.paid, t.back).map_or(n, |p| p + i64::from(p < n)));
            if most.is_some_and(|most| t.points_back > most) {
                errors.push(inconsistent(
                    format!("ledger.tenders[{i}].points"),
                    format!("{} points given back for {} of the {} paid in points", t.points_back, t.back.0, t.paid.0),
                ));
            }
        }
        let recorded_total = Money::sum(tenders.iter().map(|t| t.back)).ok_or_else(|| vec![overflow("ledger")])?;
        if errors.is_empty() && recorded_total != net {
            errors.push(inconsistent(
                "ledger.tenders".into(),
                format!("the tenders got back {} but the lines, shipping and deductions come to {}", recorded_total.0, net.0),
            ));
        }
        Ok(())
    }

    /// The record of the order's line at `index`.
    pub fn line(&self, index: usize) -> LineRecord {
        self.lines.get(index).copied().unwrap_or_default()
    }

    /// Splits `amount`, paid back now, over the tenders: each gets the cumulative split of
    /// everything paid back (this included) less what it already got. Where a ledger written
    /// elsewhere left a tender ahead of that split, the others catch up first, in proportion
    /// to how far behind they are, and no tender goes beyond what it paid.
    pub fn split(&self, amount: Money) -> Option<Vec<LedgerTender>> {
        let after = self.paid_back.checked_add(amount)?;
        let paid: Vec<Money> = self.tenders.iter().map(|t| t.paid).collect();
        let target = cumulative_split(after, &paid)?;
        let mut shares: Vec<Money> = self.tenders.iter().zip(&target).map(|(t, c)| Money(c.0 - t.back.0)).collect();
        if shares.iter().any(|s| s.0 < 0) {
            let behind: Vec<Money> = shares.iter().map(|s| Money(s.0.max(0))).collect();
            shares = allocate(amount, &behind)?;
        }
        self.tenders
            .iter()
            .zip(shares)
            .map(|(t, share)| {
                let points = match t.points_paid {
                    Some(n) => Some((points_for(n, t.paid, t.back.checked_add(share)?)? - t.points_back).max(0)),
                    None => None,
                };
                Some(LedgerTender { tender: t.tender, amount: share, points })
            })
            .collect()
    }

    /// The ledger with its tenders written out (as recorded, or as derived).
    pub fn recorded(&self, mut out: Ledger) -> Ledger {
        out.tenders = Some(
            self.tenders
                .iter()
                .map(|t| LedgerTender { tender: t.tender, amount: t.back, points: t.points_paid.map(|_| t.points_back) })
                .collect(),
        );
        out
    }
}

/// Records a decision's effects in the ledger it was decided on: the pure function an
/// integrator calls after accepting a decision. The result is checked against the order like
/// any ledger, so effects that do not fit (applied twice, or to another order) are errors. The
/// ledger is taken: the answer is the next one.
pub fn apply_effects(order: &Order, ledger: Ledger, effects: &Effects) -> Result<Ledger, Errors> {
    if effects.order_id != order.id {
        return Err(vec![Diagnostic::new(
            Code::Inconsistent,
            "effects.order_id",
            format!("the effects are for order `{}`, not `{}`", effects.order_id, order.id),
        )]);
    }
    if effects.ledger_version != ledger.version {
        return Err(vec![Diagnostic::new(
            Code::StaleLedger,
            "effects.ledger_version",
            format!(
                "the effects were decided on ledger version {}, but the ledger is at version {}",
                effects.ledger_version, ledger.version
            ),
        )
        .with_help("decide the request again on the current ledger, then apply its effects")]);
    }
    let mut errors = Errors::new();
    // A coupon is owed once per order; damages (per line) follow the units, each refunded once.
    for (i, c) in effects.compensation.iter().enumerate().filter(|(_, c)| c.line_id.is_none()) {
        if ledger.compensation.iter().any(|x| x.rule == c.rule && x.line_id.is_none()) {
            errors.push(Diagnostic::new(
                Code::Inconsistent,
                format!("effects.compensation[{i}].rule"),
                format!("the compensation of `{}` was already granted on this order", c.rule),
            ));
        }
    }
    for (i, c) in effects.compensation.iter().enumerate() {
        if effects.compensation.iter().take(i).any(|x| x.rule == c.rule && x.line_id == c.line_id) {
            errors.push(Diagnostic::new(
                Code::Inconsistent,
                format!("effects.compensation[{i}].rule"),
                format!("the compensation of `{}` is listed twice", c.rule),
            ));
        }
    }
    for (i, id) in effects.coupons_restored.iter().enumerate() {
        if ledger.coupons_restored.contains(id) {
            errors.push(Diagnostic::new(
                Code::Inconsistent,
                format!("effects.coupons_restored[{i}]"),
                format!("the coupon `{id}` was already restored"),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let money = super::refund::order_money(order)?;
    let accounts = Accounts::read(order, &ledger, &money.clone().with_paid_in(order, &ledger)?)?;
    let after = crate::model::ledger::add_effects(accounts.recorded(ledger), effects, order).ok_or_else(|| vec![overflow("effects")])?;
    if after.compensation.len() > crate::wire::limits::MAX_LEDGER_ENTRIES {
        return Err(vec![Diagnostic::new(
            Code::LimitExceeded,
            "effects.compensation",
            format!(
                "the ledger would record {} compensations; at most {} are accepted",
                after.compensation.len(),
                crate::wire::limits::MAX_LEDGER_ENTRIES
            ),
        )]);
    }
    let mut c = crate::wire::checks::Checks::default();
    after.check_against(order, &mut c, &crate::wire::checks::Path::Root("ledger"));
    c.finish(())?;
    Accounts::read(order, &after, &money.with_paid_in(order, &after)?)?;
    Ok(after)
}
