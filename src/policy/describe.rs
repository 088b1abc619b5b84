//! What a form needs to know of a compiled policy to render from it rather than from its own
//! copies: the reasons a shopper may give (with their titles and the evidence each needs),
//! the request kinds and resolutions the policy's windows offer, its windows, the categories
//! its conditions name, its currency and its local time.

use super::compile::{CompiledPolicy, WarrantyDefault, WindowLength};
use super::doc::{Counting, Texts};
use crate::model::{Evidence, RequestKind};
use crate::time::zone::Zone;
use crate::vocab::{Anchor, Fault, Layer, Party, Resolution};
use crate::wire::{tag, wire_struct};

tag! {
    /// The `type` of a policy's description.
    PolicyTag = "policy"
}

wire_struct! {
    /// A compiled policy described for the forms that offer it: `policy.describe()`.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PolicyInfo {
        #[serde(rename = "type")]
        pub answer_type: PolicyTag,
        pub policy_id: String,
        pub policy_version: String,
        pub policy_hash: String,
        pub engine_version: String,
        /// ISO 4217 code of the amounts.
        pub currency: String,
        /// Digits of the minor unit: an amount of 12900 is 129.00 with 2 (CNY), 12900 with 0 (JPY).
        pub minor_unit_digits: u32,
        /// The standard UTC offset of the policy's local time, e.g. +08:00.
        pub utc_offset: String,
        /// Whether its local time keeps the EU's summer time (one hour more from the last
        /// Sunday of March to the last Sunday of October).
        pub eu_summer_time: bool,
        /// The working-day calendar deadlines count with, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub calendar: Option<String>,
        /// The kinds a shopper may choose that the policy can grant (a window grants their
        /// resolution; keeping the goods needs a no-return rule, a price difference the policy's
        /// rate), in the order decisions list them.
        pub request_kinds: Vec<RequestKind>,
        /// Every resolution some window grants, in the engine's order.
        pub resolutions: Vec<Resolution>,
        /// The reasons a shopper may give, by code.
        pub reasons: Vec<ReasonInfo>,
        pub windows: Vec<WindowInfo>,
        /// The categories the policy's conditions compare `line.category` with, sorted.
        pub categories: Vec<String>,
        /// The earlier versions the policy still decides for orders placed under them.
        pub previous_versions: Vec<String>,
    }
}

wire_struct! {
    /// A reason a shopper may give.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ReasonInfo {
        pub code: String,
        /// What a form shows; without one, the form's own label of the code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub title: Option<Texts>,
        pub fault: Fault,
        /// A reason that needs no fault (七天无理由).
        pub no_reason: bool,
        /// The evidence a request for this reason must attach.
        pub evidence: Evidence,
        /// Who bears a refund for it.
        pub liability: Party,
    }
}

wire_struct! {
    /// A window: how long after which event an item may get which resolutions.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct WindowInfo {
        pub id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub title: Option<Texts>,
        pub layer: Layer,
        pub anchor: Anchor,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub days: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub hours: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub months: Option<u32>,
        /// As long as each line's own warranty (`days` or `months` when a line labels none).
        pub warranty: bool,
        pub counting: Counting,
        pub roll_forward: bool,
        /// Whether the window applies only to items its condition matches.
        pub conditional: bool,
        pub resolutions: Vec<Resolution>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub legal_ref: Option<String>,
    }
}

/// Describes `policy` for forms.
pub fn describe(policy: &CompiledPolicy) -> PolicyInfo {
    let granted = |r: &Resolution| policy.windows.iter().any(|w| w.resolutions.contains(r));
    let resolutions: Vec<Resolution> = Resolution::ALL.iter().copied().filter(granted).collect();
    // Keeping the goods needs a no-return gate, a price difference the policy's rate.
    let offered = |k: &RequestKind| match k {
        RequestKind::RefundWithoutReturn => !policy.no_return.is_empty(),
        RequestKind::PriceDifference => policy.price_difference.is_some(),
        _ => true,
    };
    let request_kinds = RequestKind::SHOPPER.iter().copied().filter(|k| resolutions.contains(&k.resolution()) && offered(k)).collect();
    let (standard, eu_summer_time) = match policy.zone {
        Zone::Fixed(offset) => (offset, false),
        Zone::EuSummer(offset) => (offset, true),
    };
    PolicyInfo {
        answer_type: PolicyTag,
        policy_id: policy.id.to_string(),
        policy_version: policy.version.to_string(),
        policy_hash: policy.hash.to_string(),
        engine_version: crate::answer::ENGINE_VERSION.to_owned(),
        currency: policy.currency.to_string(),
        minor_unit_digits: policy.money.exponent,
        utc_offset: standard.to_text(),
        eu_summer_time,
        calendar: policy.calendar.as_ref().map(|c| c.id.clone()),
        request_kinds,
        resolutions,
        reasons: policy.reasons.iter().map(reason).collect(),
        windows: policy.windows.iter().map(window).collect(),
        categories: categories(policy),
        previous_versions: policy.previous.iter().map(|p| p.version.to_string()).collect(),
    }
}

fn reason(r: &super::compile::Reason) -> ReasonInfo {
    ReasonInfo {
        code: r.code.clone(),
        title: r.title.clone(),
        fault: r.fault,
        no_reason: r.no_reason,
        evidence: r.evidence.clone(),
        liability: r.liability,
    }
}

fn window(w: &super::compile::Window) -> WindowInfo {
    let (mut days, mut hours, mut months) = (None, None, None);
    match w.length {
        WindowLength::Days(n) => days = Some(n),
        WindowLength::Hours(n) => hours = Some(n),
        WindowLength::Months(n) | WindowLength::Warranty(Some(WarrantyDefault::Months(n))) => months = Some(n),
        WindowLength::Warranty(Some(WarrantyDefault::Days(n))) => days = Some(n),
        WindowLength::Warranty(None) => {}
    }
    WindowInfo {
        id: w.id.to_string(),
        title: w.title.clone(),
        layer: w.layer,
        anchor: w.anchor,
        days,
        hours,
        months,
        warranty: matches!(w.length, WindowLength::Warranty(_)),
        counting: w.counting,
        roll_forward: w.roll_forward,
        conditional: w.condition.is_some(),
        resolutions: w.resolutions.clone(),
        legal_ref: w.legal_ref.as_ref().map(|r| r.to_string()),
    }
}

/// The categories every condition of the policy names.
fn categories(policy: &CompiledPolicy) -> Vec<String> {
    let mut out: Vec<&str> = Vec::new();
    let conditions = policy.windows.iter().filter_map(|w| w.condition.as_ref());
    let conditions = conditions
        .chain(policy.rules.iter().map(|r| &r.condition))
        .chain(policy.no_return.iter().map(|r| &r.condition))
        .chain(policy.postage.iter().map(|r| &r.condition));
    for condition in conditions {
        condition.texts_compared_with("line.category", &mut out);
    }
    out.sort_unstable();
    out.dedup();
    out.into_iter().map(str::to_owned).collect()
}
