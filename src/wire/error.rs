//! The one diagnostic shape at the boundary: a stable `code`, the JSON `path` of the
//! offending value, a lowercase `message` with user input in backticks, and `help`.
//!
//! Every way a caller can be wrong ends here, as data; nothing in the engine panics.

super::wire_enum! {
    /// Stable error codes. The string form is part of the wire contract: never rename one.
    pub enum Code {
        /// Not JSON at all (syntax), or not UTF-8 text.
        InvalidJson = "INVALID_JSON",
        /// The input is larger than the engine accepts (bytes, nesting, lines, rules …).
        LimitExceeded = "LIMIT_EXCEEDED",
        /// An object names the same key twice.
        DuplicateKey = "DUPLICATE_KEY",
        /// A field the format does not have (inputs are strict).
        UnknownField = "UNKNOWN_FIELD",
        /// A required field is absent (or `null`).
        MissingField = "MISSING_FIELD",
        /// A value of the wrong JSON type.
        InvalidType = "INVALID_TYPE",
        /// An amount that is not a non-negative integer count of minor units.
        InvalidMoney = "INVALID_MONEY",
        /// A count or integer setting that is not a whole number in range.
        InvalidInteger = "INVALID_INTEGER",
        /// An integer beyond ±(2^53 − 1), which JavaScript cannot hold exactly.
        NumberTooLarge = "NUMBER_TOO_LARGE",
        /// A time that is not RFC 3339 with an explicit offset, or an impossible date.
        InvalidTime = "INVALID_TIME",
        /// A string outside the set of values the field allows.
        InvalidValue = "INVALID_VALUE",
        /// Two things that must agree do not (currency, quantities, totals).
        Inconsistent = "INCONSISTENT",
        /// Two entries share an id that must be unique.
        DuplicateId = "DUPLICATE_ID",
        /// A reference to a line, reason or preset that does not exist.
        UnknownReference = "UNKNOWN_REFERENCE",
        /// A sum or product left the representable range.
        Overflow = "OVERFLOW",
        /// A rule expression that does not parse.
        ExprSyntax = "EXPR_SYNTAX",
        /// A rule expression names a field that does not exist in its scope.
        ExprUnknownField = "EXPR_UNKNOWN_FIELD",
        /// A rule expression whose operand types do not fit the operator.
        ExprType = "EXPR_TYPE",
        /// A rule expression calls a function that does not exist.
        ExprUnknownFunction = "EXPR_UNKNOWN_FUNCTION",
        /// A rule expression calls a function with the wrong number of arguments.
        ExprArity = "EXPR_ARITY",
        /// A policy setting that would take away a statutory right, or is otherwise unlawful.
        PolicyConflict = "POLICY_CONFLICT",
        /// A date the policy's working-day calendar does not cover: no guess is made.
        /// Effects decided on another version of the ledger than the one they are applied to.
        StaleLedger = "STALE_LEDGER",
    }
}

/// One input error. `rule` and `column` are set for errors inside a rule expression.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Diagnostic {
    pub code: Code,
    pub path: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// 1-based column, in characters, inside the rule's expression string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

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

/// The answer for input errors: `{"type":"errors","errors":[…]}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ErrorsAnswer {
    #[serde(rename = "type")]
    pub answer_type: ErrorsTag,
    pub errors: Errors,
}

super::tag! {
    /// The `type` of an errors answer.
    ErrorsTag = "errors"
}

/// A sum beyond ±(2^53 − 1) at `path`.
pub fn overflow(path: &str) -> Diagnostic {
    Diagnostic::new(Code::Overflow, path, "the amounts overflow the arithmetic range")
        .with_help("amounts must stay below 2^53 - 1 fen in every sum")
}

impl ErrorsAnswer {
    pub fn new(errors: Errors) -> Self {
        ErrorsAnswer { answer_type: ErrorsTag, errors }
    }
}
