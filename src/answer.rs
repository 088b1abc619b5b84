//! The answer (SPEC §3): a decision, or the input errors. Field order here is the wire
//! order; nothing serialized is a map with host-dependent order.

use crate::error::Diagnostic;
use crate::messages::Message;
use crate::model::RequestKind;
use crate::money::{Money, Rounding};
use crate::policy::{Layer, Party, Payer, Resolution, Tier};
use serde::ser::SerializeMap;
use serde::Serialize;

/// A value that made a decision so, in a denial's `values`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueOut {
    Text(String),
    Int(i64),
}

/// Named values in a fixed order, serialized as a JSON object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values(pub Vec<(&'static str, ValueOut)>);

impl Serialize for Values {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            match v {
                ValueOut::Text(t) => map.serialize_entry(k, t)?,
                ValueOut::Int(n) => map.serialize_entry(k, n)?,
            }
        }
        map.end()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Denial {
    pub code: String,
    /// The window or rule that decided it, or `engine.*` for facts the engine checks itself.
    pub rule: String,
    /// The policy layer of that rule; absent for the engine's own fact checks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<Layer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_ref: Option<String>,
    pub values: Values,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WindowOut {
    pub rule: String,
    pub layer: Layer,
    /// The window's last moment, in the business's offset.
    pub closes_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_ref: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ItemRefund {
    pub amount: Money,
    /// The share of order-level discounts these units carried.
    pub allocated_discount: Money,
}

/// Whether an item could take one kind of request now, and if not, why (a reason code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemOption {
    pub kind: RequestKind,
    pub available: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemDecision {
    pub line_id: String,
    pub qty: i64,
    pub reason: String,
    pub eligible: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub denial: Option<Denial>,
    pub resolutions: Vec<Resolution>,
    /// Every kind of request, and whether this item could take it now.
    pub options: Vec<ItemOption>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<WindowOut>,
    pub refund: ItemRefund,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deduction {
    /// `gift_not_returned`, `fee` or `diminished_value`.
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_id: Option<String>,
    /// The rule that charged it (fees).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    pub amount: Money,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_ref: Option<&'static str>,
    /// The requested line whose refund it reduces (for liability); not on the wire.
    #[serde(skip)]
    pub against: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TenderAmount {
    pub tender: crate::model::Tender,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefundSummary {
    pub items: Money,
    pub shipping: Money,
    pub deductions: Vec<Deduction>,
    pub total: Money,
    pub by_tender: Vec<TenderAmount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnShipping {
    pub return_required: bool,
    /// Refund without return for goods destroyed on site (cross-border).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub destroy_on_site: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payer: Option<Payer>,
    /// The rule that chose the payer; absent when the default (the buyer) applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_ref: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartyAmount {
    pub party: Party,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompensationOut {
    pub rule: String,
    pub kind: &'static str,
    pub amount: Money,
    pub min_spend: Money,
    pub valid_until: String,
    pub borne_by: Party,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingEvidence {
    pub what: &'static str,
    pub required: u64,
    pub attached: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewReason {
    pub rule: String,
    pub tier: Tier,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirements {
    pub missing_evidence: Vec<MissingEvidence>,
    pub approval: Tier,
    pub review_reasons: Vec<ReviewReason>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineOut {
    pub what: String,
    /// The event that starts the timer.
    pub after: crate::lifecycle::Event,
    pub within: String,
    /// The last moment on time, for timers that start at submission.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    pub basis: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_ref: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraceEntry {
    pub rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_id: Option<String>,
    pub effect: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    #[serde(rename = "type")]
    pub answer_type: &'static str,
    pub engine_version: &'static str,
    pub policy_id: String,
    pub policy_version: String,
    pub policy_hash: String,
    pub currency: String,
    pub rounding: Rounding,
    pub evaluated_at: String,
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
}

/// The input errors answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorsAnswer<'e> {
    #[serde(rename = "type")]
    pub answer_type: &'static str,
    pub errors: &'e [Diagnostic],
}

/// This engine's version, reported in every decision.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
