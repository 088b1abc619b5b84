//! Static types of the expression language and runtime values.

use crate::wire::error::{Code, Diagnostic};

/// The shape of a value, without optionality.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Base {
    Bool,
    Int,
    /// Minor units of the policy currency; never mixed with plain integers.
    Money,
    Str,
    /// An instant.
    Time,
    /// Milliseconds.
    Duration,
    /// A list of strings (`line.tags`).
    StrList,
}

impl Base {
    pub fn name(self) -> &'static str {
        match self {
            Base::Bool => "a boolean",
            Base::Int => "an integer",
            Base::Money => "money",
            Base::Str => "text",
            Base::Time => "a time",
            Base::Duration => "a duration",
            Base::StrList => "a list of text",
        }
    }
}

/// The values a text field can take, checked against literals at compile time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    Any,
    Values(&'static [&'static str]),
    /// The reason codes of the policy being compiled.
    ReasonCodes,
}

/// A static type: its base, whether it may be absent, and for text its domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ty {
    pub base: Base,
    pub optional: bool,
    pub domain: Domain,
}

impl Ty {
    pub const fn of(base: Base) -> Ty {
        Ty { base, optional: false, domain: Domain::Any }
    }

    pub const fn opt(base: Base) -> Ty {
        Ty { base, optional: true, domain: Domain::Any }
    }

    pub const fn one_of(values: &'static [&'static str], optional: bool) -> Ty {
        Ty { base: Base::Str, optional, domain: Domain::Values(values) }
    }

    pub fn name(self) -> String {
        if self.optional {
            format!("{} (may be absent)", self.base.name())
        } else {
            self.base.name().to_owned()
        }
    }
}

/// A runtime value. `Absent` is the value of a field the input does not have; operators
/// propagate it, and a condition that ends absent does not match (three-valued logic).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Val<'v> {
    Absent,
    Bool(bool),
    Int(i64),
    Money(i64),
    Str(&'v str),
    Time(i64),
    Duration(i64),
    StrList(&'v [String]),
}

/// Why a condition could not be evaluated for one input (its types were checked at compile).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvalError {
    Overflow,
    DivisionByZero,
    Negative,
}

impl EvalError {
    /// This error of rule `rule`'s condition as an input error (the only kind left after
    /// compile: the input's amounts overflow the rule's arithmetic).
    pub fn of_rule(self, rule: &str) -> Diagnostic {
        let mut d = Diagnostic::new(Code::Overflow, "policy", format!("rule `{rule}`: {}", self.message()))
            .with_help("amounts in the order are too large for this rule's arithmetic");
        d.rule = Some(rule.to_owned());
        d
    }

    pub fn message(self) -> &'static str {
        match self {
            EvalError::Overflow => "the arithmetic in this condition overflowed for this input",
            EvalError::DivisionByZero => "this condition divided by zero for this input",
            EvalError::Negative => "this condition took a percentage of a negative amount",
        }
    }
}
