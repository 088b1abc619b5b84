//! The rule-expression language: `lexer → parser → check → eval`.
//!
//! Conditions such as `line.category in ["fresh", "custom"] && reason.fault == "buyer"`
//! are parsed and type-checked when a policy is compiled; field paths become accessors and
//! literal lists sorted sets, so evaluation does no name lookups and meets no type errors.
//! The language is documented in `docs/expressions.md`.

pub mod check;
pub mod eval;
pub mod fields;
pub mod functions;
pub mod lexer;
pub mod parser;
pub mod types;

use crate::wire::error::{Code, Diagnostic};
use lexer::Span;

/// An error inside one expression, located by a byte span of its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    pub code: Code,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

impl ExprError {
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        ExprError { code, span, message: message.into(), help: None }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The diagnostic for this error in the expression `src` of rule `rule` at `path`.
    pub fn into_diagnostic(self, src: &str, rule: &str, path: String) -> Diagnostic {
        let column = src.get(..self.span.start).map_or(0, |before| before.chars().count()) + 1;
        let column = u32::try_from(column).unwrap_or(u32::MAX);
        Diagnostic {
            code: self.code,
            path,
            message: format!("rule `{rule}`, column {column}: {}", self.message),
            help: self.help,
            rule: Some(rule.to_owned()),
            column: Some(column),
        }
    }
}

/// Parses and checks a condition in one step.
pub fn compile_condition(src: &str, checker: &check::Checker<'_>) -> Result<check::Node, ExprError> {
    let ast = parser::parse(src)?;
    checker.condition(&ast)
}
