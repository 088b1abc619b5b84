//! The buffer JSON text is written into.

/// JSON text being written, kept as bytes. Why not a `String`: the writer appends punctuation
/// and digits a byte at a time, and `String::push` encodes each `char` as UTF-8 through a call
/// that the size-optimised `.wasm` does not inline (15 % of an `evaluateJson` call, profiled).
/// Only `&str` and ASCII bytes are ever appended, so the bytes are always UTF-8.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Out(Vec<u8>);

impl Out {
    pub fn new() -> Self {
        Out(Vec::new())
    }

    pub fn with_capacity(bytes: usize) -> Self {
        Out(Vec::with_capacity(bytes))
    }

    /// Appends one ASCII byte (anything else becomes `?`, which keeps the text UTF-8).
    #[inline]
    pub fn byte(&mut self, b: u8) {
        self.0.push(if b.is_ascii() { b } else { b'?' });
    }

    #[inline]
    pub fn str(&mut self, s: &str) {
        self.0.extend_from_slice(s.as_bytes());
    }

    /// Appends `n` in decimal, without the formatting machinery.
    pub fn int(&mut self, n: i64) {
        if n < 0 {
            self.0.push(b'-');
        }
        self.uint(n.unsigned_abs());
    }

    #[cfg_attr(aftersale_speed, optimize(speed))]
    pub fn uint(&mut self, n: u64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut rest = n;
        loop {
            at -= 1;
            if let Some(d) = digits.get_mut(at) {
                *d = b'0' + u8::try_from(rest % 10).unwrap_or(0);
            }
            rest /= 10;
            if rest == 0 || at == 0 {
                break;
            }
        }
        self.0.extend_from_slice(digits.get(at..).unwrap_or_default());
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The text so far.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The text as a `String`. UTF-8 by construction, so the error branch never runs; it
    /// returns nothing rather than pulling a lossy decoder into the `.wasm`.
    pub fn into_string(self) -> String {
        String::from_utf8(self.0).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_written_like_display() {
        for n in [0, 7, -7, 10, 99, 100, -100, 123_456_789, i64::MAX, i64::MIN, super::super::MAX_SAFE_INTEGER] {
            let mut out = Out::new();
            out.int(n);
            assert_eq!(out.into_string(), n.to_string());
        }
        let mut out = Out::new();
        out.uint(u64::MAX);
        assert_eq!(out.into_string(), u64::MAX.to_string());
    }

    #[test]
    fn only_ascii_bytes_go_in_one_at_a_time() {
        let mut out = Out::new();
        out.str("中");
        out.byte(b',');
        out.byte(0xE4);
        assert_eq!(out.into_string(), "中,?");
    }
}
