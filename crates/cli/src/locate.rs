//! Finding where a JSON path's value starts in a text, so tools can point at the line and
//! column of a diagnostic (`policy.rules[1].when` → line 9, column 15).

/// The byte offset of the value at `path` (`rules[1].when`: keys and indices below the root),
/// or of the deepest ancestor that exists.
pub fn locate(text: &str, path: &str) -> usize {
    let mut segments = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (part.get(..i).unwrap_or_default(), part.get(i..).unwrap_or_default()),
            None => (part, ""),
        };
        if !key.is_empty() {
            segments.push(Segment::Key(key));
        }
        while let Some(close) = rest.find(']') {
            if let Ok(i) = rest.get(1..close).unwrap_or_default().parse() {
                segments.push(Segment::Index(i));
            }
            rest = rest.get(close + 1..).unwrap_or_default();
        }
    }
    let bytes = text.as_bytes();
    let mut at = skip_ws(bytes, 0);
    for segment in segments {
        match find_child(bytes, at, segment) {
            Some(next) => at = next,
            None => break,
        }
    }
    at
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[derive(Debug, Clone, Copy)]
enum Segment<'p> {
    Key(&'p str),
    Index(usize),
}

fn skip_ws(b: &[u8], mut at: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = b.get(at) {
        at += 1;
    }
    at
}

/// The offset just past the string starting at `at` (its opening quote).
fn skip_string(b: &[u8], mut at: usize) -> usize {
    at += 1;
    while let Some(&c) = b.get(at) {
        at += 1;
        match c {
            b'\\' => at += 1,
            b'"' => return at,
            _ => {}
        }
    }
    at
}

/// The offset just past the value starting at `at`.
fn skip_value(b: &[u8], at: usize) -> usize {
    match b.get(at) {
        Some(b'"') => skip_string(b, at),
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut i = at;
            while let Some(&c) = b.get(i) {
                match c {
                    b'"' => {
                        i = skip_string(b, i);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return i + 1;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            i
        }
        _ => {
            let mut i = at;
            while let Some(&c) = b.get(i) {
                if matches!(c, b',' | b'}' | b']') || c.is_ascii_whitespace() {
                    break;
                }
                i += 1;
            }
            i
        }
    }
}

/// The offset of the member `segment` of the container value at `at`.
fn find_child(b: &[u8], at: usize, segment: Segment<'_>) -> Option<usize> {
    let open = *b.get(at)?;
    let mut i = skip_ws(b, at + 1);
    let mut index = 0;
    loop {
        if matches!(b.get(i), Some(b'}' | b']') | None) {
            return None;
        }
        match (open, segment) {
            (b'{', Segment::Key(key)) => {
                let key_end = skip_string(b, i);
                let name = std::str::from_utf8(b.get(i + 1..key_end.saturating_sub(1))?).ok()?;
                i = skip_ws(b, key_end);
                i = skip_ws(b, i + 1); // past ':'
                if name == key {
                    return Some(i);
                }
            }
            (b'[', Segment::Index(want)) => {
                if index == want {
                    return Some(i);
                }
                index += 1;
            }
            _ => return None,
        }
        i = skip_ws(b, skip_value(b, i));
        if b.get(i) == Some(&b',') {
            i = skip_ws(b, i + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_lead_to_their_values() {
        let text = "{\n  \"id\": \"p\",\n  \"rules\": [\n    {\"id\": \"a\", \"when\": \"x\"},\n    {\"id\": \"b\", \"when\": \"line.qty > 1\"}\n  ]\n}";
        let at = locate(text, "rules[1].when");
        assert_eq!(text.get(at..at + 6), Some("\"line."));
        assert_eq!(line_column(text, at), (5, 25));
        // A path that does not exist stops at its deepest existing ancestor.
        assert_eq!(line_column(text, locate(text, "rules[1].deny")), (5, 5));
    }
}
