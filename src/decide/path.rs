//! The path to yes: for a request with items refused or evidence missing, the smallest actions
//! within the shopper's control that would let it go through — attach the evidence, send the
//! gifts back, ask for fewer units, ask for another kind, send the goods back another way,
//! complete it before a window closes.
//! Never a change to what the shopper cannot truthfully change (the reason, the goods'
//! condition, the dates). Each action is verified by deciding the request changed that way
//! before it is offered, so a suggestion is always true; at most ten such decisions are made.

use crate::answer::{Decision, PathAction, Suggestion, ValueOut};
use crate::messages::{render, Arg, Message};
use crate::model::request::ReturnMethod;
use crate::model::{DeductionKind, EvaluationInput, RequestKind};
use crate::policy::CompiledPolicy;
use crate::wire::text::Text;

/// How a request is decided without a path of its own (the caller's, so that this module
/// does not import the one that calls it).
pub type Decide = fn(&CompiledPolicy, &EvaluationInput) -> Result<Decision, crate::wire::error::Errors>;

/// The request being decided, and how to decide it changed.
struct Asked<'a> {
    policy: &'a CompiledPolicy,
    input: &'a EvaluationInput,
    decide: Decide,
}

impl Asked<'_> {
    /// Decides the request changed by `change`; `None` if the changed input is not one the wire
    /// would accept, or errs.
    fn changed(&self, change: impl FnOnce(&mut EvaluationInput)) -> Option<Decision> {
        let mut changed = self.input.clone();
        change(&mut changed);
        // Only what the suggestions compare is worked out.
        changed.view = crate::model::View::LEAST;
        let mut checks = crate::wire::checks::Checks::default();
        changed.check(&mut checks);
        checks.finish(()).ok()?;
        (self.decide)(self.policy, &changed).ok()
    }
}

fn eligible(d: &Decision, line_id: &Text) -> bool {
    d.items.iter().any(|i| &i.line_id == line_id && i.eligible)
}

/// Sets the evidence of `what` to `n`.
fn attach(input: &mut EvaluationInput, what: &str, n: u64) {
    let e = &mut input.request.evidence;
    match what {
        "photos" => e.photos = n,
        "package_photos" => e.package_photos = n,
        "videos" => e.videos = n,
        _ => e.description_chars = n,
    }
}

/// The verified suggestions for `decision`, which `input` decided under `policy`.
pub fn path_to_yes(policy: &CompiledPolicy, input: &EvaluationInput, decision: &Decision, decide: Decide) -> Vec<Suggestion> {
    let asked = Asked { policy, input, decide };
    let mut out = Vec::new();
    let missing = &decision.requirements.missing_evidence;
    let completed = |i: &mut EvaluationInput| missing.iter().for_each(|m| attach(i, m.what.as_str(), m.required));
    // Evidence only holds up items that are granted otherwise.
    if !missing.is_empty() && decision.items.iter().any(|i| i.eligible) {
        if let Some(after) = asked.changed(completed) {
            for m in missing.iter().filter(|m| !after.requirements.missing_evidence.iter().any(|x| x.what == m.what)) {
                out.push(Suggestion { what: Some(m.what.clone()), at_least: Some(m.required), ..suggestion(PathAction::AttachEvidence) });
            }
        }
        // The request must be complete while the windows that grant it are open: the earliest
        // of them to close, verified by deciding the completed request at that moment.
        let closes =
            decision.items.iter().filter(|i| i.eligible).filter_map(|i| i.window.as_ref()).map(|w| w.closes_at).min_by_key(|t| t.at);
        if let Some(by) = closes.filter(|_| !out.is_empty()) {
            let at_close = |i: &mut EvaluationInput| {
                completed(i);
                i.now = by.at;
            };
            let granted = |d: &Decision| decision.items.iter().filter(|i| i.eligible).all(|i| eligible(d, &i.line_id));
            if asked.changed(at_close).is_some_and(|d| granted(&d)) {
                out.push(Suggestion { by: Some(by), ..suggestion(PathAction::SubmitBefore) });
            }
        }
    }
    let gift_kept = decision.refund.deductions.iter().any(|d| d.kind == DeductionKind::GiftNotReturned);
    if gift_kept && !input.request.gifts_returned {
        let back = asked.changed(|i| i.request.gifts_returned = true);
        if back.is_some_and(|d| d.refund.total > decision.refund.total) {
            out.push(suggestion(PathAction::ReturnGift));
        }
    }
    out.extend(fewer_units(&asked, decision));
    out.extend(other_kinds(&asked, decision));
    out.extend(other_methods(&asked, decision));
    out
}

/// Items refused for more units than are left: the units that are, if that is then granted.
fn fewer_units(asked: &Asked<'_>, decision: &Decision) -> Vec<Suggestion> {
    let left = |i: &crate::answer::ItemDecision| {
        let d = i.denial.as_ref().filter(|d| d.code.as_str() == "QTY_EXCEEDS_REMAINING")?;
        d.values.0.iter().find_map(|(k, v)| match (k.as_str(), v) {
            ("remaining", ValueOut::Int(n)) if *n > 0 => Some(*n),
            _ => None,
        })
    };
    let fewer: Vec<(usize, i64)> = decision.items.iter().enumerate().filter_map(|(k, i)| left(i).map(|n| (k, n))).collect();
    if fewer.is_empty() {
        return Vec::new();
    }
    let Some(after) = asked.changed(|i| {
        for (k, n) in &fewer {
            if let Some(item) = i.request.items.get_mut(*k) {
                item.qty = *n;
            }
        }
    }) else {
        return Vec::new();
    };
    let items = fewer.iter().filter_map(|(k, n)| Some((decision.items.get(*k)?, after.items.get(*k)?, *n)));
    items
        .filter(|(_, now, _)| now.eligible)
        .map(|(was, _, n)| Suggestion { line_id: Some(was.line_id.clone()), qty: Some(n), ..suggestion(PathAction::ReduceQty) })
        .collect()
}

/// Items refused for the kind asked: each other kind a shopper may ask for that grants them.
fn other_kinds(asked: &Asked<'_>, decision: &Decision) -> Vec<Suggestion> {
    let refused: Vec<&Text> = decision.items.iter().filter(|i| !i.eligible).map(|i| &i.line_id).collect();
    let mut out = Vec::new();
    for &kind in RequestKind::SHOPPER.iter().filter(|k| **k != asked.input.request.kind) {
        let offered = decision.items.iter().any(|i| !i.eligible && i.options.iter().any(|o| o.kind == kind && o.available));
        if !offered {
            continue;
        }
        // Another kind is asked as such: without the amounts asked for under this one.
        let ask = |i: &mut EvaluationInput| {
            i.request.kind = kind;
            i.request.amount = None;
            i.request.items.iter_mut().for_each(|item| item.amount = None);
        };
        let Some(after) = asked.changed(ask) else { continue };
        for line_id in refused.iter().filter(|l| eligible(&after, l)) {
            out.push(Suggestion { line_id: Some((*line_id).clone()), kind: Some(kind), ..suggestion(PathAction::ChooseKind) });
        }
    }
    out
}

fn suggestion(action: PathAction) -> Suggestion {
    Suggestion { action, line_id: None, what: None, at_least: None, qty: None, kind: None, method: None, by: None }
}

/// Items refused under the return method chosen: each other method that grants them.
fn other_methods(asked: &Asked<'_>, decision: &Decision) -> Vec<Suggestion> {
    let Some(chosen) = asked.input.request.return_method else { return Vec::new() };
    let refused: Vec<&Text> = decision.items.iter().filter(|i| !i.eligible).map(|i| &i.line_id).collect();
    let mut out = Vec::new();
    for &method in ReturnMethod::ALL.iter().filter(|m| **m != chosen && !refused.is_empty()) {
        // A label's price is the chosen method's: another method is asked without it.
        let Some(after) = asked.changed(|i| (i.request.return_method, i.request.postage) = (Some(method), None)) else { continue };
        for line_id in refused.iter().filter(|l| eligible(&after, l)) {
            out.push(Suggestion { line_id: Some((*line_id).clone()), method: Some(method), ..suggestion(PathAction::ChooseReturnMethod) });
        }
    }
    out
}

/// The messages that say the suggestions, in both languages.
pub fn messages(policy: &CompiledPolicy, path: &[Suggestion]) -> Vec<Message> {
    path.iter()
        .map(|s| {
            let (code, args): (&str, Vec<(&str, Arg<'_>)>) = match s.action {
                PathAction::AttachEvidence => {
                    let (zh, en) = crate::messages::evidence_words(s.what.as_ref().map_or("", Text::as_str), s.at_least.unwrap_or(0));
                    ("PATH_ATTACH_EVIDENCE", vec![("evidence", Arg::Localized { zh: zh.into(), en: en.into() })])
                }
                PathAction::ReturnGift => ("PATH_RETURN_GIFT", Vec::new()),
                PathAction::ReduceQty => ("PATH_REDUCE_QTY", vec![("qty", Arg::Plain(s.qty.unwrap_or(0).to_string().into()))]),
                PathAction::ChooseKind => {
                    let (zh, en) = kind_words(s.kind.unwrap_or(RequestKind::Exchange));
                    ("PATH_CHOOSE_KIND", vec![("kind", Arg::Localized { zh: zh.into(), en: en.into() })])
                }
                PathAction::ChooseReturnMethod => {
                    let (zh, en) = method_words(s.method.unwrap_or(ReturnMethod::Pickup));
                    ("PATH_CHOOSE_RETURN_METHOD", vec![("method", Arg::Localized { zh: zh.into(), en: en.into() })])
                }
                PathAction::SubmitBefore => {
                    let at = s.by.map(|t| t.to_local_minute()).unwrap_or_default();
                    ("PATH_SUBMIT_BEFORE", vec![("at", Arg::Plain(at.into()))])
                }
            };
            render(code.into(), s.line_id.as_ref(), &args, policy.texts(code))
        })
        .collect()
}

fn method_words(method: ReturnMethod) -> (&'static str, &'static str) {
    match method {
        ReturnMethod::Pickup => ("上门取件", "a pickup"),
        ReturnMethod::DropOff => ("驿站自寄", "a drop-off"),
        ReturnMethod::SelfShip => ("自行寄回", "sending it yourself"),
    }
}

fn kind_words(kind: RequestKind) -> (&'static str, &'static str) {
    match kind {
        RequestKind::RefundWithReturn => ("退货退款", "a return and refund"),
        RequestKind::RefundWithoutReturn => ("仅退款", "a refund without return"),
        RequestKind::Exchange => ("换货", "an exchange"),
        RequestKind::Repair => ("维修", "a repair"),
        RequestKind::PriceDifference => ("补差价", "a price difference"),
        RequestKind::Goodwill => ("协商退款", "a goodwill refund"),
    }
}
