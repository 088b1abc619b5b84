//! Whole numbers as the wire reads them: integers within ±(2^53 − 1), never a fraction. The
//! reader never makes a float: a number with a fraction or an exponent reaches a whole
//! number's visitor as a type error naming its text.

use super::error::Code;
use super::limits::MAX_SAFE_INTEGER;
use super::refusal::{refuse, AS_WRITTEN, EXPECTS};
use serde::de::{DeserializeSeed, Deserializer, Error, Visitor};

/// How a kind of whole number is read: its name in errors, the code for a fraction or a
/// string, and its range.
#[derive(Debug, Clone, Copy)]
pub struct Whole {
    pub what: &'static str,
    pub code: Code,
    pub min: i64,
    pub max: i64,
    pub help: Option<&'static str>,
}

/// Counts: quantities of units, days, photos.
pub const COUNT: Whole = Whole { what: "a whole number", code: Code::InvalidInteger, min: 0, max: MAX_SAFE_INTEGER, help: None };
/// A count of at least one (an order line's quantity, a request item's qty).
pub const POSITIVE: Whole = Whole { min: 1, ..COUNT };
/// Basis points of an amount: 0 to 10000 (100 %).
pub const BASIS_POINTS: Whole = Whole { what: "basis points", max: 10_000, ..COUNT };
/// A period promised in days or months: 1 to 3650.
pub const PERIOD: Whole = Whole { what: "a period in days or months", min: 1, max: 3650, ..COUNT };
/// A multiple of an amount (damages): 1 to 100 times.
pub const MULTIPLE: Whole = Whole { what: "a multiple from 1 to 100", min: 1, max: 100, ..COUNT };

impl Whole {
    /// Reads one number of this kind.
    pub fn read<'de, D: Deserializer<'de>>(self, d: D) -> Result<i64, D::Error> {
        d.deserialize_any(self)
    }

    fn check<E: Error>(self, n: i64) -> Result<i64, E> {
        if n < self.min {
            return Err(refuse(self.code, format_args!("expected {} of at least {}, got `{n}`", self.what, self.min), self.help));
        }
        if n > self.max {
            return Err(refuse(self.code, format_args!("expected {} of at most {}, got `{n}`", self.what, self.max), self.help));
        }
        Ok(n)
    }
}

fn too_large<E: Error>() -> E {
    refuse(Code::NumberTooLarge, format_args!("`{AS_WRITTEN}` is beyond 2^53 - 1, the largest integer every host represents exactly"), None)
}

impl<'de> DeserializeSeed<'de> for Whole {
    type Value = i64;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<i64, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Whole {
    type Value = i64;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{EXPECTS}{}{EXPECTS}{}{EXPECTS}{}", self.code.as_str(), self.help.unwrap_or_default(), self.what)
    }

    fn visit_u64<E: Error>(self, n: u64) -> Result<i64, E> {
        match i64::try_from(n) {
            Ok(n) if n <= MAX_SAFE_INTEGER => self.check(n),
            _ => Err(too_large()),
        }
    }

    fn visit_i64<E: Error>(self, n: i64) -> Result<i64, E> {
        if n < -MAX_SAFE_INTEGER {
            return Err(too_large());
        }
        self.check(n)
    }

    fn visit_str<E: Error>(self, s: &str) -> Result<i64, E> {
        let code = if self.code == Code::InvalidMoney { Code::InvalidMoney } else { Code::InvalidType };
        Err(refuse(code, format_args!("expected {}, got the string `{s}`", self.what), self.help))
    }
}

/// A count (`#[serde(deserialize_with = "count")]`).
pub fn count<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    COUNT.read(d)
}

/// A count of at least one.
pub fn positive<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    POSITIVE.read(d)
}

/// A count as `u64`.
pub fn count_u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    COUNT.read(d).map(|n| u64::try_from(n).unwrap_or(0))
}

/// Basis points, 0 to 10000.
pub fn basis_points<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    BASIS_POINTS.read(d).map(|n| u64::try_from(n).unwrap_or(0))
}

/// An optional count as `u64`.
pub fn opt_count_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    count_u64(d).map(Some)
}

/// A multiple, 1 to 100.
pub fn multiple<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    MULTIPLE.read(d).map(|n| u64::try_from(n).unwrap_or(1))
}

/// An optional multiple.
pub fn opt_multiple<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    multiple(d).map(Some)
}

/// An optional period, 1 to 3650 (days or months).
pub fn opt_period<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    PERIOD.read(d).map(|n| u32::try_from(n).ok())
}

/// Optional basis points.
pub fn opt_basis_points<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    basis_points(d).map(Some)
}

/// An optional count.
pub fn opt_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    count(d).map(Some)
}

/// A whole number written in ASCII digits only (not empty), or `None` past `u64`: the one
/// parser for every integer read from text (std's `parse` is an instance per integer type, and
/// would take a sign).
pub fn digits(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0u64, |n, b| if b.is_ascii_digit() { n.checked_mul(10)?.checked_add(u64::from(b - b'0')) } else { None })
}

#[cfg(test)]
mod tests {
    use super::digits;

    #[test]
    fn digits_are_ascii_digits_only_and_fit_u64() {
        assert_eq!(digits("0"), Some(0));
        assert_eq!(digits("0042"), Some(42));
        assert_eq!(digits("18446744073709551615"), Some(u64::MAX));
        for refused in ["", "+1", "-1", "1 ", "1e3", "٣", "18446744073709551616"] {
            assert_eq!(digits(refused), None, "{refused:?}");
        }
    }
}
