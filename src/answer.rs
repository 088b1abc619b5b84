//! The answer: a decision, or the input errors. Field order here is the wire order; nothing
//! serialized is a map with host-dependent order.

use crate::messages::{Bilingual, Message};
use crate::model::{CompensationKind, DeductionKind, Effects, RequestKind};
use crate::money::{Money, Rounding, RoundingStep};
use crate::time::Timestamp;
use crate::vocab::{Anchor, Authority, Event, Layer, Party, Payer, Phase, Resolution, Tier};
use crate::wire::text::Text;
use crate::wire::{tag, wire_struct};

/// A value that made a decision so, in a denial's `values`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum ValueOut {
    Int(i64),
    Text(String),
    /// Written as its RFC 3339 text (and read back as text).
    #[serde(skip_deserializing)]
    Time(Timestamp),
    /// Written as its wire name (and read back as text).
    #[serde(skip_deserializing)]
    Anchor(Anchor),
    /// Written as the wire names joined by `, ` (and read back as text); messages name each.
    #[serde(skip_deserializing)]
    Resolutions(ResolutionList),
}

/// Resolutions, written as one text: `"refund, exchange"`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ResolutionList(pub Vec<Resolution>);

impl serde::Serialize for ResolutionList {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", "))
    }
}

/// Named values in a fixed order, serialized as a JSON object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values(pub Vec<(Text, ValueOut)>);

impl serde::Serialize for Values {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> serde::Deserialize<'de> for Values {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Values;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of values")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Values, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry::<Text, ValueOut>()? {
                    out.push(entry);
                }
                Ok(Values(out))
            }
        }
        d.deserialize_map(Visit)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Values {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Values".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "additionalProperties": { "type": ["string", "integer"] },
            "description": "the values that decided it, by name",
        })
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Denial {
        pub code: Text,
        /// The window or rule that decided it, or `engine.*` for facts the engine checks itself.
        pub rule: Text,
        /// The policy layer of that rule; absent for the engine's own fact checks.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub layer: Option<Layer>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub legal_ref: Option<Text>,
        pub values: Values,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", schemars(rename = "Window"))]
    pub struct WindowOut {
        pub rule: Text,
        pub layer: Layer,
        /// The window's last moment, in the business's offset.
        pub closes_at: Timestamp,
        /// Counted over working days of a year whose holidays are not announced yet.
        #[serde(default, skip_serializing_if = "crate::wire::is_false")]
        pub provisional: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub legal_ref: Option<Text>,
    }
}

wire_struct! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct ItemRefund {
        pub amount: Money,
        /// The share of order-level discounts these units carried.
        pub allocated_discount: Money,
        /// The rounding a price-difference rule declares for this amount (the decision's
        /// `rounding` otherwise).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rounding: Option<Rounding>,
        /// Set when an amount was asked for beyond what the item may get.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub capped: Option<AmountCap>,
    }
}

crate::wire::wire_enum! {
    /// What limits an amount asked for.
    pub enum CapBasis {
        /// What the requested units were paid (their cumulative share of the line).
        UnitsShare = "units_share",
        /// What is left of the line after every earlier refund, price difference and amount.
        LineRemaining = "line_remaining",
    }
}

wire_struct! {
    /// An amount asked for that was more than the item may get: the item gets `cap`.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct AmountCap {
        /// `AMOUNT_CAPPED`.
        pub code: Text,
        pub asked: Money,
        pub cap: Money,
        pub basis: CapBasis,
    }
}

wire_struct! {
    /// Whether an item could take one kind of request now, and if not, why (a reason code).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ItemOption {
        pub kind: RequestKind,
        pub available: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub code: Option<Text>,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ItemDecision {
        pub line_id: Text,
        pub qty: i64,
        pub reason: Text,
        pub eligible: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub denial: Option<Denial>,
        pub resolutions: Vec<Resolution>,
        /// Every kind of request, and whether this item could take it now.
        pub options: Vec<ItemOption>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub window: Option<WindowOut>,
        /// The last moment of the line's warranty, when a warranty applies: from delivery,
        /// installation or the latest replacement, repair days added.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub warranty_until: Option<Timestamp>,
        /// The claim deadlines that apply to the item (a category standard's two stages).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub claim: Option<ClaimOut>,
        /// Refunded without its return: the gate that let it, and on whose authority.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub no_return: Option<NoReturnGrant>,
        /// Exchanged for another variant: its price, and the difference the shopper pays
        /// (a cheaper variant's difference is this item's refund).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub exchange: Option<ExchangeOut>,
        pub refund: ItemRefund,
    }
}

wire_struct! {
    /// The variant an item is exchanged for: the units' allocated discounts carry over, so
    /// the difference is the list prices' (never a refund of more than the units were paid).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ExchangeOut {
        pub sku: String,
        pub unit_price: Money,
        /// What the new units come to, the carried discounts taken off.
        pub paid: Money,
        /// What the shopper pays for a dearer variant.
        pub due: Money,
    }
}

wire_struct! {
    /// A claim's deadlines for one item: the problem reported by `report_by`, the request
    /// filed by `file_by` (either may be unset), by the rule that sets them.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ClaimOut {
        pub rule: Text,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub report_by: Option<Timestamp>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub file_by: Option<Timestamp>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub legal_ref: Option<Text>,
    }
}

wire_struct! {
    /// Why an item keeps its goods and is refunded (仅退款): the policy's gate, who authorised
    /// it (the merchant's consent or a platform ruling) and the platform rule it follows.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct NoReturnGrant {
        pub rule: Text,
        pub authorised_by: Authority,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub legal_ref: Option<Text>,
    }
}

wire_struct! {
    /// An amount kept back from this refund, or (in `given_back`) one kept back before and paid now.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Deduction {
        pub kind: DeductionKind,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub line_id: Option<Text>,
        /// The rule that charged it (fees), or the threshold discount it settles.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rule: Option<Text>,
        pub amount: Money,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub legal_ref: Option<Text>,
        /// What this refund could not cover of a deduction due: a later refund on the order
        /// takes it (and the ledger's deduction shows it as due but not taken).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub uncollected: Option<Money>,
        /// The requested line whose refund it reduces (for liability); not on the wire.
        #[serde(skip)]
        pub against: Text,
    }
}

impl Deduction {
    /// A deduction from the refund of `line`, named on the wire.
    pub fn on_line(kind: DeductionKind, line: &Text, rule: Option<Text>, amount: Money, legal_ref: Option<Text>) -> Self {
        Deduction { kind, line_id: Some(line.clone()), rule, amount, legal_ref, uncollected: None, against: line.clone() }
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct TenderAmount {
        pub tender: crate::model::Tender,
        pub amount: Money,
        /// For points: the points that come back (their share of the points paid, rounded down).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub points: Option<i64>,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct RefundSummary {
        pub items: Money,
        pub shipping: Money,
        pub deductions: Vec<Deduction>,
        /// Deductions of earlier refunds that no longer apply (a threshold the rest of the goods
        /// now returned no longer breaks, a gift that came back), paid with this refund.
        pub given_back: Vec<Deduction>,
        pub total: Money,
        pub by_tender: Vec<TenderAmount>,
        /// Coupons given back to the shopper (by discount id) when the whole order comes back.
        pub coupons_restored: Vec<String>,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ReturnShipping {
        pub return_required: bool,
        /// `true` for a refund without return whose goods are destroyed on site (cross-border);
        /// absent otherwise.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub destroy_on_site: Option<bool>,
        /// `true` for a refund in transit: the parcel is intercepted (拦截) and the refund
        /// paid when it is back with the seller; absent otherwise.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub interception: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub payer: Option<Payer>,
        /// The rule that chose the payer; absent when the default (the buyer) applies.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rule: Option<Text>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub legal_ref: Option<Text>,
        /// What the freight insurance pays towards the postage, when it pays: by the policy's
        /// table for the method, else the order's payout; never more than a known postage.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub insured_amount: Option<Money>,
        /// How the goods go back, as the request said (when they go back).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub method: Option<crate::model::request::ReturnMethod>,
        /// The postage, when known: the request's, else the policy's label cost for the method.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub postage: Option<Money>,
        /// What the seller or platform that pays the postage pays of it (up to the policy's cap).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub reimbursed: Option<Money>,
        /// What the shopper bears of a known postage.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub shopper_pays: Option<Money>,
    }
}

wire_struct! {
    /// When a fast refund is paid (or a fast exchange shipped), by which rule, and what happens
    /// if the goods do not come back by its return deadline (a deadline named after the rule).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct FastTrackOut {
        pub rule: Text,
        /// The event it is released at: `submit`, `ship_return` (the pickup scan) or `receive_return`.
        pub release: Event,
        pub recovery: crate::vocab::Recovery,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PartyAmount {
        pub party: Party,
        pub amount: Money,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", schemars(rename = "Compensation"))]
    pub struct CompensationOut {
        pub rule: Text,
        /// The item damages are owed on; absent for compensation on the order.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub line_id: Option<Text>,
        pub kind: CompensationKind,
        pub amount: Money,
        /// The rounding of a rate the rule declares (the policy's otherwise).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rounding: Option<Rounding>,
        /// The step the rule rounds the amount to.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub step: Option<RoundingStep>,
        pub min_spend: Money,
        /// The last moment a coupon may be used; absent for cash.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub valid_until: Option<Timestamp>,
        pub borne_by: Party,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub legal_ref: Option<Text>,
    }
}

crate::wire::wire_enum! {
    /// Something within the shopper's control that would let a request go through.
    pub enum PathAction {
        AttachEvidence = "attach_evidence",
        ReturnGift = "return_gift",
        ReduceQty = "reduce_qty",
        ChooseKind = "choose_kind",
        ChooseReturnMethod = "choose_return_method",
        SubmitBefore = "submit_before",
    }
}

wire_struct! {
    /// One step on the path to yes, verified by deciding the request changed that way: attach
    /// `at_least` of `what`; send the gifts back; ask for `qty` of `line_id`; ask for `kind`
    /// for `line_id`; send it back by `method`; or complete the request by `by`.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Suggestion {
        pub action: PathAction,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub line_id: Option<Text>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub what: Option<Text>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub at_least: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub qty: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub kind: Option<RequestKind>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub method: Option<crate::model::request::ReturnMethod>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub by: Option<Timestamp>,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct MissingEvidence {
        pub what: Text,
        pub required: u64,
        pub attached: u64,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ReviewReason {
        pub rule: Text,
        pub tier: Tier,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Requirements {
        pub missing_evidence: Vec<MissingEvidence>,
        pub approval: Tier,
        pub review_reasons: Vec<ReviewReason>,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[cfg_attr(feature = "schema", schemars(rename = "Deadline"))]
    pub struct DeadlineOut {
        pub what: Text,
        /// The event that starts the timer.
        pub after: Event,
        pub within: Text,
        /// The last moment on time, for timers that start at submission.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub by: Option<Timestamp>,
        /// `by` was counted over working days of a year whose holidays are not announced yet.
        #[serde(default, skip_serializing_if = "crate::wire::is_false")]
        pub provisional: bool,
        /// How the deadline is counted, in both languages.
        pub basis: Bilingual,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub legal_ref: Option<Text>,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct TraceEntry {
        pub rule: Text,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub line_id: Option<Text>,
        pub effect: String,
    }
}

wire_struct! {
    /// A decision. Asked with a view (the input's `view`), its JSON leaves out the members the
    /// view does not keep (`messages`, `trace`, `path_to_yes`, `deadlines`, items' `options`,
    /// one language, deadlines' counting); in the typed value they may be empty.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Decision {
        #[serde(rename = "type")]
        pub answer_type: DecisionTag,
        pub engine_version: Text,
        pub policy_id: Text,
        pub policy_version: Text,
        /// `current`, or `order` when the order named the version in force when it was placed.
        pub policy_version_basis: Text,
        pub policy_hash: Text,
        pub currency: Text,
        pub rounding: Rounding,
        pub evaluated_at: Timestamp,
        /// Where the order stood: absent once delivered (after-sales proper), else `unpaid`,
        /// `paid` (not shipped) or `in_transit`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub phase: Option<Phase>,
        pub kind: RequestKind,
        pub items: Vec<ItemDecision>,
        pub refund: RefundSummary,
        pub return_shipping: ReturnShipping,
        /// A fast refund or exchange (极速退款): paid, or the replacement shipped, before the
        /// goods are back; absent when the request waits for the inspection as usual.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub fast_track: Option<FastTrackOut>,
        pub liability: Vec<PartyAmount>,
        pub compensation: Vec<CompensationOut>,
        pub requirements: Requirements,
        /// For items refused or evidence missing: what the shopper could do (see [`Suggestion`]).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub path_to_yes: Vec<Suggestion>,
        pub deadlines: Vec<DeadlineOut>,
        pub trace: Vec<TraceEntry>,
        pub messages: Vec<Message>,
        /// What to record in the order's ledger if the platform accepts this decision.
        pub effects: Effects,
    }
}

tag! {
    /// The `type` of a decision.
    DecisionTag = "decision"
}

/// This engine's version, reported in every decision.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
