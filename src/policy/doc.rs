//! The policy document as authored: read strictly, checked as a whole (every error reported),
//! merged with the preset it extends, and serialized canonically for the policy hash.

use crate::model::Evidence;
use crate::money::{Money, Rounding, RoundingStep};
use crate::time::calendar::doc::CalendarSpec;
use crate::time::span::DayCounting;
use crate::vocab::{Anchor, Authority, Event, Fault, Layer, Party, Payer, Recovery, Resolution, Tier};
use crate::wire::checks::{Checks, Path};
use crate::wire::error::Code;
use crate::wire::json::at_most;
use crate::wire::limits::{MAX_PREVIOUS_VERSIONS, MAX_RULES, MAX_TEXT_CHARS};
use crate::wire::number;
use crate::wire::text::Text;
use crate::wire::{wire_enum, wire_struct};

wire_enum! {
    /// How a window's length is counted.
    #[derive(Default)]
    pub enum Counting {
        /// Whole local days starting the day after the anchor; ends at local midnight
        /// (the Chinese rule: 签收次日起 7 天, closing at 23:59:59 of the 7th day).
        #[default]
        NextLocalDay = "next_local_day",
        /// An exact span from the anchor instant (168 h).
        Exact = "exact",
        /// Working days of the policy's calendar, from the next working day after the
        /// anchor, ending at the end of the last one.
        WorkingDays = "working_days",
    }
}

wire_enum! {
    /// When the original shipping fee is refunded.
    pub enum ShippingRefund {
        Never = "never",
        /// When every item of the request is the seller's fault and the order is then fully returned.
        SellerFaultFullReturn = "seller_fault_full_return",
        /// Whenever the order is then fully returned (EU CRD: standard delivery is refunded).
        FullReturn = "full_return",
    }
}

wire_enum! {
    /// How a threshold promotion (满减) that a partial return breaks is settled.
    pub enum PromotionSettlement {
        /// Each line keeps the discount it was allocated; the refund is what the returned
        /// units were paid.
        KeepAllocation = "keep_allocation",
        /// The kept goods no longer reach the threshold: they are re-priced without the
        /// discount, and the difference is deducted from the refund (多退少补).
        Reprice = "reprice",
    }
}

wire_enum! {
    /// When coupons paid with come back as coupons.
    pub enum RestoreCoupons {
        Never = "never",
        /// When the whole order comes back: a coupon cannot be split over part of it.
        OnFullReturn = "on_full_return",
    }
}

wire_enum! {
    /// The amount a percentage coupon is computed from.
    #[derive(Default)]
    pub enum CouponBase {
        /// Everything the shopper paid for the order, shipping included.
        #[default]
        OrderPaid = "order_paid",
    }
}

wire_struct! {
    /// A customer-facing text in both languages.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Texts {
        #[serde(rename = "zh-CN")]
        pub zh: String,
        pub en: String,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ReasonDoc {
        pub code: String,
        pub fault: Fault,
        #[serde(default)]
        pub no_reason: bool,
        #[serde(default)]
        pub evidence: Evidence,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub liability: Option<Party>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub title: Option<Texts>,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct WindowDoc {
        pub id: String,
        /// A rule expression: the window applies to the items it matches.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub when: Option<String>,
        pub anchor: Anchor,
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "number::opt_count_u64")]
        pub days: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "number::opt_count_u64")]
        pub hours: Option<u64>,
        /// Calendar months, ending with the same day of the month (counted like `next_local_day`).
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "number::opt_count_u64")]
        pub months: Option<u64>,
        /// As long as the line's own warranty (`line.facts.warranty_months`); with `days` or
        /// `months`, that long when the line labels no warranty (a platform's default).
        #[serde(default)]
        pub warranty: bool,
        /// Days the item spent in repair extend the window (三包: repair time does not count).
        #[serde(default)]
        pub exclude_repair_days: bool,
        #[serde(default)]
        pub counting: Counting,
        /// A window whose last day is not a working day ends at the end of the next one.
        #[serde(default)]
        pub roll_forward: bool,
        #[serde(deserialize_with = "at_most::<_, _, MAX_RESOLUTIONS>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_RESOLUTIONS)))]
        pub resolutions: Vec<Resolution>,
        #[serde(default)]
        pub layer: Layer,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub legal_ref: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub title: Option<Texts>,
    }
}

/// A window grants some of the four resolutions (a repeat changes nothing).
const MAX_RESOLUTIONS: usize = 8;

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct RuleDoc {
        pub id: String,
        pub when: String,
        /// The reason code of the denial, SCREAMING_SNAKE_CASE.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub deny: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub require_review: Option<Tier>,
        /// A fee (restocking, handling) as basis points of the item's refund, deducted from it.
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "number::opt_basis_points")]
        #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 10000)))]
        pub fee_bp: Option<u64>,
        /// Deadlines for a claim: the item is refused when reported or filed after them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub claim: Option<ClaimDoc>,
        /// A fast refund (极速退款) or exchange for the items it matches.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub fast_track: Option<FastTrackDoc>,
        /// A price difference by the share of the units spoiled or missing (`items[].defect_bp`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub partial_refund: Option<PartialRefundDoc>,
        #[serde(default)]
        pub layer: Layer,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub legal_ref: Option<String>,
    }
}

wire_struct! {
    /// A claim's deadlines, counted from `anchor` (in two stages, as the platforms' category
    /// standards set them): the problem reported within `report_within` (the request itself
    /// reports it, unless the item says it was reported earlier), the request filed within
    /// `file_within`. Spans as service levels write them (`48h`, `15d`). Late is `REPORTED_LATE`
    /// or `FILED_LATE`, or the rule's own `deny` code.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ClaimDoc {
        pub anchor: Anchor,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub report_within: Option<Text>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub file_within: Option<Text>,
        /// How days are counted: `next_day` is the Chinese rule (签收次日起算).
        #[serde(default)]
        pub counting: DayCounting,
    }
}

wire_struct! {
    /// A price difference for goods kept with a share spoiled or missing (`items[].defect_bp`):
    /// nothing up to `tolerance_bp`; then the `refund_bp` of the first band the share is within
    /// (`up_to_bp`), or, without bands, the share itself beyond the tolerance (pro rata, as for
    /// a weight shortage).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PartialRefundDoc {
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_BANDS>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_BANDS)))]
        pub bands: Vec<BandDoc>,
        #[serde(default, deserialize_with = "number::basis_points")]
        #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 10000)))]
        pub tolerance_bp: u64,
    }
}

/// A defect scale has a few steps.
const MAX_BANDS: usize = 16;

wire_struct! {
    /// Up to `up_to_bp` spoiled or missing, `refund_bp` of what the units were paid.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct BandDoc {
        #[serde(deserialize_with = "number::basis_points")]
        #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 10000)))]
        pub up_to_bp: u64,
        #[serde(deserialize_with = "number::basis_points")]
        #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 10000)))]
        pub refund_bp: u64,
    }
}

wire_struct! {
    /// A refund paid (or a replacement shipped) before the goods are back and inspected: at
    /// `release` — `submit`, `ship_return` (the pickup scan) or `receive_return` — with the
    /// goods due back at the seller `return_within` after it (a span, `7d`), or `recovery`.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct FastTrackDoc {
        pub release: Event,
        pub return_within: Text,
        pub recovery: Recovery,
    }
}

wire_struct! {
    /// A gate for refund without return (仅退款): an item may keep its goods and be refunded when
    /// one of these matches (and a window grants a refund).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct NoReturnDoc {
        pub id: String,
        pub when: String,
        /// Cross-border goods are destroyed on site instead of shipped back.
        #[serde(default)]
        pub destroy_on_site: bool,
        /// Who the gate speaks for: a merchant's standing consent or a platform ruling.
        #[serde(default)]
        pub authorised_by: Authority,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub legal_ref: Option<String>,
    }
}

wire_struct! {
    /// Price-difference compensation: the shopper keeps the item and gets this share of what its
    /// units were paid.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PriceDifferenceDoc {
        #[serde(deserialize_with = "number::basis_points")]
        #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 10000)))]
        pub rate_bp: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rounding: Option<Rounding>,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PostageDoc {
        pub id: String,
        pub when: String,
        pub payer: Payer,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub legal_ref: Option<String>,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct CouponDoc {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub amount: Option<Money>,
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "number::opt_count_u64")]
        pub rate_bp: Option<u64>,
        #[serde(default)]
        pub of: CouponBase,
        #[serde(default)]
        pub min: Money,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub max: Option<Money>,
        #[serde(default)]
        pub min_spend: Money,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rounding: Option<Rounding>,
        /// Rounds the amount to a multiple (after `min` and `max`): `{"multiple": 100}` is
        /// whole yuan, rounded down.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub step: Option<RoundingStep>,
        #[serde(deserialize_with = "number::count_u64")]
        pub valid_days: u64,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct CompensationDoc {
        pub id: String,
        pub when: String,
        pub coupon: CouponDoc,
        #[serde(default)]
        pub borne_by: Party,
    }
}

wire_struct! {
    /// Damages owed on top of the refund when the facts that establish them are given (a
    /// ruling, a flag): `price_multiple` times what the refunded units were paid, or
    /// `loss_multiple` times the shopper's proven loss when that is more, and at least `min`.
    /// Granted per refunded item, in cash.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct DamagesDoc {
        pub id: String,
        pub when: String,
        pub title: Texts,
        #[serde(deserialize_with = "number::multiple")]
        #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 100)))]
        pub price_multiple: u64,
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "number::opt_multiple")]
        #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 100)))]
        pub loss_multiple: Option<u64>,
        #[serde(default)]
        pub min: Money,
        #[serde(default)]
        pub borne_by: Party,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub legal_ref: Option<String>,
    }
}

wire_enum! {
    /// Which requests a service level applies to.
    #[derive(Default)]
    pub enum Applies {
        #[default]
        Always = "always",
        /// Refund requests (with or without return).
        Refund = "refund",
        ReturnRequired = "return_required",
        /// Some requested item is the seller's fault (quality, description, wrong item).
        SellerFault = "seller_fault",
        /// Some requested item was damaged or lost in transit.
        CarrierFault = "carrier_fault",
        CompensationOwed = "compensation_owed",
        Exchange = "exchange",
        Repair = "repair",
    }
}

wire_struct! {
    /// A timer: `what` must happen `within` a span `after` an event, unless one of `met_by`
    /// happened first. A missed one escalates one level per further span (unless `escalates`
    /// is false).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ServiceLevelDoc {
        /// `Text`: shared with every decision's deadlines rather than copied into them.
        pub what: Text,
        /// A span: 30min, 72h, 7d, 1wd (working days), 8bh (business hours) or 2y.
        pub within: Text,
        #[serde(default)]
        pub after: Event,
        #[serde(default)]
        pub counting: DayCounting,
        #[serde(default)]
        pub applies: Applies,
        #[serde(deserialize_with = "at_most::<_, _, MAX_MET_BY>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_MET_BY)))]
        pub met_by: Vec<Event>,
        #[serde(default = "yes")]
        pub escalates: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub legal_ref: Option<Text>,
    }
}

/// Events that meet one timer: a few of the lifecycle's.
const MAX_MET_BY: usize = 32;

fn yes() -> bool {
    true
}

wire_struct! {
    /// An amount per return method.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct MethodAmounts {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub pickup: Option<Money>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub drop_off: Option<Money>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub self_ship: Option<Money>,
    }
}

impl ReturnMethodsDoc {
    /// `child` over this preset's: its amounts per method win, and its cap on what a paying
    /// seller reimburses may raise the preset's, never lower it (nor add one where the preset
    /// reimburses the whole postage): the necessary postage is the shopper's right.
    pub fn under(self, child: ReturnMethodsDoc) -> ReturnMethodsDoc {
        let reimburse_up_to = match (self.reimburse_up_to, child.reimburse_up_to) {
            (Some(preset), Some(own)) => Some(preset.max(own)),
            (preset, _) => preset,
        };
        ReturnMethodsDoc {
            label_cost: child.label_cost.or(self.label_cost),
            reimburse_up_to,
            insurance_payout: child.insurance_payout.or(self.insurance_payout),
        }
    }
}

impl MethodAmounts {
    /// Each method's amount from `self`, else from `other`.
    fn or(self, other: MethodAmounts) -> MethodAmounts {
        MethodAmounts {
            pickup: self.pickup.or(other.pickup),
            drop_off: self.drop_off.or(other.drop_off),
            self_ship: self.self_ship.or(other.self_ship),
        }
    }

    pub fn of(&self, method: crate::model::request::ReturnMethod) -> Option<Money> {
        use crate::model::request::ReturnMethod;
        match method {
            ReturnMethod::Pickup => self.pickup,
            ReturnMethod::DropOff => self.drop_off,
            ReturnMethod::SelfShip => self.self_ship,
        }
    }
}

wire_struct! {
    /// The return postage by method: what a label costs when the request names no postage, the
    /// most the seller (or platform) pays back of it, and what freight insurance (运费险) pays.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct ReturnMethodsDoc {
        #[serde(default)]
        pub label_cost: MethodAmounts,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub reimburse_up_to: Option<Money>,
        #[serde(default)]
        pub insurance_payout: MethodAmounts,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ApprovalDoc {
        pub auto_up_to: Money,
        pub agent_up_to: Money,
    }
}

/// Customer texts for one reason code, replacing the built-in ones. Written in a policy as an
/// object keyed by code (`{"NOT_INTACT": {"zh-CN": …, "en": …}}`), hashed as a list of these.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MessageDoc {
    pub code: String,
    pub texts: Texts,
}

wire_struct! {
    /// A policy document. After merging with its preset every optional setting is resolved.
    /// Serialized (for the policy hash) without its `$schema` and previous versions.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PolicyDoc {
        /// An editor's schema reference; not part of the policy (nor of its hash).
        #[serde(rename = "$schema", default, skip_serializing)]
        pub schema: Option<String>,
        pub id: String,
        pub version: String,
        /// A preset: cn-statutory, platform-default or eu-crd.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub extends: Option<String>,
        /// ISO 4217, e.g. CNY or EUR.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub currency: Option<String>,
        /// The business's UTC offset all year, e.g. +08:00; or name a `time_zone`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub utc_offset: Option<String>,
        /// The business's time zone, e.g. Europe/Berlin (EU summer time) or Asia/Shanghai: one
        /// of the zones the engine knows, in place of `utc_offset`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub time_zone: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub calendar: Option<CalendarSpec>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rounding: Option<Rounding>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub shipping_refund: Option<ShippingRefund>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub approval: Option<ApprovalDoc>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub price_difference: Option<PriceDifferenceDoc>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub promotion_settlement: Option<PromotionSettlement>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub restore_coupons: Option<RestoreCoupons>,
        /// Whether a free-shipping threshold the kept goods no longer reach costs the waived fee.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub free_shipping_clawback: Option<bool>,
        /// Whether a diminished value the seller assessed may be deducted (EU CRD art. 14(2)).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub diminished_value: Option<bool>,
        /// Return postage by method (label costs, the reimbursement cap, freight insurance).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub return_methods: Option<ReturnMethodsDoc>,
        /// The least approval an amount asked for (goodwill) needs; `agent` when unset.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub goodwill_approval: Option<Tier>,
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_RULES>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_RULES)))]
        pub reasons: Vec<ReasonDoc>,
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_RULES>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_RULES)))]
        pub windows: Vec<WindowDoc>,
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_RULES>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_RULES)))]
        pub rules: Vec<RuleDoc>,
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_RULES>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_RULES)))]
        pub no_return: Vec<NoReturnDoc>,
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_RULES>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_RULES)))]
        pub return_postage: Vec<PostageDoc>,
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_RULES>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_RULES)))]
        pub compensation: Vec<CompensationDoc>,
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_RULES>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_RULES)))]
        pub damages: Vec<DamagesDoc>,
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_RULES>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_RULES)))]
        pub service_levels: Vec<ServiceLevelDoc>,
        /// Customer texts by reason code, replacing the built-in ones.
        #[serde(default, deserialize_with = "messages")]
        #[cfg_attr(feature = "schema", schemars(schema_with = "messages_schema", extend("default" = {})))]
        pub messages: Vec<MessageDoc>,
        /// Earlier versions of this policy, for orders placed while they were in force. Each is
        /// compiled and hashed on its own.
        #[serde(default, skip_serializing, deserialize_with = "at_most::<_, _, MAX_PREVIOUS_VERSIONS>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_PREVIOUS_VERSIONS)))]
        pub previous_versions: Vec<PolicyDoc>,
    }
}

/// Reads `messages`, an object of reason codes to texts, in the order written; a code given
/// twice is refused.
fn messages<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<MessageDoc>, D::Error> {
    struct Visit;
    impl<'de> serde::de::Visitor<'de> for Visit {
        type Value = Vec<MessageDoc>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an object of reason codes to texts")
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out: Vec<MessageDoc> = Vec::new();
            while let Some(code) = map.next_key::<String>()? {
                if out.len() == MAX_RULES {
                    return Err(crate::wire::refusal::refuse(Code::LimitExceeded, format_args!("at most {MAX_RULES} messages"), None));
                }
                // At most MAX_RULES codes: a scan, not a set.
                if out.iter().any(|m| m.code == code) {
                    return Err(serde::de::Error::custom(format_args!("duplicate field `{code}`")));
                }
                let texts = map.next_value::<Texts>()?;
                out.push(MessageDoc { code, texts });
            }
            Ok(out)
        }
    }
    d.deserialize_any(Visit)
}

#[cfg(feature = "schema")]
fn messages_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let texts = generator.subschema_for::<Texts>();
    schemars::json_schema!({
        "type": "object",
        "propertyNames": { "pattern": "^[A-Z0-9_]+$" },
        "additionalProperties": texts,
        "description": "customer texts by reason code, replacing the built-in ones",
    })
}

impl PolicyDoc {
    /// Every error of meaning in the document and its previous versions, each at its path:
    /// what the shape alone cannot say (a window with two lengths, a rule with no effect).
    pub fn check(&self, c: &mut Checks, path: &Path<'_>) {
        if let Some(code) = &self.currency {
            if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
                c.error(
                    Code::InvalidValue,
                    &path.key("currency"),
                    format!("`{code}` is not an ISO 4217 currency code"),
                    Some("write `CNY` or `EUR`"),
                );
            }
        }
        if let Some(offset) = &self.utc_offset {
            if let Err(why) = crate::time::Offset::parse(offset) {
                c.error(
                    Code::InvalidValue,
                    &path.key("utc_offset"),
                    format!("`{offset}` is not a UTC offset: {why}"),
                    Some("write `+08:00`"),
                );
            }
        }
        if let Some(name) = &self.time_zone {
            if self.utc_offset.is_some() {
                let why = "a policy sets `utc_offset` or `time_zone`, not both";
                c.error(Code::Inconsistent, &path.key("time_zone"), why, Some("keep `time_zone`: it knows the summer time"));
            } else if crate::time::zone::Zone::named(name).is_none() {
                let help = "name a zone such as `Europe/Berlin` or `Asia/Shanghai` (docs/time.md lists them), or set `utc_offset`";
                c.error(Code::InvalidValue, &path.key("time_zone"), format!("`{name}` is not a time zone the engine knows"), Some(help));
            }
        }
        if let Some(approval) = &self.approval {
            approval.check(c, &path.key("approval"));
        }
        each(c, path, "reasons", &self.reasons, |r, c, at| {
            if let Some(title) = &r.title {
                title.check(c, &at.key("title"));
            }
        });
        each(c, path, "windows", &self.windows, WindowDoc::check);
        each(c, path, "rules", &self.rules, RuleDoc::check);
        let messages = path.key("messages");
        for m in &self.messages {
            m.texts.check(c, &messages.key(&m.code));
        }
        each(c, path, "compensation", &self.compensation, |x, c, at| x.coupon.check(c, &at.key("coupon")));
        each(c, path, "service_levels", &self.service_levels, ServiceLevelDoc::check);
        each(c, path, "previous_versions", &self.previous_versions, PolicyDoc::check);
    }
}

/// Runs `check` on every entry of the list `name`, at its path.
fn each<T>(c: &mut Checks, path: &Path<'_>, name: &str, items: &[T], check: impl Fn(&T, &mut Checks, &Path<'_>)) {
    let list = path.key(name);
    for (i, item) in items.iter().enumerate() {
        check(item, c, &list.index(i));
    }
}

impl Texts {
    /// Texts are copied into answers, once per item they concern: at most [`MAX_TEXT_CHARS`].
    fn check(&self, c: &mut Checks, path: &Path<'_>) {
        for (language, text) in [("zh-CN", &self.zh), ("en", &self.en)] {
            let chars = text.chars().count();
            if chars > MAX_TEXT_CHARS {
                let message = format!("a text of {chars} characters; at most {MAX_TEXT_CHARS} are accepted");
                c.error(Code::LimitExceeded, &path.key(language), message, Some("customer texts are a sentence or two"));
            }
        }
    }
}

/// The longest windows, far beyond any law or practice: every deadline they give stays a
/// date the answers can write.
const MAX_WINDOW_DAYS: u64 = 36_600;
const MAX_WINDOW_HOURS: u64 = 24 * MAX_WINDOW_DAYS;
const MAX_WINDOW_MONTHS: u64 = 1_200;

impl WindowDoc {
    fn check(&self, c: &mut Checks, path: &Path<'_>) {
        for (field, value, most) in
            [("days", self.days, MAX_WINDOW_DAYS), ("hours", self.hours, MAX_WINDOW_HOURS), ("months", self.months, MAX_WINDOW_MONTHS)]
        {
            if value.is_some_and(|v| v > most) {
                c.error(
                    Code::LimitExceeded,
                    &path.key(field),
                    format!("at most {most} {field}"),
                    Some("a window longer than a century is not a window"),
                );
            }
        }
        if let Some(title) = &self.title {
            title.check(c, &path.key("title"));
        }
        let lengths = usize::from(self.days.is_some()) + usize::from(self.hours.is_some()) + usize::from(self.months.is_some());
        if lengths + usize::from(self.warranty && lengths == 0) != 1 {
            c.error(Code::Inconsistent, path, "a window needs exactly one of `days`, `hours`, `months` or `\"warranty\": true`", None);
        } else if self.warranty && self.hours.is_some() {
            c.error(Code::Inconsistent, &path.key("hours"), "a warranty's default length is in `days` or `months`", None);
        } else if self.hours.is_some() && self.counting != Counting::Exact {
            c.error(Code::Inconsistent, &path.key("hours"), "a window counted in hours must use `\"counting\": \"exact\"`", None);
        } else if (self.months.is_some() || self.warranty) && self.counting != Counting::NextLocalDay {
            c.error(Code::Inconsistent, &path.key("counting"), "a window counted in months uses `\"counting\": \"next_local_day\"`", None);
        }
        if self.resolutions.is_empty() {
            c.error(Code::MissingField, &path.key("resolutions"), "a window must grant at least one resolution", None);
        }
    }
}

impl RuleDoc {
    fn check(&self, c: &mut Checks, path: &Path<'_>) {
        // A claim's `deny` is the code it refuses with when late.
        let effects = usize::from(self.deny.is_some() && self.claim.is_none())
            + usize::from(self.require_review.is_some())
            + usize::from(self.fee_bp.is_some())
            + usize::from(self.claim.is_some())
            + usize::from(self.fast_track.is_some())
            + usize::from(self.partial_refund.is_some());
        if effects != 1 {
            let why = "a rule needs exactly one effect: `deny`, `require_review`, `fee_bp`, `claim`, `fast_track` or `partial_refund`";
            c.error(Code::Inconsistent, path, why, None);
        }
        if let Some(bands) = self.partial_refund.as_ref().map(|p| &p.bands) {
            if bands.windows(2).any(|w| w.first().map(|b| b.up_to_bp) >= w.get(1).map(|b| b.up_to_bp)) {
                c.error(
                    Code::Inconsistent,
                    &path.key("partial_refund").key("bands"),
                    "bands go up: each `up_to_bp` above the one before",
                    None,
                );
            }
        }
        if let Some(fast) = &self.fast_track {
            let at = path.key("fast_track");
            check_span(c, &at.key("return_within"), &fast.return_within);
            if !matches!(fast.release, Event::Submit | Event::ShipReturn | Event::ReceiveReturn) {
                c.error(
                    Code::InvalidValue,
                    &at.key("release"),
                    "a fast track releases at `submit`, `ship_return` or `receive_return`",
                    None,
                );
            }
        }
        if let Some(claim) = &self.claim {
            let at = path.key("claim");
            if claim.report_within.is_none() && claim.file_within.is_none() {
                c.error(Code::MissingField, &at, "a claim needs `report_within`, `file_within` or both", None);
            }
            for (field, span) in [("report_within", &claim.report_within), ("file_within", &claim.file_within)] {
                if let Some(span) = span {
                    check_span(c, &at.key(field), span);
                }
            }
        }
        if let Some(code) = &self.deny {
            if code.is_empty() || !code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_') {
                c.error(
                    Code::InvalidValue,
                    &path.key("deny"),
                    format!("`{code}` is not a reason code"),
                    Some("reason codes are SCREAMING_SNAKE_CASE, e.g. `NOT_INTACT`"),
                );
            }
        }
    }
}

impl CouponDoc {
    fn check(&self, c: &mut Checks, path: &Path<'_>) {
        if self.amount.is_some() == self.rate_bp.is_some() {
            c.error(Code::Inconsistent, path, "a coupon needs exactly one of `amount` or `rate_bp`", None);
        }
        if self.max.is_some_and(|max| max < self.min) {
            c.error(Code::Inconsistent, &path.key("max"), "the coupon's `max` is below its `min`", None);
        }
    }
}

/// A span of time as policies write them.
fn check_span(c: &mut Checks, path: &Path<'_>, span: &str) {
    if crate::time::span::Span::parse(span).is_none() {
        c.error(
            Code::InvalidValue,
            path,
            format!("`{span}` is not a span of time"),
            Some("write `30min`, `72h`, `7d` (calendar days), `1wd` (working days), `8bh` (business hours) or `2y`"),
        );
    }
}

impl ServiceLevelDoc {
    fn check(&self, c: &mut Checks, path: &Path<'_>) {
        check_span(c, &path.key("within"), &self.within);
        if self.met_by.is_empty() {
            c.error(Code::MissingField, &path.key("met_by"), "a service level needs at least one event that meets it", None);
        }
    }
}

impl ApprovalDoc {
    fn check(&self, c: &mut Checks, path: &Path<'_>) {
        if self.agent_up_to < self.auto_up_to {
            c.error(Code::Inconsistent, &path.key("agent_up_to"), "`agent_up_to` is below `auto_up_to`", None);
        }
    }
}

/// Reads a policy document (`root` names it in errors) and checks it as a whole.
pub fn read_policy(text: &str, root: &str) -> Result<PolicyDoc, crate::wire::error::Errors> {
    let doc: PolicyDoc = crate::wire::json::read(text, root, Some(root), crate::wire::limits::POLICY_LIMITS)?;
    let mut c = Checks::default();
    doc.check(&mut c, &Path::Root(root));
    c.finish(doc)
}
