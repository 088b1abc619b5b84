//! A strict JSON reader and a compact writer.
//!
//! Why not `serde_json::Value`: it silently keeps the last of two equal keys, turns
//! non-integers into floats, and loses key order. This reader keeps objects as ordered
//! pairs, refuses duplicate keys, keeps every number as its source text (so a fractional
//! amount is reported as written, and no float is ever made), and bounds nesting depth.

pub mod decode;
pub mod locate;
mod out;
mod parse;
mod write;

pub use out::Out;
pub use parse::{parse, ParseLimits};
pub(crate) use write::json_object;
pub use write::{write_compact, write_pretty, write_str, ObjectWriter, ToJson};

use std::borrow::Cow;

/// A parsed JSON value borrowing from its source text where it can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    /// The number's source text, already checked against the JSON grammar.
    Number(&'a str),
    String(Cow<'a, str>),
    Array(Vec<Value<'a>>),
    /// Keys in source order, unique.
    Object(Vec<(Cow<'a, str>, Value<'a>)>),
}

/// What an integer reading of a number text gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntText {
    /// A plain integer within ±(2^53 − 1).
    Int(i64),
    /// A plain integer too large for a JavaScript number to hold exactly.
    TooLarge,
    /// A fraction or an exponent: not an integer as written.
    NotInteger,
}

/// The largest integer every host represents exactly (JavaScript's `Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: i64 = 9_007_199_254_740_991;

/// Reads a JSON number text as an integer, without ever making a float.
#[cfg_attr(aftersale_speed, optimize(speed))]
pub fn int_text(text: &str) -> IntText {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return IntText::NotInteger;
    }
    let mut value: i64 = 0;
    for b in digits.bytes() {
        value = match value.checked_mul(10).and_then(|v| v.checked_add(i64::from(b - b'0'))) {
            Some(v) if v <= MAX_SAFE_INTEGER => v,
            _ => return IntText::TooLarge,
        };
    }
    IntText::Int(if negative { -value } else { value })
}

impl<'a> Value<'a> {
    /// The JSON type name used in messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        match self {
            Value::Object(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_texts_are_read_without_floats() {
        assert_eq!(int_text("0"), IntText::Int(0));
        assert_eq!(int_text("-12"), IntText::Int(-12));
        assert_eq!(int_text("9007199254740991"), IntText::Int(MAX_SAFE_INTEGER));
        assert_eq!(int_text("9007199254740992"), IntText::TooLarge);
        assert_eq!(int_text("99999999999999999999999"), IntText::TooLarge);
        assert_eq!(int_text("99.9"), IntText::NotInteger);
        assert_eq!(int_text("1e2"), IntText::NotInteger);
        assert_eq!(int_text("1.0"), IntText::NotInteger);
    }
}
