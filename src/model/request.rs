//! The shopper's after-sales request (SPEC §2 "Request") and the evaluation envelope.

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
}

/// Everything one evaluation reads besides the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationInput {
    pub order: Order,
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
        o.finish(d);
        Some(RequestItem { line_id: line_id?, qty: qty?, reason: reason?, condition: condition?, diminished_value: diminished_value.ok()? })
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
        o.finish(d);
        Some(Request { requested_at: requested_at.ok()?, kind: kind?, items: items?, evidence: evidence?, gifts_returned: gifts_returned? })
    }
}

impl<'a> Decode<'a> for EvaluationInput {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        // Each part is named at the root of error paths: `order.lines[0].unit_price`.
        let order = o.raw(d, "order").map(|raw| Order::decode(d, raw, &Path::Root("order")));
        let request = o.raw(d, "request").map(|raw| Request::decode(d, raw, &Path::Root("request")));
        let now = o.raw(d, "now").map(|raw| Instant::decode(d, raw, &Path::Root("now")));
        o.hint(d, "order", |defs, field| field.schema = Order::schema(defs));
        o.hint(d, "request", |defs, field| field.schema = Request::schema(defs));
        o.hint(d, "now", |defs, field| field.schema = Instant::schema(defs));
        for (name, missing) in [("order", order.is_none()), ("request", request.is_none()), ("now", now.is_none())] {
            o.hint(d, name, |_, field| field.required = true);
            if missing {
                d.error(Code::MissingField, &Path::Root(name), format!("missing required field `{name}`"), None);
            }
        }
        o.finish(d);
        Some(EvaluationInput { order: order??, request: request??, now: now?? })
    }
}
