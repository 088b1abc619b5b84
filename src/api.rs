//! The entry points, in two flavours: typed Rust, and JSON text in and out (the bytes the
//! JavaScript package sees). Native tests call the JSON flavour, so they check exactly what
//! every host gets.

use crate::answer::Decision;
use crate::model::ledger::{ApplyInput, LedgerAnswer, LedgerTag};
use crate::model::EvaluationInput;
use crate::policy::CompiledPolicy;
use crate::service::{ServiceAnswer, ServiceInput};
use crate::wire::checks::Checks;
use crate::wire::error::{Code, Diagnostic, Errors, ErrorsAnswer};
use crate::wire::json;
use crate::wire::limits::{BATCH_LIMITS, INPUT_LIMITS, MAX_BATCH, MAX_BATCH_ANSWER_BYTES, MAX_BATCH_WORK, MAX_WORK};

pub use crate::decide::apply_effects;
pub use crate::policy::describe::{describe, PolicyInfo, ReasonInfo, WindowInfo};
pub use crate::policy::{compile_policy, compile_policy_json};

/// Reads `{"order": …, "ledger": …, "request": …, "now": "…"}` and checks it as a whole.
pub fn parse_input(text: &str) -> Result<EvaluationInput, Errors> {
    checked(json::read(text, "input", None, INPUT_LIMITS)?)
}

/// [`parse_input`] for a text whose limits were checked (a batch's element).
fn read_input(text: &str) -> Result<EvaluationInput, Errors> {
    checked(json::read_unchecked(text, "input", None)?)
}

/// An input read, checked as a whole.
fn checked(input: EvaluationInput) -> Result<EvaluationInput, Errors> {
    let mut c = Checks::default();
    input.check(&mut c);
    c.finish(input)
}

/// Decides a typed input.
pub fn evaluate(policy: &CompiledPolicy, input: &EvaluationInput) -> Result<Decision, Errors> {
    crate::decide::decide(policy, input)
}

/// Decides a JSON input and answers canonical JSON: a decision or the input errors.
/// The answer carries what the input's `view` asks for.
pub fn evaluate_json(policy: &CompiledPolicy, input: &str) -> String {
    match parse_input(input).and_then(|input| Ok((evaluate(policy, &input)?, input.view))) {
        Ok((decision, view)) => json::write_omitting(&decision, view.leaves_out()),
        Err(errors) => errors_json(&errors),
    }
}

/// Decides a JSON array of inputs in one call and answers a JSON array of answers, in order;
/// each answer is exactly what [`evaluate_json`] gives for that input alone. A text that is
/// not an array of at most [`MAX_BATCH`] inputs is answered with one errors answer. Once the
/// answers pass [`MAX_BATCH_ANSWER_BYTES`], or the next input would take the batch's work past
/// [`MAX_BATCH_WORK`], that input and every later one are answered `LIMIT_EXCEEDED`.
pub fn evaluate_batch_json(policy: &CompiledPolicy, inputs: &str) -> String {
    let items = match json::read_batch(inputs, "inputs", BATCH_LIMITS, MAX_BATCH) {
        Ok(items) => items,
        Err(errors) => return errors_json(&errors),
    };
    // Answers are written straight into the array, sized for a typical decision so that a
    // batch is not copied again and again as it grows.
    let mut out = Vec::with_capacity(items.len().saturating_mul(5120).saturating_add(2));
    out.push(b'[');
    let mut spent = 0u64;
    let mut full = None;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if full.is_none() && out.len() > MAX_BATCH_ANSWER_BYTES {
            full = Some(format!("the batch's answers passed {MAX_BATCH_ANSWER_BYTES} bytes before this input"));
        }
        let answer = match &full {
            Some(why) => Err(vec![batch_full(why)]),
            None => read_input(item).and_then(|input| {
                // An input over the limit of one is refused alone, at no cost to the batch.
                let work = crate::decide::work(policy, &input);
                let counted = if work <= MAX_WORK { work } else { 0 };
                if spent.saturating_add(counted) > MAX_BATCH_WORK {
                    let why = format!("the batch's inputs before this one take {spent} units of work and this one {work}; at most {MAX_BATCH_WORK} are done for one batch");
                    full = Some(why.clone());
                    return Err(vec![batch_full(&why)]);
                }
                spent = spent.saturating_add(counted);
                Ok((evaluate(policy, &input)?, input.view))
            }),
        };
        match answer {
            Ok((decision, view)) => json::write_into(&decision, &mut out, MAX_BATCH_ANSWER_BYTES, view.leaves_out()),
            // Small (at most MAX_ERRORS diagnostics), and once the answers are full, all refusals.
            Err(errors) => json::write_into(&ErrorsAnswer::new(errors), &mut out, usize::MAX, Vec::new()),
        }
    }
    out.push(b']');
    // The writer writes UTF-8 only.
    String::from_utf8(out).unwrap_or_default()
}

/// The answer to a batch's input past one of the batch's limits.
fn batch_full(why: &str) -> Diagnostic {
    Diagnostic::new(Code::LimitExceeded, "input", why).with_help("send the rest in another batch")
}

/// Moves a service order by the input's event, or reports its deadlines and escalation when
/// the input has none.
pub fn service_order(policy: &CompiledPolicy, input: ServiceInput) -> Result<ServiceAnswer, Errors> {
    crate::service::handle(policy, input)
}

/// Moves a service order (`{"service_order", "event", "actor", "now"}`) or reports its
/// deadlines and escalation (`{"service_order", "now"}`), as JSON.
pub fn service_order_json(policy: &CompiledPolicy, input: &str) -> String {
    let answer = json::read(input, "input", None, INPUT_LIMITS).and_then(|input| service_order(policy, input));
    match answer {
        Ok(answer) => json::write(&answer),
        Err(errors) => errors_json(&errors),
    }
}

/// Records the effects of an accepted decision: `{"order", "ledger", "effects"}` in,
/// `{"type":"ledger","ledger":{…}}` (the ledger to store) or the input errors out. Effects
/// decided on another ledger version are `STALE_LEDGER`; effects that would refund a line or
/// tender beyond what it paid are `INCONSISTENT`.
pub fn apply_effects_json(input: &str) -> String {
    let read = json::read::<ApplyInput>(input, "input", None, INPUT_LIMITS).and_then(|input| {
        let mut c = Checks::default();
        input.check(&mut c);
        c.finish(input)
    });
    match read.and_then(|i| apply_effects(&i.order, i.ledger, &i.effects)) {
        Ok(ledger) => json::write(&LedgerAnswer { answer_type: LedgerTag, ledger }),
        Err(errors) => errors_json(&errors),
    }
}

/// `{"type":"errors","errors":[…]}`.
pub fn errors_json(errors: &[Diagnostic]) -> String {
    json::write(&ErrorsAnswer::new(errors.to_vec()))
}

/// The policy described for forms (see [`describe`]), as JSON: `{"type":"policy",…}`.
pub fn policy_info_json(policy: &CompiledPolicy) -> String {
    json::write(&describe(policy))
}
