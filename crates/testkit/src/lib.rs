//! Test support the core's tests, the WebAssembly tests and fuzzing share: the golden corpus
//! (`CASES`, embedded at build time, and its runner) and the money every decision must satisfy.

pub mod corpus;
pub mod money;
pub mod path;
pub mod pretty;
pub mod views;
pub mod worst;

pub use money::check_money;

include!(concat!(env!("OUT_DIR"), "/corpus_cases.rs"));
