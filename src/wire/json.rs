//! The strict JSON boundary: text in, typed values out, every failure a [`Diagnostic`] with
//! its JSON path; typed values out as canonical JSON text.
//!
//! Reading is `super::reader` into the wire types; where it stops names the path
//! (`super::path`). Writing is `super::writer`.
//! The size and the nesting of the text are checked before any of it is parsed. Types decide what they
//! accept: objects only where a struct is expected (see [`MapOnly`]), integers within
//! ±(2^53 − 1), times with an offset. The first error of an input is reported: what cannot be
//! read stops the reading. (Policies are then validated as a whole, reporting every error.)

use super::error::{Code, Diagnostic, Errors};
use super::limits::{ParseLimits, MAX_ANSWER_BYTES};
use super::path;
use super::reader::{ReadError, Reader};
use super::refusal::{refuse_list, AS_WRITTEN, EXPECTS, MARK};
use super::writer::{needs_escape, Unwritable, Writer};
use serde::de::{DeserializeOwned, DeserializeSeed, Deserializer, Visitor};
use serde::Serialize;

/// Reads `text` as a `T`. `root` names the document in errors about it as a whole (`input`,
/// `policy`); `prefix` is put before every path inside it (`policy.rules[0]`), or nothing.
///
/// The limits are checked while reading (the reader stops at the first one passed), so a text
/// within them is read in one pass; on any error the text is scanned for the first limit it
/// passes, which is the answer before any other error, as if it had been checked first.
pub fn read<T: DeserializeOwned>(text: &str, root: &str, prefix: Option<&str>, limits: ParseLimits) -> Result<T, Errors> {
    if text.len() > limits.max_bytes {
        // Too long to read at all: refused by its size.
        check_limits(text, root, prefix, limits)?;
    }
    let mut reader = Reader::limited(text, limits.max_depth, limits.max_string_bytes);
    T::deserialize(&mut reader)
        .and_then(|value| reader.end().map(|()| value))
        .map_err(|e| check_limits(text, root, prefix, limits).err().unwrap_or_else(|| vec![diagnostic(&e, text, root, prefix)]))
}

/// [`read`] for a text whose limits were checked as part of a larger one (a batch's input).
pub fn read_unchecked<T: DeserializeOwned>(text: &str, root: &str, prefix: Option<&str>) -> Result<T, Errors> {
    let mut reader = Reader::new(text);
    T::deserialize(&mut reader).and_then(|value| reader.end().map(|()| value)).map_err(|e| vec![diagnostic(&e, text, root, prefix)])
}

/// Checks `text` against `limits` before it is parsed: its size, then its nesting and the
/// length of every string (a string too long is reported at its path, `prefix` before it).
pub fn check_limits(text: &str, root: &str, prefix: Option<&str>, limits: ParseLimits) -> Result<(), Errors> {
    if text.len() > limits.max_bytes {
        return Err(vec![Diagnostic::new(
            Code::LimitExceeded,
            root,
            format!("the {root} is {} bytes; at most {} are accepted", text.len(), limits.max_bytes),
        )]);
    }
    match scan(text.as_bytes(), limits) {
        Some(Exceeded::Depth) => {
            Err(vec![Diagnostic::new(Code::LimitExceeded, root, format!("the {root} nests deeper than {} levels", limits.max_depth))])
        }
        Some(Exceeded::String { at, len }) => {
            let path = path::render(&path::path_at(text, at), prefix);
            Err(vec![Diagnostic::new(
                Code::LimitExceeded,
                if path.is_empty() { root.to_owned() } else { path },
                format!("a text of {len} bytes; at most {} are accepted", limits.max_string_bytes),
            )
            .with_help("ids, codes and texts are short: shorten it")])
        }
        None => Ok(()),
    }
}

/// Canonical JSON text of a value: fields in declaration order, absent options left out; an
/// answer that would pass [`MAX_ANSWER_BYTES`] is a `LIMIT_EXCEEDED` errors answer instead.
pub fn write<T: Serialize + ?Sized>(value: &T) -> String {
    let mut w = Writer::with_capacity(4096).limited(MAX_ANSWER_BYTES);
    write_to(value, &mut w, None);
    w.into_string()
}

/// [`write`], leaving out the named members of the named structs (an answer's view).
pub fn write_omitting<T: Serialize + ?Sized>(value: &T, omit: Vec<(&'static str, &'static str)>) -> String {
    let mut w = Writer::with_capacity(4096).limited(MAX_ANSWER_BYTES).omitting(omit);
    write_to(value, &mut w, None);
    w.into_string()
}

/// Appends the canonical JSON text of a value to `out` (a batch's answers, one after
/// another), as [`write_omitting`] does, stopping where `out` would pass `limit` bytes in all.
pub fn write_into<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>, limit: usize, omit: Vec<(&'static str, &'static str)>) {
    let own = out.len().saturating_add(MAX_ANSWER_BYTES);
    let mut w = Writer::appending(std::mem::take(out)).limited(limit.min(own)).omitting(omit);
    write_to(value, &mut w, (limit < own).then_some(limit));
    *out = w.into_bytes();
}

/// Writes `value`, or the errors answer that says why it cannot be written (`batch_limit`:
/// the limit was the batch's, not the answer's own).
fn write_to<T: Serialize + ?Sized>(value: &T, w: &mut Writer, batch_limit: Option<usize>) {
    let start = w.len();
    if let Err(e) = value.serialize(&mut *w) {
        unwritten(w, start, &e, batch_limit);
    }
}

/// Replaces what was written from `start` with the errors answer that says why it failed.
fn unwritten(w: &mut Writer, start: usize, e: &Unwritable, batch_limit: Option<usize>) {
    w.truncate(start);
    let error = match e {
        Unwritable::TooLong => {
            let (limit, whose, help) = match batch_limit {
                Some(limit) => (limit, "the batch's answers", "send the rest in another batch"),
                None => (MAX_ANSWER_BYTES, "the answer", "ask for fewer items at once, or shorten the policy's texts"),
            };
            Diagnostic::new(Code::LimitExceeded, "request.items", format!("{whose} would pass {limit} bytes")).with_help(help)
        }
        Unwritable::Value(_) => Diagnostic::new(Code::InvalidType, "", format!("the answer cannot be written: {e}")),
    };
    let mut unlimited = Writer::appending(std::mem::take(w).into_bytes());
    let _ = super::error::ErrorsAnswer::new(vec![error]).serialize(&mut unlimited);
    *w = unlimited;
}

/// Reads `text` as an array of at most `max` JSON values, each kept as its text: a batch is
/// checked as a whole (size, nesting, syntax, count) before any of its elements is read.
pub fn read_batch<'t>(text: &'t str, root: &str, limits: ParseLimits, max: usize) -> Result<Vec<&'t str>, Errors> {
    check_limits(text, root, None, limits)?;
    let items = Reader::new(text).elements("an array of inputs").map_err(|e| match diagnostic(&e, text, root, None) {
        d if e.syntax => vec![d],
        d => vec![Diagnostic::new(d.code, root, d.message)],
    })?;
    if items.len() > max {
        return Err(vec![Diagnostic::new(Code::LimitExceeded, root, format!("{} inputs; at most {max} per batch", items.len()))]);
    }
    Ok(items)
}

/// What a document holds beyond its limits.
enum Exceeded {
    Depth,
    /// A string of `len` bytes (as written) starting at byte `at`.
    String {
        at: usize,
        len: usize,
    },
}

/// The first limit `text` exceeds in nesting or string length (escapes honoured), in one pass
/// over its bytes: before a batch is parsed, and for one document once reading it failed.
fn scan(text: &[u8], limits: ParseLimits) -> Option<Exceeded> {
    let (mut depth, mut i) = (0usize, 0usize);
    while let Some(&b) = text.get(i) {
        i += 1;
        match b {
            b'"' => {
                let start = i - 1;
                loop {
                    // Eight bytes at a time while none is a quote or a backslash (nor a control
                    // character, which the reader refuses: the byte loop passes it).
                    while let Some(word) = text.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
                        if needs_escape(u64::from_le_bytes(word)) {
                            break;
                        }
                        i += 8;
                    }
                    match text.get(i) {
                        // Unterminated: the reader says where.
                        None => return None,
                        Some(b'\\') => i += 2,
                        Some(b'"') => break,
                        Some(_) => i += 1,
                    }
                }
                let len = i - start - 1;
                i += 1;
                if len > limits.max_string_bytes {
                    return Some(Exceeded::String { at: start, len });
                }
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > limits.max_depth {
                    return Some(Exceeded::Depth);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// A syntax error, at its line and column (1-based, in characters).
fn syntax(e: &ReadError, text: &str, root: &str) -> Diagnostic {
    let at = e.at.unwrap_or(0).min(text.len());
    let before = text.get(..at).unwrap_or_default();
    // Bytes, not `str` patterns: `\n` is ASCII, and the `.wasm` then needs no reverse splitter.
    let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
    let start = before.bytes().rposition(|b| b == b'\n').map_or(0, |i| i + 1);
    let column = before.get(start..).map_or(0, |l| l.chars().count()) + 1;
    Diagnostic::new(Code::InvalidJson, root, format!("{} at line {line}, column {column}", e.message))
        .with_help("the input must be one JSON value in UTF-8, as JSON.stringify writes it")
}

/// The first word in backticks of `message`.
fn quoted(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message.get(start..)?.find('`')?;
    message.get(start..start + len)
}

/// Every word in backticks of `message` after `from`.
fn quoted_after<'m>(message: &'m str, from: &str) -> Vec<&'m str> {
    let Some(at) = position_of(message, from) else { return Vec::new() };
    message.get(at..).unwrap_or_default().split('`').skip(1).step_by(2).collect()
}

/// Where `pat` first occurs in `text`: a plain byte search, so that the `.wasm` carries no
/// substring searcher (std's two-way searcher is almost a kilobyte) for two error messages.
fn position_of(text: &str, pat: &str) -> Option<usize> {
    text.as_bytes().windows(pat.len().max(1)).position(|w| w == pat.as_bytes())
}

/// What serde calls a JSON value, in this engine's words.
fn kind_of(found: &str) -> String {
    let word = found.split([' ', '`', '"']).next().unwrap_or(found);
    match word {
        "sequence" => "an array".into(),
        "map" => "an object".into(),
        "string" => "a string".into(),
        "integer" | "floating" | "number" => "a number".into(),
        "boolean" => "a boolean".into(),
        "null" | "unit" => "null".into(),
        _ => found.to_owned(),
    }
}

/// What a type expects, in this engine's words.
fn expected_words(expected: &str) -> String {
    if expected.starts_with("struct ") {
        return "an object".into();
    }
    match expected {
        "a sequence" => "an array".into(),
        "a boolean" => "`true` or `false`".into(),
        "u64" | "i64" | "u32" | "i32" => "a whole number".into(),
        other => other.to_owned(),
    }
}

/// A refusal a wire type made (see [`super::refusal::refuse`]), with its code and help, at `path`.
fn refusal(custom: &str, mut segments: Vec<path::Segment>, as_written: &str, prefix: Option<&str>) -> Diagnostic {
    let mut pieces = custom.split(MARK);
    let code = pieces.next().and_then(Code::from_wire).unwrap_or(Code::InvalidValue);
    let message = pieces.next().unwrap_or_default().replace(AS_WRITTEN, as_written);
    let help = pieces.next().filter(|h| !h.is_empty());
    if pieces.next() == Some("list") && matches!(segments.last(), Some(path::Segment::Index(_))) {
        segments.pop();
    }
    let d = Diagnostic::new(code, path::render(&segments, prefix), message);
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// Maps a reading error in `text` to the engine's codes and words, at the path where the
/// reader stopped.
fn diagnostic(e: &ReadError, text: &str, root: &str, prefix: Option<&str>) -> Diagnostic {
    if e.syntax {
        return syntax(e, text, root);
    }
    let offset = e.at.unwrap_or(0);
    let segments = path::path_at(text, offset);
    let at = path::render(&segments, prefix);
    let message = e.message.as_str();
    let field = |name: &str| if at.is_empty() { name.to_owned() } else { format!("{at}.{name}") };
    if let Some(custom) = message.strip_prefix(MARK) {
        return refusal(custom, segments, path::token_before(text, offset), prefix);
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let name = rest.trim_matches('`');
        return Diagnostic::new(Code::MissingField, field(name), format!("missing required field `{name}`"));
    }
    if message.starts_with("unknown field ") {
        let name = quoted(message).unwrap_or_default();
        let known = quoted_after(message, "expected");
        let help = if known.is_empty() { "this object has no fields".into() } else { super::text::suggest(name, &known, "known fields") };
        return Diagnostic::new(Code::UnknownField, at, format!("unknown field `{name}`")).with_help(help);
    }
    if message.starts_with("duplicate field ") {
        let name = quoted(message).unwrap_or_default();
        let path = if at.ends_with(name) { at.clone() } else { field(name) };
        return Diagnostic::new(Code::DuplicateKey, path, format!("the key `{name}` appears twice in one object"))
            .with_help("each field may be given once");
    }
    if message.starts_with("unknown variant ") {
        let value = quoted(message).unwrap_or_default();
        let allowed = quoted_after(message, "expected");
        return Diagnostic::new(Code::InvalidValue, at, format!("unknown value `{value}`"))
            .with_help(format!("expected one of: {}", allowed.join(", ")));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let split = position_of(rest, ", expected ").and_then(|at| Some((rest.get(..at)?, rest.get(at + ", expected ".len()..)?)));
        let (found, expected) = split.unwrap_or((rest, "another type"));
        if found == "null" && !segments.is_empty() {
            // `null` counts as absent: for a required value, absence is the error.
            let name = match segments.last() {
                Some(path::Segment::Key(k)) => k.clone(),
                _ => String::new(),
            };
            return Diagnostic::new(Code::MissingField, at, format!("missing required field `{name}`"));
        }
        if let Some(whole) = expected.strip_prefix(EXPECTS) {
            return wrong_number(whole, found, at);
        }
        return Diagnostic::new(Code::InvalidType, at, format!("expected {}, got {}", expected_words(expected), kind_of(found)));
    }
    Diagnostic::new(Code::InvalidValue, at, message)
}

/// A value a whole number was expected for: a fraction or an exponent draws the number's own
/// code, an integer beyond 64 bits is too large, anything else is of the wrong type.
fn wrong_number(whole: &str, found: &str, at: String) -> Diagnostic {
    let mut parts = whole.split(EXPECTS);
    let code = parts.next().and_then(Code::from_wire).unwrap_or(Code::InvalidInteger);
    let help = parts.next().filter(|h| !h.is_empty());
    let what = parts.next().unwrap_or("a whole number");
    let token = |prefix: &str| found.strip_prefix(prefix).and_then(|t| t.strip_suffix('`'));
    let d = if let Some(text) = token("integer `") {
        return Diagnostic::new(
            Code::NumberTooLarge,
            at,
            format!("`{text}` is beyond 2^53 - 1, the largest integer every host represents exactly"),
        );
    } else if let Some(text) = token("number `") {
        Diagnostic::new(code, at, format!("expected {what}, got `{text}`"))
    } else {
        return Diagnostic::new(Code::InvalidType, at, format!("expected {what}, got {}", kind_of(found)));
    };
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// Reads an array of at most `MAX` elements, refusing it as soon as it holds one more, before
/// reading the rest: a list's bound is checked before the work of its elements.
#[inline]
pub fn at_most<'de, D, T, const MAX: usize>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    Bounded::<T>::new(MAX).deserialize(d)
}

/// Reads an array of at most `max` elements (see [`at_most`]). The bound is a value, not a type
/// parameter, so every list of one element type shares one reader.
pub struct Bounded<T> {
    max: usize,
    element: std::marker::PhantomData<fn() -> T>,
}

impl<T> Bounded<T> {
    pub fn new(max: usize) -> Self {
        Bounded { max, element: std::marker::PhantomData }
    }
}

impl<T> std::fmt::Debug for Bounded<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Bounded({})", self.max)
    }
}

impl<T> Clone for Bounded<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Bounded<T> {}

impl<'de, T: serde::Deserialize<'de>> DeserializeSeed<'de> for Bounded<T> {
    type Value = Vec<T>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: serde::Deserialize<'de>> Visitor<'de> for Bounded<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let max = self.max;
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(max));
        while let Some(item) = seq.next_element()? {
            if out.len() == max {
                return Err(refuse_list(
                    Code::LimitExceeded,
                    format_args!("the list has more than {max} entries; at most {max} are accepted"),
                ));
            }
            out.push(item);
        }
        Ok(out)
    }
}

/// Reads one of `names` (an enum's wire names), strictly a string: its index.
pub fn read_name<'de, D: Deserializer<'de>>(d: D, names: &'static [&'static str]) -> Result<usize, D::Error> {
    struct Name(&'static [&'static str]);
    impl Visitor<'_> for Name {
        type Value = usize;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<usize, E> {
            self.0.iter().position(|n| *n == s).ok_or_else(|| E::unknown_variant(s, self.0))
        }
    }
    d.deserialize_str(Name(names))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_counted_outside_strings_only_and_strings_by_their_bytes() {
        let limits = |max_depth, max_string_bytes| ParseLimits { max_bytes: 1000, max_depth, max_string_bytes };
        let deeper = |text: &[u8], depth| matches!(scan(text, limits(depth, 100)), Some(Exceeded::Depth));
        assert!(!deeper(br#"{"a":[1,{"b":"[[[[[[["}]}"#, 3));
        assert!(deeper(br#"{"a":[1,{"b":[2]}]}"#, 3));
        assert!(!deeper(br#"{"a":"\"[[[[\\"}"#, 1));
        // `"abcd"` is 4 bytes; escapes count as written.
        assert!(scan(br#"{"a":"abcd"}"#, limits(4, 4)).is_none());
        assert!(matches!(scan(br#"{"a":"abcde"}"#, limits(4, 4)), Some(Exceeded::String { at: 5, len: 5 })));
        assert!(matches!(scan(br#"{"a":"a\"bc"}"#, limits(4, 4)), Some(Exceeded::String { len: 5, .. })));
    }

    /// The scan a byte at a time, as it was before it skipped words: the oracle.
    fn bytewise(text: &[u8], limits: ParseLimits) -> Option<(bool, usize, usize)> {
        let (mut depth, mut string_start, mut escaped) = (0usize, None::<usize>, false);
        for (i, &b) in text.iter().enumerate() {
            if let Some(start) = string_start {
                match (escaped, b) {
                    (true, _) => escaped = false,
                    (false, b'\\') => escaped = true,
                    (false, b'"') => {
                        string_start = None;
                        if i - start - 1 > limits.max_string_bytes {
                            return Some((false, start, i - start - 1));
                        }
                    }
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => string_start = Some(i),
                b'{' | b'[' => {
                    depth += 1;
                    if depth > limits.max_depth {
                        return Some((true, 0, 0));
                    }
                }
                b'}' | b']' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        None
    }

    #[test]
    fn the_word_at_a_time_scan_finds_what_the_byte_at_a_time_scan_finds() {
        let limits = ParseLimits { max_bytes: 1000, max_depth: 3, max_string_bytes: 12 };
        let pieces: [&[u8]; 9] = [b"\"", b"\\", b"[", b"]", b"{", b"a", b"\n", "\u{e9}".as_bytes(), b"\x01"];
        // Every text of up to 20 bytes built from a plain run, one or two pieces at every
        // position, and a closing quote or not.
        for len in 0..20 {
            for (x, y) in pieces.iter().flat_map(|x| pieces.iter().map(move |y| (x, y))) {
                for at in 0..=len {
                    for close in [&b""[..], b"\"", b"\"]]"] {
                        let mut text = b"[\"".to_vec();
                        text.extend(std::iter::repeat_n(b'a', at));
                        text.extend_from_slice(x);
                        text.extend(std::iter::repeat_n(b'b', len - at));
                        text.extend_from_slice(y);
                        text.extend_from_slice(close);
                        let got = scan(&text, limits).map(|e| match e {
                            Exceeded::Depth => (true, 0, 0),
                            Exceeded::String { at, len } => (false, at, len),
                        });
                        assert_eq!(got, bytewise(&text, limits), "{:?}", String::from_utf8_lossy(&text));
                    }
                }
            }
        }
    }
}
