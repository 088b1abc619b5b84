//! The golden corpus runner, shared by every Rust host's tests: native `cargo test`,
//! `wasm-bindgen-test` in Node and in Chromium. (The npm package's tests run the same files
//! through JavaScript.) Case format: `tests/cases/README.md`.

use serde_json::{Map, Value};

/// One case, ready to run: the policy and input as the engine receives them, and the
/// expected answer in canonical (compact, key-ordered) form.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub description: String,
    pub policy_text: String,
    pub input_text: String,
    /// A service-order case (`service_order`, `event`, `actor`, `now`) rather than a request.
    pub service: bool,
    pub expect: String,
}

/// A sequence case's ledger chain: the order, and for every step the ledger it reads, the
/// effects its expected answer carries, and the ledger after it (the next step's, or the
/// case's `ledger_after`), each as compact JSON.
#[derive(Debug, Clone)]
pub struct Chain {
    pub name: String,
    pub order: String,
    pub links: Vec<(String, String, String)>,
}

/// Compact JSON, keys in the file's order.
fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn parse(name: &str, text: &str) -> Result<Map<String, Value>, String> {
    match serde_json::from_str(text) {
        Ok(Value::Object(case)) => Ok(case),
        Ok(_) => Err(format!("{name}: a case is an object")),
        Err(e) => Err(format!("{name}: {e}")),
    }
}

/// Reads a case file. `policy` is an object or a preset id (see [`preset_policy`]); `policy_text` and
/// `input_text` carry raw text for inputs that are not valid JSON.
pub fn load_case(name: &str, text: &str) -> Result<Case, String> {
    let v = parse(name, text)?;
    const KNOWN: &[&str] = &[
        "description",
        "policy",
        "policy_text",
        "order",
        "request",
        "service_order",
        "event",
        "actor",
        "now",
        "ledger",
        "view",
        "steps",
        "ledger_after",
        "input_text",
        "expand",
        "expect",
    ];
    if let Some(k) = v.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(format!("{name}: unknown case field `{k}`"));
    }
    let description = v.get("description").and_then(Value::as_str).ok_or(format!("{name}: `description` is required"))?.to_owned();
    let policy_text = match (v.get("policy"), v.get("policy_text")) {
        (Some(Value::String(id)), None) => preset_policy(id),
        (Some(p @ Value::Object(_)), None) => compact(p),
        (None, Some(Value::String(raw))) => raw.clone(),
        _ => return Err(format!("{name}: give `policy` (object or preset id) or `policy_text`")),
    };
    let input_text = match v.get("input_text") {
        Some(Value::String(raw)) => raw.clone(),
        Some(_) => return Err(format!("{name}: `input_text` is a string")),
        None => {
            let keys: &[&str] = if v.get("service_order").is_some() {
                &["service_order", "event", "actor", "now"]
            } else {
                &["order", "ledger", "request", "now", "view"]
            };
            let input: Map<String, Value> = keys.iter().filter_map(|k| v.get(*k).map(|part| ((*k).to_owned(), part.clone()))).collect();
            compact(&Value::Object(input))
        }
    };
    let expect = v.get("expect").map(compact).ok_or(format!("{name}: `expect` is required"))?;
    let service = v.get("service_order").is_some();
    let (policy_text, input_text) = match v.get("expand") {
        Some(e) => {
            let (Some(unit), Some(times)) = (e.get("unit").and_then(Value::as_str), e.get("times").and_then(Value::as_u64)) else {
                return Err(format!("{name}: `expand` is {{\"unit\": text, \"times\": count}}"));
            };
            let filled = unit.repeat(usize::try_from(times).map_err(|_| format!("{name}: `expand.times` is a count"))?);
            (policy_text.replace(EXPAND_MARKER, &filled), input_text.replace(EXPAND_MARKER, &filled))
        }
        None => (policy_text, input_text),
    };
    Ok(Case { name: name.to_owned(), description, policy_text, input_text, service, expect })
}

/// The cases of a file: one, or for a sequence (`steps`), one per step, named `file#k`. A
/// step is `{request, now, expect}` and, from the second on, the `ledger` the earlier steps'
/// effects left (written by the blessing, checked by [`chains`]); the first reads the case's
/// `ledger`, if any.
pub fn load_cases(name: &str, text: &str) -> Result<Vec<Case>, String> {
    let v = parse(name, text)?;
    let Some(Value::Array(steps)) = v.get("steps") else {
        return load_case(name, text).map(|c| vec![c]);
    };
    let mut out = Vec::with_capacity(steps.len());
    for (k, step) in steps.iter().enumerate() {
        let Value::Object(fields) = step else { return Err(format!("{name}: step {} is an object", k + 1)) };
        let mut case: Map<String, Value> = v
            .iter()
            .filter(|(key, _)| !matches!(key.as_str(), "steps" | "ledger_after" | "ledger"))
            .map(|(k, x)| (k.clone(), x.clone()))
            .collect();
        if let (0, Some(ledger)) = (k, v.get("ledger")) {
            case.insert("ledger".to_owned(), ledger.clone());
        }
        case.extend(fields.iter().map(|(k, x)| (k.clone(), x.clone())));
        out.push(load_case(&format!("{name}#{}", k + 1), &compact(&Value::Object(case)))?);
    }
    Ok(out)
}

/// The ledger chain of a sequence case, or `None` for a single case.
pub fn chain(name: &str, text: &str) -> Result<Option<Chain>, String> {
    let v = parse(name, text)?;
    let Some(Value::Array(steps)) = v.get("steps") else { return Ok(None) };
    let order = v.get("order").map(compact).ok_or(format!("{name}: a sequence needs `order`"))?;
    let empty = Value::Object(Map::new());
    let mut before = v.get("ledger").unwrap_or(&empty);
    let mut links = Vec::new();
    for (k, step) in steps.iter().enumerate() {
        let after = match steps.get(k + 1) {
            Some(next) => next.get("ledger"),
            None => v.get("ledger_after"),
        };
        let Some(effects) = step.get("expect").and_then(|e| e.get("effects")) else { break };
        let after = after.ok_or(format!("{name}: step {} has effects but no ledger follows it", k + 1))?;
        links.push((compact(before), compact(effects), compact(after)));
        before = after;
    }
    Ok(Some(Chain { name: name.to_owned(), order, links }))
}

/// Applies each step's effects to its ledger: `Err` unless every result is the next ledger.
pub fn check_chain(chain: &Chain) -> Result<usize, String> {
    for (k, (before, effects, after)) in chain.links.iter().enumerate() {
        let input = format!(r#"{{"order":{},"ledger":{before},"effects":{effects}}}"#, chain.order);
        let applied = aftersale_rules::apply_effects_json(&input);
        let expected = format!(r#"{{"type":"ledger","ledger":{after}}}"#);
        if applied != expected {
            return Err(format!("case `{}`: the effects of step {} give\n  {applied}\nnot\n  {expected}", chain.name, k + 1));
        }
    }
    Ok(chain.links.len())
}

/// In `policy_text` or `input_text`, replaced by `expand.unit` repeated `expand.times` times:
/// hostile inputs of megabytes (a 10 MB string, 100,000 lines) without megabyte files.
pub const EXPAND_MARKER: &str = "<<EXPAND>>";

/// A case's `"policy": "<preset id>"` stands for a policy that only extends that preset.
pub fn preset_policy(id: &str) -> String {
    let quoted = serde_json::to_string(id).unwrap_or_default();
    format!(r#"{{"id":{quoted},"version":"corpus","extends":{quoted}}}"#)
}

/// What the engine answers for a case: the policy's errors, or the evaluation's answer.
pub fn answer(case: &Case) -> String {
    match aftersale_rules::compile_policy_json(&case.policy_text) {
        Ok(policy) if case.service => aftersale_rules::service_order_json(&policy, &case.input_text),
        Ok(policy) => aftersale_rules::evaluate_json(&policy, &case.input_text),
        Err(errors) => aftersale_rules::errors_json(&errors),
    }
}

/// Runs a case: `Err` with both texts when the answer differs from `expect` by one byte.
pub fn run_case(case: &Case) -> Result<(), String> {
    let actual = answer(case);
    if actual == case.expect {
        Ok(())
    } else {
        Err(format!("case `{}` ({})\n  expected: {}\n  actual:   {}", case.name, case.description, case.expect, actual))
    }
}

/// Runs every case of every `(name, text)` file and checks every sequence's ledger chain;
/// returns how many cases passed, or every failure.
pub fn run_all(files: &[(&str, &str)]) -> Result<usize, Vec<String>> {
    let mut failures = Vec::new();
    let mut passed = 0;
    for (name, text) in files {
        match load_cases(name, text) {
            Ok(cases) => {
                for case in &cases {
                    match run_case(case) {
                        Ok(()) => passed += 1,
                        Err(e) => failures.push(e),
                    }
                }
            }
            Err(e) => failures.push(e),
        }
        if let Err(e) = chain(name, text).and_then(|c| c.map_or(Ok(0), |c| check_chain(&c))) {
            failures.push(e);
        }
    }
    if failures.is_empty() {
        Ok(passed)
    } else {
        Err(failures)
    }
}
