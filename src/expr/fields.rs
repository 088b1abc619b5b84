//! The fields an expression may read, each with its static type and an accessor. Paths are
//! resolved to accessors when a policy is compiled; evaluation never looks up a name.

use super::types::{Base, Domain, Ty, Val};
use crate::model::ledger::LineRecord;
use crate::model::request::{Escalation, ReturnMethod};
use crate::model::{GroupBuy, Initiator, Line, Order, Request, RequestItem, RequestKind};
use crate::money::{Money, Rounding};
use crate::time::zone::Zone;
use crate::time::Instant;
use crate::vocab::{Authority, Fault, Phase};

/// Order-wide amounts derived once per evaluation.
#[derive(Debug, Clone, Copy, Default)]
pub struct OrderTotals {
    /// Σ unit price × quantity − line discount.
    pub goods_total: Money,
    pub discount_total: Money,
    /// Goods after every discount, plus shipping.
    pub paid_total: Money,
}

/// The item being decided: its order line, the request item and its reason.
#[derive(Debug, Clone, Copy)]
pub struct ItemScope<'s> {
    pub line: &'s Line,
    /// What the ledger records for the line.
    pub ledger: LineRecord,
    /// The line's net amount minus its share of order-level discounts.
    pub line_net: Money,
    pub line_paid: Money,
    pub item: &'s RequestItem,
    pub reason: ReasonFacts<'s>,
    /// What the requested units were paid (their share of `line.paid`, less earlier refunds).
    pub refund: Money,
}

/// What expressions read of the item's reason (the policy's catalogue entry has more), and
/// the conditions it settles.
#[derive(Debug, Clone, Copy)]
pub struct ReasonFacts<'s> {
    pub code: &'s str,
    pub fault: Fault,
    pub no_reason: bool,
    pub settled: &'s Settled,
}

/// What a reason settles ([`super::known`]): for each per-item condition list of a policy,
/// in policy order, `Some(holds)` where the reason settles the condition, `None` where it is
/// evaluated per item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settled {
    pub windows: Vec<Option<bool>>,
    pub rules: Vec<Option<bool>>,
    pub no_return: Vec<Option<bool>>,
}

impl Settled {
    /// Condition `i` of a policy's list of `of` conditions, when the reason settled it. The
    /// lists are by position: one of another length was settled against other conditions.
    pub fn at(list: &[Option<bool>], of: usize, i: usize) -> Option<bool> {
        if list.len() == of {
            list.get(i).copied().flatten()
        } else {
            None
        }
    }
}

/// A `reason.*` field's value: the same for every item with that reason (what its getter in
/// [`FIELDS`] reads, held equal by a test).
pub fn reason_value<'s>(path: &str, r: ReasonFacts<'s>) -> Option<Val<'s>> {
    Some(match path {
        "reason.code" => Val::Str(r.code),
        "reason.fault" => Val::Str(r.fault.as_str()),
        "reason.no_reason" => Val::Bool(r.no_reason),
        _ => return None,
    })
}

/// Everything an expression can read in one evaluation.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'s> {
    pub order: &'s Order,
    pub totals: OrderTotals,
    pub request: &'s Request,
    pub now: Instant,
    /// Where the order stands at `now` (read once per evaluation).
    pub phase: Phase,
    /// After-sales requests opened on the order before this one (the ledger's count).
    pub requests: i64,
    /// The business's local time.
    pub zone: Zone,
    pub rounding: Rounding,
    /// Set for per-item conditions (windows, rules, postage); unset for order-wide ones.
    pub item: Option<ItemScope<'s>>,
}

/// Where a condition is evaluated: per requested item, or once for the whole order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Item,
    Order,
}

pub type Getter = for<'a, 's> fn(&'a Scope<'s>) -> Val<'s>;

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub path: &'static str,
    pub ty: Ty,
    pub get: Getter,
}

/// The roots only available when a single item is being decided.
pub const ITEM_ROOTS: &[&str] = &["line", "item", "reason"];

fn time(t: Option<Instant>) -> Val<'static> {
    t.map_or(Val::Absent, |t| Val::Time(t.0))
}

fn int(n: u64) -> Val<'static> {
    i64::try_from(n).map_or(Val::Absent, Val::Int)
}

fn line<'s>(s: &Scope<'s>, f: impl FnOnce(&'s Line) -> Val<'s>) -> Val<'s> {
    s.item.map_or(Val::Absent, |i| f(i.line))
}

fn flag<'s>(s: &Scope<'s>, f: impl FnOnce(&'s crate::model::LineFacts) -> bool) -> Val<'s> {
    line(s, |l| Val::Bool(f(&l.facts)))
}

fn item<'s>(s: &Scope<'s>, f: impl FnOnce(ItemScope<'s>) -> Val<'s>) -> Val<'s> {
    s.item.map_or(Val::Absent, f)
}

fn maybe(b: Option<bool>) -> Val<'static> {
    b.map_or(Val::Absent, Val::Bool)
}

macro_rules! fields {
    ($($path:literal : $ty:expr => $get:expr),+ $(,)?) => {
        /// Every readable field, sorted by path.
        pub const FIELDS: &[Field] = &[$(Field { path: $path, ty: $ty, get: $get }),+];
    };
}

use Base::*;

fields! {
    "customer.integrity_score": Ty::opt(Int) => |s| s.order.customer.integrity_score.map_or(Val::Absent, Val::Int),
    "customer.member_free_returns": Ty::of(Bool) => |s| Val::Bool(s.order.customer.member_free_returns),
    "customer.returns_90d": Ty::of(Int) => |s| int(s.order.customer.returns_90d),
    "item.amount": Ty::opt(Base::Money) => |s| item(s, |i| i.item.amount.map_or(Val::Absent, |m| Val::Money(m.0))),
    "item.condition.packaging_intact": Ty::opt(Bool) => |s| item(s, |i| maybe(i.item.condition.packaging_intact)),
    "item.condition.tags_attached": Ty::opt(Bool) => |s| item(s, |i| maybe(i.item.condition.tags_attached)),
    "item.condition.used_beyond_inspection": Ty::opt(Bool) => |s| item(s, |i| maybe(i.item.condition.used_beyond_inspection)),
    "item.defect_bp": Ty::opt(Int) => |s| item(s, |i| i.item.defect_bp.map_or(Val::Absent, int)),
    "item.diminished_value": Ty::opt(Base::Money) => |s| item(s, |i| i.item.diminished_value.map_or(Val::Absent, |m| Val::Money(m.0))),
    "item.food_safety_violation": Ty::of(Bool) => |s| item(s, |i| Val::Bool(i.item.food_safety_violation)),
    "item.fraud_established": Ty::of(Bool) => |s| item(s, |i| Val::Bool(i.item.fraud_established)),
    "item.loss": Ty::opt(Base::Money) => |s| item(s, |i| i.item.loss.map_or(Val::Absent, |m| Val::Money(m.0))),
    "item.qty": Ty::of(Int) => |s| item(s, |i| Val::Int(i.item.qty)),
    "item.refund": Ty::of(Base::Money) => |s| item(s, |i| Val::Money(i.refund.0)),
    "item.unsuitable_to_return": Ty::of(Bool) => |s| item(s, |i| Val::Bool(i.item.unsuitable_to_return)),
    "line.category": Ty::of(Str) => |s| line(s, |l| Val::Str(&l.category)),
    "line.facts.activated": Ty::of(Bool) => |s| flag(s, |f| f.activated),
    "line.facts.custom_made": Ty::of(Bool) => |s| flag(s, |f| f.custom_made),
    "line.facts.digital_opened": Ty::of(Bool) => |s| flag(s, |f| f.digital_opened),
    "line.facts.failed_repairs": Ty::of(Int) => |s| line(s, |l| int(l.facts.failed_repairs)),
    "line.facts.final_sale": Ty::of(Bool) => |s| flag(s, |f| f.final_sale),
    "line.facts.hygiene_seal_opened": Ty::of(Bool) => |s| flag(s, |f| f.hygiene_seal_opened),
    "line.facts.installed_at": Ty::opt(Time) => |s| line(s, |l| time(l.facts.installed_at)),
    "line.facts.nature_confirmed": Ty::of(Bool) => |s| flag(s, |f| f.nature_confirmed),
    "line.facts.near_expiry_or_flawed": Ty::of(Bool) => |s| flag(s, |f| f.near_expiry_or_flawed),
    "line.facts.newspaper_or_periodical": Ty::of(Bool) => |s| flag(s, |f| f.newspaper_or_periodical),
    "line.facts.perishable": Ty::of(Bool) => |s| flag(s, |f| f.perishable),
    "line.facts.repair_days": Ty::of(Int) => |s| line(s, |l| int(l.facts.repair_days)),
    "line.facts.replaced_at": Ty::opt(Time) => |s| line(s, |l| time(l.facts.replaced_at)),
    "line.facts.virtual": Ty::of(Bool) => |s| flag(s, |f| f.virtual_goods),
    "line.facts.warranty_months": Ty::of(Int) => |s| line(s, |l| int(l.facts.warranty_months)),
    "line.gift": Ty::of(Bool) => |s| line(s, |l| Val::Bool(l.gift)),
    "line.goodwill": Ty::of(Base::Money) => |s| item(s, |i| Val::Money(i.ledger.goodwill.0)),
    "line.id": Ty::of(Str) => |s| line(s, |l| Val::Str(&l.id)),
    "line.line_discount": Ty::of(Base::Money) => |s| line(s, |l| Val::Money(l.line_discount.0)),
    "line.net": Ty::of(Base::Money) => |s| item(s, |i| Val::Money(i.line_net.0)),
    "line.open_request": Ty::of(Bool) => |s| item(s, |i| Val::Bool(i.ledger.open_request)),
    "line.paid": Ty::of(Base::Money) => |s| item(s, |i| Val::Money(i.line_paid.0)),
    "line.price_difference": Ty::of(Base::Money) => |s| item(s, |i| Val::Money(i.ledger.price_difference.0)),
    "line.price_difference_qty": Ty::of(Int) => |s| item(s, |i| Val::Int(i.ledger.price_difference_qty)),
    "line.quantity": Ty::of(Int) => |s| line(s, |l| Val::Int(l.quantity)),
    "line.refunded": Ty::of(Base::Money) => |s| item(s, |i| i.ledger.paid_back().map_or(Val::Absent, |m| Val::Money(m.0))),
    "line.refused_at": Ty::opt(Time) => |s| item(s, |i| time(i.ledger.refused_at)),
    "line.refused_by": Ty::one_of(Authority::WIRE, true) => |s| item(s, |i| i.ledger.refused_by.map_or(Val::Absent, |a| Val::Str(a.as_str()))),
    "line.requests": Ty::of(Int) => |s| item(s, |i| Val::Int(i.ledger.requests)),
    "line.returned_qty": Ty::of(Int) => |s| item(s, |i| Val::Int(i.ledger.returned_qty)),
    "line.sku": Ty::opt(Str) => |s| line(s, |l| l.sku.as_deref().map_or(Val::Absent, Val::Str)),
    "line.tags": Ty::of(StrList) => |s| line(s, |l| Val::StrList(&l.tags)),
    "line.title": Ty::opt(Str) => |s| line(s, |l| l.title.as_deref().map_or(Val::Absent, Val::Str)),
    "line.unit_price": Ty::of(Base::Money) => |s| line(s, |l| Val::Money(l.unit_price.0)),
    "merchant.complaint_rate_high": Ty::of(Bool) => |s| Val::Bool(s.order.merchant.complaint_rate_high),
    "merchant.credit_level": Ty::opt(Str) => |s| s.order.merchant.credit_level.as_deref().map_or(Val::Absent, Val::Str),
    "merchant.fast_refund": Ty::of(Bool) => |s| Val::Bool(s.order.merchant.fast_refund),
    "now": Ty::of(Time) => |s| Val::Time(s.now.0),
    "order.cross_border": Ty::of(Bool) => |s| Val::Bool(s.order.cross_border),
    "order.currency": Ty::of(Str) => |s| Val::Str(&s.order.currency),
    "order.delivered_at": Ty::opt(Time) => |s| time(s.order.delivered_at),
    "order.discount_total": Ty::of(Base::Money) => |s| Val::Money(s.totals.discount_total.0),
    "order.freight_insurance": Ty::of(Bool) => |s| Val::Bool(s.order.freight_insurance),
    "order.goods_total": Ty::of(Base::Money) => |s| Val::Money(s.totals.goods_total.0),
    "order.group_buy": Ty::one_of(GroupBuy::WIRE, true) => |s| s.order.group_buy.map_or(Val::Absent, |g| Val::Str(g.as_str())),
    "order.id": Ty::of(Str) => |s| Val::Str(&s.order.id),
    "order.last_parcel_delivered_at": Ty::opt(Time) => |s| time(s.order.last_parcel_delivered_at),
    "order.line_count": Ty::of(Int) => |s| i64::try_from(s.order.lines.len()).map_or(Val::Absent, Val::Int),
    "order.paid_at": Ty::opt(Time) => |s| time(s.order.paid_at),
    "order.paid_total": Ty::of(Base::Money) => |s| Val::Money(s.totals.paid_total.0),
    "order.phase": Ty::one_of(Phase::WIRE, false) => |s| Val::Str(s.phase.as_str()),
    "order.placed_at": Ty::of(Time) => |s| Val::Time(s.order.placed_at.0),
    "order.promised_ship_by": Ty::opt(Time) => |s| time(s.order.promised_ship_by),
    "order.requests": Ty::of(Int) => |s| Val::Int(s.requests),
    "order.shipped_at": Ty::opt(Time) => |s| time(s.order.shipped_at),
    "order.shipping_fee": Ty::of(Base::Money) => |s| Val::Money(s.order.shipping_fee.0),
    "reason.code": Ty { base: Str, optional: false, domain: Domain::ReasonCodes } => |s| item(s, |i| Val::Str(i.reason.code)),
    "reason.fault": Ty::one_of(Fault::WIRE, false) => |s| item(s, |i| Val::Str(i.reason.fault.as_str())),
    "reason.no_reason": Ty::of(Bool) => |s| item(s, |i| Val::Bool(i.reason.no_reason)),
    "request.amount": Ty::opt(Base::Money) => |s| s.request.amount.map_or(Val::Absent, |m| Val::Money(m.0)),
    "request.description_chars": Ty::of(Int) => |s| int(s.request.evidence.description_chars),
    "request.escalation": Ty::one_of(Escalation::WIRE, true) => |s| s.request.escalation.map_or(Val::Absent, |e| Val::Str(e.as_str())),
    "request.fault_ruling": Ty::one_of(Fault::WIRE, true) => |s| s.request.fault_ruling.map_or(Val::Absent, |f| Val::Str(f.as_str())),
    "request.gifts_returned": Ty::of(Bool) => |s| Val::Bool(s.request.gifts_returned),
    "request.initiated_by": Ty::one_of(Initiator::WIRE, false) => |s| Val::Str(s.request.initiated_by.as_str()),
    "request.item_count": Ty::of(Int) => |s| i64::try_from(s.request.items.len()).map_or(Val::Absent, Val::Int),
    "request.kind": Ty::one_of(RequestKind::WIRE, false) => |s| Val::Str(s.request.kind.as_str()),
    "request.merchant_consent": Ty::of(Bool) => |s| Val::Bool(s.request.merchant_consent),
    "request.merchant_response_overdue": Ty::of(Bool) => |s| Val::Bool(s.request.merchant_response_overdue),
    "request.package_photos": Ty::of(Int) => |s| int(s.request.evidence.package_photos),
    "request.photos": Ty::of(Int) => |s| int(s.request.evidence.photos),
    "request.postage": Ty::opt(Base::Money) => |s| s.request.postage.map_or(Val::Absent, |m| Val::Money(m.0)),
    "request.requested_at": Ty::opt(Time) => |s| time(s.request.requested_at),
    "request.return_method": Ty::one_of(ReturnMethod::WIRE, true) => |s| s.request.return_method.map_or(Val::Absent, |m| Val::Str(m.as_str())),
    "request.videos": Ty::of(Int) => |s| int(s.request.evidence.videos),
}

/// The field at `path`, if there is one.
pub fn lookup(path: &str) -> Option<&'static Field> {
    FIELDS.binary_search_by(|f| f.path.cmp(path)).ok().and_then(|i| FIELDS.get(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_table_is_sorted_and_unique() {
        for pair in FIELDS.windows(2) {
            assert!(pair[0].path < pair[1].path, "{} must come before {}", pair[0].path, pair[1].path);
        }
        assert!(lookup("line.unit_price").is_some());
        assert!(lookup("line.unit_prise").is_none());
    }

    #[test]
    fn every_reason_field_reads_what_its_getter_reads_and_no_other_field_is_read_from_the_reason() {
        let input = crate::api::parse_input(
            r#"{"order": {"id": "O1", "currency": "CNY", "placed_at": "2026-11-01T10:00:00+08:00",
                "lines": [{"id": "L1", "category": "home", "unit_price": 100, "quantity": 1}]},
              "request": {"kind": "refund_with_return", "items": [{"line_id": "L1", "qty": 1, "reason": "quality"}]},
              "now": "2026-11-05T10:00:00+08:00"}"#,
        )
        .unwrap();
        let settled = Settled::default();
        for (code, fault, no_reason) in [("quality", Fault::Seller, false), ("no_reason", Fault::Buyer, true)] {
            let reason = ReasonFacts { code, fault, no_reason, settled: &settled };
            let item = ItemScope {
                line: &input.order.lines[0],
                ledger: LineRecord::default(),
                line_net: Money(100),
                line_paid: Money(100),
                item: &input.request.items[0],
                reason,
                refund: Money(100),
            };
            let s = Scope {
                order: &input.order,
                totals: OrderTotals::default(),
                request: &input.request,
                now: input.now,
                phase: Phase::Delivered,
                requests: 0,
                zone: Zone::Fixed(crate::time::Offset(480)),
                rounding: Rounding::HalfUp,
                item: Some(item),
            };
            for field in FIELDS {
                match reason_value(field.path, reason) {
                    Some(v) => assert_eq!((field.get)(&s), v, "{}", field.path),
                    None => assert!(!field.path.starts_with("reason."), "{}", field.path),
                }
            }
        }
    }
}
