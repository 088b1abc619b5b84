//! Every view's answer is the full answer with parts left out: each kept member byte for byte
//! the full answer's. The parts are taken out of the full answer here by their documented
//! meaning, independently of how the engine leaves them out.

// Test support: serde_json's indexing reads `null` for what is absent.
#![allow(clippy::indexing_slicing)]

use serde_json::{Map, Value};

/// The views checked on every case: each part alone, the named one, and all parts left out.
pub const VIEWS: &[&str] = &[
    r#""full""#,
    r#"{}"#,
    r#"{"messages":"zh-CN"}"#,
    r#"{"messages":"en"}"#,
    r#"{"messages":"none"}"#,
    r#"{"trace":false}"#,
    r#"{"options":false}"#,
    r#"{"path_to_yes":false}"#,
    r#"{"deadlines":"time"}"#,
    r#"{"deadlines":"none"}"#,
    r#""revalidate""#,
    r#"{"messages":"en","trace":false,"options":false,"path_to_yes":false,"deadlines":"none"}"#,
];

fn remove(value: &mut Value, key: &str) {
    if let Some(map) = value.as_object_mut() {
        map.shift_remove(key);
    }
}

fn each(value: &mut Value, list: &str, mut f: impl FnMut(&mut Value)) {
    if let Some(items) = value[list].as_array_mut() {
        items.iter_mut().for_each(&mut f);
    }
}

/// The full answer as `view` (one of [`VIEWS`]) should leave it.
pub fn expected(full: &Value, view: &str) -> Result<Value, String> {
    let parts: Map<String, Value> = match serde_json::from_str(view).map_err(|e| e.to_string())? {
        Value::String(name) if name == "full" => Map::new(),
        Value::String(name) if name == "revalidate" => {
            serde_json::from_str(r#"{"messages":"none","trace":false,"options":false,"path_to_yes":false,"deadlines":"time"}"#)
                .map_err(|e| e.to_string())?
        }
        Value::Object(parts) => parts,
        other => return Err(format!("not a view: {other}")),
    };
    let mut out = full.clone();
    let part = |name: &str| parts.get(name).cloned();
    if part("path_to_yes") == Some(Value::Bool(false)) {
        remove(&mut out, "path_to_yes");
        // The messages that say the suggestions go with them.
        if let Some(messages) = out["messages"].as_array_mut() {
            messages.retain(|m| !m["code"].as_str().unwrap_or_default().starts_with("PATH_"));
        }
    }
    match part("messages").as_ref().and_then(Value::as_str) {
        Some("none") => remove(&mut out, "messages"),
        Some(language @ ("zh-CN" | "en")) => {
            let other = if language == "en" { "zh-CN" } else { "en" };
            each(&mut out, "messages", |m| remove(m, other));
            each(&mut out, "deadlines", |d| remove(&mut d["basis"], other));
        }
        _ => {}
    }
    if part("trace") == Some(Value::Bool(false)) {
        remove(&mut out, "trace");
    }
    if part("options") == Some(Value::Bool(false)) {
        each(&mut out, "items", |i| remove(i, "options"));
    }
    match part("deadlines").as_ref().and_then(Value::as_str) {
        Some("none") => remove(&mut out, "deadlines"),
        Some("time") => each(&mut out, "deadlines", |d| ["after", "within", "basis", "legal_ref"].iter().for_each(|k| remove(d, k))),
        _ => {}
    }
    Ok(out)
}

/// Checks every view of `case`'s input; returns how many answers were compared.
pub fn check_views(case: &crate::corpus::Case) -> Result<usize, String> {
    let Ok(policy) = aftersale_rules::compile_policy_json(&case.policy_text) else { return Ok(0) };
    let Ok(Value::Object(input)) = serde_json::from_str::<Value>(&case.input_text) else { return Ok(0) };
    if case.service || input.contains_key("view") {
        return Ok(0);
    }
    let full_text = aftersale_rules::evaluate_json(&policy, &case.input_text);
    let full: Value = serde_json::from_str(&full_text).map_err(|e| e.to_string())?;
    // The input's own size is in the answer: a view makes it longer.
    if full["errors"][0]["path"] == "input" {
        return Ok(0);
    }
    let mut compared = 0;
    for view in VIEWS {
        // The view put in front of the input's own text, which is left as it is.
        let rest = case.input_text.trim_start().strip_prefix('{').unwrap_or_default();
        let comma = if input.is_empty() { "" } else { "," };
        let got = aftersale_rules::evaluate_json(&policy, &format!("{{\"view\":{view}{comma}{rest}"));
        // An input the engine refuses is refused whatever the view.
        let want = if full["type"] == "decision" {
            serde_json::to_string(&expected(&full, view)?).map_err(|e| e.to_string())?
        } else {
            full_text.clone()
        };
        if got != want {
            return Err(format!("{}: the view {view} answers\n{got}\nbut the full answer with its parts left out is\n{want}", case.name));
        }
        compared += 1;
    }
    Ok(compared)
}
