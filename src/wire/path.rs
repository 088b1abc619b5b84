//! Where in a JSON text a position is, as a path (`order.lines[2].unit_price`): the reader
//! reports the byte where it stopped, and one scan of the text up to it names the value.
//! Reading carries no path of its own, so the work (and the code) is spent only on an error.

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// An object or array open at the position, and where inside it the position is.
enum Frame {
    /// The last key read, once its value may have begun (after the `:`, or right after the key).
    Object(Option<String>),
    /// The element the position is in or just after.
    Array(usize),
}

/// The path of the value at byte `offset` of `text`: every object key and array index open
/// there, outermost first. `text` is valid JSON up to `offset` as far as the reader went.
pub fn path_at(text: &str, offset: usize) -> Vec<Segment> {
    let bytes = text.as_bytes();
    let end = offset.min(bytes.len());
    let mut frames: Vec<Frame> = Vec::new();
    let mut at = 0;
    while at < end {
        match bytes.get(at) {
            Some(b'{') => frames.push(Frame::Object(None)),
            Some(b'[') => frames.push(Frame::Array(0)),
            Some(b'}' | b']') => {
                frames.pop();
            }
            Some(b',') => match frames.last_mut() {
                Some(Frame::Array(i)) => *i += 1,
                Some(Frame::Object(key)) => *key = None,
                None => {}
            },
            Some(b'"') => {
                let close = string_end(bytes, at);
                if let Some(Frame::Object(key @ None)) = frames.last_mut() {
                    *key = Some(unquote(text.get(at..close.min(end)).unwrap_or_default()));
                }
                at = close;
                continue;
            }
            _ => {}
        }
        at += 1;
    }
    frames
        .into_iter()
        .filter_map(|f| match f {
            Frame::Object(key) => key.map(Segment::Key),
            Frame::Array(i) => Some(Segment::Index(i)),
        })
        .collect()
}

/// The index just past the string that opens at `start` (or the end of the text).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start + 1;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'\\' => at += 2,
            b'"' => return at + 1,
            _ => at += 1,
        }
    }
    bytes.len()
}

/// A key's text without its quotes, its escapes decoded.
fn unquote(quoted: &str) -> String {
    if quoted.contains('\\') {
        if let Ok(key) = <String as serde::Deserialize>::deserialize(&mut super::reader::Reader::new(quoted)) {
            return key;
        }
    }
    quoted.trim_start_matches('"').trim_end_matches('"').to_owned()
}

/// `segments` as text: `lines[2].unit_price`, after `prefix` when there is one.
pub fn render(segments: &[Segment], prefix: Option<&str>) -> String {
    let mut out = prefix.unwrap_or_default().to_owned();
    for segment in segments {
        match segment {
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// The number or literal that ends at `offset` (the reader stops just past the value it
/// refused): its text as written, which no float was made of.
pub fn token_before(text: &str, offset: usize) -> &str {
    let bytes = text.as_bytes();
    let end = offset.min(bytes.len());
    let start = bytes
        .get(..end)
        .unwrap_or_default()
        .iter()
        .rposition(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.')))
        .map_or(0, |i| i + 1);
    text.get(start..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, marker: &str) -> String {
        render(&path_at(text, text.find(marker).unwrap()), None)
    }

    #[test]
    fn positions_are_named_by_the_keys_and_indices_open_there() {
        let text = r#"{"order": {"lines": [{"id": "a"}, {"id": "b", "unit_price": 99.9}]}, "now": 1}"#;
        assert_eq!(at(text, "99.9"), "order.lines[1].unit_price");
        assert_eq!(at(text, r#""b""#), "order.lines[1].id");
        assert_eq!(at(text, r#", "now""#), "order");
        assert_eq!(at(text, "1}"), "now");
        assert_eq!(render(&path_at(text, 0), Some("policy")), "policy");
    }

    #[test]
    fn strings_with_brackets_quotes_and_escapes_do_not_confuse_it() {
        let text = r#"{"a\"b": ["[{,", {"k\u0041": 5}]}"#;
        assert_eq!(at(text, "5}"), r#"a"b[1].kA"#);
    }

    #[test]
    fn the_token_before_a_position_is_the_number_as_written() {
        let text = "{\n  \"x\": 9.99e3,\n}";
        assert_eq!(token_before(text, text.find(',').unwrap()), "9.99e3");
    }
}
