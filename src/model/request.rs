//! The shopper's after-sales request and the evaluation envelope.

use super::ledger::Ledger;
use super::order::Order;
use super::view::View;
use crate::money::Money;
use crate::time::Instant;
use crate::vocab::{Fault, Resolution};
use crate::wire::checks::{Checks, Path};
use crate::wire::error::Code;
use crate::wire::json::at_most;
use crate::wire::limits::MAX_ITEMS;
use crate::wire::number;
use crate::wire::text::Text;
use crate::wire::{wire_enum, wire_struct};

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
    /// The resolution this kind needs from a window (a goodwill amount needs none).
    pub fn resolution(self) -> Resolution {
        match self {
            RequestKind::RefundWithReturn | RequestKind::RefundWithoutReturn | RequestKind::Goodwill => Resolution::Refund,
            RequestKind::Exchange => Resolution::Exchange,
            RequestKind::Repair => Resolution::Repair,
            RequestKind::PriceDifference => Resolution::PriceAdjustment,
        }
    }

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

wire_enum! {
    /// Who opened the request: the shopper, or the merchant or platform on the shopper's behalf
    /// (a merchant-initiated refund is the merchant's consent to it).
    #[derive(Default)]
    pub enum Initiator {
        #[default]
        Shopper = "shopper",
        Merchant = "merchant",
        Platform = "platform",
    }
}

wire_enum! {
    /// How the goods go back.
    pub enum ReturnMethod {
        /// A courier collects them (上门取件).
        Pickup = "pickup",
        /// The shopper drops them at a collection point (驿站).
        DropOff = "drop_off",
        /// The shopper sends them with a carrier of their choice and pays first (自行寄回).
        SelfShip = "self_ship",
    }
}

wire_enum! {
    /// A request that takes a refused one further: to the platform after the merchant refused
    /// (申请平台介入), or against the platform's ruling (申诉).
    pub enum Escalation {
        Dispute = "dispute",
        Appeal = "appeal",
    }
}

wire_struct! {
    /// What the shopper says about the state of the goods. Absent means "not stated", which
    /// rules treat as unknown (a condition on it does not match).
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct Condition {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tags_attached: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub packaging_intact: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub used_beyond_inspection: Option<bool>,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct RequestItem {
        pub line_id: Text,
        #[serde(deserialize_with = "number::positive")]
        #[cfg_attr(feature = "schema", schemars(schema_with = "asked_schema"))]
        pub qty: i64,
        pub reason: Text,
        #[serde(default)]
        pub condition: Condition,
        /// Diminished value the seller assessed from handling beyond inspection (EU CRD art. 14(2)).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub diminished_value: Option<Money>,
        /// An amount asked for instead of the computed one: never more than the kind allows
        /// (`AMOUNT_CAPPED` says so), required for a goodwill request without a request amount.
        /// At least 1 fen.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "schema", schemars(schema_with = "asked_schema"))]
        pub amount: Option<Money>,
        /// The goods are not fit to be sent back (spoiled, broken beyond carriage, worth less
        /// than the postage), as the platform or merchant found.
        #[serde(default, skip_serializing_if = "crate::wire::is_false")]
        pub unsuitable_to_return: bool,
        /// A ruling or finding that the seller deceived the shopper about this item (欺诈).
        #[serde(default, skip_serializing_if = "crate::wire::is_false")]
        pub fraud_established: bool,
        /// The food was found not to meet food-safety standards (不符合食品安全标准).
        #[serde(default, skip_serializing_if = "crate::wire::is_false")]
        pub food_safety_violation: bool,
        /// The share of the units spoiled or missing (by count or weight), in basis points, as
        /// the platform or merchant assessed it: a partial refund's measure.
        #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "number::opt_basis_points")]
        #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 10000)))]
        pub defect_bp: Option<u64>,
        /// When the shopper first reported the problem, if before this request (a claim's
        /// first deadline); otherwise the request reports it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub reported_at: Option<Instant>,
        /// The shopper's proven loss from this item, for damages counted from the loss.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub loss: Option<Money>,
        /// An exchange for another variant (another size, colour, model) at its own price.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub exchange_for: Option<ExchangeFor>,
    }
}

wire_struct! {
    /// The variant an exchange asks for, and its unit price as listed now.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct ExchangeFor {
        pub sku: String,
        pub unit_price: Money,
    }
}

wire_struct! {
    /// Counts of evidence: what a request attaches, or what a policy's reason requires.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    pub struct Evidence {
        #[serde(default, deserialize_with = "number::count_u64")]
        pub photos: u64,
        #[serde(default, deserialize_with = "number::count_u64")]
        pub package_photos: u64,
        #[serde(default, deserialize_with = "number::count_u64")]
        pub videos: u64,
        #[serde(default, deserialize_with = "number::count_u64")]
        pub description_chars: u64,
    }
}

wire_struct! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Request {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub requested_at: Option<Instant>,
        pub kind: RequestKind,
        #[serde(deserialize_with = "at_most::<_, _, MAX_ITEMS>")]
        #[cfg_attr(feature = "schema", schemars(length(max = MAX_ITEMS)))]
        pub items: Vec<RequestItem>,
        #[serde(default)]
        pub evidence: Evidence,
        #[serde(default = "yes")]
        pub gifts_returned: bool,
        #[serde(default, skip_serializing_if = "is_shopper")]
        pub initiated_by: Initiator,
        /// The merchant agreed to this request as asked (协商一致).
        #[serde(default, skip_serializing_if = "crate::wire::is_false")]
        pub merchant_consent: bool,
        /// The merchant did not answer within its response time (the platform's record).
        #[serde(default, skip_serializing_if = "crate::wire::is_false")]
        pub merchant_response_overdue: bool,
        /// How the goods go back, when they do.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub return_method: Option<ReturnMethod>,
        /// The return postage, when known: what the shopper paid (a self-ship receipt) or was
        /// quoted; otherwise the policy's label cost for the method.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub postage: Option<Money>,
        /// This request disputes or appeals the refusal of an earlier one (the ledger's
        /// `refused_at` and `refused_by` on its lines).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub escalation: Option<Escalation>,
        /// Whose fault the platform ruled it to be, when a dispute was ruled.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub fault_ruling: Option<Fault>,
        /// For a goodwill request: one amount for all its items, shared by what is left of each.
        /// At least 1 fen.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "schema", schemars(schema_with = "asked_schema"))]
        pub amount: Option<Money>,
    }
}

/// An amount asked for: at least 1 fen (0 would ask for nothing).
#[cfg(feature = "schema")]
fn asked_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": ["integer", "null"],
        "minimum": 1,
        "maximum": crate::money::MAX_AMOUNT,
        "description": "an amount asked for, in minor units (at least 1)",
    })
}

fn yes() -> bool {
    true
}

fn is_shopper(i: &Initiator) -> bool {
    *i == Initiator::Shopper
}

wire_struct! {
    /// Everything one evaluation reads besides the policy.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct EvaluationInput {
        pub order: Order,
        /// What was accepted on the order before; empty when absent.
        #[serde(default)]
        pub ledger: Ledger,
        pub request: Request,
        /// The evaluating host's clock: the engine never reads one.
        pub now: Instant,
        /// What the answer carries: the full answer when absent, else a named view or the parts
        /// to keep; the answer is then the full one with members left out.
        #[serde(default, deserialize_with = "super::view::read", skip_serializing_if = "View::is_full")]
        #[cfg_attr(feature = "schema", schemars(schema_with = "view_schema"))]
        pub view: View,
    }
}

/// A view's name or its parts.
#[cfg(feature = "schema")]
fn view_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let parts = generator.subschema_for::<View>();
    let names: Vec<&str> = View::NAMED.iter().map(|(name, _)| *name).collect();
    schemars::json_schema!({
        "description": "what the answer carries: `full` (the default) or `revalidate` (what a server re-validating a submission reads), or the parts to keep",
        "oneOf": [{"type": "string", "enum": names}, parts],
    })
}

impl EvaluationInput {
    /// Everything that must agree within the input: the order, the request's amounts, the
    /// ledger's keys and its totals against the order.
    pub fn check(&self, c: &mut Checks) {
        self.order.check(c, &Path::Root("order"));
        self.request.check(c, &Path::Root("request"));
        let ledger = Path::Root("ledger");
        self.ledger.check_keys(c, &ledger);
        self.ledger.check_against(&self.order, c, &ledger);
        let items = Path::Root("request").key("items");
        for (i, _) in self.request.items.iter().enumerate().filter(|(_, item)| item.reported_at.is_some_and(|t| t > self.now)) {
            c.error(Code::Inconsistent, &items.index(i).key("reported_at"), "a problem reported after `now`", None);
        }
        let lines = Path::Root("ledger").key("lines");
        for (i, _) in self.ledger.lines.iter().enumerate().filter(|(_, l)| l.refused_at.is_some_and(|t| t > self.now)) {
            c.error(Code::Inconsistent, &lines.index(i).key("refused_at"), "a refusal after `now`", None);
        }
    }
}

impl Request {
    /// At least one item, and amounts asked for that fit the kind: none for an exchange or
    /// repair; a goodwill request names one amount for all its items or one per item.
    pub fn check(&self, c: &mut Checks, path: &Path<'_>) {
        let items = path.key("items");
        if self.items.is_empty() {
            c.error(Code::MissingField, &items, "a request needs at least one item", None);
        }
        let zero = |m: &Option<Money>| m.is_some_and(|m| m == Money::ZERO);
        for (i, _) in self.items.iter().enumerate().filter(|(_, item)| zero(&item.amount)) {
            c.error(Code::InvalidMoney, &items.index(i).key("amount"), "an amount asked for is at least 1 fen", None);
        }
        if zero(&self.amount) {
            c.error(Code::InvalidMoney, &path.key("amount"), "an amount asked for is at least 1 fen", None);
        }
        if let Some(i) = self.items.iter().position(|i| i.exchange_for.is_some()).filter(|_| self.kind != RequestKind::Exchange) {
            c.error(Code::Inconsistent, &items.index(i).key("exchange_for"), "only an exchange names the variant it is for", None);
        }
        let asked_on_item = self.items.iter().position(|i| i.amount.is_some());
        match (self.kind, self.amount, asked_on_item) {
            (RequestKind::Exchange | RequestKind::Repair, _, Some(i)) => {
                c.error(Code::Inconsistent, &items.index(i).key("amount"), "an exchange or a repair asks for no amount", None);
            }
            (RequestKind::Goodwill, Some(_), Some(_)) => {
                c.error(Code::Inconsistent, &path.key("amount"), "give one amount for the request or one per item, not both", None);
            }
            (RequestKind::Goodwill, None, _) => {
                for (i, _) in self.items.iter().enumerate().filter(|(_, i)| i.amount.is_none()) {
                    c.error(
                        Code::MissingField,
                        &items.index(i).key("amount"),
                        "a goodwill request names the amount asked for",
                        Some("give `amount` on each item, or one `amount` on the request"),
                    );
                }
            }
            (RequestKind::Goodwill, Some(_), None) => {}
            (_, Some(_), _) => {
                c.error(
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
