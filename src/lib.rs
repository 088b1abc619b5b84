//! # aftersale-rules
//!
//! An after-sales (售后) rules engine: given an order, a policy and a shopper's request, it
//! decides which items may be returned, exchanged, repaired or compensated, how much money
//! goes back and in which form, who pays return postage, which coupons are owed, what
//! evidence is missing, who must approve, and the deadlines.
//!
//! The same code runs natively and, through the binding crate `crates/wasm`, as WebAssembly;
//! both give byte-identical JSON answers. The pipeline reads in the module list: [`wire`] (strict
//! input) → [`model`] → [`policy`] (parse, check, compile, with [`expr`]) → [`decide`] →
//! [`answer`].
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

// The `.wasm` is built for size; its hottest loops (the JSON reader and writer, time
// digits, expression evaluation) are compiled for speed (`pkg/build.sh` sets the cfg, on the
// nightly it pins). Measured in bench/README.md.
#![cfg_attr(aftersale_speed, feature(optimize_attribute))]

pub mod answer;
pub mod api;
pub mod decide;
pub mod expr;
pub mod messages;
pub mod model;
pub mod money;
pub mod policy;
#[cfg(feature = "schema")]
pub mod schema;
pub mod service;
pub mod time;
pub mod vocab;
pub mod wire;

pub use answer::{Decision, ENGINE_VERSION};
pub use api::{
    apply_effects, apply_effects_json, compile_policy_json, errors_json, evaluate, evaluate_batch_json, evaluate_json, parse_input,
    policy_info_json, service_order_json,
};
pub use model::{Effects, Ledger};
pub use policy::CompiledPolicy;
pub use wire::error::{Code, Diagnostic, Errors};
