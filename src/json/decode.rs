//! Strict decoding of a parsed [`Value`] into typed input, collecting every error with
//! its JSON path (`order.lines[2].unit_price`) instead of stopping at the first.
//!
//! Decoders return `Option<T>`: `None` means an error was recorded in [`Decoder`], and the
//! caller keeps going so that one pass reports all that is wrong.

use super::{int_text, IntText, Value};
use crate::error::{Code, Diagnostic, Errors};
use crate::time::Instant;

/// A JSON path as a chain of frames on the stack; rendered to text only for an error.
#[derive(Debug, Clone, Copy)]
pub enum Path<'p> {
    Root(&'p str),
    Key(&'p Path<'p>, &'p str),
    Index(&'p Path<'p>, usize),
}

impl<'p> Path<'p> {
    pub fn key(&'p self, key: &'p str) -> Path<'p> {
        Path::Key(self, key)
    }

    pub fn index(&'p self, index: usize) -> Path<'p> {
        Path::Index(self, index)
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        self.render_into(&mut out);
        out
    }

    fn render_into(&self, out: &mut String) {
        match self {
            Path::Root(name) => out.push_str(name),
            Path::Key(parent, key) => {
                parent.render_into(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Path::Index(parent, index) => {
                parent.render_into(out);
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
        }
    }
}

/// Collects the errors of one decoding pass.
#[derive(Debug, Default)]
pub struct Decoder {
    pub errors: Errors,
    /// The field names the open objects asked for, innermost last: an [`Obj`] keeps only where
    /// its own names start, so it stays small to create and move (its names serve only the
    /// help of an unknown-field error).
    pub(crate) asked: Vec<&'static str>,
    /// Set when the pass records a schema instead of reading input (see `crate::schema`).
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) schema: Option<Box<crate::schema::Defs>>,
}

/// How many errors one pass reports before it stops adding more (hostile inputs).
const MAX_ERRORS: usize = 50;

impl Decoder {
    pub fn error(&mut self, code: Code, path: &Path<'_>, message: impl Into<String>, help: Option<&str>) {
        if self.errors.len() < MAX_ERRORS {
            let mut d = Diagnostic::new(code, path.render(), message);
            d.help = help.map(str::to_owned);
            self.errors.push(d);
        }
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(diagnostic);
        }
    }

    /// Finishes a pass: the value if nothing was wrong, otherwise every error found.
    pub fn finish<T>(self, value: Option<T>) -> Result<T, Errors> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ if !self.errors.is_empty() => Err(self.errors),
            _ => Err(vec![Diagnostic::new(Code::InvalidType, "", "the input could not be read")]),
        }
    }
}

/// A type that can be decoded from JSON at a path.
pub trait Decode<'a>: Sized {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self>;

    /// This type's JSON Schema; for objects, recorded from what [`Decode::decode`] asks for.
    fn schema(defs: &mut crate::schema::Defs) -> crate::schema::Json {
        defs.input::<Self>()
    }
}

/// Reports a wrong JSON type.
pub fn wrong_type(d: &mut Decoder, v: &Value<'_>, path: &Path<'_>, expected: &str) {
    d.error(Code::InvalidType, path, format!("expected {expected}, got {}", v.type_name()), None);
}

impl<'a> Decode<'a> for String {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        match v {
            Value::String(s) => Some(s.to_string()),
            _ => {
                wrong_type(d, v, path, "a string");
                None
            }
        }
    }
    fn schema(_: &mut crate::schema::Defs) -> crate::schema::Json {
        crate::schema::Json::typed("string")
    }
}

impl<'a> Decode<'a> for bool {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        match v {
            Value::Bool(b) => Some(*b),
            _ => {
                wrong_type(d, v, path, "`true` or `false`");
                None
            }
        }
    }
    fn schema(_: &mut crate::schema::Defs) -> crate::schema::Json {
        crate::schema::Json::typed("boolean")
    }
}

/// A non-negative whole number (counts, quantities, days), at most 2^53 − 1.
impl<'a> Decode<'a> for u64 {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let n = decode_int(d, v, path, "a whole number", Code::InvalidInteger, None)?;
        match u64::try_from(n) {
            Ok(n) => Some(n),
            Err(_) => {
                d.error(Code::InvalidInteger, path, format!("expected a whole number of at least 0, got `{n}`"), None);
                None
            }
        }
    }
    fn schema(_: &mut crate::schema::Defs) -> crate::schema::Json {
        crate::schema::Json::integer(0, super::MAX_SAFE_INTEGER)
    }
}

/// A signed whole number within ±(2^53 − 1).
impl<'a> Decode<'a> for i64 {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        decode_int(d, v, path, "a whole number", Code::InvalidInteger, None)
    }
    fn schema(_: &mut crate::schema::Defs) -> crate::schema::Json {
        crate::schema::Json::integer(-super::MAX_SAFE_INTEGER, super::MAX_SAFE_INTEGER)
    }
}

/// Reads an integer; `what` names the expectation, `code` the error for fractions.
#[cfg_attr(aftersale_speed, optimize(speed))]
pub fn decode_int(d: &mut Decoder, v: &Value<'_>, path: &Path<'_>, what: &str, code: Code, help: Option<&str>) -> Option<i64> {
    let Value::Number(text) = v else {
        wrong_type(d, v, path, what);
        return None;
    };
    match int_text(text) {
        IntText::Int(n) => Some(n),
        IntText::TooLarge => {
            d.error(
                Code::NumberTooLarge,
                path,
                format!("`{text}` is beyond 2^53 - 1, the largest integer every host represents exactly"),
                None,
            );
            None
        }
        IntText::NotInteger => {
            d.error(code, path, format!("expected {what}, got `{text}`"), help);
            None
        }
    }
}

impl<'a, T: Decode<'a>> Decode<'a> for Vec<T> {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let Value::Array(items) = v else {
            wrong_type(d, v, path, "an array");
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match T::decode(d, item, &path.index(i)) {
                Some(x) => out.push(x),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
    fn schema(defs: &mut crate::schema::Defs) -> crate::schema::Json {
        crate::schema::Json::typed("array").with("items", T::schema(defs))
    }
}

impl<'a> Decode<'a> for Instant {
    fn decode(d: &mut Decoder, v: &Value<'a>, path: &Path<'_>) -> Option<Self> {
        let Value::String(s) = v else {
            wrong_type(d, v, path, "an RFC 3339 time string");
            return None;
        };
        match Instant::parse_rfc3339(s) {
            Ok(t) => Some(t),
            Err(why) => {
                d.error(
                    Code::InvalidTime,
                    path,
                    format!("expected an RFC 3339 time with an offset, got `{s}`: {why}"),
                    Some("write times like `2026-11-20T21:05:00+08:00`; the offset is required"),
                );
                None
            }
        }
    }
    fn schema(defs: &mut crate::schema::Defs) -> crate::schema::Json {
        crate::schema::instant(defs)
    }
}

/// An object being decoded: fields are taken by name, and [`Obj::finish`] reports every
/// field that was not taken as unknown (inputs are strict).
#[derive(Debug)]
pub struct Obj<'v, 'a, 'p> {
    pairs: &'v [(std::borrow::Cow<'a, str>, Value<'a>)],
    taken: u64,
    /// Where this object's asked names start in [`Decoder::asked`].
    asked_from: usize,
    path: &'p Path<'p>,
    /// In a schema-recording pass: the fields asked for, with their schemas.
    #[cfg(not(target_arch = "wasm32"))]
    fields: Option<Vec<crate::schema::Field>>,
}

/// Objects with more members than this cannot be valid: no input type has as many fields.
const MAX_FIELDS: usize = 64;

impl<'v, 'a, 'p> Obj<'v, 'a, 'p> {
    /// Starts decoding `v` as an object, or records an error and returns `None`.
    #[cfg_attr(aftersale_speed, optimize(speed))]
    pub fn new(d: &mut Decoder, v: &'v Value<'a>, path: &'p Path<'p>) -> Option<Self> {
        match v {
            Value::Object(pairs) if pairs.len() <= MAX_FIELDS => Some(Obj {
                pairs,
                taken: 0,
                asked_from: d.asked.len(),
                path,
                #[cfg(not(target_arch = "wasm32"))]
                fields: d.schema.is_some().then(Vec::new),
            }),
            Value::Object(pairs) => {
                d.error(
                    Code::UnknownField,
                    path,
                    format!("the object has {} fields; no input object has more than {MAX_FIELDS}", pairs.len()),
                    None,
                );
                None
            }
            _ => {
                wrong_type(d, v, path, "an object");
                None
            }
        }
    }

    pub fn path(&self) -> &'p Path<'p> {
        self.path
    }

    /// The raw value of a field, marking it as known. `null` counts as absent.
    #[cfg_attr(aftersale_speed, optimize(speed))]
    pub fn raw(&mut self, d: &mut Decoder, name: &'static str) -> Option<&'v Value<'a>> {
        d.asked.push(name);
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(fields) = &mut self.fields {
            let any = crate::schema::Json::Obj(Vec::new());
            fields.push(crate::schema::Field { name, schema: any, required: false });
        }
        let (i, (_, v)) = self.pairs.iter().enumerate().find(|(_, (k, _))| k == name)?;
        if let Some(bit) = 1u64.checked_shl(u32::try_from(i).ok()?) {
            self.taken |= bit;
        }
        match v {
            Value::Null => None,
            v => Some(v),
        }
    }

    /// A required field.
    pub fn req<T: Decode<'a>>(&mut self, d: &mut Decoder, name: &'static str) -> Option<T> {
        let raw = self.raw(d, name);
        self.hint(d, name, |defs, field| {
            field.schema = T::schema(defs);
            field.required = true;
        });
        match raw {
            Some(v) => T::decode(d, v, &self.path.key(name)),
            None => {
                d.error(Code::MissingField, &self.path.key(name), format!("missing required field `{name}`"), None);
                None
            }
        }
    }

    /// An optional field: `Ok(None)` when absent, `Err(())` when present but invalid (the
    /// error itself is already recorded in the decoder).
    #[allow(clippy::result_unit_err)]
    pub fn opt<T: Decode<'a>>(&mut self, d: &mut Decoder, name: &'static str) -> Result<Option<T>, ()> {
        let raw = self.raw(d, name);
        self.hint(d, name, |defs, field| field.schema = T::schema(defs));
        match raw {
            Some(v) => T::decode(d, v, &self.path.key(name)).map(Some).ok_or(()),
            None => Ok(None),
        }
    }

    /// An optional field with a default.
    pub fn or<T: Decode<'a>>(&mut self, d: &mut Decoder, name: &'static str, default: T) -> Option<T> {
        self.opt(d, name).ok().map(|v| v.unwrap_or(default))
    }

    /// A field decoded by a custom function; `Err(())` as for [`Obj::opt`].
    #[allow(clippy::result_unit_err)]
    pub fn with<T>(
        &mut self,
        d: &mut Decoder,
        name: &'static str,
        decode: impl FnOnce(&mut Decoder, &Value<'a>, &Path<'_>) -> Option<T>,
    ) -> Result<Option<T>, ()> {
        match self.raw(d, name) {
            Some(v) => decode(d, v, &self.path.key(name)).map(Some).ok_or(()),
            None => Ok(None),
        }
    }

    /// A required array of 1 to `max` elements (an order's lines, a request's items). The
    /// bound is checked before any element is decoded, so a huge array costs nothing.
    pub fn req_list<T: Decode<'a>>(&mut self, d: &mut Decoder, name: &'static str, max: usize, owner: &str, needs: &str) -> Option<Vec<T>> {
        let raw = self.bounded_array(d, name, max, owner, Some(needs));
        self.list_schema::<T>(d, name, 1, max);
        Vec::<T>::decode(d, raw??, &self.path.key(name))
    }

    /// An optional array of at most `max` elements (a policy's rules), empty when absent; the
    /// bound is checked first, as for [`Obj::req_list`].
    pub fn list<T: Decode<'a>>(&mut self, d: &mut Decoder, name: &'static str, max: usize, owner: &str) -> Option<Vec<T>> {
        let raw = self.bounded_array(d, name, max, owner, None);
        self.list_schema::<T>(d, name, 0, max);
        match raw? {
            Some(raw) => Vec::<T>::decode(d, raw, &self.path.key(name)),
            None => Some(Vec::new()),
        }
    }

    fn list_schema<T: Decode<'a>>(&mut self, d: &mut Decoder, name: &str, min: usize, max: usize) {
        self.hint(d, name, |defs, field| {
            let bounds = [("minItems", min), ("maxItems", max)].into_iter().filter(|(_, n)| *n > 0);
            field.schema = Vec::<T>::schema(defs);
            if let crate::schema::Json::Obj(pairs) = &mut field.schema {
                pairs.extend(bounds.map(|(k, n)| (k.to_owned(), crate::schema::Json::Num(n.to_string()))));
            }
            field.required = min > 0;
        });
    }

    /// The array field `name` if it holds at most `max` elements (and at least one when
    /// `needs` says why one is needed): `Some(None)` when absent and optional; `None` after
    /// recording an error.
    fn bounded_array(
        &mut self,
        d: &mut Decoder,
        name: &'static str,
        max: usize,
        owner: &str,
        needs: Option<&str>,
    ) -> Option<Option<&'v Value<'a>>> {
        let path = self.path.key(name);
        match (self.raw(d, name), needs) {
            (Some(Value::Array(items)), _) if items.len() > max => {
                d.error(Code::LimitExceeded, &path, format!("the {owner} has {} {name}; at most {max} are accepted", items.len()), None);
                None
            }
            (Some(Value::Array(items)), Some(needs)) if items.is_empty() => {
                d.error(Code::MissingField, &path, needs, None);
                None
            }
            (Some(raw), _) => Some(Some(raw)),
            (None, None) => Some(None),
            (None, Some(_)) => {
                d.error(Code::MissingField, &path, format!("missing required field `{name}`"), None);
                None
            }
        }
    }

    /// Tells the schema of field `name` what its type alone cannot: a bound, a pattern, that
    /// it is required. Only a schema-recording pass runs `refine`; in WebAssembly it is gone.
    #[allow(unused_variables)]
    pub fn hint(&mut self, d: &mut Decoder, name: &str, refine: impl FnOnce(&mut crate::schema::Defs, &mut crate::schema::Field)) {
        #[cfg(not(target_arch = "wasm32"))]
        if let (Some(fields), Some(defs)) = (&mut self.fields, d.schema.as_deref_mut()) {
            if let Some(field) = fields.iter_mut().rev().find(|f| f.name == name) {
                refine(defs, field);
            }
        }
    }

    /// Reports every field that was not taken. Returns whether there were none.
    pub fn finish(self, d: &mut Decoder) -> bool {
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(defs) = d.schema.as_deref_mut() {
            defs.finished = self.fields.clone();
        }
        let from = self.asked_from.min(d.asked.len());
        let every_field = u32::try_from(self.pairs.len()).ok().and_then(|n| u64::MAX.checked_shr(64u32.checked_sub(n)?));
        if self.taken == every_field.unwrap_or(0) {
            d.asked.truncate(from);
            return true;
        }
        let known = d.asked.split_off(from);
        for (i, (key, _)) in self.pairs.iter().enumerate() {
            let taken = u32::try_from(i).ok().and_then(|i| 1u64.checked_shl(i)).is_some_and(|bit| self.taken & bit != 0);
            if !taken {
                let help = crate::text::suggest(key, &known, "known fields");
                d.error(Code::UnknownField, &self.path.key(key), format!("unknown field `{key}`"), Some(&help));
            }
        }
        false
    }
}

/// Declares a string enum with its wire names, a decoder listing the allowed values in its
/// error, and `as_str`. The wire names are the contract.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        $vis enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub const WIRE: &'static [&'static str] = &[$($wire),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            pub fn from_wire(s: &str) -> Option<Self> {
                match s { $($wire => Some($name::$variant),)+ _ => None }
            }
        }

        impl $crate::json::ToJson for $name {
            fn write_json(&self, out: &mut $crate::json::Out) {
                $crate::json::write_str(self.as_str(), out);
            }

            fn schema(_: &mut $crate::schema::Defs) -> $crate::schema::Json {
                $crate::schema::Json::one_of_strings($name::WIRE)
            }
        }

        impl<'a> $crate::json::decode::Decode<'a> for $name {
            fn decode(
                d: &mut $crate::json::decode::Decoder,
                v: &$crate::json::Value<'a>,
                path: &$crate::json::decode::Path<'_>,
            ) -> Option<Self> {
                let $crate::json::Value::String(s) = v else {
                    $crate::json::decode::wrong_type(d, v, path, "a string");
                    return None;
                };
                let found = $name::from_wire(s);
                if found.is_none() {
                    d.error(
                        $crate::error::Code::InvalidValue,
                        path,
                        format!("unknown value `{}`", s),
                        Some(&format!("expected one of: {}", $name::WIRE.join(", "))),
                    );
                }
                found
            }
            fn schema(_: &mut $crate::schema::Defs) -> $crate::schema::Json {
                $crate::schema::Json::one_of_strings($name::WIRE)
            }
        }
    };
}
pub(crate) use wire_enum;
