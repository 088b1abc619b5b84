//! The order as the platform recorded it (SPEC §2, "Order" and "Customer and merchant").

use crate::error::Code;
use crate::json::decode::{wire_enum, Decode, Decoder, Obj, Path};
use crate::json::Value;
use crate::money::Money;
use crate::time::Instant;

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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discount {
    pub id: Option<String>,
    pub kind: DiscountKind,
    pub amount: Money,
    /// For a threshold discount (满减): the goods total it needs (满 X 减 Y: X).
    pub threshold: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub tender: Tender,
    pub amount: Money,
    /// For points: how many points paid `amount` (points come back as points).
    pub points: Option<u64>,
}

/// Facts about the goods recorded at sale (SPEC §2 "item facts").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineFacts {
    pub custom_made: bool,
    pub perishable: bool,
    /// Digital goods (audio, video, software) downloaded or unsealed.
    pub digital_opened: bool,
    pub newspaper_or_periodical: bool,
    pub activated: bool,
    pub hygiene_seal_opened: bool,
    /// Near-expiry or flawed goods sold as such.
    pub near_expiry_or_flawed: bool,
    pub final_sale: bool,
    /// The shopper confirmed at purchase that the goods are not returnable by nature
    /// (SPEC §4a: without it, "by nature" exclusions do not apply).
    pub nature_confirmed: bool,
    pub warranty_months: u64,
    /// Repairs under warranty that did not fix the fault (三包: after two, exchange or return).
    pub failed_repairs: u64,
    /// Days the item spent in repair, which do not count towards the warranty.
    pub repair_days: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub id: crate::text::Text,
    pub sku: Option<String>,
    pub title: Option<String>,
    pub category: String,
    pub tags: Vec<String>,
    pub unit_price: Money,
    pub quantity: i64,
    pub line_discount: Money,
    pub gift: bool,
    /// For a gift (赠品): the line it was given with.
    pub gift_for: Option<String>,
    /// For a gift: the value declared at sale, deducted if the gift is not returned.
    pub gift_value: Option<Money>,
    pub facts: LineFacts,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Customer {
    /// 诚信分, 0–100, when the platform keeps one.
    pub integrity_score: Option<i64>,
    pub member_free_returns: bool,
    pub returns_90d: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merchant {
    pub credit_level: Option<String>,
    pub complaint_rate_high: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: String,
    pub currency: String,
    pub placed_at: Instant,
    pub paid_at: Option<Instant>,
    pub promised_ship_by: Option<Instant>,
    pub shipped_at: Option<Instant>,
    pub delivered_at: Option<Instant>,
    /// When the last of several parcels arrived.
    pub last_parcel_delivered_at: Option<Instant>,
    pub shipping_fee: Money,
    /// The least expensive standard delivery offered (EU CRD refunds at most this).
    pub standard_shipping_fee: Option<Money>,
    /// Free shipping for goods of at least this total (包邮门槛), and the fee it waived.
    pub free_shipping_threshold: Option<Money>,
    pub shipping_waived: Money,
    pub discounts: Vec<Discount>,
    pub payments: Vec<Payment>,
    pub freight_insurance: bool,
    /// What the freight insurance (运费险) pays towards return postage.
    pub freight_insurance_payout: Option<Money>,
    pub group_buy: Option<GroupBuy>,
    pub cross_border: bool,
    pub customer: Customer,
    pub merchant: Merchant,
    /// The policy version in force when the order was placed, if the platform recorded it.
    pub policy_version: Option<String>,
    pub lines: Vec<Line>,
}

/// The most lines an order may have (SPEC §6: bounded work).
pub const MAX_LINES: usize = 500;

impl<'a> Decode<'a> for Discount {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let id = o.opt(d, "id");
        let kind = o.req(d, "kind");
        let amount = o.req(d, "amount");
        let threshold = o.opt(d, "threshold");
        o.finish(d);
        Some(Discount { id: id.ok()?, kind: kind?, amount: amount?, threshold: threshold.ok()? })
    }
}

impl<'a> Decode<'a> for Payment {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let tender = o.req(d, "tender");
        let amount = o.req(d, "amount");
        let points = o.opt(d, "points");
        o.finish(d);
        Some(Payment { tender: tender?, amount: amount?, points: points.ok()? })
    }
}

impl<'a> Decode<'a> for LineFacts {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let mut flag = |o: &mut Obj<'_, 'a, '_>, name| o.or(d, name, false);
        let facts = (
            flag(&mut o, "custom_made"),
            flag(&mut o, "perishable"),
            flag(&mut o, "digital_opened"),
            flag(&mut o, "newspaper_or_periodical"),
            flag(&mut o, "activated"),
            flag(&mut o, "hygiene_seal_opened"),
            flag(&mut o, "near_expiry_or_flawed"),
            flag(&mut o, "final_sale"),
            flag(&mut o, "nature_confirmed"),
        );
        let warranty_months = o.or(d, "warranty_months", 0u64);
        let failed_repairs = o.or(d, "failed_repairs", 0u64);
        let repair_days = o.or(d, "repair_days", 0u64);
        o.finish(d);
        Some(LineFacts {
            custom_made: facts.0?,
            perishable: facts.1?,
            digital_opened: facts.2?,
            newspaper_or_periodical: facts.3?,
            activated: facts.4?,
            hygiene_seal_opened: facts.5?,
            near_expiry_or_flawed: facts.6?,
            final_sale: facts.7?,
            nature_confirmed: facts.8?,
            warranty_months: warranty_months?,
            failed_repairs: failed_repairs?,
            repair_days: repair_days?,
        })
    }
}

/// A count that must be at least `min` (quantities are at least 1).
pub fn count_at_least(d: &mut Decoder, o: &mut Obj<'_, '_, '_>, name: &'static str, min: i64, default: Option<i64>) -> Option<i64> {
    let path = o.path().key(name);
    let n = o.opt::<i64>(d, name);
    o.hint(d, name, |_, field| {
        field.schema = crate::schema::Json::integer(min, crate::json::MAX_SAFE_INTEGER);
        field.required = default.is_none();
    });
    let n = match (n, default) {
        (Ok(Some(n)), _) => n,
        (Ok(None), Some(default)) => return Some(default),
        (Ok(None), None) => {
            d.error(Code::MissingField, &path, format!("missing required field `{name}`"), None);
            return None;
        }
        (Err(()), _) => return None,
    };
    if n < min {
        d.error(Code::InvalidInteger, &path, format!("expected a whole number of at least {min}, got `{n}`"), None);
        return None;
    }
    Some(n)
}

impl<'a> Decode<'a> for Line {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let id = o.req(d, "id");
        let sku = o.opt(d, "sku");
        let title = o.opt(d, "title");
        let category = o.req(d, "category");
        let tags = o.or(d, "tags", Vec::new());
        let unit_price = o.req(d, "unit_price");
        let quantity = count_at_least(d, &mut o, "quantity", 1, None);
        let line_discount = o.or(d, "line_discount", Money::ZERO);
        let gift = o.or(d, "gift", false);
        let gift_for = o.opt(d, "gift_for");
        let gift_value = o.opt(d, "gift_value");
        let facts = o.or(d, "facts", LineFacts::default());
        o.finish(d);
        Some(Line {
            id: id?,
            sku: sku.ok()?,
            title: title.ok()?,
            category: category?,
            tags: tags?,
            unit_price: unit_price?,
            quantity: quantity?,
            line_discount: line_discount?,
            gift: gift?,
            gift_for: gift_for.ok()?,
            gift_value: gift_value.ok()?,
            facts: facts?,
        })
    }
}

impl<'a> Decode<'a> for Customer {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let score = o.opt::<i64>(d, "integrity_score");
        o.hint(d, "integrity_score", |_, field| field.schema = crate::schema::Json::integer(0, 100).described("诚信分, 0–100"));
        if let Ok(Some(s)) = score {
            if !(0..=100).contains(&s) {
                d.error(Code::InvalidInteger, &path.key("integrity_score"), format!("expected a score from 0 to 100, got `{s}`"), None);
            }
        }
        let member_free_returns = o.or(d, "member_free_returns", false);
        let returns_90d = o.or(d, "returns_90d", 0u64);
        o.finish(d);
        Some(Customer { integrity_score: score.ok()?, member_free_returns: member_free_returns?, returns_90d: returns_90d? })
    }
}

impl<'a> Decode<'a> for Merchant {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let credit_level = o.opt(d, "credit_level");
        let complaint_rate_high = o.or(d, "complaint_rate_high", false);
        o.finish(d);
        Some(Merchant { credit_level: credit_level.ok()?, complaint_rate_high: complaint_rate_high? })
    }
}

impl<'a> Decode<'a> for Order {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let mut o = Obj::new(d, v, path)?;
        let id = o.req(d, "id");
        let currency = o.req(d, "currency");
        o.hint(d, "currency", |_, field| field.schema = crate::schema::pattern("^[A-Z]{3}$", "ISO 4217, e.g. CNY or EUR"));
        let placed_at = o.req(d, "placed_at");
        let paid_at = o.opt(d, "paid_at");
        let promised_ship_by = o.opt(d, "promised_ship_by");
        let shipped_at = o.opt(d, "shipped_at");
        let delivered_at = o.opt(d, "delivered_at");
        let last_parcel_delivered_at = o.opt(d, "last_parcel_delivered_at");
        let shipping_fee = o.or(d, "shipping_fee", Money::ZERO);
        let standard_shipping_fee = o.opt(d, "standard_shipping_fee");
        let free_shipping_threshold = o.opt(d, "free_shipping_threshold");
        let shipping_waived = o.or(d, "shipping_waived", Money::ZERO);
        let discounts = o.or(d, "discounts", Vec::new());
        let payments = o.or(d, "payments", Vec::new());
        let freight_insurance = o.or(d, "freight_insurance", false);
        let freight_insurance_payout = o.opt(d, "freight_insurance_payout");
        let group_buy = o.opt(d, "group_buy");
        let cross_border = o.or(d, "cross_border", false);
        let customer = o.or(d, "customer", Customer::default());
        let merchant = o.or(d, "merchant", Merchant::default());
        let policy_version = o.opt(d, "policy_version");
        let lines = o.req_list(d, "lines", MAX_LINES, "order", "an order needs at least one line");
        o.finish(d);
        let order = Order {
            id: id?,
            currency: currency?,
            placed_at: placed_at?,
            paid_at: paid_at.ok()?,
            promised_ship_by: promised_ship_by.ok()?,
            shipped_at: shipped_at.ok()?,
            delivered_at: delivered_at.ok()?,
            last_parcel_delivered_at: last_parcel_delivered_at.ok()?,
            shipping_fee: shipping_fee?,
            standard_shipping_fee: standard_shipping_fee.ok()?,
            free_shipping_threshold: free_shipping_threshold.ok()?,
            shipping_waived: shipping_waived?,
            discounts: discounts?,
            payments: payments?,
            freight_insurance: freight_insurance?,
            freight_insurance_payout: freight_insurance_payout.ok()?,
            group_buy: group_buy.ok()?,
            cross_border: cross_border?,
            customer: customer?,
            merchant: merchant?,
            policy_version: policy_version.ok()?,
            lines: lines?,
        };
        order.check_consistency(d, path);
        Some(order)
    }
}

impl Order {
    /// Facts that must agree within the order itself (ids unique, one payment per tender).
    fn check_consistency(&self, d: &mut Decoder, path: &Path<'_>) {
        let lines_path = path.key("lines");
        for (i, line) in self.lines.iter().enumerate() {
            let line_path = lines_path.index(i);
            if self.lines.iter().take(i).any(|earlier| earlier.id == line.id) {
                d.error(Code::DuplicateId, &line_path.key("id"), format!("the line id `{}` is used twice", line.id), None);
            }
            if let Some(main) = &line.gift_for {
                if !line.gift {
                    d.error(
                        Code::Inconsistent,
                        &line_path.key("gift_for"),
                        "only a gift line names the line it was given with",
                        Some("set `\"gift\": true`"),
                    );
                } else if !self.lines.iter().any(|l| &l.id == main && !l.gift) {
                    d.error(Code::UnknownReference, &line_path.key("gift_for"), format!("the order has no goods line `{main}`"), None);
                }
            }
        }
        // The ledger records money back by tender: one payment per tender.
        for (i, payment) in self.payments.iter().enumerate() {
            if payment.points.is_some() && payment.tender != Tender::Points {
                d.error(Code::Inconsistent, &path.key("payments").index(i).key("points"), "only a points payment has a points count", None);
            }
            if self.payments.iter().take(i).any(|earlier| earlier.tender == payment.tender) {
                d.error(
                    Code::DuplicateId,
                    &path.key("payments").index(i).key("tender"),
                    format!("the order lists two payments in `{}`", payment.tender.as_str()),
                    Some("give one payment per tender, with its total"),
                );
            }
        }
    }
}
