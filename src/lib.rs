//! # aftersale-rules
//!
//! An after-sales (售后) rules engine: given an order, a policy and a shopper's request, it
//! decides which items may be returned, exchanged, repaired or compensated, how much money
//! goes back and in which form, who pays return postage, which coupons are owed, what
//! evidence is missing, who must approve, and the deadlines.
//!
//! The same code runs natively and, through the binding crate `crates/wasm`, as WebAssembly;
//! both give byte-identical JSON answers. Every input and answer type derives serde's
//! `Serialize` and `Deserialize`; the entry points come in two flavours, typed
//! ([`evaluate`], [`service_order`], [`apply_effects`]) and JSON text in and out
//! ([`evaluate_json`] and its siblings: the bytes every JavaScript host sees).
//!
//! ```
//! # fn main() -> Result<(), String> {
//! let policy = aftersale_rules::compile_policy_json(
//!     r#"{"id": "shop", "version": "1", "extends": "platform-default"}"#,
//! ).map_err(|errors| format!("{errors:?}"))?;
//! let answer = aftersale_rules::evaluate_json(&policy, r#"{
//!   "order": {"id": "O1", "currency": "CNY", "placed_at": "2026-11-01T10:00:00+08:00",
//!             "delivered_at": "2026-11-03T15:00:00+08:00",
//!             "lines": [{"id": "L1", "category": "apparel", "unit_price": 9990, "quantity": 1}]},
//!   "request": {"kind": "refund_with_return",
//!               "items": [{"line_id": "L1", "qty": 1, "reason": "no_reason"}]},
//!   "now": "2026-11-20T21:05:00+08:00"}"#);
//! assert!(answer.starts_with(r#"{"type":"decision""#));
//! assert!(answer.contains(r#""eligible":true"#));
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]
// The `.wasm` is built for size; its hottest loops (the JSON reader and writer, time
// digits, expression evaluation) are compiled for speed (`pkg/build.sh` sets the cfg, on the
// nightly it pins). Measured in bench/README.md.
#![cfg_attr(aftersale_speed, feature(optimize_attribute))]

mod answer;
mod api;
mod decide;
mod expr;
mod labels;
mod messages;
mod model;
mod money;
mod policy;
#[cfg(feature = "schema")]
pub mod schema;
mod service;
mod time;
mod vocab;
mod wire;

// The entry points.
pub use api::{
    apply_effects, apply_effects_json, compile_policy, compile_policy_json, describe, errors_json, evaluate, evaluate_batch_json,
    evaluate_json, parse_input, policy_info_json, service_order, service_order_json, PolicyInfo, ReasonInfo, WindowInfo,
};
pub use labels::{labels, Label, Vocabulary};
// What they read.
pub use model::{
    CompensationKind, Condition, Customer, DeductionKind, Discount, DiscountKind, Effects, EvaluationInput, Evidence, ExchangeFor,
    GroupBuy, Initiator, Ledger, LedgerCompensation, LedgerDeduction, LedgerLine, LedgerTender, Line, LineFacts, Merchant, Order, Payment,
    Promise, PromiseSource, Request, RequestItem, RequestKind, Tender, View,
};
pub use policy::doc::PolicyDoc;
pub use policy::CompiledPolicy;
pub use service::lifecycle::{ServiceOrder, Step};
pub use service::ServiceInput;
// What they answer.
pub use answer::{
    AmountCap, CapBasis, CompensationOut, DeadlineOut, Decision, Deduction, Denial, ExchangeOut, ItemDecision, ItemOption, ItemRefund,
    MissingEvidence, NoReturnGrant, PartyAmount, RefundSummary, Requirements, ReturnShipping, ReviewReason, TenderAmount, TraceEntry,
    ValueOut, Values, WindowOut, ENGINE_VERSION,
};
pub use messages::Message;
pub use service::deadlines::{Escalation, Level, OrderDeadline, Status};
pub use service::{RefusalOut, ServiceAnswer, StatusOut, TransitionOut};
pub use wire::error::{Code, Diagnostic, Errors, ErrorsAnswer};
// The vocabulary and the units of both.
pub use money::{Money, Rounding};
pub use time::zone::Zone;
pub use time::{Instant, Offset, Timestamp};
pub use vocab::{Actor, Anchor, Authority, Event, Fault, Layer, Party, Payer, Phase, Resolution, State, Tier};

/// The engine's parts, for this workspace's own command line, tests and fuzzing: not part of
/// the library's API, and not kept stable.
#[doc(hidden)]
pub mod internals {
    pub mod expr {
        pub use crate::expr::*;
    }
    pub mod money {
        pub use crate::money::*;
    }
    pub mod policy {
        pub use crate::policy::*;
    }
    pub mod time {
        pub use crate::time::*;
    }
    pub mod wire {
        pub use crate::wire::*;
    }
}
