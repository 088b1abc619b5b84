//! The rule-expression language: `lexer → parser → check → eval`.
//!
//! Conditions such as `line.category in ["fresh", "custom"] && reason.fault == "buyer"`
//! are parsed and type-checked when a policy is compiled; field paths become accessors and
//! literal lists sorted sets, so evaluation does no name lookups and meets no type errors.
//! The language is documented in `docs/expressions.md`.

pub mod check;
pub mod error;
pub mod eval;
pub mod fields;
pub mod functions;
pub mod known;
pub mod lexer;
pub mod parser;
pub mod types;

pub use error::ExprError;

/// Parses and checks a condition in one step.
pub fn compile_condition(src: &str, checker: &check::Checker<'_>) -> Result<check::Node, ExprError> {
    let ast = parser::parse(src)?;
    checker.condition(&ast)
}
