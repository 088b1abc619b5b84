//! How a wire type's own check speaks through serde's error text: marks in the message that
//! the JSON boundary (`super::json`) turns back into a diagnostic with its code, help and path.

use super::error::Code;

/// Marks a message a type's own `Deserialize` gives: `\u{1}CODE\u{1}message\u{1}help\u{1}AT`,
/// where AT is `list` when the error is about the array the position is in, not its element.
pub(crate) const MARK: char = '\u{1}';
/// In a refusal's message, stands for the source text of the value refused (a number as
/// written, `99999999999999999`).
pub const AS_WRITTEN: char = '\u{2}';

/// The error a wire type reports for a value it refuses, with the code and help it chooses.
pub fn refuse<E: serde::de::Error>(code: Code, message: impl std::fmt::Display, help: Option<&str>) -> E {
    E::custom(format_args!("{MARK}{}{MARK}{message}{MARK}{}{MARK}", code.as_str(), help.unwrap_or_default()))
}

/// [`refuse`] for an array as a whole, refused while one of its elements is being read.
pub fn refuse_list<E: serde::de::Error>(code: Code, message: impl std::fmt::Display) -> E {
    E::custom(format_args!("{MARK}{}{MARK}{message}{MARK}{MARK}list", code.as_str()))
}

/// Marks what a whole number expects, in a type error: `\u{3}CODE\u{3}help\u{3}what`, so
/// that the error about a value of another type carries this number's code and help.
pub const EXPECTS: char = '\u{3}';
