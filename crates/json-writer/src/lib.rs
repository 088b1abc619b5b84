//! The canonical JSON writer: a serde `Serializer` that writes exactly what serde_json's
//! compact writer writes for the engine's types (the engine's `tests/corpus.rs` holds the two equal over
//! every decision of the corpus). Why not serde_json's own: it is generic over an `io::Write`
//! and a formatter and cannot be had without serde_json's reader and float printing, which
//! the `.wasm` cannot afford (bench/README.md); this one appends to a buffer, and fails only
//! on a value the wire has none of or past the length it was given.

#![cfg_attr(aftersale_speed, feature(optimize_attribute))]

use serde::ser::{self, Impossible, Serialize};

/// JSON text being written, as bytes: only `&str` and ASCII are appended, so it stays UTF-8.
#[derive(Debug)]
pub struct Writer {
    out: Vec<u8>,
    /// The length past which writing stops (checked before every member).
    limit: usize,
    /// Members left out: (struct name, member name) pairs (an answer's view).
    omit: Vec<(&'static str, &'static str)>,
}

impl Default for Writer {
    fn default() -> Self {
        Writer { out: Vec::new(), limit: usize::MAX, omit: Vec::new() }
    }
}

/// Why a value cannot be written.
#[derive(Debug)]
pub enum Unwritable {
    /// A float, bytes or an enum with data: the wire has none.
    Value(String),
    /// The text would pass the writer's limit.
    TooLong,
}

impl std::fmt::Display for Unwritable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unwritable::Value(why) => f.write_str(why),
            Unwritable::TooLong => f.write_str("the text would pass the writer's limit"),
        }
    }
}

impl std::error::Error for Unwritable {}

impl ser::Error for Unwritable {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Unwritable::Value(msg.to_string())
    }
}

fn unwritable(what: &str) -> Unwritable {
    Unwritable::Value(format!("{what} cannot be written: the wire holds none"))
}

impl Writer {
    pub fn with_capacity(bytes: usize) -> Self {
        Writer { out: Vec::with_capacity(bytes), limit: usize::MAX, omit: Vec::new() }
    }

    /// Wraps a buffer to append to.
    pub fn appending(out: Vec<u8>) -> Self {
        Writer { out, limit: usize::MAX, omit: Vec::new() }
    }

    /// Stops writing (with [`Unwritable::TooLong`]) once the text passes `limit` bytes: no
    /// element of an array or member of a map starts past it.
    pub fn limited(self, limit: usize) -> Self {
        Writer { limit, ..self }
    }

    #[inline(never)]
    /// Leaves out the named members of the named structs wherever they occur.
    pub fn omitting(mut self, omit: Vec<(&'static str, &'static str)>) -> Self {
        // Grouped by struct, in order of first mention: a struct's members to leave out are
        // one run. (A view names a few dozen at most; a sort would cost the `.wasm` kilobytes.)
        let mut grouped: Vec<(&'static str, &'static str)> = Vec::with_capacity(omit.len());
        for (name, _) in &omit {
            if !grouped.iter().any(|(n, _)| n == name) {
                grouped.extend(omit.iter().filter(|(n, _)| n == name));
            }
        }
        self.omit = grouped;
        self
    }

    /// `Members::omits` of a struct named `name`: 1 + where its run of members to leave out
    /// starts in `omit`, or 0 for none (and past the 65,535th omission: a view names dozens).
    fn omitted_from(&self, name: &str) -> u16 {
        let start = self.omit.iter().position(|(n, _)| *n == name);
        start.and_then(|i| u16::try_from(i + 1).ok()).unwrap_or(0)
    }

    /// Whether `key` is in the run of members to leave out that starts at `omits` (1-based).
    fn omits(&self, omits: u16, key: &str) -> bool {
        let run = self.omit.get(usize::from(omits).wrapping_sub(1)..).unwrap_or_default();
        let Some((name, _)) = run.first() else { return false };
        run.iter().take_while(|(n, _)| n == name).any(|(_, k)| k.len() == key.len() && *k == key)
    }

    fn within_limit(&self) -> Result<(), Unwritable> {
        if self.out.len() > self.limit {
            return Err(Unwritable::TooLong);
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.out.len()
    }

    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    /// Drops what was written after `len` bytes (a value that failed half-way).
    pub fn truncate(&mut self, len: usize) {
        self.out.truncate(len);
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    /// The text written. UTF-8 by construction, so the error branch never runs; it returns
    /// nothing rather than pulling a lossy decoder into the `.wasm`.
    pub fn into_string(self) -> String {
        String::from_utf8(self.out).unwrap_or_default()
    }

    fn int(&mut self, n: impl itoa::Integer) {
        self.out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    }

    /// A JSON string literal: `"` and `\` escaped, control characters as serde_json writes
    /// them (`\n`, `\t`, … or `\u00XX`), everything else as UTF-8. Runs of plain bytes are
    /// copied at once: this is the hottest loop of every answer.
    #[cfg_attr(aftersale_speed, optimize(speed))]
    fn string(&mut self, s: &str) {
        let out = &mut self.out;
        out.push(b'"');
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
            let escape: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0x08 => b"\\b",
                0x0C => b"\\f",
                0..=0x1F => b"",
                _ => continue,
            };
            out.extend_from_slice(bytes.get(plain..i - 1).unwrap_or_default());
            plain = i;
            if escape.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'));
                out.push(HEX.get(usize::from(b & 15)).copied().unwrap_or(b'0'));
            } else {
                out.extend_from_slice(escape);
            }
        }
        out.extend_from_slice(bytes.get(plain..).unwrap_or_default());
        out.push(b'"');
    }
}

/// Whether any of the eight bytes of `word` is `"`, `\\` or a control character (SWAR: the
/// "has a zero byte" and "has a byte less than n" tests, which are exact about whether any
/// byte matches; bytes of 0x80 and above never do).
#[inline(always)]
pub fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    (control | zero_byte(word ^ (ONES * u64::from(b'"'))) | zero_byte(word ^ (ONES * u64::from(b'\\')))) != 0
}

/// An array or object being written: a comma before every member but the first.
#[derive(Debug)]
pub struct Members<'w> {
    w: &'w mut Writer,
    first: bool,
    close: u8,
    /// 1 + where the run of the writer's omissions that are this struct's members starts; 0
    /// when it leaves none out (and for arrays and maps). Small: `Members` is returned by
    /// value from hundreds of field writers, and in eight bytes it is returned in a register.
    omits: u16,
}

impl Members<'_> {
    fn separate(&mut self) {
        if !self.first {
            self.w.out.push(b',');
        }
        self.first = false;
    }

    /// Before an element of an array or a member of a map, which are what can make a text
    /// long (a struct's fields are few): stops past the writer's limit.
    fn separate_within_limit(&mut self) -> Result<(), Unwritable> {
        self.w.within_limit()?;
        self.separate();
        Ok(())
    }

    fn close(self) {
        self.w.out.push(self.close);
    }

    /// Writes a struct member's key (`,"key":`), or nothing when the writer leaves the member
    /// out: whether its value is to be written. One function for every member of every type
    /// (inlined, it was copied into each of the hundreds of field writers: 8 KB of `.wasm`).
    #[inline(never)]
    fn key(&mut self, key: &'static str) -> bool {
        if self.omits != 0 && self.w.omits(self.omits, key) {
            return false;
        }
        self.separate();
        // A member's name is the engine's own (a Rust identifier or a wire name like `zh-CN`):
        // nothing in it needs escaping, so it is copied without the scan.
        let out = &mut self.w.out;
        out.push(b'"');
        out.extend_from_slice(key.as_bytes());
        out.extend_from_slice(b"\":");
        true
    }
}

impl<'w> ser::Serializer for &'w mut Writer {
    type Ok = ();
    type Error = Unwritable;
    type SerializeSeq = Members<'w>;
    type SerializeTuple = Members<'w>;
    type SerializeTupleStruct = Members<'w>;
    type SerializeTupleVariant = Impossible<(), Unwritable>;
    type SerializeMap = Members<'w>;
    type SerializeStruct = Members<'w>;
    type SerializeStructVariant = Impossible<(), Unwritable>;

    fn serialize_bool(self, v: bool) -> Result<(), Unwritable> {
        self.out.extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Unwritable> {
        self.int(v);
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Unwritable> {
        self.int(v);
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Unwritable> {
        self.int(v);
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Unwritable> {
        self.int(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Unwritable> {
        self.int(v);
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Unwritable> {
        self.int(v);
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Unwritable> {
        self.int(v);
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Unwritable> {
        self.int(v);
        Ok(())
    }
    // serde's Serializer requires these two; the writer refuses both (money is integers).
    fn serialize_f32(self, _: f32) -> Result<(), Unwritable> {
        Err(unwritable("a float"))
    }
    fn serialize_f64(self, _: f64) -> Result<(), Unwritable> {
        Err(unwritable("a float"))
    }
    fn serialize_char(self, v: char) -> Result<(), Unwritable> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Unwritable> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Unwritable> {
        Err(unwritable("bytes"))
    }
    fn serialize_none(self) -> Result<(), Unwritable> {
        self.serialize_unit()
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Unwritable> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unwritable> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unwritable> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Unwritable> {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, value: &T) -> Result<(), Unwritable> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(self, _: &'static str, _: u32, _: &'static str, _: &T) -> Result<(), Unwritable> {
        Err(unwritable("an enum with data"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Members<'w>, Unwritable> {
        self.out.push(b'[');
        Ok(Members { w: self, first: true, close: b']', omits: 0 })
    }
    fn serialize_tuple(self, len: usize) -> Result<Members<'w>, Unwritable> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Members<'w>, Unwritable> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unwritable> {
        Err(unwritable("an enum with data"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Members<'w>, Unwritable> {
        self.out.push(b'{');
        Ok(Members { w: self, first: true, close: b'}', omits: 0 })
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Members<'w>, Unwritable> {
        self.out.push(b'{');
        let omits = if self.omit.is_empty() { 0 } else { self.omitted_from(name) };
        Ok(Members { w: self, first: true, close: b'}', omits })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unwritable> {
        Err(unwritable("an enum with data"))
    }
}

impl ser::SerializeSeq for Members<'_> {
    type Ok = ();
    type Error = Unwritable;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unwritable> {
        self.separate_within_limit()?;
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Unwritable> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeTuple for Members<'_> {
    type Ok = ();
    type Error = Unwritable;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unwritable> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Unwritable> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Members<'_> {
    type Ok = ();
    type Error = Unwritable;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unwritable> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Unwritable> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeMap for Members<'_> {
    type Ok = ();
    type Error = Unwritable;
    /// Keys are strings (every map of the wire is keyed by text).
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Unwritable> {
        self.separate_within_limit()?;
        key.serialize(&mut *self.w)?;
        self.w.out.push(b':');
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Unwritable> {
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Unwritable> {
        self.close();
        Ok(())
    }
}

impl ser::SerializeStruct for Members<'_> {
    type Ok = ();
    type Error = Unwritable;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), Unwritable> {
        if !self.key(key) {
            return Ok(());
        }
        value.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Unwritable> {
        self.close();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written<T: Serialize>(value: &T) -> String {
        let mut w = Writer::default();
        value.serialize(&mut w).unwrap_or_default();
        w.into_string()
    }

    /// A struct named `.0` with members `.1`, each written as 1.
    struct Named(&'static str, &'static [&'static str]);

    impl Serialize for Named {
        fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use ser::SerializeStruct;
            let mut members = s.serialize_struct(self.0, self.1.len())?;
            for key in self.1 {
                members.serialize_field(key, &1)?;
            }
            members.end()
        }
    }

    #[test]
    fn members_are_left_out_of_their_own_struct_only_however_the_omissions_are_ordered() {
        let value = [Named("A", &["x", "y", "z"]), Named("B", &["x", "y", "w"]), Named("C", &["x"]), Named("A", &["y", "x"])];
        let omit = vec![("B", "x"), ("A", "y"), ("D", "x"), ("B", "w"), ("A", "z")];
        let mut w = Writer::default().omitting(omit);
        value.serialize(&mut w).unwrap_or_default();
        assert_eq!(w.into_string(), r#"[{"x":1},{"y":1},{"x":1},{"x":1}]"#);
    }

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
        for pair in [[0x00, 0x01], [0x1f, 0x20], [0x21, 0x22], [0x5b, 0x5c], [0x80, 0x1f], [0xff, 0x00]] {
            let mut word = *b"xxxxxxxx";
            word[3] = pair[0];
            word[4] = pair[1];
            let expected = pair.iter().any(|&b| b == b'"' || b == b'\\' || b < 0x20);
            assert_eq!(needs_escape(u64::from_le_bytes(word)), expected, "{pair:?}");
        }
    }

    #[test]
    fn strings_and_numbers_are_written_as_serde_json_writes_them() {
        for len in 0..40 {
            for at in 0..len {
                for special in ["\"", "\\", "\n", "\u{1}", "\u{7f}", "中", "😀"] {
                    let text: String = (0..len).map(|i| if i == at { special.to_owned() } else { "a".to_owned() }).collect();
                    assert_eq!(written(&text), serde_json::to_string(&text).unwrap_or_default());
                }
            }
        }
        for n in [0, 7, -7, i64::MAX, i64::MIN, 9_007_199_254_740_991] {
            assert_eq!(written(&n), n.to_string());
        }
        assert_eq!(written(&(Some(1u64), None::<bool>, vec![true])), "[1,null,[true]]");
        assert!(matches!(1.5f64.serialize(&mut Writer::default()), Err(Unwritable::Value(_))));
    }
}
