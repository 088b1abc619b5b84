//! The ledger: the order's record of accepted after-sales effects, which the engine reads to
//! decide the next request, and the effects a decision proposes in the same vocabulary.
//!
//! The engine is stateless: the caller keeps the ledger, passes it in with every request, and
//! after accepting a decision records its `effects` with [`apply_effects`]. Applying the
//! effects and deciding the next request gives the same totals per line, per tender and per
//! deduction kind as one combined request (docs/money.md).

use super::order::{count_at_least, Order, Tender};
use crate::error::Code;
use crate::json::decode::{wire_enum, Decode, Decoder, Obj, Path};
use crate::json::{json_object, Value};
use crate::money::Money;
use crate::text::Text;

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
    pub enum CompensationKind {
        Coupon = "coupon",
        Cash = "cash",
    }
}

/// What has been accepted for one order line (in the ledger), or what a decision adds to it
/// (in effects).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerLine {
    pub line_id: Text,
    /// Units refunded, with or without their return.
    pub returned_qty: i64,
    /// Of those units, the ones refunded for a reason that is the buyer's fault: whether the
    /// shipping fee comes back with the last unit depends on every return, not only the last.
    pub buyer_fault_qty: i64,
    /// What those units were refunded, before deductions.
    pub refunded: Money,
    /// Price differences paid on units the shopper kept.
    pub price_difference: Money,
    /// The units those price differences were paid for: a unit gets one price difference.
    pub price_difference_qty: i64,
    /// Amounts asked for and paid (goodwill, manual refunds).
    pub goodwill: Money,
}
json_object!(LedgerLine { "line_id" => line_id, "returned_qty" => returned_qty, "buyer_fault_qty" => buyer_fault_qty, "refunded" => refunded, "price_difference" => price_difference, "price_difference_qty" => price_difference_qty, "goodwill" => goodwill });

/// One order line's record, in numbers (zero where the ledger names nothing).
#[derive(Debug, Clone, Copy, Default)]
pub struct LineRecord {
    pub returned_qty: i64,
    pub buyer_fault_qty: i64,
    pub refunded: Money,
    pub price_difference: Money,
    pub price_difference_qty: i64,
    pub goodwill: Money,
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
        }
    }

    /// Everything paid back against the line, before deductions.
    pub fn paid_back(&self) -> Option<Money> {
        self.refunded.checked_add(self.price_difference)?.checked_add(self.goodwill)
    }
}

/// Money paid back in one tender (and, for points, how many points).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerTender {
    pub tender: Tender,
    pub amount: Money,
    pub points: Option<i64>,
}
json_object!(LedgerTender { "tender" => tender, "amount" => amount, "points" => points });

/// A deduction, keyed by its kind, the line it concerns and the rule or discount that made
/// it: what was taken from refunds and what was given back since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerDeduction {
    pub kind: DeductionKind,
    pub line_id: Option<Text>,
    /// The fee's rule, or the threshold discount's id.
    pub rule: Option<Text>,
    pub taken: Money,
    pub given_back: Money,
}
json_object!(LedgerDeduction { "kind" => kind, "line_id" => line_id, "rule" => rule, "taken" => taken, "given_back" => given_back });

impl LedgerDeduction {
    pub fn same_key(&self, kind: DeductionKind, line_id: Option<&Text>, rule: Option<&Text>) -> bool {
        self.kind == kind && self.line_id.as_ref() == line_id && self.rule.as_ref() == rule
    }

    /// What is still kept back: taken less given back.
    pub fn outstanding(&self) -> Money {
        self.taken.saturating_sub(self.given_back)
    }
}

/// Compensation granted by a rule: owed once per order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerCompensation {
    pub rule: Text,
    pub kind: CompensationKind,
    pub amount: Money,
}
json_object!(LedgerCompensation { "rule" => rule, "kind" => kind, "amount" => amount });

/// The order's after-sales record. Every field defaults to nothing having happened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    /// How many decisions' effects were applied: effects name the version they were decided
    /// on, and apply to that version only (a stale decision cannot be applied twice).
    pub version: i64,
    pub lines: Vec<LedgerLine>,
    /// Money paid back per tender. Absent: what the engine's split gives for everything
    /// refunded so far (the ledger of a single-tender order needs none).
    pub tenders: Option<Vec<LedgerTender>>,
    pub shipping_refunded: Money,
    pub deductions: Vec<LedgerDeduction>,
    pub compensation: Vec<LedgerCompensation>,
    /// Coupons given back as coupons, by discount id.
    pub coupons_restored: Vec<Text>,
}
json_object!(Ledger { "version" => version, "lines" => lines, "tenders" => tenders, "shipping_refunded" => shipping_refunded, "deductions" => deductions, "compensation" => compensation, "coupons_restored" => coupons_restored });

/// What a decision adds to the ledger if the platform accepts it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effects {
    pub order_id: Text,
    /// The ledger version the decision read; the effects apply to that version only.
    pub ledger_version: i64,
    pub lines: Vec<LedgerLine>,
    pub tenders: Vec<LedgerTender>,
    pub shipping_refunded: Money,
    pub deductions: Vec<LedgerDeduction>,
    pub compensation: Vec<LedgerCompensation>,
    pub coupons_restored: Vec<Text>,
}
json_object!(Effects { "order_id" => order_id, "ledger_version" => ledger_version, "lines" => lines, "tenders" => tenders, "shipping_refunded" => shipping_refunded, "deductions" => deductions, "compensation" => compensation, "coupons_restored" => coupons_restored });

/// The most entries of each ledger list: a line's record per order line; deductions (a few
/// per line and rule); compensation rules and restored coupons.
pub const MAX_LEDGER_LINES: usize = super::order::MAX_LINES;
pub const MAX_LEDGER_DEDUCTIONS: usize = 4 * super::order::MAX_LINES;
pub const MAX_LEDGER_ENTRIES: usize = 1_000;

impl<'a> Decode<'a> for LedgerLine {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let line_id = o.req(d, "line_id");
        let returned_qty = count_at_least(d, &mut o, "returned_qty", 0, Some(0));
        let buyer_fault_qty = count_at_least(d, &mut o, "buyer_fault_qty", 0, Some(0));
        let refunded = o.or(d, "refunded", Money::ZERO);
        let price_difference = o.or(d, "price_difference", Money::ZERO);
        let price_difference_qty = count_at_least(d, &mut o, "price_difference_qty", 0, Some(0));
        let goodwill = o.or(d, "goodwill", Money::ZERO);
        o.finish(d);
        let line = LedgerLine {
            line_id: line_id?,
            returned_qty: returned_qty?,
            buyer_fault_qty: buyer_fault_qty?,
            refunded: refunded?,
            price_difference: price_difference?,
            price_difference_qty: price_difference_qty?,
            goodwill: goodwill?,
        };
        if line.buyer_fault_qty > line.returned_qty {
            d.error(
                Code::Inconsistent,
                &path.key("buyer_fault_qty"),
                format!("{} units at the buyer's fault, more than the {} returned", line.buyer_fault_qty, line.returned_qty),
                None,
            );
        }
        Some(line)
    }
}

impl<'a> Decode<'a> for LedgerTender {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let tender = o.req(d, "tender");
        let amount = o.req(d, "amount");
        let points = o.opt::<u64>(d, "points");
        o.finish(d);
        // Whole numbers are read within 2^53 − 1, so they fit.
        let points = points.ok()?.map(|p| i64::try_from(p).unwrap_or(i64::MAX));
        Some(LedgerTender { tender: tender?, amount: amount?, points })
    }
}

impl<'a> Decode<'a> for LedgerDeduction {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let kind = o.req(d, "kind");
        let line_id = o.opt(d, "line_id");
        let rule = o.opt(d, "rule");
        let taken = o.or(d, "taken", Money::ZERO);
        let given_back = o.or(d, "given_back", Money::ZERO);
        o.finish(d);
        Some(LedgerDeduction { kind: kind?, line_id: line_id.ok()?, rule: rule.ok()?, taken: taken?, given_back: given_back? })
    }
}

impl<'a> Decode<'a> for LedgerCompensation {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let rule = o.req(d, "rule");
        let kind = o.or(d, "kind", CompensationKind::Coupon);
        let amount = o.req(d, "amount");
        o.finish(d);
        Some(LedgerCompensation { rule: rule?, kind: kind?, amount: amount? })
    }
}

/// The lists a ledger and effects share, decoded with their bounds.
struct Lists {
    lines: Option<Vec<LedgerLine>>,
    deductions: Option<Vec<LedgerDeduction>>,
    compensation: Option<Vec<LedgerCompensation>>,
    coupons_restored: Option<Vec<Text>>,
}

fn lists<'a>(d: &mut Decoder, o: &mut Obj<'_, 'a, '_>, owner: &str) -> Lists {
    Lists {
        lines: o.list(d, "lines", MAX_LEDGER_LINES, owner),
        deductions: o.list(d, "deductions", MAX_LEDGER_DEDUCTIONS, owner),
        compensation: o.list(d, "compensation", MAX_LEDGER_ENTRIES, owner),
        coupons_restored: o.list(d, "coupons_restored", MAX_LEDGER_ENTRIES, owner),
    }
}

impl<'a> Decode<'a> for Ledger {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let version = count_at_least(d, &mut o, "version", 0, Some(0));
        let tenders = o.opt::<Vec<LedgerTender>>(d, "tenders");
        let shipping_refunded = o.or(d, "shipping_refunded", Money::ZERO);
        let lists = lists(d, &mut o, "ledger");
        o.finish(d);
        let ledger = Ledger {
            version: version?,
            lines: lists.lines?,
            tenders: tenders.ok()?,
            shipping_refunded: shipping_refunded?,
            deductions: lists.deductions?,
            compensation: lists.compensation?,
            coupons_restored: lists.coupons_restored?,
        };
        ledger.check_keys(d, path);
        Some(ledger)
    }
}

impl<'a> Decode<'a> for Effects {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let order_id = o.req(d, "order_id");
        let ledger_version = count_at_least(d, &mut o, "ledger_version", 0, None);
        let tenders = o.or(d, "tenders", Vec::new());
        let shipping_refunded = o.or(d, "shipping_refunded", Money::ZERO);
        let lists = lists(d, &mut o, "effects");
        o.finish(d);
        Some(Effects {
            order_id: order_id?,
            ledger_version: ledger_version?,
            lines: lists.lines?,
            tenders: tenders?,
            shipping_refunded: shipping_refunded?,
            deductions: lists.deductions?,
            compensation: lists.compensation?,
            coupons_restored: lists.coupons_restored?,
        })
    }
}

/// Reports the first repeat of a key in `items`, at `path[i].field` (or `path[i]`).
fn unique<T>(d: &mut Decoder, items: &[T], path: &Path<'_>, field: Option<&'static str>, same: impl Fn(&T, &T) -> bool, what: &str) {
    for (i, item) in items.iter().enumerate() {
        if items.iter().take(i).any(|earlier| same(earlier, item)) {
            let at = path.index(i);
            let message = format!("{what} is recorded twice");
            match field {
                Some(field) => d.error(Code::DuplicateId, &at.key(field), message, Some("record each once, with its total")),
                None => d.error(Code::DuplicateId, &at, message, Some("record each once")),
            }
            return;
        }
    }
}

impl Ledger {
    /// Keys that must be unique within the ledger itself.
    fn check_keys(&self, d: &mut Decoder, path: &Path<'_>) {
        unique(d, &self.lines, &path.key("lines"), Some("line_id"), |a, b| a.line_id == b.line_id, "a line");
        if let Some(tenders) = &self.tenders {
            unique(d, tenders, &path.key("tenders"), Some("tender"), |a, b| a.tender == b.tender, "a tender");
        }
        let same_deduction = |a: &LedgerDeduction, b: &LedgerDeduction| a.same_key(b.kind, b.line_id.as_ref(), b.rule.as_ref());
        unique(d, &self.deductions, &path.key("deductions"), Some("kind"), same_deduction, "a deduction");
        unique(d, &self.compensation, &path.key("compensation"), Some("rule"), |a, b| a.rule == b.rule, "a compensation rule");
        unique(d, &self.coupons_restored, &path.key("coupons_restored"), None, |a, b| a == b, "a coupon");
        for (i, x) in self.deductions.iter().enumerate() {
            if x.given_back > x.taken {
                d.error(
                    Code::Inconsistent,
                    &path.key("deductions").index(i).key("given_back"),
                    format!("{} given back of {} taken", x.given_back.0, x.taken.0),
                    None,
                );
            }
        }
    }

    /// Facts of the ledger that only the order can confirm: every line and tender it names
    /// exists, and no line has more units back than it has.
    pub fn check_against(&self, order: &Order, d: &mut Decoder, path: &Path<'_>) {
        let lines = path.key("lines");
        for (i, record) in self.lines.iter().enumerate() {
            let at = lines.index(i);
            match order.lines.iter().find(|l| l.id == record.line_id) {
                None => d.error(Code::UnknownReference, &at.key("line_id"), format!("the order has no line `{}`", record.line_id), None),
                Some(line) if record.returned_qty > line.quantity => d.error(
                    Code::Inconsistent,
                    &at.key("returned_qty"),
                    format!("{} units returned of a line of {}", record.returned_qty, line.quantity),
                    None,
                ),
                Some(line) if record.price_difference_qty > line.quantity => d.error(
                    Code::Inconsistent,
                    &at.key("price_difference_qty"),
                    format!("price differences for {} units of a line of {}", record.price_difference_qty, line.quantity),
                    None,
                ),
                Some(_) => {}
            }
        }
        self.check_coupons(order, d, path);
        if let Some(tenders) = &self.tenders {
            for (i, t) in tenders.iter().enumerate() {
                let paid_in =
                    order.payments.is_empty() && t.tender == Tender::OriginalPayment || order.payments.iter().any(|p| p.tender == t.tender);
                if !paid_in {
                    d.error(
                        Code::UnknownReference,
                        &path.key("tenders").index(i).key("tender"),
                        format!("the order was not paid in `{}`", t.tender.as_str()),
                        None,
                    );
                } else if t.points.is_some() && t.tender != Tender::Points {
                    d.error(Code::Inconsistent, &path.key("tenders").index(i).key("points"), "only points come back as points", None);
                }
            }
        }
        for (i, x) in self.deductions.iter().enumerate() {
            if let Some(id) = &x.line_id {
                if !order.lines.iter().any(|l| &l.id == id) {
                    d.error(
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
    fn check_coupons(&self, order: &Order, d: &mut Decoder, path: &Path<'_>) {
        let at = path.key("coupons_restored");
        for (i, id) in self.coupons_restored.iter().enumerate() {
            let coupon = order.discounts.iter().enumerate().any(|(k, discount)| {
                discount.kind != super::DiscountKind::Threshold
                    && discount.id.clone().unwrap_or_else(|| format!("discounts[{k}]")) == id.as_str()
            });
            if !coupon {
                d.error(Code::UnknownReference, &at.index(i), format!("the order has no coupon `{id}`"), None);
            }
        }
        let all_back = order.lines.iter().filter(|l| !l.gift).all(|l| self.line(&l.id).is_some_and(|r| r.returned_qty >= l.quantity));
        if !self.coupons_restored.is_empty() && !all_back {
            d.error(Code::Inconsistent, &at, "coupons come back as coupons only when the whole order does", None);
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
pub fn add_effects(ledger: &Ledger, effects: &Effects, order: &Order) -> Option<Ledger> {
    let mut out = ledger.clone();
    out.version = out.version.checked_add(1).filter(|v| *v <= crate::json::MAX_SAFE_INTEGER)?;
    for delta in &effects.lines {
        match out.lines.iter_mut().find(|l| l.line_id == delta.line_id) {
            Some(line) => {
                line.returned_qty = line.returned_qty.checked_add(delta.returned_qty)?;
                line.buyer_fault_qty = line.buyer_fault_qty.checked_add(delta.buyer_fault_qty)?;
                line.refunded = line.refunded.checked_add(delta.refunded)?;
                line.price_difference = line.price_difference.checked_add(delta.price_difference)?;
                line.price_difference_qty = line.price_difference_qty.checked_add(delta.price_difference_qty)?;
                line.goodwill = line.goodwill.checked_add(delta.goodwill)?;
            }
            None => out.lines.push(delta.clone()),
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
        match out.compensation.iter_mut().find(|x| x.rule == c.rule) {
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

/// What `apply_effects` reads: the order, its ledger, and the effects of an accepted decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyInput {
    pub order: Order,
    pub ledger: Ledger,
    pub effects: Effects,
}

impl<'a> Decode<'a> for ApplyInput {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        // Each part is named at the root of error paths, as in an evaluation input.
        let order = o.raw(d, "order").map(|raw| Order::decode(d, raw, &Path::Root("order")));
        let ledger = o.raw(d, "ledger").map(|raw| Ledger::decode(d, raw, &Path::Root("ledger")));
        let effects = o.raw(d, "effects").map(|raw| Effects::decode(d, raw, &Path::Root("effects")));
        o.hint(d, "order", |defs, field| field.schema = Order::schema(defs));
        o.hint(d, "ledger", |defs, field| field.schema = Ledger::schema(defs));
        o.hint(d, "effects", |defs, field| field.schema = Effects::schema(defs));
        for (name, missing) in [("order", order.is_none()), ("effects", effects.is_none())] {
            o.hint(d, name, |_, field| field.required = true);
            if missing {
                d.error(Code::MissingField, &Path::Root(name), format!("missing required field `{name}`"), None);
            }
        }
        o.finish(d);
        let ledger = match ledger {
            None => Ledger::default(),
            Some(ledger) => ledger?,
        };
        let order = order??;
        ledger.check_against(&order, d, &Path::Root("ledger"));
        Some(ApplyInput { order, ledger, effects: effects?? })
    }
}

/// The answer of `apply_effects`: the ledger to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerAnswer {
    pub answer_type: &'static str,
    pub ledger: Ledger,
}
json_object!(LedgerAnswer { "type" => answer_type, "ledger" => ledger });
