//! Checks every suggestion of a decision's path to yes: the request changed as the suggestion
//! says, decided again, does what the suggestion promises.

// Test support: serde_json's indexing reads `null` for what is absent and makes objects of
// `null` on writes; a case the checks cannot read fails its test, as it should.
#![allow(clippy::indexing_slicing)]

use serde_json::Value;

fn decide(policy: &aftersale_rules::CompiledPolicy, input: &Value) -> Result<Value, String> {
    serde_json::from_str(&aftersale_rules::evaluate_json(policy, &input.to_string())).map_err(|e| e.to_string())
}

fn eligible(answer: &Value, line_id: &Value) -> bool {
    answer["items"].as_array().into_iter().flatten().any(|i| &i["line_id"] == line_id && i["eligible"] == true)
}

/// Checks each suggestion of `case`'s answer; returns how many there were.
pub fn check_path(case: &crate::corpus::Case) -> Result<usize, String> {
    let Ok(policy) = aftersale_rules::compile_policy_json(&case.policy_text) else { return Ok(0) };
    let Ok(input) = serde_json::from_str::<Value>(&case.input_text) else { return Ok(0) };
    if case.service {
        return Ok(0);
    }
    let answer = decide(&policy, &input)?;
    let path = answer["path_to_yes"].as_array().cloned().unwrap_or_default();
    let missing = answer["requirements"]["missing_evidence"].as_array().cloned().unwrap_or_default();
    let complete = |input: &mut Value| {
        for m in &missing {
            input["request"]["evidence"][m["what"].as_str().unwrap_or_default()] = m["required"].clone();
        }
    };
    for s in &path {
        let mut changed = input.clone();
        let fail = |why: &str| Err(format!("{}: the suggestion {s} {why}", case.name));
        match s["action"].as_str().unwrap_or_default() {
            "attach_evidence" => {
                changed["request"]["evidence"][s["what"].as_str().unwrap_or_default()] = s["at_least"].clone();
                let after = decide(&policy, &changed)?;
                if after["requirements"]["missing_evidence"].as_array().into_iter().flatten().any(|m| m["what"] == s["what"]) {
                    return fail("leaves that evidence missing");
                }
            }
            "return_gift" => {
                changed["request"]["gifts_returned"] = Value::Bool(true);
                let after = decide(&policy, &changed)?;
                if after["refund"]["total"].as_i64() <= answer["refund"]["total"].as_i64() {
                    return fail("does not raise the refund");
                }
            }
            "reduce_qty" | "choose_kind" | "choose_return_method" => {
                let items = changed["request"]["items"].as_array_mut().map(std::mem::take).unwrap_or_default();
                let item = items.into_iter().find(|i| i["line_id"] == s["line_id"]).ok_or("no such item")?;
                changed["request"]["items"] = Value::Array(vec![item]);
                if s["action"] == "reduce_qty" {
                    changed["request"]["items"][0]["qty"] = s["qty"].clone();
                } else if s["action"] == "choose_return_method" {
                    changed["request"]["return_method"] = s["method"].clone();
                    changed["request"].as_object_mut().map(|r| r.remove("postage"));
                } else {
                    changed["request"]["kind"] = s["kind"].clone();
                    changed["request"].as_object_mut().map(|r| r.remove("amount"));
                    changed["request"]["items"][0].as_object_mut().map(|i| i.remove("amount"));
                }
                if !eligible(&decide(&policy, &changed)?, &s["line_id"]) {
                    return fail("does not make the item eligible on its own");
                }
            }
            "submit_before" => {
                complete(&mut changed);
                changed["now"] = s["by"].clone();
                let after = decide(&policy, &changed)?;
                let granted = answer["items"].as_array().into_iter().flatten().filter(|i| i["eligible"] == true);
                if !granted.clone().all(|i| eligible(&after, &i["line_id"]))
                    || after["requirements"]["missing_evidence"] != Value::Array(Vec::new())
                {
                    return fail("is not met by a complete request at that moment");
                }
            }
            other => return Err(format!("{}: unknown action `{other}`", case.name)),
        }
    }
    Ok(path.len())
}
