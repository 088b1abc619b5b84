//! `aftersale test`: a policy's own test suite. Each case is a JSON file with an order (its
//! ledger), a request, `now` and `expect`, a part of the answer: only what `expect` names is
//! compared. The suite reports each difference with its JSON path, and how much of the
//! policy's own windows and rules the cases reached — and whether each was ever decided more
//! than one way, since an element seen only one way was never tested on its other side.

use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};

/// The lists of a policy document whose entries have an id the answers cite.
const ELEMENTS: &[&str] = &["windows", "rules", "no_return", "return_postage", "compensation", "damages"];

/// One difference between what a case expected and what the engine answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub path: String,
    pub expected: Value,
    pub actual: Value,
}

/// Adds to `out` every place where `actual` does not have what `expected` names. Objects:
/// only the expected keys. Arrays of the same length: element by element; an expected array
/// shorter than the answer's: its elements, in order, each found among the answer's (so a
/// case may name only the deadlines it cares about); an empty one: nothing else. Anything
/// else: equal.
pub fn compare(expected: &Value, actual: &Value, path: &str, out: &mut Vec<Difference>) {
    let differ = |out: &mut Vec<Difference>| {
        out.push(Difference { path: path.to_owned(), expected: expected.clone(), actual: actual.clone() });
    };
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                let at = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                compare(value, a.get(key).unwrap_or(&Value::Null), &at, out);
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (x, y)) in e.iter().zip(a).enumerate() {
                compare(x, y, &format!("{path}[{i}]"), out);
            }
        }
        (Value::Array(e), Value::Array(a)) if !e.is_empty() && e.len() < a.len() => {
            let mut from = 0;
            for (i, x) in e.iter().enumerate() {
                let found = a.iter().enumerate().skip(from).find(|(_, y)| {
                    let mut none = Vec::new();
                    compare(x, y, "", &mut none);
                    none.is_empty()
                });
                match found {
                    Some((k, _)) => from = k + 1,
                    None => out.push(Difference { path: format!("{path}[{i}]"), expected: x.clone(), actual: Value::Null }),
                }
            }
        }
        // `[]` means none, and the engine leaves an empty list out.
        (Value::Array(e), Value::Null) if e.is_empty() => {}
        _ if expected == actual => {}
        _ => differ(out),
    }
}

/// A case of a suite, read from its file.
pub struct Case {
    pub file: PathBuf,
    pub description: String,
    /// The engine's input: order, ledger, request, now.
    pub input: Value,
    pub expect: Value,
}

/// Reads every `*.json` of `dir`, by name.
pub fn read_cases(dir: &Path) -> Result<Vec<Case>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> =
        entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
    files.sort();
    let mut cases = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let mut value: Value = serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", file.display()))?;
        let Some(object) = value.as_object_mut() else { return Err(format!("{}: a case is a JSON object", file.display())) };
        let expect = object.remove("expect").ok_or_else(|| format!("{}: a case needs `expect`", file.display()))?;
        let description = object.remove("description").and_then(|d| d.as_str().map(str::to_owned)).unwrap_or_default();
        cases.push(Case { file, description, input: Value::Object(object.clone()), expect });
    }
    if cases.is_empty() {
        return Err(format!("{}: no cases (*.json)", dir.display()));
    }
    Ok(cases)
}

/// What the cases did to one of the policy's own elements.
#[derive(Debug, Clone)]
pub struct Reach {
    pub list: &'static str,
    pub id: String,
    /// How many cases reached it.
    pub cases: usize,
    /// How it was decided, each way once: "not reached", or what the trace said of it with
    /// its numbers and times left out.
    pub ways: Vec<String>,
}

impl Reach {
    pub fn covered(&self) -> bool {
        self.cases > 0 && self.ways.len() > 1
    }
}

/// The ids the policy document itself defines (not its presets'), by list.
pub fn own_elements(policy: &Value) -> Vec<Reach> {
    let mut out = Vec::new();
    for list in ELEMENTS {
        for entry in policy.get(*list).and_then(Value::as_array).into_iter().flatten() {
            if let Some(id) = entry.get("id").and_then(Value::as_str) {
                out.push(Reach { list, id: id.to_owned(), cases: 0, ways: Vec::new() });
            }
        }
    }
    out
}

/// What an answer says of `id`: its trace effects (numbers and times left out, so that a
/// window open until one day and another counts as one way), and its citations elsewhere.
fn ways_of(answer: &Value, id: &str) -> Vec<String> {
    let mut ways: Vec<String> = Vec::new();
    for entry in answer.get("trace").and_then(Value::as_array).into_iter().flatten() {
        if entry.get("rule").and_then(Value::as_str) == Some(id) {
            let effect = entry.get("effect").and_then(Value::as_str).unwrap_or_default();
            ways.push(shape(effect));
        }
    }
    if ways.is_empty() && cites(answer, id) {
        ways.push("cited".to_owned());
    }
    ways.sort();
    ways.dedup();
    ways
}

/// Whether any `rule` field of the answer names `id`.
fn cites(value: &Value, id: &str) -> bool {
    match value {
        Value::Object(m) => m.iter().any(|(k, v)| (k == "rule" && v.as_str() == Some(id)) || cites(v, id)),
        Value::Array(a) => a.iter().any(|v| cites(v, id)),
        _ => false,
    }
}

/// A trace effect without its numbers and times: "window open until 2026-11-10T…" is
/// "window open until #" (a word with a digit is one number, its brackets kept).
fn shape(effect: &str) -> String {
    let mut out = String::new();
    for word in effect.split(' ') {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.contains(|c: char| c.is_ascii_digit()) {
            // The number (or time) goes; the brackets and punctuation around it stay.
            let core = word.trim_matches(|c: char| !c.is_ascii_alphanumeric());
            let start = word.find(core).unwrap_or(0);
            out.push_str(word.get(..start).unwrap_or_default());
            out.push('#');
            out.push_str(word.get(start + core.len()..).unwrap_or_default());
        } else {
            out.push_str(word);
        }
    }
    out
}

/// The result of running a suite.
pub struct Report {
    pub policy: String,
    pub cases: usize,
    pub failures: Vec<(Case, Vec<Difference>)>,
    pub coverage: Vec<Reach>,
}

/// Runs every case under the compiled policy; `policy` is the document, for its own ids.
pub fn run(compiled: &aftersale_rules::CompiledPolicy, policy: &Value, name: &str, cases: Vec<Case>) -> Report {
    let mut coverage = own_elements(policy);
    let mut failures = Vec::new();
    let count = cases.len();
    for case in cases {
        let answer: Value = serde_json::from_str(&aftersale_rules::evaluate_json(compiled, &case.input.to_string())).unwrap_or(Value::Null);
        for reach in &mut coverage {
            let ways = ways_of(&answer, &reach.id);
            if ways.is_empty() {
                reach.ways.push("not reached".to_owned());
            } else {
                reach.cases += 1;
                reach.ways.push(ways.join("; "));
            }
            reach.ways.sort();
            reach.ways.dedup();
        }
        let mut differences = Vec::new();
        compare(&case.expect, &answer, "", &mut differences);
        if !differences.is_empty() {
            failures.push((case, differences));
        }
    }
    Report { policy: name.to_owned(), cases: count, failures, coverage }
}

impl Report {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    pub fn fully_covered(&self) -> bool {
        self.coverage.iter().all(Reach::covered)
    }

    /// The report for people: each failure with its differences, then the coverage.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for (case, differences) in &self.failures {
            out.push_str(&format!("FAIL {} — {}\n", case.file.display(), case.description));
            for d in differences {
                let path = if d.path.is_empty() { "(the answer)" } else { &d.path };
                out.push_str(&format!("  {path}\n    expected: {}\n    actual:   {}\n", d.expected, d.actual));
            }
        }
        let covered = self.coverage.iter().filter(|r| r.covered()).count();
        out.push_str(&format!(
            "{}: {} case(s), {} passed, {} failed; coverage: {} of {} own windows and rules reached both ways\n",
            self.policy,
            self.cases,
            self.cases - self.failures.len(),
            self.failures.len(),
            covered,
            self.coverage.len()
        ));
        for r in self.coverage.iter().filter(|r| !r.covered()) {
            let why = if r.cases == 0 { "no case reached it".to_owned() } else { format!("always: {}", r.ways.join(" | ")) };
            out.push_str(&format!("  {} `{}`: {why}\n", r.list, r.id));
        }
        out
    }

    pub fn json(&self) -> Value {
        let failures: Vec<Value> = self
            .failures
            .iter()
            .map(|(case, differences)| {
                let differences: Vec<Value> =
                    differences.iter().map(|d| json!({ "path": d.path, "expected": d.expected, "actual": d.actual })).collect();
                json!({ "case": case.file.display().to_string(), "description": case.description, "differences": differences })
            })
            .collect();
        let coverage: Vec<Value> = self
            .coverage
            .iter()
            .map(|r| {
                let mut m = Map::new();
                m.insert("list".into(), json!(r.list));
                m.insert("id".into(), json!(r.id));
                m.insert("cases".into(), json!(r.cases));
                m.insert("ways".into(), json!(r.ways));
                m.insert("covered".into(), json!(r.covered()));
                Value::Object(m)
            })
            .collect();
        json!({ "policy": self.policy, "cases": self.cases, "passed": self.cases - self.failures.len(), "failures": failures, "coverage": coverage })
    }
}

#[cfg(test)]
mod tests {
    use super::{compare, shape, Difference};
    use serde_json::json;

    fn diff(expected: serde_json::Value, actual: serde_json::Value) -> Vec<Difference> {
        let mut out = Vec::new();
        compare(&expected, &actual, "", &mut out);
        out
    }

    #[test]
    fn only_what_is_named_is_compared() {
        assert!(diff(json!({"a": 1}), json!({"a": 1, "b": 2})).is_empty());
        let d = diff(json!({"a": {"b": 1}}), json!({"a": {"b": 2}}));
        assert_eq!(d, vec![Difference { path: "a.b".into(), expected: json!(1), actual: json!(2) }]);
        assert_eq!(diff(json!({"c": 1}), json!({}))[0].actual, json!(null));
    }

    #[test]
    fn arrays_match_by_index_or_as_an_ordered_selection() {
        assert_eq!(diff(json!([{"x": 1}, {"x": 3}]), json!([{"x": 1}, {"x": 2}]))[0].path, "[1].x");
        assert!(diff(json!([{"what": "b"}]), json!([{"what": "a"}, {"what": "b"}])).is_empty());
        assert_eq!(diff(json!([{"what": "c"}]), json!([{"what": "a"}, {"what": "b"}]))[0].path, "[0]");
        assert_eq!(diff(json!([]), json!([1])).len(), 1, "an empty array means none");
        assert!(diff(json!({"path_to_yes": []}), json!({})).is_empty(), "and matches a list left out");
        assert_eq!(diff(json!([1, 2, 3]), json!([1])).len(), 1, "more expected than answered");
    }

    #[test]
    fn a_trace_effect_is_shaped_without_its_numbers() {
        assert_eq!(shape("window open until 2026-11-10T23:59:59.999+08:00"), "window open until #");
        assert_eq!(shape("fee 1000 bp of the refund"), "fee # bp of the refund");
        assert_eq!(shape("coupon 500 (within [0, 500])"), "coupon # (within [#, #])");
    }
}
