//! The strict JSON reader: a serde `Deserializer` over the input text. Why not serde_json's:
//! the `.wasm` must stay within the product's 150 KB brotli, and serde_json's reader, with
//! the float parsing and printing it carries, did not fit (measured in bench/README.md).
//! What this one does differently is also what the wire wants: a number is never made a
//! float (a fraction or an exponent is refused with its text as written), a member whose value
//! is `null` is absent, and every error carries the byte where reading stopped, from which
//! `super::path` names the value. `tests/reader.rs` holds it to serde_json's verdicts.

use super::writer::needs_escape;
use serde::de::{self, DeserializeSeed, Unexpected, Visitor};
use std::borrow::Cow;

/// Why reading stopped: bad JSON (`syntax`), or a value its type refused, and where. Boxed, as
/// serde_json boxes its error: every read returns a `Result`, and a one-word error is moved
/// where a four-word one was copied field by field on every path a value comes back by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError(Box<Why>);

/// What a [`ReadError`] holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Why {
    pub message: String,
    /// The byte offset where reading stopped, once known.
    pub at: Option<usize>,
    pub syntax: bool,
}

impl std::ops::Deref for ReadError {
    type Target = Why;
    fn deref(&self) -> &Why {
        &self.0
    }
}

impl std::ops::DerefMut for ReadError {
    fn deref_mut(&mut self) -> &mut Why {
        &mut self.0
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ReadError {}

impl de::Error for ReadError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        ReadError(Box::new(Why { message: msg.to_string(), at: None, syntax: false }))
    }

    /// As serde words it, but naming a value without serde's `Display` of [`Unexpected`],
    /// which would bring float printing into the `.wasm` for a value this reader never makes.
    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        Self::custom(format_args!("invalid type: {}, expected {exp}", what(&unexp)))
    }

    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        Self::custom(format_args!("invalid value: {}, expected {exp}", what(&unexp)))
    }
}

/// A value as an error names it.
fn what<'u>(unexp: &'u Unexpected<'_>) -> Cow<'u, str> {
    match unexp {
        Unexpected::Bool(_) => Cow::Borrowed("boolean"),
        Unexpected::Unsigned(n) => Cow::Owned(format!("integer `{n}`")),
        Unexpected::Signed(n) => Cow::Owned(format!("integer `{n}`")),
        Unexpected::Str(_) => Cow::Borrowed("string"),
        Unexpected::Other(other) => Cow::Borrowed(other),
        Unexpected::Unit => Cow::Borrowed("null"),
        Unexpected::Seq => Cow::Borrowed("sequence"),
        Unexpected::Map => Cow::Borrowed("map"),
        _ => Cow::Borrowed("a value"),
    }
}

impl ReadError {
    /// This error, placed at `at` unless it already has a place (the innermost one wins).
    #[inline(never)]
    fn at(mut self, at: usize) -> Self {
        self.at.get_or_insert(at);
        self
    }
}

/// Reads one JSON value from a text.
#[derive(Debug)]
pub struct Reader<'a> {
    text: &'a str,
    pos: usize,
    /// How deep the value being read nests, and the most it may (see [`Reader::limited`]).
    depth: usize,
    max_depth: usize,
    /// The longest a string may be, in bytes as written.
    max_string: usize,
}

/// A JSON number's text, read by its grammar: `integer` when it has no fraction and no exponent.
struct Number<'a> {
    text: &'a str,
    integer: bool,
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Self {
        Reader { text, pos: 0, depth: 0, max_depth: usize::MAX, max_string: usize::MAX }
    }

    /// A reader that stops, with an error, at nesting deeper than `max_depth` or a string
    /// longer than `max_string` bytes as written: what [`super::json::check_limits`] would
    /// find, found while reading (the caller asks it which limit, on any error).
    pub fn limited(text: &'a str, max_depth: usize, max_string: usize) -> Self {
        Reader { max_depth, max_string, ..Reader::new(text) }
    }

    /// Past the opening bracket of an object or array, one level deeper. Not generic: one copy
    /// (inlined, it was copied into every struct's and list's reading: 6 KB of `.wasm`).
    #[inline(never)]
    fn enter(&mut self) -> Result<(), ReadError> {
        self.pos += 1;
        self.depth += 1;
        if self.depth > self.max_depth {
            return Err(self.syntax("nested too deep"));
        }
        Ok(())
    }

    /// Out of an object or array.
    #[inline(always)]
    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// After the value: only white space may follow.
    #[inline(never)]
    pub fn end(&mut self) -> Result<(), ReadError> {
        self.skip_ws();
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.syntax("unexpected text after the JSON value")),
        }
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    #[inline(never)]
    fn syntax(&self, what: &str) -> ReadError {
        ReadError(Box::new(Why { message: what.to_owned(), at: Some(self.pos), syntax: true }))
    }

    #[inline(always)]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    /// The next byte after white space, or the end of the input as a syntax error.
    #[inline(never)]
    fn next_token(&mut self) -> Result<u8, ReadError> {
        self.skip_ws();
        self.peek().ok_or_else(|| self.syntax("unexpected end of input"))
    }

    #[inline(never)]
    fn word(&mut self, word: &str) -> Result<(), ReadError> {
        if self.text.as_bytes().get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.syntax("expected a JSON value"))
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    /// A number by the JSON grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    #[inline(never)]
    fn number(&mut self) -> Result<Number<'a>, ReadError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let n = self.digits();
        if n == 0 || (n > 1 && self.text.as_bytes().get(int_start) == Some(&b'0')) {
            return Err(self.syntax("invalid number"));
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            integer = false;
            if self.digits() == 0 {
                return Err(self.syntax("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            integer = false;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.syntax("invalid number"));
            }
        }
        Ok(Number { text: self.text.get(start..self.pos).unwrap_or_default(), integer })
    }

    #[inline(never)]
    fn hex4(&mut self) -> Result<u32, ReadError> {
        let hex = self.text.as_bytes().get(self.pos..self.pos + 4).ok_or_else(|| self.syntax("invalid `\\u` escape"))?;
        let mut code = 0;
        for &h in hex {
            let digit = char::from(h).to_digit(16).ok_or_else(|| self.syntax("invalid `\\u` escape"))?;
            code = code * 16 + digit;
        }
        self.pos += 4;
        Ok(code)
    }

    /// The character of a `\u` escape (and its low surrogate), the `\u` already read.
    #[inline(never)]
    fn unicode_escape(&mut self) -> Result<char, ReadError> {
        let lone = "a lone UTF-16 surrogate in a `\\u` escape";
        let high = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&high) {
            if self.text.as_bytes().get(self.pos..self.pos + 2) != Some(b"\\u") {
                return Err(self.syntax(lone));
            }
            self.pos += 2;
            let low = self.hex4()?;
            if !(0xDC00..0xE000).contains(&low) {
                return Err(self.syntax(lone));
            }
            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        } else {
            high
        };
        char::from_u32(code).ok_or_else(|| self.syntax(lone))
    }

    /// A string from its opening quote; borrowed when it has no escapes.
    #[inline(never)]
    #[cfg_attr(aftersale_speed, optimize(speed))]
    fn string(&mut self) -> Result<Cow<'a, str>, ReadError> {
        self.pos += 1;
        let start = self.pos;
        let mut owned: Option<String> = None;
        loop {
            let run_start = self.pos;
            // Eight bytes at a time while none ends the run (most strings have no escape).
            let bytes = self.text.as_bytes();
            while let Some(word) = bytes.get(self.pos..self.pos + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
                if needs_escape(u64::from_le_bytes(word)) {
                    break;
                }
                self.pos += 8;
            }
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            let run = self.text.get(run_start..self.pos).unwrap_or_default();
            match self.peek() {
                Some(b'"') => {
                    if self.pos - start > self.max_string {
                        return Err(self.syntax("a string too long"));
                    }
                    self.pos += 1;
                    return Ok(match owned {
                        Some(mut s) => {
                            s.push_str(run);
                            Cow::Owned(s)
                        }
                        None => Cow::Borrowed(self.text.get(start..self.pos - 1).unwrap_or_default()),
                    });
                }
                Some(b'\\') => {
                    let mut s = owned.take().unwrap_or_default();
                    s.push_str(run);
                    self.pos += 1;
                    let escaped = self.peek().ok_or_else(|| self.syntax("unterminated string"))?;
                    self.pos += 1;
                    s.push(match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{08}',
                        b'f' => '\u{0C}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => {
                            self.pos -= 1;
                            return Err(self.syntax("invalid escape in a string"));
                        }
                    });
                    owned = Some(s);
                }
                Some(_) => return Err(self.syntax("a control character inside a string")),
                None => return Err(self.syntax("unterminated string")),
            }
        }
    }

    /// What the value at the current position is, for a type error (its text read past).
    #[inline(never)]
    fn unexpected(&mut self) -> Result<Unexpected<'static>, ReadError> {
        Ok(match self.next_token()? {
            b'{' => Unexpected::Map,
            b'[' => Unexpected::Seq,
            b'"' => Unexpected::Other("string"),
            b'n' => Unexpected::Other("null"),
            b't' | b'f' => Unexpected::Other("boolean"),
            b'-' | b'0'..=b'9' => Unexpected::Other("number"),
            _ => return Err(self.syntax("expected a JSON value")),
        })
    }

    /// A type error for the value here, the reader left where the value starts.
    fn refuse<V>(&mut self, expected: &dyn de::Expected) -> Result<V, ReadError> {
        Err(self.type_error(expected))
    }

    #[inline(never)]
    fn type_error(&mut self, expected: &dyn de::Expected) -> ReadError {
        let at = self.pos;
        match self.unexpected() {
            Ok(found) => <ReadError as de::Error>::invalid_type(found, expected).at(at.max(self.pos)),
            Err(e) => e,
        }
    }

    /// The texts of the elements of the array that is the whole input (a batch), each checked
    /// for syntax only: what they hold is read later, one at a time.
    #[inline(never)]
    pub fn elements(&mut self, expected: &str) -> Result<Vec<&'a str>, ReadError> {
        if self.next_token()? != b'[' {
            let at = self.pos;
            let found = self.unexpected()?;
            return Err(<ReadError as de::Error>::invalid_type(found, &expected).at(at));
        }
        self.pos += 1;
        let mut out = Vec::new();
        let mut first = true;
        while self.more(b']', &mut first, "expected `,` or `]` in an array")? {
            self.skip_ws();
            let start = self.pos;
            self.skip()?;
            out.push(self.text.get(start..self.pos).unwrap_or_default());
        }
        self.end()?;
        Ok(out)
    }

    /// Skips one value, checking its syntax.
    #[inline(never)]
    fn skip(&mut self) -> Result<(), ReadError> {
        match self.next_token()? {
            b'{' => {
                self.enter()?;
                let mut first = true;
                while self.more(b'}', &mut first, "expected `,` or `}` in an object")? {
                    self.key()?;
                    self.skip()?;
                }
                self.leave();
                Ok(())
            }
            b'[' => {
                self.enter()?;
                let mut first = true;
                while self.more(b']', &mut first, "expected `,` or `]` in an array")? {
                    self.skip()?;
                }
                self.leave();
                Ok(())
            }
            b'"' => self.string().map(drop),
            b't' => self.word("true"),
            b'f' => self.word("false"),
            b'n' => self.word("null"),
            b'-' | b'0'..=b'9' => self.number().map(drop),
            _ => Err(self.syntax("expected a JSON value")),
        }
    }

    /// Whether another member of an object or array follows (after its comma), or it closes.
    #[inline(never)]
    fn more(&mut self, close: u8, first: &mut bool, expected: &str) -> Result<bool, ReadError> {
        let next = self.next_token()?;
        if next == close {
            self.pos += 1;
            return Ok(false);
        }
        if !std::mem::take(first) {
            if next != b',' {
                return Err(self.syntax(expected));
            }
            self.pos += 1;
            self.skip_ws();
        }
        Ok(true)
    }

    /// A member's key and its colon, and where the key ends.
    #[inline(never)]
    fn member(&mut self) -> Result<(Cow<'a, str>, usize), ReadError> {
        if self.next_token()? != b'"' {
            return Err(self.syntax("expected a string key in an object"));
        }
        let key = self.string()?;
        let end = self.pos;
        self.colon()?;
        Ok((key, end))
    }

    /// Whether the value here is `null`, read past if it is.
    #[inline(never)]
    fn null_value(&mut self) -> Result<bool, ReadError> {
        if self.next_token()? == b'n' {
            self.word("null")?;
            return Ok(true);
        }
        Ok(false)
    }

    /// An object key and its colon.
    #[inline(never)]
    fn key(&mut self) -> Result<Cow<'a, str>, ReadError> {
        if self.next_token()? != b'"' {
            return Err(self.syntax("expected a string key in an object"));
        }
        let key = self.string()?;
        self.colon()?;
        Ok(key)
    }

    #[inline(never)]
    fn colon(&mut self) -> Result<(), ReadError> {
        if self.next_token()? != b':' {
            return Err(self.syntax("expected `:` after an object key"));
        }
        self.pos += 1;
        Ok(())
    }

    /// Reads the `}` that ends an object whose members were read. Not generic: one copy,
    /// where the code after every struct's reading would be one each.
    #[inline(never)]
    fn end_object(&mut self) -> Result<(), ReadError> {
        self.leave();
        let mut first = false;
        if self.more(b'}', &mut first, "expected `,` or `}` in an object")? {
            return Err(self.syntax("expected `,` or `}` in an object"));
        }
        Ok(())
    }

    /// Reads the `]` that ends an array whose elements were read (one copy, as for objects).
    #[inline(never)]
    fn end_array(&mut self) -> Result<(), ReadError> {
        self.leave();
        let mut first = false;
        if self.more(b']', &mut first, "expected `,` or `]` in an array")? {
            return Err(self.syntax("expected `,` or `]` in an array"));
        }
        Ok(())
    }

    /// An error reading an object's members; one about the object as a whole (a missing
    /// field) is placed past its end.
    #[inline(never)]
    fn object_error(&mut self, e: ReadError) -> ReadError {
        if self.next_token() == Ok(b'}') {
            self.pos += 1;
        }
        e.at(self.pos)
    }

    /// A number to a visitor: integers as `u64` or `i64`; an integer beyond 64 bits or a
    /// number with a fraction or an exponent is a type error naming its text.
    fn visit_number<'de, V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, ReadError> {
        let n = self.number()?;
        let refused = |what: &str| <ReadError as de::Error>::invalid_type(Unexpected::Other(what), &visitor);
        let result = if !n.integer {
            Err(refused(&format!("number `{}`", n.text)))
        } else if let Some(digits) = n.text.strip_prefix('-') {
            match super::number::digits(digits).and_then(|d| 0i64.checked_sub_unsigned(d)) {
                Some(v) => visitor.visit_i64::<ReadError>(v),
                None => Err(refused(&format!("integer `{}`", n.text))),
            }
        } else {
            match super::number::digits(n.text) {
                Some(v) => visitor.visit_u64::<ReadError>(v),
                None => Err(refused(&format!("integer `{}`", n.text))),
            }
        };
        result.map_err(|e| e.at(self.pos))
    }
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.next_token()? {
            b'{' => self.deserialize_map(visitor),
            b'[' => self.deserialize_seq(visitor),
            b'"' => self.deserialize_str(visitor),
            b't' | b'f' => self.deserialize_bool(visitor),
            b'n' => {
                self.word("null")?;
                visitor.visit_unit::<ReadError>().map_err(|e| e.at(self.pos))
            }
            b'-' | b'0'..=b'9' => self.visit_number(visitor),
            _ => Err(self.syntax("expected a JSON value")),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let value = match self.next_token()? {
            b't' => self.word("true").map(|()| true)?,
            b'f' => self.word("false").map(|()| false)?,
            _ => return self.refuse(&visitor),
        };
        visitor.visit_bool::<ReadError>(value).map_err(|e| e.at(self.pos))
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        if self.next_token()? != b'"' {
            return self.refuse(&visitor);
        }
        let result = match self.string()? {
            Cow::Borrowed(s) => visitor.visit_borrowed_str::<ReadError>(s),
            Cow::Owned(s) => visitor.visit_string::<ReadError>(s),
        };
        result.map_err(|e| e.at(self.pos))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        if self.next_token()? == b'n' {
            self.word("null")?;
            return visitor.visit_none::<ReadError>().map_err(|e| e.at(self.pos));
        }
        visitor.visit_some(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        if self.next_token()? != b'[' {
            return self.refuse(&visitor);
        }
        self.enter()?;
        match visitor.visit_seq(Members { reader: &mut *self, first: true }) {
            Ok(value) => self.end_array().map(|()| value),
            Err(e) => Err(e.at(self.pos)),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        if self.next_token()? != b'{' {
            return self.refuse(&visitor);
        }
        self.enter()?;
        match visitor.visit_map(Members { reader: &mut *self, first: true }) {
            Ok(value) => self.end_object().map(|()| value),
            Err(e) => Err(self.object_error(e)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(self, _: &'static str, _: &'static [&'static str], visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(self, _: &'static str, _: &'static [&'static str], visitor: V) -> Result<V::Value, ReadError> {
        if self.next_token()? != b'"' {
            return self.refuse(&visitor);
        }
        let name = self.string()?;
        visitor.visit_enum(de::value::StrDeserializer::<ReadError>::new(&name)).map_err(|e| e.at(self.pos))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, ReadError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.skip()?;
        visitor.visit_unit::<ReadError>()
    }

    // No wire type has a fractional number: one asked for anyway reads as any value, and
    // `visit_number` refuses every number with a fraction or an exponent.
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_any(visitor)
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 char bytes byte_buf unit unit_struct tuple tuple_struct
    }
}

/// The members of an object or an array being read.
struct Members<'r, 'de> {
    reader: &'r mut Reader<'de>,
    first: bool,
}

impl<'de> de::MapAccess<'de> for Members<'_, 'de> {
    type Error = ReadError;

    /// The next member's key. A member whose value is `null` is skipped: `null` is absent.
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, ReadError> {
        loop {
            if !self.reader.more(b'}', &mut self.first, "expected `,` or `}` in an object")? {
                // Left to `deserialize_map`, which reads the `}` itself.
                self.reader.pos -= 1;
                return Ok(None);
            }
            let (key, end) = self.reader.member()?;
            if self.reader.null_value()? {
                continue;
            }
            // One path for borrowed and unescaped keys: a field name is matched, never kept,
            // and each path is a copy of every struct's key matching in the `.wasm`.
            return seed.deserialize(de::value::StrDeserializer::<ReadError>::new(&key)).map(Some).map_err(|e| e.at(end));
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ReadError> {
        seed.deserialize(&mut *self.reader)
    }
}

impl<'de> de::SeqAccess<'de> for Members<'_, 'de> {
    type Error = ReadError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, ReadError> {
        if !self.reader.more(b']', &mut self.first, "expected `,` or `]` in an array")? {
            self.reader.pos -= 1;
            return Ok(None);
        }
        seed.deserialize(&mut *self.reader).map(Some)
    }
}
