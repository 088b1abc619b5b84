//! The entry points, in two flavours: typed Rust, and JSON text in and out (the bytes the
//! JavaScript package sees). Native tests call the JSON flavour, so they check exactly what
//! every host gets.

use crate::answer::{Decision, ErrorsAnswer};
use crate::error::{Diagnostic, Errors};
use crate::json::decode::{Decode, Decoder, Path};
use crate::json::{self, ParseLimits, ToJson};
use crate::model::ledger::{ApplyInput, LedgerAnswer};
use crate::model::EvaluationInput;
use crate::policy::CompiledPolicy;

pub use crate::decide::apply_effects;
pub use crate::policy::{compile_policy, compile_policy_json};

/// Bounds on one evaluation input (SPEC §6).
pub const INPUT_LIMITS: ParseLimits = ParseLimits { max_bytes: 1024 * 1024, max_depth: 32 };

/// Decodes `{"order": …, "request": …, "now": "…"}`.
pub fn parse_input(text: &str) -> Result<EvaluationInput, Errors> {
    let value = json::parse(text, "input", INPUT_LIMITS).map_err(|e| vec![e])?;
    let mut d = Decoder::default();
    let input = EvaluationInput::decode(&mut d, &value, &Path::Root(""));
    d.finish(input)
}

/// Decides a typed input.
pub fn evaluate(policy: &CompiledPolicy, input: &EvaluationInput) -> Result<Decision, Errors> {
    crate::decide::decide(policy, input)
}

/// Decides a JSON input and answers canonical JSON: a decision or the input errors.
pub fn evaluate_json(policy: &CompiledPolicy, input: &str) -> String {
    match parse_input(input).and_then(|input| evaluate(policy, &input)) {
        Ok(decision) => to_json(&decision),
        Err(errors) => errors_json(&errors),
    }
}

/// Bounds on a batch of evaluation inputs.
pub const BATCH_LIMITS: ParseLimits = ParseLimits { max_bytes: 32 * 1024 * 1024, max_depth: 33 };
/// The most inputs one batch may hold.
pub const MAX_BATCH: usize = 10_000;

/// Decides a JSON array of inputs in one call and answers a JSON array of answers, in order;
/// each answer is exactly what [`evaluate_json`] gives for that input alone. A text that is
/// not an array of at most [`MAX_BATCH`] inputs is answered with one errors answer.
pub fn evaluate_batch_json(policy: &CompiledPolicy, inputs: &str) -> String {
    let value = match json::parse(inputs, "inputs", BATCH_LIMITS) {
        Ok(v) => v,
        Err(e) => return errors_json(&[e]),
    };
    let json::Value::Array(items) = &value else {
        return errors_json(&[Diagnostic::new(
            crate::Code::InvalidType,
            "inputs",
            format!("expected an array of inputs, got {}", value.type_name()),
        )]);
    };
    if items.len() > MAX_BATCH {
        return errors_json(&[Diagnostic::new(
            crate::Code::LimitExceeded,
            "inputs",
            format!("{} inputs; at most {MAX_BATCH} per batch", items.len()),
        )]);
    }
    // Answers are written straight into the array (no string per answer), sized for a typical
    // decision so that a batch is not copied again and again as it grows.
    let mut out = crate::json::Out::with_capacity(items.len() * 5120 + 2);
    out.byte(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.byte(b',');
        }
        let mut d = Decoder::default();
        let input = EvaluationInput::decode(&mut d, item, &Path::Root(""));
        match d.finish(input).and_then(|input| evaluate(policy, &input)) {
            Ok(decision) => decision.write_json(&mut out),
            Err(errors) => ErrorsAnswer { answer_type: "errors", errors: &errors }.write_json(&mut out),
        }
    }
    out.byte(b']');
    out.into_string()
}

/// Moves a service order (`{"service_order", "event", "actor", "now"}`) or reports its
/// deadlines and escalation (`{"service_order", "now"}`), as JSON.
pub fn service_order_json(policy: &CompiledPolicy, input: &str) -> String {
    let answer = json::parse(input, "input", INPUT_LIMITS).map_err(|e| vec![e]).and_then(|value| {
        let mut d = Decoder::default();
        let decoded = crate::service::ServiceInput::decode(&mut d, &value, &Path::Root(""));
        d.finish(decoded)
    });
    match answer.and_then(|input| crate::service::handle(policy, input)) {
        Ok(answer) => to_json(&answer),
        Err(errors) => errors_json(&errors),
    }
}

/// Records the effects of an accepted decision: `{"order", "ledger", "effects"}` in,
/// `{"type":"ledger","ledger":{…}}` (the ledger to store) or the input errors out. Effects
/// decided on another ledger version are `STALE_LEDGER`; effects that would refund a line or
/// tender beyond what it paid are `INCONSISTENT`.
pub fn apply_effects_json(input: &str) -> String {
    let decoded = json::parse(input, "input", INPUT_LIMITS).map_err(|e| vec![e]).and_then(|value| {
        let mut d = Decoder::default();
        let decoded = ApplyInput::decode(&mut d, &value, &Path::Root(""));
        d.finish(decoded)
    });
    match decoded.and_then(|i| apply_effects(&i.order, &i.ledger, &i.effects)) {
        Ok(ledger) => to_json(&LedgerAnswer { answer_type: "ledger", ledger }),
        Err(errors) => errors_json(&errors),
    }
}

/// `{"type":"errors","errors":[…]}`.
pub fn errors_json(errors: &[Diagnostic]) -> String {
    to_json(&ErrorsAnswer { answer_type: "errors", errors })
}

/// Writes an answer as canonical JSON.
fn to_json<T: ToJson>(value: &T) -> String {
    value.to_json_string()
}

/// The policy's identity as JSON: `{"type":"policy","policy_id":…,"policy_version":…,"policy_hash":…,"engine_version":…}`.
pub fn policy_info_json(policy: &CompiledPolicy) -> String {
    let mut out = crate::json::Out::with_capacity(160);
    crate::json::ObjectWriter::new(&mut out)
        .field("type", "policy")
        .field("policy_id", &policy.id)
        .field("policy_version", &policy.version)
        .field("policy_hash", &policy.hash)
        .field("engine_version", crate::answer::ENGINE_VERSION)
        .end();
    out.into_string()
}
