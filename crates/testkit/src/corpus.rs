//! The golden corpus runner, shared by every Rust host's tests: native `cargo test`,
//! `wasm-bindgen-test` in Node and in Chromium. (The npm package's tests run the same files
//! through JavaScript.) Case format: `tests/cases/README.md`.

use aftersale_rules::json::{self, ParseLimits, Value};

const CASE_LIMITS: ParseLimits = ParseLimits { max_bytes: 16 * 1024 * 1024, max_depth: 64 };

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

fn compact(v: &Value<'_>) -> String {
    let mut out = json::Out::new();
    json::write_compact(v, &mut out);
    out.into_string()
}

/// Reads a case file. `policy` is an object or a preset id (see [`preset_policy`]); `policy_text` and
/// `input_text` carry raw text for inputs that are not valid JSON.
pub fn load_case(name: &str, text: &str) -> Result<Case, String> {
    let v = json::parse(text, name, CASE_LIMITS).map_err(|e| format!("{name}: {}", e.message))?;
    let Value::Object(pairs) = &v else { return Err(format!("{name}: a case is an object")) };
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
        "steps",
        "ledger_after",
        "input_text",
        "expand",
        "expect",
    ];
    if let Some((k, _)) = pairs.iter().find(|(k, _)| !KNOWN.contains(&k.as_ref())) {
        return Err(format!("{name}: unknown case field `{k}`"));
    }
    let description = v.get("description").and_then(Value::as_str).ok_or(format!("{name}: `description` is required"))?.to_owned();
    let policy_text = match (v.get("policy"), v.get("policy_text")) {
        (Some(Value::String(id)), None) => preset_policy(id),
        (Some(p @ Value::Object(_)), None) => compact(p),
        (None, Some(Value::String(raw))) => raw.to_string(),
        _ => return Err(format!("{name}: give `policy` (object or preset id) or `policy_text`")),
    };
    let input_text = match v.get("input_text") {
        Some(Value::String(raw)) => raw.to_string(),
        Some(_) => return Err(format!("{name}: `input_text` is a string")),
        None => {
            let mut out = json::Out::new();
            out.byte(b'{');
            let keys: &[&str] = if v.get("service_order").is_some() {
                &["service_order", "event", "actor", "now"]
            } else {
                &["order", "ledger", "request", "now"]
            };
            for key in keys {
                if let Some(part) = v.get(key) {
                    if out.len() > 1 {
                        out.byte(b',');
                    }
                    json::write_str(key, &mut out);
                    out.byte(b':');
                    json::write_compact(part, &mut out);
                }
            }
            out.byte(b'}');
            out.into_string()
        }
    };
    let expect = v.get("expect").map(compact).ok_or(format!("{name}: `expect` is required"))?;
    let service = v.get("service_order").is_some();
    let (policy_text, input_text) = match v.get("expand") {
        Some(e) => {
            let (Some(unit), Some(Value::Number(times))) = (e.get("unit").and_then(Value::as_str), e.get("times")) else {
                return Err(format!("{name}: `expand` is {{\"unit\": text, \"times\": count}}"));
            };
            let filled = unit.repeat(times.parse().map_err(|_| format!("{name}: `expand.times` is a count"))?);
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
    let v = json::parse(text, name, CASE_LIMITS).map_err(|e| format!("{name}: {}", e.message))?;
    let Some(Value::Array(steps)) = v.get("steps") else {
        return load_case(name, text).map(|c| vec![c]);
    };
    let Value::Object(pairs) = &v else { return Err(format!("{name}: a case is an object")) };
    let mut out = Vec::with_capacity(steps.len());
    for (k, step) in steps.iter().enumerate() {
        let Value::Object(fields) = step else { return Err(format!("{name}: step {} is an object", k + 1)) };
        let mut case: Vec<_> =
            pairs.iter().filter(|(key, _)| !matches!(key.as_ref(), "steps" | "ledger_after" | "ledger")).cloned().collect();
        if k == 0 {
            case.extend(pairs.iter().filter(|(key, _)| key == "ledger").cloned());
        }
        case.extend(fields.iter().cloned());
        let mut text = json::Out::new();
        json::write_compact(&Value::Object(case), &mut text);
        out.push(load_case(&format!("{name}#{}", k + 1), text.as_str())?);
    }
    Ok(out)
}

/// The ledger chain of a sequence case, or `None` for a single case.
pub fn chain(name: &str, text: &str) -> Result<Option<Chain>, String> {
    let v = json::parse(text, name, CASE_LIMITS).map_err(|e| format!("{name}: {}", e.message))?;
    let Some(Value::Array(steps)) = v.get("steps") else { return Ok(None) };
    let order = v.get("order").map(compact).ok_or(format!("{name}: a sequence needs `order`"))?;
    let empty = Value::Object(Vec::new());
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
    let quoted = aftersale_rules::json::ToJson::to_json_string(id);
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
