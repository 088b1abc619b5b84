//! The answer (SPEC §3): a decision, or the input errors. Field order here is the wire
//! order; nothing serialized is a map with host-dependent order.

use crate::error::Diagnostic;
use crate::json::{json_object, ObjectWriter, ToJson};
use crate::messages::Message;
use crate::model::{CompensationKind, DeductionKind, Effects, RequestKind};
use crate::money::{Money, Rounding};
use crate::policy::{Layer, Party, Payer, Resolution, Tier};
use crate::text::Text;
use crate::time::Timestamp;

/// A value that made a decision so, in a denial's `values`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueOut {
    Text(String),
    Int(i64),
    Time(Timestamp),
}

/// Named values in a fixed order, serialized as a JSON object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values(pub Vec<(&'static str, ValueOut)>);

impl ToJson for ValueOut {
    fn write_json(&self, out: &mut crate::json::Out) {
        match self {
            ValueOut::Text(t) => t.write_json(out),
            ValueOut::Int(n) => n.write_json(out),
            ValueOut::Time(t) => t.write_json(out),
        }
    }
}

impl ToJson for Values {
    fn write_json(&self, out: &mut crate::json::Out) {
        let mut w = ObjectWriter::new(out);
        for (k, v) in &self.0 {
            w.field(k, v);
        }
        w.end();
    }
    fn schema(_: &mut crate::schema::Defs) -> crate::schema::Json {
        use crate::schema::Json;
        let value = Json::Obj(vec![("type".into(), Json::Arr(vec![Json::Str("string".into()), Json::Str("integer".into())]))]);
        Json::typed("object").with("additionalProperties", value).described("the values that decided it, by name")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    pub code: Text,
    /// The window or rule that decided it, or `engine.*` for facts the engine checks itself.
    pub rule: Text,
    /// The policy layer of that rule; absent for the engine's own fact checks.
    pub layer: Option<Layer>,
    pub legal_ref: Option<Text>,
    pub values: Values,
}
json_object!(Denial { "code" => code, "rule" => rule, "layer" => layer, "legal_ref" => legal_ref, "values" => values });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowOut {
    pub rule: Text,
    pub layer: Layer,
    /// The window's last moment, in the business's offset.
    pub closes_at: Timestamp,
    pub legal_ref: Option<Text>,
}
json_object!(WindowOut { "rule" => rule, "layer" => layer, "closes_at" => closes_at, "legal_ref" => legal_ref });

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemRefund {
    pub amount: Money,
    /// The share of order-level discounts these units carried.
    pub allocated_discount: Money,
    /// Set when an amount was asked for beyond what the item may get.
    pub capped: Option<AmountCap>,
}
json_object!(ItemRefund { "amount" => amount, "allocated_discount" => allocated_discount, "capped" => capped });

crate::json::decode::wire_enum! {
    /// What limits an amount asked for.
    pub enum CapBasis {
        /// What the requested units were paid (their cumulative share of the line).
        UnitsShare = "units_share",
        /// What is left of the line after every earlier refund, price difference and amount.
        LineRemaining = "line_remaining",
    }
}

/// An amount asked for that was more than the item may get: the item gets `cap`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountCap {
    /// `AMOUNT_CAPPED`.
    pub code: &'static str,
    pub asked: Money,
    pub cap: Money,
    pub basis: CapBasis,
}
json_object!(AmountCap { "code" => code, "asked" => asked, "cap" => cap, "basis" => basis });

/// Whether an item could take one kind of request now, and if not, why (a reason code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemOption {
    pub kind: RequestKind,
    pub available: bool,
    pub code: Option<Text>,
}
json_object!(ItemOption { "kind" => kind, "available" => available, "code" => code });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemDecision {
    pub line_id: Text,
    pub qty: i64,
    pub reason: Text,
    pub eligible: bool,
    pub denial: Option<Denial>,
    pub resolutions: Vec<Resolution>,
    /// Every kind of request, and whether this item could take it now.
    pub options: Vec<ItemOption>,
    pub window: Option<WindowOut>,
    pub refund: ItemRefund,
}
json_object!(ItemDecision { "line_id" => line_id, "qty" => qty, "reason" => reason, "eligible" => eligible, "denial" => denial, "resolutions" => resolutions, "options" => options, "window" => window, "refund" => refund });

/// An amount kept back from this refund, or (in `given_back`) one kept back before and paid now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deduction {
    pub kind: DeductionKind,
    pub line_id: Option<Text>,
    /// The rule that charged it (fees), or the threshold discount it settles.
    pub rule: Option<Text>,
    pub amount: Money,
    pub legal_ref: Option<&'static str>,
    /// What this refund could not cover of a deduction due: a later refund on the order
    /// takes it (and the ledger's deduction shows it as due but not taken).
    pub uncollected: Option<Money>,
    /// The requested line whose refund it reduces (for liability); not on the wire.
    pub against: Text,
}
json_object!(Deduction { "kind" => kind, "line_id" => line_id, "rule" => rule, "amount" => amount, "legal_ref" => legal_ref, "uncollected" => uncollected });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenderAmount {
    pub tender: crate::model::Tender,
    pub amount: Money,
    /// For points: the points that come back (their share of the points paid, rounded down).
    pub points: Option<i64>,
}
json_object!(TenderAmount { "tender" => tender, "amount" => amount, "points" => points });

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
json_object!(RefundSummary { "items" => items, "shipping" => shipping, "deductions" => deductions, "given_back" => given_back, "total" => total, "by_tender" => by_tender, "coupons_restored" => coupons_restored });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnShipping {
    pub return_required: bool,
    /// `true` for a refund without return whose goods are destroyed on site (cross-border);
    /// absent otherwise.
    pub destroy_on_site: Option<bool>,
    pub payer: Option<Payer>,
    /// The rule that chose the payer; absent when the default (the buyer) applies.
    pub rule: Option<Text>,
    pub legal_ref: Option<Text>,
    /// What the freight insurance pays towards the postage, when it pays.
    pub insured_amount: Option<Money>,
}
json_object!(ReturnShipping { "return_required" => return_required, "destroy_on_site" => destroy_on_site, "payer" => payer, "rule" => rule, "legal_ref" => legal_ref, "insured_amount" => insured_amount });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartyAmount {
    pub party: Party,
    pub amount: Money,
}
json_object!(PartyAmount { "party" => party, "amount" => amount });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompensationOut {
    pub rule: Text,
    pub kind: CompensationKind,
    pub amount: Money,
    pub min_spend: Money,
    pub valid_until: Timestamp,
    pub borne_by: Party,
}
json_object!(CompensationOut { "rule" => rule, "kind" => kind, "amount" => amount, "min_spend" => min_spend, "valid_until" => valid_until, "borne_by" => borne_by });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingEvidence {
    pub what: &'static str,
    pub required: u64,
    pub attached: u64,
}
json_object!(MissingEvidence { "what" => what, "required" => required, "attached" => attached });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewReason {
    pub rule: Text,
    pub tier: Tier,
}
json_object!(ReviewReason { "rule" => rule, "tier" => tier });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirements {
    pub missing_evidence: Vec<MissingEvidence>,
    pub approval: Tier,
    pub review_reasons: Vec<ReviewReason>,
}
json_object!(Requirements { "missing_evidence" => missing_evidence, "approval" => approval, "review_reasons" => review_reasons });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineOut {
    pub what: Text,
    /// The event that starts the timer.
    pub after: crate::lifecycle::Event,
    pub within: Text,
    /// The last moment on time, for timers that start at submission.
    pub by: Option<Timestamp>,
    pub basis: Text,
    pub legal_ref: Option<Text>,
}
json_object!(DeadlineOut { "what" => what, "after" => after, "within" => within, "by" => by, "basis" => basis, "legal_ref" => legal_ref });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceEntry {
    pub rule: Text,
    pub line_id: Option<Text>,
    pub effect: String,
}
json_object!(TraceEntry { "rule" => rule, "line_id" => line_id, "effect" => effect });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub answer_type: &'static str,
    pub engine_version: &'static str,
    pub policy_id: Text,
    pub policy_version: Text,
    /// `current`, or `order` when the order named the version in force when it was placed.
    pub policy_version_basis: &'static str,
    pub policy_hash: Text,
    pub currency: Text,
    pub rounding: Rounding,
    pub evaluated_at: Timestamp,
    pub kind: RequestKind,
    pub items: Vec<ItemDecision>,
    pub refund: RefundSummary,
    pub return_shipping: ReturnShipping,
    pub liability: Vec<PartyAmount>,
    pub compensation: Vec<CompensationOut>,
    pub requirements: Requirements,
    pub deadlines: Vec<DeadlineOut>,
    pub trace: Vec<TraceEntry>,
    pub messages: Vec<Message>,
    /// What to record in the order's ledger if the platform accepts this decision.
    pub effects: Effects,
}
json_object!(Decision { "type" => answer_type, "engine_version" => engine_version, "policy_id" => policy_id, "policy_version" => policy_version, "policy_version_basis" => policy_version_basis, "policy_hash" => policy_hash, "currency" => currency, "rounding" => rounding, "evaluated_at" => evaluated_at, "kind" => kind, "items" => items, "refund" => refund, "return_shipping" => return_shipping, "liability" => liability, "compensation" => compensation, "requirements" => requirements, "deadlines" => deadlines, "trace" => trace, "messages" => messages, "effects" => effects });

/// The input errors answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorsAnswer<'e> {
    pub answer_type: &'static str,
    pub errors: &'e [Diagnostic],
}
json_object!(ErrorsAnswer<'_> { "type" => answer_type, "errors" => errors });

/// This engine's version, reported in every decision.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
