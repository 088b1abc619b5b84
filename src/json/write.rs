//! Compact JSON writing with exactly serde_json's escaping, so that a value read by
//! [`super::parse`] and written again compares byte for byte with the engine's answers.

use super::{Out, Value};

/// Writes `value` without insignificant white space, keys in their stored order.
pub fn write_compact(value: &Value<'_>, out: &mut Out) {
    match value {
        Value::Null => out.str("null"),
        Value::Bool(true) => out.str("true"),
        Value::Bool(false) => out.str("false"),
        Value::Number(text) => out.str(text),
        Value::String(s) => write_str(s, out),
        Value::Array(items) => {
            out.byte(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.byte(b',');
                }
                write_compact(item, out);
            }
            out.byte(b']');
        }
        Value::Object(pairs) => {
            out.byte(b'{');
            for (i, (key, item)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.byte(b',');
                }
                write_str(key, out);
                out.byte(b':');
                write_compact(item, out);
            }
            out.byte(b'}');
        }
    }
}

/// Writes a JSON string literal: `"` and `\` escaped, control characters as serde_json
/// writes them (`\n`, `\t`, … or `\u00XX`), everything else as UTF-8. Runs of plain bytes
/// are copied at once: this is the hottest loop of every answer.
#[cfg_attr(aftersale_speed, optimize(speed))]
pub fn write_str(s: &str, out: &mut Out) {
    out.byte(b'"');
    let bytes = s.as_bytes();
    let mut plain = 0;
    let mut i = 0;
    // An index loop, not an iterator chain: in the size-optimised .wasm the chain is a call per byte.
    loop {
        // Eight bytes at a time while none of them needs escaping (most text never does).
        while let Some(word) = bytes.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
            if needs_escape(u64::from_le_bytes(word)) {
                break;
            }
            i += 8;
        }
        let Some(&b) = bytes.get(i) else { break };
        i += 1;
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0C => "\\f",
            0..=0x1F => "",
            _ => continue,
        };
        // The byte at `i - 1` is ASCII, so both slices end on character boundaries.
        out.str(s.get(plain..i - 1).unwrap_or_default());
        plain = i;
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.str("\\u00");
            out.byte(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'));
            out.byte(HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0'));
        } else {
            out.str(escape);
        }
    }
    out.str(s.get(plain..).unwrap_or_default());
    out.byte(b'"');
}

/// Whether any of the eight bytes of `word` is `"`, `\\` or a control character (SWAR: the
/// "has a zero byte" and "has a byte less than n" tests, which are exact about whether any
/// byte matches; bytes of 0x80 and above never do).
#[inline(always)]
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    (control | zero_byte(word ^ (ONES * u64::from(b'"'))) | zero_byte(word ^ (ONES * u64::from(b'\\')))) != 0
}

/// Writes `value` indented by two spaces per level, for files people read (the corpus).
/// Arrays of scalars and empty containers stay on one line.
pub fn write_pretty(value: &Value<'_>, indent: usize, out: &mut Out) {
    let pad = |out: &mut Out, n: usize| (0..n * 2).for_each(|_| out.byte(b' '));
    match value {
        Value::Array(items) if !items.is_empty() && items.iter().any(|i| matches!(i, Value::Array(_) | Value::Object(_))) => {
            out.str("[\n");
            for (i, item) in items.iter().enumerate() {
                pad(out, indent + 1);
                write_pretty(item, indent + 1, out);
                out.str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            pad(out, indent);
            out.byte(b']');
        }
        Value::Object(pairs) if !pairs.is_empty() => {
            out.str("{\n");
            for (i, (key, item)) in pairs.iter().enumerate() {
                pad(out, indent + 1);
                write_str(key, out);
                out.str(": ");
                write_pretty(item, indent + 1, out);
                out.str(if i + 1 < pairs.len() { ",\n" } else { "\n" });
            }
            pad(out, indent);
            out.byte(b'}');
        }
        Value::Array(items) => {
            out.byte(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.str(", ");
                }
                write_compact(item, out);
            }
            out.byte(b']');
        }
        other => write_compact(other, out),
    }
}

/// Writing a value as canonical JSON: keys in declared order, `None` fields left out, no
/// floats. Hand-rolled instead of serde so that the shipped `.wasm` carries one small writer
/// rather than a generic serializer per type (the size budget).
pub trait ToJson {
    fn write_json(&self, out: &mut Out);

    /// Whether an object field holding this value is left out (only `None`).
    fn is_absent(&self) -> bool {
        false
    }

    /// This type's JSON Schema as written (the generator's; never reaches the `.wasm`).
    fn schema(_defs: &mut crate::schema::Defs) -> crate::schema::Json {
        crate::schema::Json::Obj(Vec::new())
    }

    /// Whether an object field of this type may be left out (only `Option`).
    fn optional() -> bool {
        false
    }

    fn to_json_string(&self) -> String {
        let mut out = Out::with_capacity(256);
        self.write_json(&mut out);
        out.into_string()
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut Out) {
        write_str(self, out);
    }
    fn schema(_: &mut crate::schema::Defs) -> crate::schema::Json {
        crate::schema::Json::typed("string")
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut Out) {
        write_str(self, out);
    }
    fn schema(_: &mut crate::schema::Defs) -> crate::schema::Json {
        crate::schema::Json::typed("string")
    }
}

impl ToJson for std::borrow::Cow<'_, str> {
    fn write_json(&self, out: &mut Out) {
        write_str(self, out);
    }
    fn schema(_: &mut crate::schema::Defs) -> crate::schema::Json {
        crate::schema::Json::typed("string")
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut Out) {
        (**self).write_json(out);
    }
    fn is_absent(&self) -> bool {
        (**self).is_absent()
    }
    fn schema(defs: &mut crate::schema::Defs) -> crate::schema::Json {
        T::schema(defs)
    }
    fn optional() -> bool {
        T::optional()
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut Out) {
        out.str(if *self { "true" } else { "false" });
    }
    fn schema(_: &mut crate::schema::Defs) -> crate::schema::Json {
        crate::schema::Json::typed("boolean")
    }
}

macro_rules! integer_to_json {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn write_json(&self, out: &mut Out) {
                out.int(i64::from(*self));
            }
            fn schema(_: &mut crate::schema::Defs) -> crate::schema::Json {
                crate::schema::Json::typed("integer")
            }
        }
    )*};
}
integer_to_json!(i64, u32, i32);

impl ToJson for u64 {
    fn write_json(&self, out: &mut Out) {
        out.uint(*self);
    }
    fn schema(_: &mut crate::schema::Defs) -> crate::schema::Json {
        crate::schema::Json::typed("integer")
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut Out) {
        match self {
            Some(v) => v.write_json(out),
            None => out.str("null"),
        }
    }
    fn is_absent(&self) -> bool {
        self.is_none()
    }
    fn schema(defs: &mut crate::schema::Defs) -> crate::schema::Json {
        T::schema(defs)
    }
    fn optional() -> bool {
        true
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut Out) {
        out.byte(b'[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.byte(b',');
            }
            item.write_json(out);
        }
        out.byte(b']');
    }
    fn schema(defs: &mut crate::schema::Defs) -> crate::schema::Json {
        crate::schema::Json::typed("array").with("items", T::schema(defs))
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut Out) {
        self.as_slice().write_json(out);
    }
    fn schema(defs: &mut crate::schema::Defs) -> crate::schema::Json {
        <[T]>::schema(defs)
    }
}

/// Writes `{"key":value,…}`, leaving out absent values.
#[derive(Debug)]
pub struct ObjectWriter<'o> {
    out: &'o mut Out,
    first: bool,
}

impl<'o> ObjectWriter<'o> {
    pub fn new(out: &'o mut Out) -> Self {
        out.byte(b'{');
        ObjectWriter { out, first: true }
    }

    /// Writes `"key":value` unless the value is absent. Keys are the engine's own names
    /// (`line_id`, `closes_at`: letters, digits, `_` and `-`), never input, so they are copied
    /// without the escaping scan; the corpus would fail on any that needed it.
    #[cfg_attr(aftersale_speed, optimize(speed))]
    pub fn field(&mut self, key: &'static str, value: &(impl ToJson + ?Sized)) -> &mut Self {
        if !value.is_absent() {
            self.separate();
            self.out.byte(b'"');
            self.out.str(key);
            self.out.str("\":");
            value.write_json(self.out);
        }
        self
    }

    /// Writes `"key":value` for a key that comes from data (escaped like any string).
    pub fn entry(&mut self, key: &str, value: &(impl ToJson + ?Sized)) -> &mut Self {
        self.separate();
        write_str(key, self.out);
        self.out.byte(b':');
        value.write_json(self.out);
        self
    }

    pub fn end(&mut self) {
        self.out.byte(b'}');
    }

    /// A comma before every member but the first.
    #[inline]
    fn separate(&mut self) {
        if !self.first {
            self.out.byte(b',');
        }
        self.first = false;
    }
}

/// Implements [`ToJson`] for a struct as an object of the listed fields, in order:
/// `json_object!(Type { "key" => field, … });`. `Option` fields are left out when `None`.
macro_rules! json_object {
    ($ty:ty { $($key:literal => $field:ident),* $(,)? }) => {
        impl $crate::json::ToJson for $ty {
            fn write_json(&self, out: &mut $crate::json::Out) {
                let mut w = $crate::json::ObjectWriter::new(out);
                $( w.field($key, &self.$field); )*
                w.end();
            }

            fn schema(defs: &mut $crate::schema::Defs) -> $crate::schema::Json {
                defs.output(stringify!($ty), |defs| vec![$( $crate::schema::field_of(defs, $key, |x: &$ty| &x.$field) ),*])
            }
        }
    };
}
pub(crate) use json_object;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_test_finds_every_byte_that_needs_escaping_and_no_other() {
        for b in 0u8..=255 {
            for at in 0..8 {
                let mut word = *b"abcdefgh";
                word[at] = b;
                let expected = b == b'"' || b == b'\\' || b < 0x20;
                assert_eq!(needs_escape(u64::from_le_bytes(word)), expected, "byte {b:#x} at {at}");
            }
        }
        // Random words, biased towards the bytes around the thresholds.
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..200_000 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let word: [u8; 8] = std::array::from_fn(|k| {
                let r = seed.to_le_bytes()[k];
                [r, r & 0x3f, 0x1f + (r & 3), 0x20 + (r & 3), 0x5a + (r & 3)][usize::from(r % 5)]
            });
            let expected = word.iter().any(|&b| b == b'"' || b == b'\\' || b < 0x20);
            assert_eq!(needs_escape(u64::from_le_bytes(word)), expected, "{word:?}");
        }
        // Neighbours that could borrow into each other.
        for pair in [[0x00, 0x01], [0x1f, 0x20], [0x21, 0x22], [0x5b, 0x5c], [0x80, 0x1f], [0xff, 0x00]] {
            let mut word = *b"xxxxxxxx";
            word[3] = pair[0];
            word[4] = pair[1];
            let expected = pair.iter().any(|&b| b == b'"' || b == b'\\' || b < 0x20);
            assert_eq!(needs_escape(u64::from_le_bytes(word)), expected, "{pair:?}");
        }
    }

    #[test]
    fn long_texts_escape_like_serde_json_wherever_the_special_byte_falls() {
        for len in 0..40 {
            for at in 0..len {
                for special in ["\"", "\\", "\n", "\u{1}", "中"] {
                    let text: String = (0..len).map(|i| if i == at { special.to_owned() } else { "a".to_owned() }).collect();
                    let mut ours = Out::new();
                    write_str(&text, &mut ours);
                    assert_eq!(ours.into_string(), serde_json::to_string(&text).unwrap());
                }
            }
        }
    }

    #[test]
    fn escaping_matches_serde_json() {
        let sample = "a\"b\\c\nd\te\u{01}f\u{7f}中文😀/";
        let mut ours = Out::new();
        write_str(sample, &mut ours);
        assert_eq!(ours.into_string(), serde_json::to_string(sample).unwrap());
    }
}
