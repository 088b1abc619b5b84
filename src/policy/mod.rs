//! Policies: `doc` (the authored form) → `merge` with the preset it extends → `compile`
//! (every expression checked and resolved, every setting validated) → [`CompiledPolicy`],
//! which is reused for many evaluations.

pub mod compile;
pub mod describe;
pub mod doc;
mod merge;
pub mod presets;

pub use compile::{compile_policy, compile_policy_json, CompiledPolicy, Reason};
pub use doc::{Counting, ShippingRefund};
