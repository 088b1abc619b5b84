//! The corpus files' layout: two spaces per level, arrays of scalars and empty containers on
//! one line, so that a blessed file differs from the last only where an answer did.

use serde_json::Value;

/// `value` laid out as the corpus files are, with a final newline.
pub fn pretty(value: &Value) -> String {
    let mut out = String::new();
    write(value, 0, &mut out);
    out.push('\n');
    out
}

fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn pad(out: &mut String, level: usize) {
    out.extend(std::iter::repeat_n(' ', level * 2));
}

fn write(value: &Value, level: usize, out: &mut String) {
    match value {
        Value::Array(items) if items.iter().any(|i| i.is_array() || i.is_object()) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                pad(out, level + 1);
                write(item, level + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            pad(out, level);
            out.push(']');
        }
        Value::Object(pairs) if !pairs.is_empty() => {
            out.push_str("{\n");
            for (i, (key, item)) in pairs.iter().enumerate() {
                pad(out, level + 1);
                out.push_str(&compact(&Value::String(key.clone())));
                out.push_str(": ");
                write(item, level + 1, out);
                out.push_str(if i + 1 < pairs.len() { ",\n" } else { "\n" });
            }
            pad(out, level);
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            out.push_str(&items.iter().map(compact).collect::<Vec<_>>().join(", "));
            out.push(']');
        }
        other => out.push_str(&compact(other)),
    }
}
