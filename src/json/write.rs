//! Compact JSON writing with exactly serde_json's escaping, so that a value read by
//! [`super::parse`] and written again compares byte for byte with the engine's answers.

use super::Value;
use std::fmt::Write;

/// Writes `value` without insignificant white space, keys in their stored order.
pub fn write_compact(value: &Value<'_>, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(text) => out.push_str(text),
        Value::String(s) => write_str(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_compact(item, out);
            }
            out.push(']');
        }
        Value::Object(pairs) => {
            out.push('{');
            for (i, (key, item)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(key, out);
                out.push(':');
                write_compact(item, out);
            }
            out.push('}');
        }
    }
}

/// Writes a JSON string literal: `"` and `\` escaped, control characters as serde_json
/// writes them (`\n`, `\t`, … or `\u00XX`), everything else as UTF-8. Runs of plain bytes
/// are copied at once: this is the hottest loop of every answer.
pub fn write_str(s: &str, out: &mut String) {
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    let mut plain = 0;
    let mut i = 0;
    // An index loop, not an iterator chain: in the size-optimised .wasm the chain is a call per byte.
    while let Some(&b) = bytes.get(i) {
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
        out.push_str(s.get(plain..i - 1).unwrap_or_default());
        plain = i;
        if escape.is_empty() {
            let _ = write!(out, "\\u{:04x}", u32::from(b));
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(s.get(plain..).unwrap_or_default());
    out.push('"');
}

/// Writes `value` indented by two spaces per level, for files people read (the corpus).
/// Arrays of scalars and empty containers stay on one line.
pub fn write_pretty(value: &Value<'_>, indent: usize, out: &mut String) {
    let pad = |out: &mut String, n: usize| out.extend(std::iter::repeat_n(' ', n * 2));
    match value {
        Value::Array(items) if !items.is_empty() && items.iter().any(|i| matches!(i, Value::Array(_) | Value::Object(_))) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                pad(out, indent + 1);
                write_pretty(item, indent + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            pad(out, indent);
            out.push(']');
        }
        Value::Object(pairs) if !pairs.is_empty() => {
            out.push_str("{\n");
            for (i, (key, item)) in pairs.iter().enumerate() {
                pad(out, indent + 1);
                write_str(key, out);
                out.push_str(": ");
                write_pretty(item, indent + 1, out);
                out.push_str(if i + 1 < pairs.len() { ",\n" } else { "\n" });
            }
            pad(out, indent);
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_compact(item, out);
            }
            out.push(']');
        }
        other => write_compact(other, out),
    }
}

/// Writing a value as canonical JSON: keys in declared order, `None` fields left out, no
/// floats. Hand-rolled instead of serde so that the shipped `.wasm` carries one small writer
/// rather than a generic serializer per type (the size budget).
pub trait ToJson {
    fn write_json(&self, out: &mut String);

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
        let mut out = String::with_capacity(256);
        self.write_json(&mut out);
        out
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        write_str(self, out);
    }
    fn schema(_: &mut crate::schema::Defs) -> crate::schema::Json {
        crate::schema::Json::typed("string")
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        write_str(self, out);
    }
    fn schema(_: &mut crate::schema::Defs) -> crate::schema::Json {
        crate::schema::Json::typed("string")
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
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
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
    fn schema(_: &mut crate::schema::Defs) -> crate::schema::Json {
        crate::schema::Json::typed("boolean")
    }
}

macro_rules! integer_to_json {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn write_json(&self, out: &mut String) {
                let _ = write!(out, "{self}");
            }
            fn schema(_: &mut crate::schema::Defs) -> crate::schema::Json {
                crate::schema::Json::typed("integer")
            }
        }
    )*};
}
integer_to_json!(i64, u64, u32, i32);

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(v) => v.write_json(out),
            None => out.push_str("null"),
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
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
    fn schema(defs: &mut crate::schema::Defs) -> crate::schema::Json {
        crate::schema::Json::typed("array").with("items", T::schema(defs))
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
    fn schema(defs: &mut crate::schema::Defs) -> crate::schema::Json {
        <[T]>::schema(defs)
    }
}

/// Writes `{"key":value,…}`, leaving out absent values.
#[derive(Debug)]
pub struct ObjectWriter<'o> {
    out: &'o mut String,
    first: bool,
}

impl<'o> ObjectWriter<'o> {
    pub fn new(out: &'o mut String) -> Self {
        out.push('{');
        ObjectWriter { out, first: true }
    }

    pub fn field(&mut self, key: &str, value: &(impl ToJson + ?Sized)) -> &mut Self {
        if !value.is_absent() {
            if !self.first {
                self.out.push(',');
            }
            self.first = false;
            write_str(key, self.out);
            self.out.push(':');
            value.write_json(self.out);
        }
        self
    }

    pub fn end(&mut self) {
        self.out.push('}');
    }
}

/// Implements [`ToJson`] for a struct as an object of the listed fields, in order:
/// `json_object!(Type { "key" => field, … });`. `Option` fields are left out when `None`.
macro_rules! json_object {
    ($ty:ty { $($key:literal => $field:ident),* $(,)? }) => {
        impl $crate::json::ToJson for $ty {
            fn write_json(&self, out: &mut String) {
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
    fn escaping_matches_serde_json() {
        let sample = "a\"b\\c\nd\te\u{01}f\u{7f}中文😀/";
        let mut ours = String::new();
        write_str(sample, &mut ours);
        assert_eq!(ours, serde_json::to_string(sample).unwrap());
    }
}
