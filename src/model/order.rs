//! The order as the platform recorded it.

use crate::money::Money;
use crate::time::Instant;
use crate::vocab::Phase;
use crate::wire::checks::{Checks, Path};
use crate::wire::error::Code;
use crate::wire::json::at_most;
use crate::wire::limits::MAX_LINES;
use crate::wire::number;
use crate::wire::text::Text;
use crate::wire::{wire_enum, wire_struct};

wire_enum! {
    /// The kind of an order-level discount.
    pub enum DiscountKind {
        /// 满减: a threshold discount.
        Threshold = "threshold",
        PlatformCoupon = "platform_coupon",
        MerchantCoupon = "merchant_coupon",
    }
}

wire_enum! {
    /// How a part of the order was paid.
    pub enum Tender {
        OriginalPayment = "original_payment",
        Points = "points",
        GiftCard = "gift_card",
        Balance = "balance",
    }
}

wire_enum! {
    /// 拼团 status.
    pub enum GroupBuy {
        Pending = "pending",
        Succeeded = "succeeded",
        Failed = "failed",
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Discount {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub id: Option<String>,
        pub kind: DiscountKind,
        pub amount: Money,
        /// For a threshold discount (满减): the goods total it needs (满 X 减 Y: X).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub threshold: Option<Money>,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Payment {
        pub tender: Tender,
        pub amount: Money,
        /// For points: how many points paid `amount` (points come back as points).
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "number::opt_count_u64")]
        pub points: Option<u64>,
    }
}

wire_enum! {
    /// Where the seller made a promise.
    pub enum PromiseSource {
        ProductPage = "product_page",
        LiveStream = "live_stream",
        CustomerService = "customer_service",
        Advertisement = "advertisement",
    }
}

wire_struct! {
    /// A promise the seller made about the line (实施条例 第十二条: binding as made). It only adds
    /// to the shopper's rights: no rule of any layer refuses what it grants.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Promise {
        pub id: Text,
        pub source: PromiseSource,
        /// The words as the shopper saw or heard them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub said: Option<Text>,
        /// Returns for any reason within this many days of delivery (“30 天无理由退货”).
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "number::opt_period")]
        pub return_days: Option<u32>,
        /// A warranty of this many months for a fault of the goods, repair days excluded.
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "number::opt_period")]
        pub warranty_months: Option<u32>,
        /// The seller pays the return postage (“包退运费”).
        #[serde(default, skip_serializing_if = "crate::wire::is_false")]
        pub free_return_postage: bool,
        /// Damages of this multiple of the price when fraud is established (“假一赔十”).
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "number::opt_multiple")]
        pub fraud_multiple: Option<u64>,
    }
}

impl Promise {
    /// Whether the promise grants anything the engine decides.
    fn grants(&self) -> bool {
        self.return_days.is_some() || self.warranty_months.is_some() || self.free_return_postage || self.fraud_multiple.is_some()
    }
}

wire_struct! {
    /// Facts about the goods recorded at sale.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct LineFacts {
        #[serde(default)]
        pub custom_made: bool,
        #[serde(default)]
        pub perishable: bool,
        /// Digital goods (audio, video, software) downloaded or unsealed.
        #[serde(default)]
        pub digital_opened: bool,
        #[serde(default)]
        pub newspaper_or_periodical: bool,
        #[serde(default)]
        pub activated: bool,
        #[serde(default)]
        pub hygiene_seal_opened: bool,
        /// Near-expiry or flawed goods sold as such.
        #[serde(default)]
        pub near_expiry_or_flawed: bool,
        #[serde(default)]
        pub final_sale: bool,
        /// Virtual goods or a service (a top-up, a booking, a course): nothing to send back.
        #[serde(default, rename = "virtual")]
        pub virtual_goods: bool,
        /// The shopper confirmed at purchase that the goods are not returnable by nature
        /// (without it, "by nature" exclusions do not apply).
        #[serde(default)]
        pub nature_confirmed: bool,
        #[serde(default, deserialize_with = "number::count_u64")]
        pub warranty_months: u64,
        /// Repairs under warranty that did not fix the fault (三包: after two, exchange or return).
        #[serde(default, deserialize_with = "number::count_u64")]
        pub failed_repairs: u64,
        /// Days the item spent in repair, which do not count towards the warranty.
        #[serde(default, deserialize_with = "number::count_u64")]
        pub repair_days: u64,
        /// When the goods were installed, for goods whose warranty runs from installation.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub installed_at: Option<Instant>,
        /// When the item was replaced under warranty: the replacement's warranty starts then.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub replaced_at: Option<Instant>,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Line {
        pub id: Text,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub sku: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub title: Option<String>,
        pub category: String,
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_TAGS>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_TAGS)))]
        pub tags: Vec<String>,
        pub unit_price: Money,
        #[serde(deserialize_with = "number::positive")]
        #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
        pub quantity: i64,
        #[serde(default)]
        pub line_discount: Money,
        #[serde(default)]
        pub gift: bool,
        /// For a gift (赠品): the line it was given with.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub gift_for: Option<String>,
        /// For a gift: the value declared at sale, deducted if the gift is not returned.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub gift_value: Option<Money>,
        #[serde(default)]
        pub facts: LineFacts,
        /// What the seller promised about the goods (on the product page, in a live stream…).
        #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "at_most::<_, _, MAX_PROMISES>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_PROMISES)))]
        pub promises: Vec<Promise>,
    }
}

wire_struct! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct Customer {
        /// 诚信分, 0–100, when the platform keeps one.
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "number::opt_count")]
        #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 100)))]
        pub integrity_score: Option<i64>,
        #[serde(default)]
        pub member_free_returns: bool,
        #[serde(default, deserialize_with = "number::count_u64")]
        pub returns_90d: u64,
    }
}

wire_struct! {
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct Merchant {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub credit_level: Option<String>,
        #[serde(default)]
        pub complaint_rate_high: bool,
        /// The merchant opted in to fast refunds and exchanges (极速退款).
        #[serde(default)]
        pub fast_refund: bool,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Order {
        pub id: String,
        pub currency: String,
        pub placed_at: Instant,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub paid_at: Option<Instant>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub promised_ship_by: Option<Instant>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub shipped_at: Option<Instant>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub delivered_at: Option<Instant>,
        /// When the last of several parcels arrived.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub last_parcel_delivered_at: Option<Instant>,
        #[serde(default)]
        pub shipping_fee: Money,
        /// The least expensive standard delivery offered (EU CRD refunds at most this).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub standard_shipping_fee: Option<Money>,
        /// Free shipping for goods of at least this total (包邮门槛), and the fee it waived.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub free_shipping_threshold: Option<Money>,
        #[serde(default)]
        pub shipping_waived: Money,
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_LINES>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_LINES)))]
        pub discounts: Vec<Discount>,
        #[serde(default, deserialize_with = "at_most::<_, _, MAX_TENDERS>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_TENDERS)))]
        pub payments: Vec<Payment>,
        #[serde(default)]
        pub freight_insurance: bool,
        /// What the freight insurance (运费险) pays towards return postage.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub freight_insurance_payout: Option<Money>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub group_buy: Option<GroupBuy>,
        #[serde(default)]
        pub cross_border: bool,
        #[serde(default)]
        pub customer: Customer,
        #[serde(default)]
        pub merchant: Merchant,
        /// The policy version in force when the order was placed, if the platform recorded it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub policy_version: Option<String>,
        #[serde(deserialize_with = "at_most::<_, _, MAX_LINES>")]
        #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 500)))]
        pub lines: Vec<Line>,
    }
}

/// The most tags one line may carry.
const MAX_TAGS: usize = 256;
/// The most promises one line may carry.
const MAX_PROMISES: usize = 16;
/// One payment per tender.
const MAX_TENDERS: usize = Tender::WIRE.len();

impl Order {
    /// Where the order stands at `now`: delivered; else not paid (by `paid_at`: an order paid on
    /// delivery has nothing to refund while it travels); else in transit; else paid, not shipped.
    pub fn phase(&self, now: Instant) -> Phase {
        let by = |t: Option<Instant>| t.is_some_and(|t| t <= now);
        if by(self.delivered_at) || by(self.last_parcel_delivered_at) {
            Phase::Delivered
        } else if !by(self.paid_at) {
            Phase::Unpaid
        } else if by(self.shipped_at) {
            Phase::InTransit
        } else {
            Phase::Paid
        }
    }

    /// Facts that must agree within the order itself (ids unique, one payment per tender).
    pub fn check(&self, c: &mut Checks, path: &Path<'_>) {
        let lines_path = path.key("lines");
        if self.lines.is_empty() {
            c.error(Code::MissingField, &lines_path, "an order needs at least one line", None);
        }
        if let Some(score) = self.customer.integrity_score.filter(|s| *s > 100) {
            c.error(
                Code::InvalidInteger,
                &path.key("customer").key("integrity_score"),
                format!("expected a score from 0 to 100, got `{score}`"),
                None,
            );
        }
        let repeated = crate::wire::checks::repeats(self.lines.iter().map(|l| l.id.to_string()).collect());
        for (i, line) in self.lines.iter().enumerate() {
            let line_path = lines_path.index(i);
            if repeated.binary_search(&i).is_ok() {
                c.error(Code::DuplicateId, &line_path.key("id"), format!("the line id `{}` is used twice", line.id), None);
            }
            if let Some(main) = &line.gift_for {
                if !line.gift {
                    c.error(
                        Code::Inconsistent,
                        &line_path.key("gift_for"),
                        "only a gift line names the line it was given with",
                        Some("set `\"gift\": true`"),
                    );
                } else if !self.lines.iter().any(|l| &l.id == main && !l.gift) {
                    c.error(Code::UnknownReference, &line_path.key("gift_for"), format!("the order has no goods line `{main}`"), None);
                }
            }
            crate::wire::checks::unique(c, &line.promises, &line_path.key("promises"), None, |p| p.id.to_string(), "a promise id");
            for (k, promise) in line.promises.iter().enumerate() {
                if !promise.grants() {
                    c.error(
                        Code::MissingField,
                        &line_path.key("promises").index(k),
                        "a promise grants nothing the engine decides",
                        Some("give `return_days`, `warranty_months`, `free_return_postage` or `fraud_multiple`"),
                    );
                }
            }
        }
        // The ledger records money back by tender: one payment per tender.
        for (i, payment) in self.payments.iter().enumerate() {
            if payment.points.is_some() && payment.tender != Tender::Points {
                c.error(Code::Inconsistent, &path.key("payments").index(i).key("points"), "only a points payment has a points count", None);
            }
            if self.payments.iter().take(i).any(|earlier| earlier.tender == payment.tender) {
                c.error(
                    Code::DuplicateId,
                    &path.key("payments").index(i).key("tender"),
                    format!("the order lists two payments in `{}`", payment.tender.as_str()),
                    Some("give one payment per tender, with its total"),
                );
            }
        }
    }
}
