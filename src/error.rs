//! The one diagnostic shape at the boundary: a stable `code`, the JSON `path` of the
//! offending value, a lowercase `message` with user input in backticks, and `help`.
//!
//! Every way a caller can be wrong ends here, as data; nothing in the engine panics.

/// Stable error codes. The string form is part of the wire contract: never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Code {
    /// Not JSON at all (syntax), or not UTF-8 text.
    InvalidJson,
    /// The input is larger than the engine accepts (bytes, nesting, lines, rules …).
    LimitExceeded,
    /// An object names the same key twice.
    DuplicateKey,
    /// A field the format does not have (inputs are strict).
    UnknownField,
    /// A required field is absent (or `null`).
    MissingField,
    /// A value of the wrong JSON type.
    InvalidType,
    /// An amount that is not a non-negative integer count of minor units.
    InvalidMoney,
    /// A count or integer setting that is not a whole number in range.
    InvalidInteger,
    /// An integer beyond ±(2^53 − 1), which JavaScript cannot hold exactly.
    NumberTooLarge,
    /// A time that is not RFC 3339 with an explicit offset, or an impossible date.
    InvalidTime,
    /// A string outside the set of values the field allows.
    InvalidValue,
    /// Two things that must agree do not (currency, quantities, totals).
    Inconsistent,
    /// Two entries share an id that must be unique.
    DuplicateId,
    /// A reference to a line, reason or preset that does not exist.
    UnknownReference,
    /// A sum or product left the representable range.
    Overflow,
    /// A rule expression that does not parse.
    ExprSyntax,
    /// A rule expression names a field that does not exist in its scope.
    ExprUnknownField,
    /// A rule expression whose operand types do not fit the operator.
    ExprType,
    /// A rule expression calls a function that does not exist.
    ExprUnknownFunction,
    /// A rule expression calls a function with the wrong number of arguments.
    ExprArity,
    /// A policy setting that would take away a statutory right, or is otherwise unlawful.
    PolicyConflict,
    /// A date the policy's working-day calendar does not cover: no guess is made.
    CalendarNotCovered,
}

impl Code {
    /// The wire string of this code.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidJson => "INVALID_JSON",
            Code::LimitExceeded => "LIMIT_EXCEEDED",
            Code::DuplicateKey => "DUPLICATE_KEY",
            Code::UnknownField => "UNKNOWN_FIELD",
            Code::MissingField => "MISSING_FIELD",
            Code::InvalidType => "INVALID_TYPE",
            Code::InvalidMoney => "INVALID_MONEY",
            Code::InvalidInteger => "INVALID_INTEGER",
            Code::NumberTooLarge => "NUMBER_TOO_LARGE",
            Code::InvalidTime => "INVALID_TIME",
            Code::InvalidValue => "INVALID_VALUE",
            Code::Inconsistent => "INCONSISTENT",
            Code::DuplicateId => "DUPLICATE_ID",
            Code::UnknownReference => "UNKNOWN_REFERENCE",
            Code::Overflow => "OVERFLOW",
            Code::ExprSyntax => "EXPR_SYNTAX",
            Code::ExprUnknownField => "EXPR_UNKNOWN_FIELD",
            Code::ExprType => "EXPR_TYPE",
            Code::ExprUnknownFunction => "EXPR_UNKNOWN_FUNCTION",
            Code::ExprArity => "EXPR_ARITY",
            Code::PolicyConflict => "POLICY_CONFLICT",
            Code::CalendarNotCovered => "CALENDAR_NOT_COVERED",
        }
    }
}

impl crate::json::ToJson for Code {
    fn write_json(&self, out: &mut String) {
        crate::json::write_str(self.as_str(), out);
    }
}

/// One input error. `rule` and `column` are set for errors inside a rule expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub path: String,
    pub message: String,
    pub help: Option<String>,
    pub rule: Option<String>,
    /// 1-based column, in characters, inside the rule's expression string.
    pub column: Option<u32>,
}
crate::json::json_object!(Diagnostic { "code" => code, "path" => path, "message" => message, "help" => help, "rule" => rule, "column" => column });

impl Diagnostic {
    pub fn new(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { code, path: path.into(), message: message.into(), help: None, rule: None, column: None }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The error side of every entry point: at least one diagnostic, in input order.
pub type Errors = Vec<Diagnostic>;
