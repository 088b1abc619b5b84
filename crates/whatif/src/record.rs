//! A line of an NDJSON history as a record: `{"id", "order", "ledger"?, "request", "now"}`,
//! split into its id and the engine's input.

use serde_json::Value;

/// One non-blank line of a history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// 1-based, counting blank lines: where to look in the file.
    pub line: u64,
    /// The record's `id`, or empty when it has none (reports then name the line).
    pub id: String,
    /// The evaluation input (the record without its `id`), or why the line is not a record.
    pub input: Result<String, String>,
}

/// Plain columns beside the input, for filtering a history without reading its JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SideColumns {
    pub order_id: Option<String>,
    pub kind: Option<String>,
    pub now: Option<String>,
}

impl Record {
    /// The record on line `line`, from its bytes (a trailing `\n` or `\r\n` is not part of it);
    /// `None` for a blank line, which is not a record.
    pub fn read(line: u64, bytes: &[u8]) -> Option<Record> {
        let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Some(Record { line, id: String::new(), input: Err("a record is UTF-8 text".into()) });
        };
        if text.trim().is_empty() {
            return None;
        }
        Some(match split_id(text) {
            Some((id, input)) => Record { line, id, input: Ok(input) },
            None => Record { line, id: String::new(), input: Err("a record is a JSON object".into()) },
        })
    }

    /// How reports name the record: its id, or its line when it has none.
    pub fn name(&self) -> String {
        if self.id.is_empty() {
            format!("line {}", self.line)
        } else {
            self.id.clone()
        }
    }
}

impl SideColumns {
    /// `order.id`, `request.kind` and `now` of an input, where they are strings.
    pub fn of(input: &str) -> SideColumns {
        let Ok(value) = serde_json::from_str::<Value>(input) else { return SideColumns::default() };
        let text = |pointer: &str| value.pointer(pointer).and_then(Value::as_str).map(str::to_owned);
        SideColumns { order_id: text("/order/id"), kind: text("/request/kind"), now: text("/now") }
    }
}

/// A record's `id` and the evaluation input it holds besides. A record that begins with a
/// plain `{"id":"…",` (as `aftersale generate` writes them) is split where it stands, without a
/// second parse and print of the whole record; any other is read as a JSON object and written
/// again without its `id`. `None` when the line is not a JSON object.
fn split_id(line: &str) -> Option<(String, String)> {
    let fast = line.strip_prefix("{\"id\":\"").and_then(|rest| {
        let (id, after) = rest.split_once('"')?;
        let input = after.strip_prefix(',')?;
        // Only a plain id followed by another member; anything else is read the slow way, so
        // that both ways agree on what is a record.
        let plain = !id.bytes().any(|b| b == b'\\' || b < 0x20) && input.starts_with('"');
        plain.then(|| (id.to_owned(), ["{", input].concat()))
    });
    if fast.is_some() {
        return fast;
    }
    let Ok(Value::Object(mut record)) = serde_json::from_str::<Value>(line) else { return None };
    let id = record.remove("id").and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    Some((id, Value::Object(record).to_string()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::{split_id, Record, SideColumns};

    #[test]
    fn a_record_is_split_alike_in_place_and_by_reading_it() {
        let input = r#""order":{"id":"O1"},"request":{"kind":"exchange","items":[]},"now":"2026-11-20T21:05:00+08:00"}"#;
        let fast = split_id(&format!(r#"{{"id":"H1",{input}"#)).unwrap();
        assert_eq!(fast, ("H1".to_owned(), format!("{{{input}")));
        // Not in the plain form: read, and written again without the id (serde_json's order).
        for other in [
            format!(r#"{{ "id": "H1", {input}"#),
            format!(r#"{{"id":"H\u0031",{input}"#),
            format!(r#"{{{},"id":"H1"}}"#, &input[..input.len() - 1]),
        ] {
            let slow = split_id(&other).unwrap();
            assert_eq!(slow.0, "H1", "{other}");
            let (a, b): (serde_json::Value, serde_json::Value) =
                (serde_json::from_str(&slow.1).unwrap(), serde_json::from_str(&fast.1).unwrap());
            assert_eq!(a, b, "{other}");
        }
        assert!(split_id("[1]").is_none());
        // Not a plain record: the slow way, which refuses what is not a JSON object.
        assert!(split_id(r#"{"id":"t",}"#).is_none());
        assert!(split_id(r#"{"id":"t",garbage"#).is_none());
        assert_eq!(split_id("{\"id\":\"a\tb\",\"now\":1}"), None, "a raw tab is not JSON");
        let columns = SideColumns::of(&fast.1);
        assert_eq!(columns.order_id.as_deref(), Some("O1"));
        assert_eq!(columns.kind.as_deref(), Some("exchange"));
        assert_eq!(columns.now.as_deref(), Some("2026-11-20T21:05:00+08:00"));
    }

    #[test]
    fn lines_that_are_not_records() {
        assert_eq!(Record::read(1, b"  \r\n"), None);
        assert_eq!(Record::read(2, b"\xff{}\n").unwrap().input, Err("a record is UTF-8 text".to_owned()));
        let not_object = Record::read(3, b"[1]\n").unwrap();
        assert_eq!(not_object.input, Err("a record is a JSON object".to_owned()));
        assert_eq!(not_object.name(), "line 3");
        let plain = Record::read(4, b"{\"id\":\"H4\",\"now\":1}\r\n").unwrap();
        assert_eq!((plain.id.as_str(), plain.input.as_deref()), ("H4", Ok("{\"now\":1}")));
        assert_eq!(plain.name(), "H4");
    }
}
