//! The ledger: the order's record of accepted after-sales effects, which the engine reads to
//! decide the next request, and the effects a decision proposes in the same vocabulary.
//!
//! The engine is stateless: the caller keeps the ledger, passes it in with every request, and
//! after accepting a decision records its `effects` with [`apply_effects`]. Applying the
//! effects and deciding the next request gives the same totals per line, per tender and per
//! deduction kind as one combined request (docs/money.md).

use super::order::{Order, Tender};
use crate::money::Money;
use crate::time::Instant;
use crate::vocab::Authority;
use crate::wire::checks::{unique, Checks, Path};
use crate::wire::error::Code;
use crate::wire::json::at_most;
use crate::wire::limits::{MAX_LEDGER_DEDUCTIONS, MAX_LEDGER_ENTRIES, MAX_LEDGER_LINES, MAX_SAFE_INTEGER};
use crate::wire::number;
use crate::wire::text::Text;
use crate::wire::{tag, wire_enum, wire_struct};

wire_enum! {
    /// What an amount kept back from a refund is for.
    pub enum DeductionKind {
        /// A gift (赠品) kept when its goods came back: its declared value.
        GiftNotReturned = "gift_not_returned",
        /// A fee a rule charges (restocking, handling), in basis points of the refund.
        Fee = "fee",
        /// A diminished value the seller assessed (EU CRD art. 14(2)).
        DiminishedValue = "diminished_value",
        /// A threshold promotion (满减) the kept goods no longer reach: their share of it.
        PromotionLost = "promotion_lost",
        /// Free shipping the kept goods no longer reach: the waived fee.
        FreeShippingLost = "free_shipping_lost",
    }
}

wire_enum! {
    /// The form compensation is granted in.
    #[derive(Default)]
    pub enum CompensationKind {
        #[default]
        Coupon = "coupon",
        Cash = "cash",
    }
}

wire_struct! {
    /// What has been accepted for one order line (in the ledger), or what a decision adds to it
    /// (in effects).
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct LedgerLine {
        pub line_id: Text,
        /// Units refunded, with or without their return.
        #[serde(default, deserialize_with = "number::count")]
        #[cfg_attr(feature = "schema", schemars(range(min = 0)))]
        pub returned_qty: i64,
        /// Of those units, the ones refunded for a reason that is the buyer's fault: whether the
        /// shipping fee comes back with the last unit depends on every return, not only the last.
        #[serde(default, deserialize_with = "number::count")]
        #[cfg_attr(feature = "schema", schemars(range(min = 0)))]
        pub buyer_fault_qty: i64,
        /// What those units were refunded, before deductions.
        #[serde(default)]
        pub refunded: Money,
        /// Price differences paid on units the shopper kept.
        #[serde(default)]
        pub price_difference: Money,
        /// The units those price differences were paid for: a unit gets one price difference.
        #[serde(default, deserialize_with = "number::count")]
        #[cfg_attr(feature = "schema", schemars(range(min = 0)))]
        pub price_difference_qty: i64,
        /// Amounts asked for and paid (goodwill, manual refunds).
        #[serde(default)]
        pub goodwill: Money,
        /// What the shopper paid in after the sale: the difference of exchanges for a dearer
        /// variant. It adds to what the line was paid, so later refunds can pay it back.
        #[serde(default, skip_serializing_if = "Money::is_zero")]
        pub paid_in: Money,
        /// After-sales requests opened for the line so far, whatever became of them. The
        /// platform records this and the three below as requests open, close and are refused;
        /// effects never carry them.
        #[serde(default, skip_serializing_if = "crate::wire::is_zero", deserialize_with = "number::count")]
        #[cfg_attr(feature = "schema", schemars(range(min = 0)))]
        pub requests: i64,
        /// A request for the line is open now.
        #[serde(default, skip_serializing_if = "crate::wire::is_false")]
        pub open_request: bool,
        /// When the line's last request was refused, and by whom: the merchant (the shopper may
        /// ask the platform to step in, 申请介入) or the platform (the shopper may appeal).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub refused_at: Option<Instant>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub refused_by: Option<Authority>,
    }
}

/// One order line's record, in numbers (zero where the ledger names nothing).
#[derive(Debug, Clone, Copy, Default)]
pub struct LineRecord {
    pub returned_qty: i64,
    pub buyer_fault_qty: i64,
    pub refunded: Money,
    pub price_difference: Money,
    pub price_difference_qty: i64,
    pub goodwill: Money,
    pub paid_in: Money,
    pub requests: i64,
    pub open_request: bool,
    pub refused_at: Option<Instant>,
    pub refused_by: Option<Authority>,
}

impl LineRecord {
    pub fn of(line: &LedgerLine) -> LineRecord {
        LineRecord {
            returned_qty: line.returned_qty,
            buyer_fault_qty: line.buyer_fault_qty,
            refunded: line.refunded,
            price_difference: line.price_difference,
            price_difference_qty: line.price_difference_qty,
            goodwill: line.goodwill,
            paid_in: line.paid_in,
            requests: line.requests,
            open_request: line.open_request,
            refused_at: line.refused_at,
            refused_by: line.refused_by,
        }
    }

    /// Everything paid back against the line, before deductions.
    pub fn paid_back(&self) -> Option<Money> {
        self.refunded.checked_add(self.price_difference)?.checked_add(self.goodwill)
    }
}

wire_struct! {
    /// Money paid back in one tender (and, for points, how many points).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct LedgerTender {
        pub tender: Tender,
        pub amount: Money,
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "number::opt_count")]
        #[cfg_attr(feature = "schema", schemars(range(min = 0)))]
        pub points: Option<i64>,
    }
}

wire_struct! {
    /// A deduction, keyed by its kind, the line it concerns and the rule or discount that made
    /// it: what was taken from refunds and what was given back since.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct LedgerDeduction {
        pub kind: DeductionKind,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub line_id: Option<Text>,
        /// The fee's rule, or the threshold discount's id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rule: Option<Text>,
        #[serde(default)]
        pub taken: Money,
        #[serde(default)]
        pub given_back: Money,
    }
}

impl LedgerDeduction {
    pub fn same_key(&self, kind: DeductionKind, line_id: Option<&Text>, rule: Option<&Text>) -> bool {
        self.kind == kind && self.line_id.as_ref() == line_id && self.rule.as_ref() == rule
    }

    /// What is still kept back: taken less given back.
    pub fn outstanding(&self) -> Money {
        self.taken.saturating_sub(self.given_back)
    }
}

wire_struct! {
    /// Compensation granted by a rule: a coupon owed once per order, or damages per line (all
    /// its refunded units' damages so far).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct LedgerCompensation {
        pub rule: Text,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub line_id: Option<Text>,
        #[serde(default)]
        pub kind: CompensationKind,
        pub amount: Money,
    }
}

wire_struct! {
    /// The order's after-sales record. Every field defaults to nothing having happened.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct Ledger {
        /// How many decisions' effects were applied: effects name the version they were decided
        /// on, and apply to that version only (a stale decision cannot be applied twice).
        #[serde(default, deserialize_with = "number::count")]
        #[cfg_attr(feature = "schema", schemars(range(min = 0)))]
        pub version: i64,
        /// After-sales requests opened on the order so far (the platform's count, like the lines').
        #[serde(default, skip_serializing_if = "crate::wire::is_zero", deserialize_with = "number::count")]
        #[cfg_attr(feature = "schema", schemars(range(min = 0)))]
        pub requests: i64,
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_LEDGER_LINES>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_LEDGER_LINES)))]
        pub lines: Vec<LedgerLine>,
        /// Money paid back per tender. Absent: what the engine's split gives for everything
        /// refunded so far (the ledger of a single-tender order needs none).
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "tenders")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_TENDERS)))]
        pub tenders: Option<Vec<LedgerTender>>,
        #[serde(default)]
        pub shipping_refunded: Money,
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_LEDGER_DEDUCTIONS>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_LEDGER_DEDUCTIONS)))]
        pub deductions: Vec<LedgerDeduction>,
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_LEDGER_ENTRIES>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_LEDGER_ENTRIES)))]
        pub compensation: Vec<LedgerCompensation>,
        /// Coupons given back as coupons, by discount id.
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_LEDGER_ENTRIES>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_LEDGER_ENTRIES)))]
        pub coupons_restored: Vec<Text>,
    }
}

/// A ledger's tenders: one per tender at most.
fn tenders<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<LedgerTender>>, D::Error> {
    at_most::<_, _, MAX_TENDERS>(d).map(Some)
}

/// One record per tender.
const MAX_TENDERS: usize = Tender::WIRE.len();

wire_struct! {
    /// What a decision adds to the ledger if the platform accepts it.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct Effects {
        pub order_id: Text,
        /// The ledger version the decision read; the effects apply to that version only.
        #[serde(deserialize_with = "number::count")]
        #[cfg_attr(feature = "schema", schemars(range(min = 0)))]
        pub ledger_version: i64,
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_LEDGER_LINES>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_LEDGER_LINES)))]
        pub lines: Vec<LedgerLine>,
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_TENDERS>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_TENDERS)))]
        pub tenders: Vec<LedgerTender>,
        #[serde(default)]
        pub shipping_refunded: Money,
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_LEDGER_DEDUCTIONS>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_LEDGER_DEDUCTIONS)))]
        pub deductions: Vec<LedgerDeduction>,
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_LEDGER_ENTRIES>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_LEDGER_ENTRIES)))]
        pub compensation: Vec<LedgerCompensation>,
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_LEDGER_ENTRIES>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_LEDGER_ENTRIES)))]
        pub coupons_restored: Vec<Text>,
    }
}

impl Ledger {
    /// Keys that must be unique within the ledger itself, and amounts that must agree.
    pub fn check_keys(&self, c: &mut Checks, path: &Path<'_>) {
        for (i, line) in self.lines.iter().enumerate().filter(|(_, l)| l.buyer_fault_qty > l.returned_qty) {
            c.error(
                Code::Inconsistent,
                &path.key("lines").index(i).key("buyer_fault_qty"),
                format!("{} units at the buyer's fault, more than the {} returned", line.buyer_fault_qty, line.returned_qty),
                None,
            );
        }
        unique(c, &self.lines, &path.key("lines"), Some("line_id"), |l| l.line_id.to_string(), "a line");
        if let Some(tenders) = &self.tenders {
            unique(c, tenders, &path.key("tenders"), Some("tender"), |t| t.tender.as_str().to_owned(), "a tender");
        }
        // Each part length-prefixed, so that no two keys read the same.
        let part = |p: &Option<Text>| p.as_ref().map_or_else(|| "-".to_owned(), |p| format!("{}:{p}", p.len()));
        let key = |x: &LedgerDeduction| format!("{} {} {}", x.kind.as_str(), part(&x.line_id), part(&x.rule));
        unique(c, &self.deductions, &path.key("deductions"), Some("kind"), key, "a deduction");
        let compensation = |x: &LedgerCompensation| format!("{} {}", part(&Some(x.rule.clone())), part(&x.line_id));
        unique(c, &self.compensation, &path.key("compensation"), Some("rule"), compensation, "a compensation rule");
        unique(c, &self.coupons_restored, &path.key("coupons_restored"), None, Text::to_string, "a coupon");
        for (i, x) in self.deductions.iter().enumerate() {
            if x.given_back > x.taken {
                c.error(
                    Code::Inconsistent,
                    &path.key("deductions").index(i).key("given_back"),
                    format!("{} given back of {} taken", x.given_back.0, x.taken.0),
                    None,
                );
            }
        }
    }

    /// Everything the shopper paid in after the sale, on every line (an overflow is caught
    /// where the money is read: `OrderMoney::with_paid_in`).
    pub fn paid_in(&self) -> Money {
        Money::sum(self.lines.iter().map(|l| l.paid_in)).unwrap_or(Money::ZERO)
    }

    /// Facts of the ledger that only the order can confirm: every line and tender it names
    /// exists, and no line has more units back than it has.
    pub fn check_against(&self, order: &Order, c: &mut Checks, path: &Path<'_>) {
        let lines = path.key("lines");
        for (i, record) in self.lines.iter().enumerate() {
            let at = lines.index(i);
            match order.lines.iter().find(|l| l.id == record.line_id) {
                None => c.error(Code::UnknownReference, &at.key("line_id"), format!("the order has no line `{}`", record.line_id), None),
                Some(line) if record.returned_qty > line.quantity => c.error(
                    Code::Inconsistent,
                    &at.key("returned_qty"),
                    format!("{} units returned of a line of {}", record.returned_qty, line.quantity),
                    None,
                ),
                Some(line) if record.price_difference_qty > line.quantity => c.error(
                    Code::Inconsistent,
                    &at.key("price_difference_qty"),
                    format!("price differences for {} units of a line of {}", record.price_difference_qty, line.quantity),
                    None,
                ),
                Some(_) => {}
            }
        }
        self.check_coupons(order, c, path);
        if let Some(tenders) = &self.tenders {
            for (i, t) in tenders.iter().enumerate() {
                // A difference paid in after the sale was paid by the original payment method.
                let original = t.tender == Tender::OriginalPayment && (order.payments.is_empty() || self.paid_in() > Money::ZERO);
                if !original && !order.payments.iter().any(|p| p.tender == t.tender) {
                    c.error(
                        Code::UnknownReference,
                        &path.key("tenders").index(i).key("tender"),
                        format!("the order was not paid in `{}`", t.tender.as_str()),
                        None,
                    );
                } else if t.points.is_some() && t.tender != Tender::Points {
                    c.error(Code::Inconsistent, &path.key("tenders").index(i).key("points"), "only points come back as points", None);
                }
            }
        }
        let compensation = path.key("compensation");
        for (i, x) in self.compensation.iter().enumerate() {
            let Some(id) = &x.line_id else { continue };
            let at = compensation.index(i);
            if !order.lines.iter().any(|l| &l.id == id) {
                c.error(Code::UnknownReference, &at.key("line_id"), format!("the order has no line `{id}`"), None);
            } else if x.kind != CompensationKind::Cash {
                c.error(Code::Inconsistent, &at.key("kind"), "compensation on a line (damages) is paid in cash", None);
            }
        }
        for (i, x) in self.deductions.iter().enumerate() {
            if let Some(id) = &x.line_id {
                if !order.lines.iter().any(|l| &l.id == id) {
                    c.error(
                        Code::UnknownReference,
                        &path.key("deductions").index(i).key("line_id"),
                        format!("the order has no line `{id}`"),
                        None,
                    );
                }
            }
        }
    }

    /// Restored coupons are the order's coupons, and come back only with the whole order.
    fn check_coupons(&self, order: &Order, c: &mut Checks, path: &Path<'_>) {
        let at = path.key("coupons_restored");
        for (i, id) in self.coupons_restored.iter().enumerate() {
            let coupon = order.discounts.iter().enumerate().any(|(k, discount)| {
                discount.kind != super::DiscountKind::Threshold
                    && discount.id.clone().unwrap_or_else(|| format!("discounts[{k}]")) == id.as_str()
            });
            if !coupon {
                c.error(Code::UnknownReference, &at.index(i), format!("the order has no coupon `{id}`"), None);
            }
        }
        let all_back = order.lines.iter().filter(|l| !l.gift).all(|l| self.line(&l.id).is_some_and(|r| r.returned_qty >= l.quantity));
        if !self.coupons_restored.is_empty() && !all_back {
            c.error(Code::Inconsistent, &at, "coupons come back as coupons only when the whole order does", None);
        }
    }

    /// The record of the order's line `id`, if anything was recorded for it.
    pub fn line(&self, id: &str) -> Option<&LedgerLine> {
        self.lines.iter().find(|l| l.line_id == id)
    }

    /// The deduction with this key, if one was recorded.
    pub fn deduction(&self, kind: DeductionKind, line_id: Option<&Text>, rule: Option<&Text>) -> Option<&LedgerDeduction> {
        self.deductions.iter().find(|x| x.same_key(kind, line_id, rule))
    }
}

/// Adds `effects` to `ledger` (whose tenders are recorded), keeping the order of the order's
/// lines and of first appearance elsewhere. `None` on overflow.
pub fn add_effects(mut out: Ledger, effects: &Effects, order: &Order) -> Option<Ledger> {
    out.version = out.version.checked_add(1).filter(|v| *v <= MAX_SAFE_INTEGER)?;
    for delta in &effects.lines {
        match out.lines.iter_mut().find(|l| l.line_id == delta.line_id) {
            Some(line) => {
                line.returned_qty = line.returned_qty.checked_add(delta.returned_qty)?;
                line.buyer_fault_qty = line.buyer_fault_qty.checked_add(delta.buyer_fault_qty)?;
                line.refunded = line.refunded.checked_add(delta.refunded)?;
                line.price_difference = line.price_difference.checked_add(delta.price_difference)?;
                line.price_difference_qty = line.price_difference_qty.checked_add(delta.price_difference_qty)?;
                line.goodwill = line.goodwill.checked_add(delta.goodwill)?;
                line.paid_in = line.paid_in.checked_add(delta.paid_in)?;
            }
            // A line new to the ledger takes the effect's amounts; its request counters are the platform's.
            None => out.lines.push(LedgerLine { requests: 0, open_request: false, refused_at: None, refused_by: None, ..delta.clone() }),
        }
    }
    // Records follow the order's lines; ids the order lacks (refused later) keep their place last.
    let position = |id: &Text| order.lines.iter().position(|l| &l.id == id).unwrap_or(usize::MAX);
    out.lines.sort_by_key(|l| position(&l.line_id));
    let tenders = out.tenders.get_or_insert_with(Vec::new);
    for delta in &effects.tenders {
        match tenders.iter_mut().find(|t| t.tender == delta.tender) {
            Some(t) => {
                t.amount = t.amount.checked_add(delta.amount)?;
                t.points = match (t.points, delta.points) {
                    (Some(a), Some(b)) => Some(a.checked_add(b)?),
                    (a, b) => a.or(b),
                };
            }
            None => tenders.push(delta.clone()),
        }
    }
    out.shipping_refunded = out.shipping_refunded.checked_add(effects.shipping_refunded)?;
    for delta in &effects.deductions {
        match out.deductions.iter_mut().find(|x| x.same_key(delta.kind, delta.line_id.as_ref(), delta.rule.as_ref())) {
            Some(x) => {
                x.taken = x.taken.checked_add(delta.taken)?;
                x.given_back = x.given_back.checked_add(delta.given_back)?;
            }
            None => out.deductions.push(delta.clone()),
        }
    }
    for c in &effects.compensation {
        match out.compensation.iter_mut().find(|x| x.rule == c.rule && x.line_id == c.line_id) {
            Some(x) => x.amount = x.amount.checked_add(c.amount)?,
            None => out.compensation.push(c.clone()),
        }
    }
    for id in &effects.coupons_restored {
        if !out.coupons_restored.contains(id) {
            out.coupons_restored.push(id.clone());
        }
    }
    Some(out)
}

wire_struct! {
    /// What `apply_effects` reads: the order, its ledger, and the effects of an accepted decision.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ApplyInput {
        pub order: Order,
        #[serde(default)]
        pub ledger: Ledger,
        pub effects: Effects,
    }
}

impl ApplyInput {
    /// The order, the ledger's keys and its totals against the order.
    pub fn check(&self, c: &mut Checks) {
        self.order.check(c, &Path::Root("order"));
        let ledger = Path::Root("ledger");
        self.ledger.check_keys(c, &ledger);
        self.ledger.check_against(&self.order, c, &ledger);
    }
}

tag! {
    /// The `type` of a ledger answer.
    LedgerTag = "ledger"
}

wire_struct! {
    /// The answer of `apply_effects`: the ledger to store.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct LedgerAnswer {
        #[serde(rename = "type")]
        pub answer_type: LedgerTag,
        pub ledger: Ledger,
    }
}
