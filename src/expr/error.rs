//! Where an expression went wrong: a byte span of its source, and the error located by it.

use crate::wire::error::{Code, Diagnostic};

/// A byte range of an expression's source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

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
