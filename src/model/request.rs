//! The shopper's after-sales request (SPEC §2 "Request") and the evaluation envelope.

use super::ledger::Ledger;
use super::order::{count_at_least, Order};
use crate::error::Code;
use crate::json::decode::{wire_enum, Decode, Decoder, Obj, Path};
use crate::json::Value;
use crate::money::Money;
use crate::time::Instant;

wire_enum! {
    /// What the shopper asks for.
    pub enum RequestKind {
        RefundWithReturn = "refund_with_return",
        /// 仅退款: money back, goods stay.
        RefundWithoutReturn = "refund_without_return",
        Exchange = "exchange",
        Repair = "repair",
        /// Keep the item, get part of the price back.
        PriceDifference = "price_difference",
        /// An amount asked for and agreed by the merchant or platform (goodwill, 协商退款): the
        /// goods stay, no window applies, and it is capped by what is left of the line.
        Goodwill = "goodwill",
    }
}

impl RequestKind {
    /// The kinds a shopper chooses from, in the order every item's `options` lists them; a
    /// goodwill amount is offered by the merchant or platform, not chosen.
    pub const SHOPPER: &'static [RequestKind] = &[
        RequestKind::RefundWithReturn,
        RequestKind::RefundWithoutReturn,
        RequestKind::Exchange,
        RequestKind::Repair,
        RequestKind::PriceDifference,
    ];

    /// Whether the request gives units back for money (with or without the goods).
    pub fn refunds_units(self) -> bool {
        matches!(self, RequestKind::RefundWithReturn | RequestKind::RefundWithoutReturn)
    }

    /// Whether the request pays money.
    pub fn pays_money(self) -> bool {
        !matches!(self, RequestKind::Exchange | RequestKind::Repair)
    }
}

/// What the shopper says about the state of the goods. Absent means "not stated", which
/// rules treat as unknown (a condition on it does not match).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Condition {
    pub tags_attached: Option<bool>,
    pub packaging_intact: Option<bool>,
    pub used_beyond_inspection: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestItem {
    pub line_id: crate::text::Text,
    pub qty: i64,
    pub reason: crate::text::Text,
    pub condition: Condition,
    /// Diminished value the seller assessed from handling beyond inspection (EU CRD art. 14(2)).
    pub diminished_value: Option<Money>,
    /// An amount asked for instead of the computed one: never more than the kind allows
    /// (`AMOUNT_CAPPED` says so), required for a goodwill request without a request amount.
    pub amount: Option<Money>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    pub photos: u64,
    pub package_photos: u64,
    pub videos: u64,
    pub description_chars: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub requested_at: Option<Instant>,
    pub kind: RequestKind,
    pub items: Vec<RequestItem>,
    pub evidence: Evidence,
    pub gifts_returned: bool,
    /// For a goodwill request: one amount for all its items, shared by what is left of each.
    pub amount: Option<Money>,
}

/// Everything one evaluation reads besides the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationInput {
    pub order: Order,
    /// What was accepted on the order before; empty when absent.
    pub ledger: Ledger,
    pub request: Request,
    /// The evaluating host's clock: the engine never reads one.
    pub now: Instant,
}

/// The most items one request may name.
pub const MAX_ITEMS: usize = 500;

impl<'a> Decode<'a> for Condition {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let tags_attached = o.opt(d, "tags_attached");
        let packaging_intact = o.opt(d, "packaging_intact");
        let used_beyond_inspection = o.opt(d, "used_beyond_inspection");
        o.finish(d);
        Some(Condition {
            tags_attached: tags_attached.ok()?,
            packaging_intact: packaging_intact.ok()?,
            used_beyond_inspection: used_beyond_inspection.ok()?,
        })
    }
}

impl<'a> Decode<'a> for RequestItem {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let line_id = o.req(d, "line_id");
        let qty = count_at_least(d, &mut o, "qty", 1, None);
        let reason = o.req(d, "reason");
        let condition = o.or(d, "condition", Condition::default());
        let diminished_value = o.opt(d, "diminished_value");
        let amount = o.opt(d, "amount");
        o.hint(d, "amount", asked_schema);
        o.finish(d);
        Some(RequestItem {
            line_id: line_id?,
            qty: qty?,
            reason: reason?,
            condition: condition?,
            diminished_value: diminished_value.ok()?,
            amount: amount.ok()?,
        })
    }
}

impl<'a> Decode<'a> for Evidence {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let photos = o.or(d, "photos", 0u64);
        let package_photos = o.or(d, "package_photos", 0u64);
        let videos = o.or(d, "videos", 0u64);
        let description_chars = o.or(d, "description_chars", 0u64);
        o.finish(d);
        Some(Evidence { photos: photos?, package_photos: package_photos?, videos: videos?, description_chars: description_chars? })
    }
}

impl<'a> Decode<'a> for Request {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let requested_at = o.opt(d, "requested_at");
        let kind = o.req(d, "kind");
        let items = o.req_list(d, "items", MAX_ITEMS, "request", "a request needs at least one item");
        let evidence = o.or(d, "evidence", Evidence::default());
        let gifts_returned = o.or(d, "gifts_returned", true);
        let amount = o.opt(d, "amount");
        o.hint(d, "amount", asked_schema);
        o.finish(d);
        let request = Request {
            requested_at: requested_at.ok()?,
            kind: kind?,
            items: items?,
            evidence: evidence?,
            gifts_returned: gifts_returned?,
            amount: amount.ok()?,
        };
        request.check_amounts(d, path);
        Some(request)
    }
}

/// An amount asked for: at least 1 fen (the engine refuses 0, which asks for nothing).
fn asked_schema(_: &mut crate::schema::Defs, field: &mut crate::schema::Field) {
    field.schema =
        crate::schema::Json::integer(1, crate::json::MAX_SAFE_INTEGER).described("an amount asked for, in minor units (at least 1)");
}

impl Request {
    /// Amounts asked for fit the kind: none for an exchange or repair; a goodwill request
    /// names one amount for all its items or one per item.
    fn check_amounts(&self, d: &mut Decoder, path: &Path<'_>) {
        let items = path.key("items");
        let zero = |m: &Option<Money>| m.is_some_and(|m| m == Money::ZERO);
        for (i, _) in self.items.iter().enumerate().filter(|(_, item)| zero(&item.amount)) {
            d.error(Code::InvalidMoney, &items.index(i).key("amount"), "an amount asked for is at least 1 fen", None);
        }
        if zero(&self.amount) {
            d.error(Code::InvalidMoney, &path.key("amount"), "an amount asked for is at least 1 fen", None);
        }
        let asked_on_item = self.items.iter().position(|i| i.amount.is_some());
        match (self.kind, self.amount, asked_on_item) {
            (RequestKind::Exchange | RequestKind::Repair, _, Some(i)) => {
                d.error(Code::Inconsistent, &items.index(i).key("amount"), "an exchange or a repair asks for no amount", None);
            }
            (RequestKind::Goodwill, Some(_), Some(_)) => {
                d.error(Code::Inconsistent, &path.key("amount"), "give one amount for the request or one per item, not both", None);
            }
            (RequestKind::Goodwill, None, _) => {
                for (i, _) in self.items.iter().enumerate().filter(|(_, i)| i.amount.is_none()) {
                    d.error(
                        Code::MissingField,
                        &items.index(i).key("amount"),
                        "a goodwill request names the amount asked for",
                        Some("give `amount` on each item, or one `amount` on the request"),
                    );
                }
            }
            (RequestKind::Goodwill, Some(_), None) => {}
            (_, Some(_), _) => {
                d.error(
                    Code::Inconsistent,
                    &path.key("amount"),
                    "only a goodwill request has one amount for all its items",
                    Some("give the amount asked for on each item"),
                );
            }
            (_, None, _) => {}
        }
    }
}

impl<'a> Decode<'a> for EvaluationInput {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        // Each part is named at the root of error paths: `order.lines[0].unit_price`.
        let order = o.raw(d, "order").map(|raw| Order::decode(d, raw, &Path::Root("order")));
        let ledger = o.raw(d, "ledger").map(|raw| Ledger::decode(d, raw, &Path::Root("ledger")));
        let request = o.raw(d, "request").map(|raw| Request::decode(d, raw, &Path::Root("request")));
        let now = o.raw(d, "now").map(|raw| Instant::decode(d, raw, &Path::Root("now")));
        o.hint(d, "order", |defs, field| field.schema = Order::schema(defs));
        o.hint(d, "ledger", |defs, field| field.schema = Ledger::schema(defs));
        o.hint(d, "request", |defs, field| field.schema = Request::schema(defs));
        o.hint(d, "now", |defs, field| field.schema = Instant::schema(defs));
        for (name, missing) in [("order", order.is_none()), ("request", request.is_none()), ("now", now.is_none())] {
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
        Some(EvaluationInput { order, ledger, request: request??, now: now?? })
    }
}
