//! The policy document as authored (SPEC §2 "Policy"): decoded strictly, merged with the
//! preset it extends, and serialized canonically for the policy hash.

use crate::calendar::doc::CalendarSpec;
use crate::clock::DayCounting;
use crate::error::Code;
use crate::json::decode::{wire_enum, Decode, Decoder, Obj, Path};
use crate::json::Value;
use crate::lifecycle::Event;
use crate::money::{Money, Rounding};

wire_enum! {
    /// Whose fault the reason is.
    pub enum Fault {
        Buyer = "buyer",
        Seller = "seller",
        Carrier = "carrier",
        Platform = "platform",
    }
}

wire_enum! {
    /// Who bears an amount paid out (责任主体).
    pub enum Party {
        Merchant = "merchant",
        Carrier = "carrier",
        Insurer = "insurer",
        Platform = "platform",
        Shopper = "shopper",
    }
}

wire_enum! {
    /// Who pays the return postage.
    pub enum Payer {
        Buyer = "buyer",
        Seller = "seller",
        Insurer = "insurer",
        Platform = "platform",
    }
}

wire_enum! {
    /// The layer a rule belongs to: the statutory floor, or an extension above it.
    pub enum Layer {
        Statutory = "statutory",
        Platform = "platform",
        Merchant = "merchant",
    }
}

wire_enum! {
    /// The event a window is counted from.
    pub enum Anchor {
        Placed = "placed",
        Paid = "paid",
        Shipped = "shipped",
        Delivered = "delivered",
        LastParcelDelivered = "last_parcel_delivered",
    }
}

wire_enum! {
    /// How a window's length is counted.
    pub enum Counting {
        /// Whole local days starting the day after the anchor; ends at local midnight
        /// (the Chinese rule: 签收次日起 7 天, closing at 23:59:59 of the 7th day).
        NextLocalDay = "next_local_day",
        /// An exact span from the anchor instant (168 h).
        Exact = "exact",
        /// Working days of the policy's calendar, from the next working day after the
        /// anchor, ending at the end of the last one.
        WorkingDays = "working_days",
    }
}

wire_enum! {
    /// What an eligible item may get.
    pub enum Resolution {
        Refund = "refund",
        Exchange = "exchange",
        Repair = "repair",
        PriceAdjustment = "price_adjustment",
    }
}

wire_enum! {
    /// Approval tiers, lowest first.
    pub enum Tier {
        Auto = "auto",
        Agent = "agent",
        Supervisor = "supervisor",
        OperationsManager = "operations_manager",
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
    /// How a threshold promotion (满减) that a partial return breaks is settled (SPEC §4a).
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
    pub enum CouponBase {
        /// Everything the shopper paid for the order, shipping included.
        OrderPaid = "order_paid",
    }
}

/// A customer-facing text in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Texts {
    pub zh: String,
    pub en: String,
}
crate::json::json_object!(Texts { "zh-CN" => zh, "en" => en });

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvidenceRequirement {
    pub photos: u64,
    pub package_photos: u64,
    pub videos: u64,
    pub description_chars: u64,
}
crate::json::json_object!(EvidenceRequirement { "photos" => photos, "package_photos" => package_photos, "videos" => videos, "description_chars" => description_chars });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReasonDoc {
    pub code: String,
    pub fault: Fault,
    pub no_reason: bool,
    pub evidence: EvidenceRequirement,
    pub liability: Option<Party>,
    pub title: Option<Texts>,
}
crate::json::json_object!(ReasonDoc { "code" => code, "fault" => fault, "no_reason" => no_reason, "evidence" => evidence, "liability" => liability, "title" => title });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowDoc {
    pub id: String,
    pub when: Option<String>,
    pub anchor: Anchor,
    pub days: Option<u64>,
    pub hours: Option<u64>,
    /// Calendar months, ending with the same day of the month (counted like `next_local_day`).
    pub months: Option<u64>,
    /// As long as the line's own warranty (`line.facts.warranty_months`).
    pub warranty: bool,
    /// Days the item spent in repair extend the window (三包: repair time does not count).
    pub exclude_repair_days: bool,
    pub counting: Counting,
    /// A window whose last day is not a working day ends at the end of the next one.
    pub roll_forward: bool,
    pub resolutions: Vec<Resolution>,
    pub layer: Layer,
    pub legal_ref: Option<String>,
    pub title: Option<Texts>,
}
crate::json::json_object!(WindowDoc { "id" => id, "when" => when, "anchor" => anchor, "days" => days, "hours" => hours, "months" => months, "warranty" => warranty, "exclude_repair_days" => exclude_repair_days, "counting" => counting, "roll_forward" => roll_forward, "resolutions" => resolutions, "layer" => layer, "legal_ref" => legal_ref, "title" => title });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDoc {
    pub id: String,
    pub when: String,
    pub deny: Option<String>,
    pub require_review: Option<Tier>,
    /// A fee (restocking, handling) as basis points of the item's refund, deducted from it.
    pub fee_bp: Option<u64>,
    pub layer: Layer,
    pub legal_ref: Option<String>,
}
crate::json::json_object!(RuleDoc { "id" => id, "when" => when, "deny" => deny, "require_review" => require_review, "fee_bp" => fee_bp, "layer" => layer, "legal_ref" => legal_ref });

/// A gate for refund without return (仅退款): an item may keep its goods and be refunded when
/// one of these matches (and a window grants a refund).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoReturnDoc {
    pub id: String,
    pub when: String,
    /// Cross-border goods are destroyed on site instead of shipped back.
    pub destroy_on_site: bool,
}
crate::json::json_object!(NoReturnDoc { "id" => id, "when" => when, "destroy_on_site" => destroy_on_site });

/// Price-difference compensation: the shopper keeps the item and gets this share of what its
/// units were paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceDifferenceDoc {
    pub rate_bp: u64,
    pub rounding: Option<Rounding>,
}
crate::json::json_object!(PriceDifferenceDoc { "rate_bp" => rate_bp, "rounding" => rounding });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostageDoc {
    pub id: String,
    pub when: String,
    pub payer: Payer,
    pub legal_ref: Option<String>,
}
crate::json::json_object!(PostageDoc { "id" => id, "when" => when, "payer" => payer, "legal_ref" => legal_ref });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponDoc {
    pub amount: Option<Money>,
    pub rate_bp: Option<u64>,
    pub of: CouponBase,
    pub min: Money,
    pub max: Option<Money>,
    pub min_spend: Money,
    pub rounding: Option<Rounding>,
    pub valid_days: u64,
}
crate::json::json_object!(CouponDoc { "amount" => amount, "rate_bp" => rate_bp, "of" => of, "min" => min, "max" => max, "min_spend" => min_spend, "rounding" => rounding, "valid_days" => valid_days });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompensationDoc {
    pub id: String,
    pub when: String,
    pub coupon: CouponDoc,
    pub borne_by: Party,
}
crate::json::json_object!(CompensationDoc { "id" => id, "when" => when, "coupon" => coupon, "borne_by" => borne_by });

wire_enum! {
    /// Which requests a service level applies to.
    pub enum Applies {
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

/// A timer: `what` must happen `within` a span `after` an event, unless one of `met_by`
/// happened first. A missed one escalates one level per further span (unless `escalates`
/// is false).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceLevelDoc {
    /// `Text`: shared with every decision's deadlines rather than copied into them.
    pub what: crate::text::Text,
    pub within: crate::text::Text,
    pub after: Event,
    pub counting: DayCounting,
    pub applies: Applies,
    pub met_by: Vec<Event>,
    pub escalates: bool,
    pub legal_ref: Option<crate::text::Text>,
}
crate::json::json_object!(ServiceLevelDoc { "what" => what, "within" => within, "after" => after, "counting" => counting, "applies" => applies, "met_by" => met_by, "escalates" => escalates, "legal_ref" => legal_ref });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalDoc {
    pub auto_up_to: Money,
    pub agent_up_to: Money,
}
crate::json::json_object!(ApprovalDoc { "auto_up_to" => auto_up_to, "agent_up_to" => agent_up_to });

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageDoc {
    pub code: String,
    pub texts: Texts,
}
crate::json::json_object!(MessageDoc { "code" => code, "texts" => texts });

/// A policy document. After merging with its preset every optional setting is resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDoc {
    pub id: String,
    pub version: String,
    pub extends: Option<String>,
    pub currency: Option<String>,
    pub utc_offset: Option<String>,
    pub calendar: Option<CalendarSpec>,
    pub rounding: Option<Rounding>,
    pub shipping_refund: Option<ShippingRefund>,
    pub approval: Option<ApprovalDoc>,
    pub price_difference: Option<PriceDifferenceDoc>,
    pub promotion_settlement: Option<PromotionSettlement>,
    pub restore_coupons: Option<RestoreCoupons>,
    /// Whether a free-shipping threshold the kept goods no longer reach costs the waived fee.
    pub free_shipping_clawback: Option<bool>,
    /// Whether a diminished value the seller assessed may be deducted (EU CRD art. 14(2)).
    pub diminished_value: Option<bool>,
    /// The least approval an amount asked for (goodwill) needs; `agent` when unset.
    pub goodwill_approval: Option<Tier>,
    pub reasons: Vec<ReasonDoc>,
    pub windows: Vec<WindowDoc>,
    pub rules: Vec<RuleDoc>,
    pub no_return: Vec<NoReturnDoc>,
    pub return_postage: Vec<PostageDoc>,
    pub compensation: Vec<CompensationDoc>,
    pub service_levels: Vec<ServiceLevelDoc>,
    pub messages: Vec<MessageDoc>,
    /// Earlier versions of this policy, for orders placed while they were in force. Each is
    /// compiled and hashed on its own.
    pub previous_versions: Vec<PolicyDoc>,
}
crate::json::json_object!(PolicyDoc { "id" => id, "version" => version, "extends" => extends, "currency" => currency, "utc_offset" => utc_offset, "calendar" => calendar, "rounding" => rounding, "shipping_refund" => shipping_refund, "approval" => approval, "price_difference" => price_difference, "promotion_settlement" => promotion_settlement, "restore_coupons" => restore_coupons, "free_shipping_clawback" => free_shipping_clawback, "diminished_value" => diminished_value, "goodwill_approval" => goodwill_approval, "reasons" => reasons, "windows" => windows, "rules" => rules, "no_return" => no_return, "return_postage" => return_postage, "compensation" => compensation, "service_levels" => service_levels, "messages" => messages });

impl<'a> Decode<'a> for Texts {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let zh = o.req(d, "zh-CN");
        let en = o.req(d, "en");
        o.finish(d);
        Some(Texts { zh: zh?, en: en? })
    }
}

impl<'a> Decode<'a> for EvidenceRequirement {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let photos = o.or(d, "photos", 0u64);
        let package_photos = o.or(d, "package_photos", 0u64);
        let videos = o.or(d, "videos", 0u64);
        let description_chars = o.or(d, "description_chars", 0u64);
        o.finish(d);
        Some(EvidenceRequirement {
            photos: photos?,
            package_photos: package_photos?,
            videos: videos?,
            description_chars: description_chars?,
        })
    }
}

impl<'a> Decode<'a> for ReasonDoc {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let code = o.req(d, "code");
        let fault = o.req(d, "fault");
        let no_reason = o.or(d, "no_reason", false);
        let evidence = o.or(d, "evidence", EvidenceRequirement::default());
        let liability = o.opt(d, "liability");
        let title = o.opt(d, "title");
        o.finish(d);
        Some(ReasonDoc {
            code: code?,
            fault: fault?,
            no_reason: no_reason?,
            evidence: evidence?,
            liability: liability.ok()?,
            title: title.ok()?,
        })
    }
}

impl<'a> Decode<'a> for WindowDoc {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let id = o.req(d, "id");
        let when = o.opt(d, "when");
        o.hint(d, "when", |defs, field| field.schema = crate::schema::expression(defs));
        let anchor = o.req(d, "anchor");
        let days = o.opt(d, "days");
        let hours = o.opt(d, "hours");
        let months = o.opt(d, "months");
        let warranty = o.or(d, "warranty", false);
        let exclude_repair_days = o.or(d, "exclude_repair_days", false);
        let counting = o.or(d, "counting", Counting::NextLocalDay);
        let roll_forward = o.or(d, "roll_forward", false);
        let resolutions = o.req(d, "resolutions");
        o.hint(d, "resolutions", |_, field| field.schema.set("minItems", crate::schema::Json::Num("1".into())));
        let layer = o.or(d, "layer", Layer::Merchant);
        let legal_ref = o.opt(d, "legal_ref");
        let title = o.opt(d, "title");
        o.finish(d);
        let window = WindowDoc {
            id: id?,
            when: when.ok()?,
            anchor: anchor?,
            days: days.ok()?,
            hours: hours.ok()?,
            months: months.ok()?,
            warranty: warranty?,
            exclude_repair_days: exclude_repair_days?,
            counting: counting?,
            roll_forward: roll_forward?,
            resolutions: resolutions?,
            layer: layer?,
            legal_ref: legal_ref.ok()?,
            title: title.ok()?,
        };
        let lengths = usize::from(window.days.is_some())
            + usize::from(window.hours.is_some())
            + usize::from(window.months.is_some())
            + usize::from(window.warranty);
        if lengths != 1 {
            d.error(Code::Inconsistent, path, "a window needs exactly one of `days`, `hours`, `months` or `\"warranty\": true`", None);
        } else if window.hours.is_some() && window.counting != Counting::Exact {
            d.error(Code::Inconsistent, &path.key("hours"), "a window counted in hours must use `\"counting\": \"exact\"`", None);
        } else if (window.months.is_some() || window.warranty) && window.counting != Counting::NextLocalDay {
            d.error(Code::Inconsistent, &path.key("counting"), "a window counted in months uses `\"counting\": \"next_local_day\"`", None);
        }
        if window.resolutions.is_empty() {
            d.error(Code::MissingField, &path.key("resolutions"), "a window must grant at least one resolution", None);
        }
        Some(window)
    }
}

impl<'a> Decode<'a> for RuleDoc {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let id = o.req(d, "id");
        let when = o.req(d, "when");
        o.hint(d, "when", |defs, field| field.schema = crate::schema::expression(defs));
        let deny = o.opt::<String>(d, "deny");
        o.hint(d, "deny", |_, field| {
            field.schema = crate::schema::pattern("^[A-Z0-9_]+$", "the reason code of the denial, SCREAMING_SNAKE_CASE")
        });
        let require_review = o.opt(d, "require_review");
        let fee_bp = o.opt::<u64>(d, "fee_bp");
        o.hint(d, "fee_bp", |_, field| {
            field.schema = crate::schema::Json::integer(0, 10_000).described("basis points of the refund: 1000 is 10 %")
        });
        let layer = o.or(d, "layer", Layer::Merchant);
        let legal_ref = o.opt(d, "legal_ref");
        o.finish(d);
        let rule = RuleDoc {
            id: id?,
            when: when?,
            deny: deny.ok()?,
            require_review: require_review.ok()?,
            fee_bp: fee_bp.ok()?,
            layer: layer?,
            legal_ref: legal_ref.ok()?,
        };
        let effects = usize::from(rule.deny.is_some()) + usize::from(rule.require_review.is_some()) + usize::from(rule.fee_bp.is_some());
        if effects != 1 {
            d.error(Code::Inconsistent, path, "a rule needs exactly one effect: `deny`, `require_review` or `fee_bp`", None);
        }
        if rule.fee_bp.is_some_and(|bp| bp > 10_000) {
            d.error(Code::InvalidInteger, &path.key("fee_bp"), "a fee is at most 10000 bp (100 %) of the refund", None);
        }
        if let Some(code) = &rule.deny {
            if code.is_empty() || !code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_') {
                d.error(
                    Code::InvalidValue,
                    &path.key("deny"),
                    format!("`{code}` is not a reason code"),
                    Some("reason codes are SCREAMING_SNAKE_CASE, e.g. `NOT_INTACT`"),
                );
            }
        }
        Some(rule)
    }
}

impl<'a> Decode<'a> for NoReturnDoc {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let id = o.req(d, "id");
        let when = o.req(d, "when");
        o.hint(d, "when", |defs, field| field.schema = crate::schema::expression(defs));
        let destroy_on_site = o.or(d, "destroy_on_site", false);
        o.finish(d);
        Some(NoReturnDoc { id: id?, when: when?, destroy_on_site: destroy_on_site? })
    }
}

impl<'a> Decode<'a> for PriceDifferenceDoc {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let rate_bp = o.req::<u64>(d, "rate_bp");
        o.hint(d, "rate_bp", |_, field| field.schema = crate::schema::Json::integer(0, 10_000).described("basis points: 2000 is 20 %"));
        let rounding = o.opt(d, "rounding");
        o.finish(d);
        if rate_bp.is_some_and(|bp| bp > 10_000) {
            d.error(Code::InvalidInteger, &path.key("rate_bp"), "at most 10000 bp (100 %)", None);
        }
        Some(PriceDifferenceDoc { rate_bp: rate_bp?, rounding: rounding.ok()? })
    }
}

impl<'a> Decode<'a> for PostageDoc {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let id = o.req(d, "id");
        let when = o.req(d, "when");
        o.hint(d, "when", |defs, field| field.schema = crate::schema::expression(defs));
        let payer = o.req(d, "payer");
        let legal_ref = o.opt(d, "legal_ref");
        o.finish(d);
        Some(PostageDoc { id: id?, when: when?, payer: payer?, legal_ref: legal_ref.ok()? })
    }
}

impl<'a> Decode<'a> for CouponDoc {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let amount = o.opt(d, "amount");
        let rate_bp = o.opt(d, "rate_bp");
        let of = o.or(d, "of", CouponBase::OrderPaid);
        let min = o.or(d, "min", Money::ZERO);
        let max = o.opt(d, "max");
        let min_spend = o.or(d, "min_spend", Money::ZERO);
        let rounding = o.opt(d, "rounding");
        let valid_days = o.req(d, "valid_days");
        o.finish(d);
        let coupon = CouponDoc {
            amount: amount.ok()?,
            rate_bp: rate_bp.ok()?,
            of: of?,
            min: min?,
            max: max.ok()?,
            min_spend: min_spend?,
            rounding: rounding.ok()?,
            valid_days: valid_days?,
        };
        if coupon.amount.is_some() == coupon.rate_bp.is_some() {
            d.error(Code::Inconsistent, path, "a coupon needs exactly one of `amount` or `rate_bp`", None);
        }
        if coupon.max.is_some_and(|max| max < coupon.min) {
            d.error(Code::Inconsistent, &path.key("max"), "the coupon's `max` is below its `min`", None);
        }
        Some(coupon)
    }
}

impl<'a> Decode<'a> for CompensationDoc {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let id = o.req(d, "id");
        let when = o.req(d, "when");
        o.hint(d, "when", |defs, field| field.schema = crate::schema::expression(defs));
        let coupon = o.req(d, "coupon");
        let borne_by = o.or(d, "borne_by", Party::Merchant);
        o.finish(d);
        Some(CompensationDoc { id: id?, when: when?, coupon: coupon?, borne_by: borne_by? })
    }
}

impl<'a> Decode<'a> for ServiceLevelDoc {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let what = o.req(d, "what");
        let within: Option<crate::text::Text> = o.req(d, "within");
        o.hint(d, "within", |_, field| {
            field.schema = crate::schema::pattern(
                "^[0-9]+(min|h|d|wd|bh|y)$",
                "a span: 30min, 72h, 7d, 1wd (working days), 8bh (business hours) or 2y",
            )
        });
        let after = o.or(d, "after", Event::Submit);
        let counting = o.or(d, "counting", DayCounting::FromEvent);
        let applies = o.or(d, "applies", Applies::Always);
        let met_by: Option<Vec<Event>> = o.req(d, "met_by");
        o.hint(d, "met_by", |_, field| field.schema.set("minItems", crate::schema::Json::Num("1".into())));
        let escalates = o.or(d, "escalates", true);
        let legal_ref = o.opt(d, "legal_ref");
        o.finish(d);
        if let Some(w) = &within {
            if crate::clock::Span::parse(w).is_none() {
                d.error(
                    Code::InvalidValue,
                    &path.key("within"),
                    format!("`{w}` is not a span of time"),
                    Some("write `30min`, `72h`, `7d` (calendar days), `1wd` (working days), `8bh` (business hours) or `2y`"),
                );
            }
        }
        if met_by.as_ref().is_some_and(Vec::is_empty) {
            d.error(Code::MissingField, &path.key("met_by"), "a service level needs at least one event that meets it", None);
        }
        Some(ServiceLevelDoc {
            what: what?,
            within: within?,
            after: after?,
            counting: counting?,
            applies: applies?,
            met_by: met_by?,
            escalates: escalates?,
            legal_ref: legal_ref.ok()?,
        })
    }
}

impl<'a> Decode<'a> for ApprovalDoc {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let auto_up_to = o.req(d, "auto_up_to");
        let agent_up_to = o.req(d, "agent_up_to");
        o.finish(d);
        let approval = ApprovalDoc { auto_up_to: auto_up_to?, agent_up_to: agent_up_to? };
        if approval.agent_up_to < approval.auto_up_to {
            d.error(Code::Inconsistent, &path.key("agent_up_to"), "`agent_up_to` is below `auto_up_to`", None);
        }
        Some(approval)
    }
}

/// `messages` is an object keyed by reason code: `{"NOT_INTACT": {"zh-CN": …, "en": …}}`.
fn decode_messages(d: &mut Decoder, v: &Value<'_>, path: &Path<'_>) -> Option<Vec<MessageDoc>> {
    let Value::Object(pairs) = v else {
        crate::json::decode::wrong_type(d, v, path, "an object of reason codes to texts");
        return None;
    };
    let mut out = Vec::with_capacity(pairs.len());
    for (code, texts) in pairs {
        if let Some(texts) = Texts::decode(d, texts, &path.key(code)) {
            out.push(MessageDoc { code: code.to_string(), texts });
        }
    }
    Some(out)
}

impl<'a> Decode<'a> for PolicyDoc {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        // An editor's schema reference; not part of the policy (nor of its hash).
        let _ = o.raw(d, "$schema");
        o.hint(d, "$schema", |_, field| field.schema = crate::schema::Json::typed("string").described("the JSON Schema for editors"));
        let id = o.req(d, "id");
        let version = o.req(d, "version");
        let extends = o.opt(d, "extends");
        o.hint(d, "extends", |_, field| {
            field.schema = crate::schema::Json::one_of_strings(&crate::policy::presets::ids().collect::<Vec<_>>())
        });
        let currency = o.opt::<String>(d, "currency");
        o.hint(d, "currency", |_, field| field.schema = crate::schema::pattern("^[A-Z]{3}$", "ISO 4217, e.g. CNY or EUR"));
        let utc_offset = o.opt::<String>(d, "utc_offset");
        o.hint(d, "utc_offset", |_, field| {
            field.schema = crate::schema::pattern("^[+-][0-9]{2}:[0-9]{2}$", "the business's UTC offset, e.g. +08:00")
        });
        let calendar = o.opt(d, "calendar");
        let rounding = o.opt(d, "rounding");
        let shipping_refund = o.opt(d, "shipping_refund");
        let approval = o.opt(d, "approval");
        let price_difference = o.opt(d, "price_difference");
        let promotion_settlement = o.opt(d, "promotion_settlement");
        let restore_coupons = o.opt(d, "restore_coupons");
        let free_shipping_clawback = o.opt(d, "free_shipping_clawback");
        let diminished_value = o.opt(d, "diminished_value");
        let goodwill_approval = o.opt(d, "goodwill_approval");
        let reasons = o.list(d, "reasons", crate::policy::compile::MAX_RULES, "policy");
        let windows = o.list(d, "windows", crate::policy::compile::MAX_RULES, "policy");
        let rules = o.list(d, "rules", crate::policy::compile::MAX_RULES, "policy");
        let no_return = o.list(d, "no_return", crate::policy::compile::MAX_RULES, "policy");
        let return_postage = o.list(d, "return_postage", crate::policy::compile::MAX_RULES, "policy");
        let compensation = o.list(d, "compensation", crate::policy::compile::MAX_RULES, "policy");
        let service_levels = o.list(d, "service_levels", crate::policy::compile::MAX_RULES, "policy");
        let messages = o.with(d, "messages", decode_messages);
        o.hint(d, "messages", |defs, field| {
            let texts = Texts::schema(defs);
            field.schema = crate::schema::Json::typed("object")
                .with("propertyNames", crate::schema::pattern("^[A-Z0-9_]+$", "a reason code"))
                .with("additionalProperties", texts)
                .described("customer texts by reason code, replacing the built-in ones");
        });
        let previous_versions = o.or(d, "previous_versions", Vec::new());
        o.finish(d);
        if let Ok(Some(c)) = &currency {
            if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
                d.error(
                    Code::InvalidValue,
                    &path.key("currency"),
                    format!("`{c}` is not an ISO 4217 currency code"),
                    Some("write `CNY` or `EUR`"),
                );
            }
        }
        if let Ok(Some(off)) = &utc_offset {
            if let Err(why) = crate::time::Offset::parse(off) {
                d.error(Code::InvalidValue, &path.key("utc_offset"), format!("`{off}` is not a UTC offset: {why}"), Some("write `+08:00`"));
            }
        }
        Some(PolicyDoc {
            id: id?,
            version: version?,
            extends: extends.ok()?,
            currency: currency.ok()?,
            utc_offset: utc_offset.ok()?,
            calendar: calendar.ok()?,
            rounding: rounding.ok()?,
            shipping_refund: shipping_refund.ok()?,
            approval: approval.ok()?,
            price_difference: price_difference.ok()?,
            promotion_settlement: promotion_settlement.ok()?,
            restore_coupons: restore_coupons.ok()?,
            free_shipping_clawback: free_shipping_clawback.ok()?,
            diminished_value: diminished_value.ok()?,
            goodwill_approval: goodwill_approval.ok()?,
            reasons: reasons?,
            windows: windows?,
            rules: rules?,
            no_return: no_return?,
            return_postage: return_postage?,
            compensation: compensation?,
            service_levels: service_levels?,
            messages: messages.ok()?.unwrap_or_default(),
            previous_versions: previous_versions?,
        })
    }
}
