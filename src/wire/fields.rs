//! What the reading code of every wire struct shares (`#[derive(WireDeserialize)]`, in
//! `crates/wire-derive`): a key read as the index of its field, and the repeated-key test.

use serde::de::{self, DeserializeSeed, Deserializer, Visitor};
use std::fmt;

/// A struct's key, read as its index among the struct's field names; any other name is an
/// unknown field (the wire refuses them).
#[derive(Debug, Clone, Copy)]
pub struct FieldKey(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for FieldKey {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for FieldKey {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<usize, E> {
        // Length and first byte before the bytes: most names differ there, and a whole
        // comparison is a `memcmp` call.
        let first = key.as_bytes().first();
        let found = self.0.iter().position(|name| name.len() == key.len() && name.as_bytes().first() == first && *name == key);
        found.ok_or_else(|| E::unknown_field(key, self.0))
    }
}

/// `seen` with field `i` marked read; a field read twice is a duplicate key.
pub fn once<E: de::Error>(seen: u64, i: usize, names: &[&'static str]) -> Result<u64, E> {
    let bit = u32::try_from(i).ok().and_then(|i| 1u64.checked_shl(i)).unwrap_or(0);
    if seen & bit != 0 {
        return Err(E::duplicate_field(names.get(i).copied().unwrap_or_default()));
    }
    Ok(seen | bit)
}
