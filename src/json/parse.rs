//! Recursive-descent JSON reader over bytes, bounded in size and depth.

use super::Value;
use crate::error::{Code, Diagnostic};
use std::borrow::Cow;

/// Bounds checked before and while reading, so hostile input costs little.
#[derive(Debug, Clone, Copy)]
pub struct ParseLimits {
    pub max_bytes: usize,
    pub max_depth: usize,
}

/// Parses one JSON document. `root` names the document in error paths.
pub fn parse<'a>(text: &'a str, root: &str, limits: ParseLimits) -> Result<Value<'a>, Diagnostic> {
    if text.len() > limits.max_bytes {
        return Err(Diagnostic::new(
            Code::LimitExceeded,
            root,
            format!("the input is {} bytes; at most {} are accepted", text.len(), limits.max_bytes),
        ));
    }
    let mut reader = Reader { text, bytes: text.as_bytes(), pos: 0, depth: 0, limits, root };
    reader.skip_ws();
    let value = reader.value()?;
    reader.skip_ws();
    if reader.pos < reader.bytes.len() {
        return Err(reader.error("unexpected text after the JSON value"));
    }
    Ok(value)
}

struct Reader<'a, 'r> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    limits: ParseLimits,
    root: &'r str,
}

impl<'a> Reader<'a, '_> {
    // `inline(always)`: the .wasm is built for size, where these per-byte helpers would
    // otherwise stay calls inside every scanning loop.
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn error(&self, what: &str) -> Diagnostic {
        let consumed = self.text.get(..self.pos).unwrap_or(self.text);
        let line = consumed.matches('\n').count() + 1;
        let column = consumed.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Diagnostic::new(Code::InvalidJson, self.root, format!("{what} at line {line}, column {column}"))
            .with_help("the input must be one JSON value in UTF-8, as JSON.stringify writes it")
    }

    #[inline(always)]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    fn expect_word(&mut self, word: &str, value: Value<'a>) -> Result<Value<'a>, Diagnostic> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a JSON value"))
        }
    }

    #[cfg_attr(aftersale_speed, optimize(speed))]
    fn value(&mut self) -> Result<Value<'a>, Diagnostic> {
        match self.peek() {
            None => Err(self.error("unexpected end of input")),
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => Ok(Value::String(self.string()?)),
            Some(b't') => self.expect_word("true", Value::Bool(true)),
            Some(b'f') => self.expect_word("false", Value::Bool(false)),
            Some(b'n') => self.expect_word("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("expected a JSON value")),
        }
    }

    fn nested(&mut self, read: fn(&mut Self) -> Result<Value<'a>, Diagnostic>) -> Result<Value<'a>, Diagnostic> {
        if self.depth >= self.limits.max_depth {
            return Err(Diagnostic::new(
                Code::LimitExceeded,
                self.root,
                format!("the input nests deeper than {} levels", self.limits.max_depth),
            ));
        }
        self.depth += 1;
        self.pos += 1; // the opening bracket
        let value = read(self);
        self.depth -= 1;
        value
    }

    #[cfg_attr(aftersale_speed, optimize(speed))]
    fn array(&mut self) -> Result<Value<'a>, Diagnostic> {
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value()?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.error("expected `,` or `]` in an array")),
            }
        }
    }

    #[cfg_attr(aftersale_speed, optimize(speed))]
    fn object(&mut self) -> Result<Value<'a>, Diagnostic> {
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(Vec::new()));
        }
        // Sized for a typical input's objects, so that they rarely grow (a grown vector of
        // pairs is a reallocation and a copy).
        let mut pairs: Vec<(Cow<'a, str>, Value<'a>)> = Vec::with_capacity(8);
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a string key in an object"));
            }
            let key_at = self.pos;
            let key = self.string()?;
            self.skip_ws();
            if self.peek() != Some(b':') {
                return Err(self.error("expected `:` after an object key"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value()?;
            if pairs.iter().any(|(k, _)| *k == key) {
                self.pos = key_at;
                let mut err = self.error(&format!("the key `{key}` appears twice in one object"));
                err.code = crate::error::Code::DuplicateKey;
                err.help = Some("each field may be given once".into());
                return Err(err);
            }
            pairs.push((key, value));
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(pairs));
                }
                _ => return Err(self.error("expected `,` or `}` in an object")),
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    #[cfg_attr(aftersale_speed, optimize(speed))]
    fn number(&mut self) -> Result<Value<'a>, Diagnostic> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let n = self.digits();
        if n == 0 || (n > 1 && self.bytes.get(int_start) == Some(&b'0')) {
            return Err(self.error("invalid number"));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        self.text.get(start..self.pos).map(Value::Number).ok_or_else(|| self.error("invalid number"))
    }

    fn hex4(&mut self) -> Result<u32, Diagnostic> {
        let hex = self.text.get(self.pos..self.pos + 4).ok_or_else(|| self.error("invalid `\\u` escape"))?;
        let code = u32::from_str_radix(hex, 16).map_err(|_| self.error("invalid `\\u` escape"))?;
        self.pos += 4;
        Ok(code)
    }

    /// Reads a string starting at its opening quote; borrows when it has no escapes.
    #[cfg_attr(aftersale_speed, optimize(speed))]
    fn string(&mut self) -> Result<Cow<'a, str>, Diagnostic> {
        self.pos += 1;
        let start = self.pos;
        let mut owned: Option<String> = None;
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            let run = self.text.get(run_start..self.pos).ok_or_else(|| self.error("invalid string"))?;
            match self.peek() {
                Some(b'"') => {
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
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(run);
                    self.pos += 1;
                    let escaped = self.peek().ok_or_else(|| self.error("unterminated string"))?;
                    self.pos += 1;
                    let c = match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{08}',
                        b'f' => '\u{0C}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let high = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&high) {
                                if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                                    return Err(self.error("a lone UTF-16 surrogate in a `\\u` escape"));
                                }
                                self.pos += 2;
                                let low = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return Err(self.error("a lone UTF-16 surrogate in a `\\u` escape"));
                                }
                                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                high
                            };
                            char::from_u32(code).ok_or_else(|| self.error("a lone UTF-16 surrogate in a `\\u` escape"))?
                        }
                        _ => return Err(self.error("invalid escape in a string")),
                    };
                    // `owned` was set just above; re-borrow after the reads of `self`.
                    if let Some(s) = owned.as_mut() {
                        s.push(c);
                    }
                }
                Some(_) => return Err(self.error("a control character inside a string")),
                None => return Err(self.error("unterminated string")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: ParseLimits = ParseLimits { max_bytes: 1 << 20, max_depth: 64 };

    #[test]
    fn reads_nested_values_in_key_order() {
        let v = parse(r#"{"b":[1,-2.5e3,"x\u00e9\ud83d\ude00"],"a":{"t":true,"n":null}}"#, "input", LIMITS).unwrap();
        let mut out = super::super::Out::new();
        super::super::write_compact(&v, &mut out);
        assert_eq!(out.into_string(), r#"{"b":[1,-2.5e3,"xé😀"],"a":{"t":true,"n":null}}"#);
    }

    #[test]
    fn duplicate_keys_are_refused() {
        let err = parse(r#"{"a":1,"a":2}"#, "order", LIMITS).unwrap_err();
        assert_eq!(err.code, Code::DuplicateKey);
        assert_eq!(err.message, "the key `a` appears twice in one object at line 1, column 8");
    }

    #[test]
    fn depth_and_size_are_bounded() {
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert_eq!(parse(&deep, "input", LIMITS).unwrap_err().code, Code::LimitExceeded);
        let small = ParseLimits { max_bytes: 4, max_depth: 4 };
        assert_eq!(parse("[1,2,3]", "input", small).unwrap_err().code, Code::LimitExceeded);
    }

    #[test]
    fn malformed_texts_are_errors_not_panics() {
        for bad in ["", "{", "[1,]", "01", "1.", "-", "\"\\ud800\"", "\"abc", "{\"a\" 1}", "tru", "\"\\x\"", "1 2", "\"\u{01}\""] {
            assert_eq!(parse(bad, "input", LIMITS).unwrap_err().code, Code::InvalidJson, "{bad:?}");
        }
    }
}
