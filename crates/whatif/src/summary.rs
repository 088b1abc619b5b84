//! A decision as the what-if report counts it, and one input decided under two policies.

use aftersale_rules::{CompiledPolicy, Decision, Diagnostic, View};

/// What the report reads of one decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// `eligible` (every item), `partial` or `denied` (none).
    pub outcome: &'static str,
    pub eligible_items: u32,
    pub items: u32,
    /// Minor units of the policy's currency.
    pub refund_total: i64,
    pub compensation_total: i64,
    /// The approval tier (`auto`, `agent`, `supervisor`, …).
    pub approval: &'static str,
    /// One reason code per refused item, in item order.
    pub denial_codes: Vec<String>,
}

/// One input under the baseline and the candidate policy: a summary or the first error, each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhatIf {
    pub baseline: Result<Summary, String>,
    pub candidate: Result<Summary, String>,
}

impl Summary {
    /// `None` only when the item count or the compensation total leaves its type, which the
    /// engine's limits rule out.
    pub fn of(decision: &Decision) -> Option<Summary> {
        let eligible = decision.items.iter().filter(|i| i.eligible).count();
        let outcome = match eligible {
            0 => "denied",
            n if n == decision.items.len() => "eligible",
            _ => "partial",
        };
        let compensation_total = decision.compensation.iter().try_fold(0i64, |sum, c| sum.checked_add(c.amount.0))?;
        Some(Summary {
            outcome,
            eligible_items: u32::try_from(eligible).ok()?,
            items: u32::try_from(decision.items.len()).ok()?,
            refund_total: decision.refund.total.0,
            compensation_total,
            approval: decision.requirements.approval.as_str(),
            denial_codes: decision.items.iter().filter_map(|i| i.denial.as_ref().map(|d| d.code.to_string())).collect(),
        })
    }
}

impl WhatIf {
    /// Why the record is malformed, when it is: the baseline's error first, as a person reads it.
    pub fn error(&self) -> Option<&str> {
        self.baseline.as_ref().err().or(self.candidate.as_ref().err()).map(String::as_str)
    }
}

/// Decides `input` under both policies with one read of it. The report reads eligibility,
/// refusal codes, refunds, compensation and approval: nothing else of the answers is worked out
/// (the input's `view` is set to the least).
pub fn whatif(input: &str, baseline: &CompiledPolicy, candidate: &CompiledPolicy) -> WhatIf {
    let mut input = match aftersale_rules::parse_input(input) {
        Ok(input) => input,
        Err(errors) => {
            let why = first_error(&errors);
            return WhatIf { baseline: Err(why.clone()), candidate: Err(why) };
        }
    };
    input.view = View::LEAST;
    let side = |policy: &CompiledPolicy| match aftersale_rules::evaluate(policy, &input) {
        Ok(decision) => Summary::of(&decision).ok_or_else(|| "a decision past the report's ranges (items, compensation)".to_owned()),
        Err(errors) => Err(first_error(&errors)),
    };
    WhatIf { baseline: side(baseline), candidate: side(candidate) }
}

/// `CODE: path: message` of the first diagnostic.
pub fn first_error(errors: &[Diagnostic]) -> String {
    errors.first().map_or_else(|| "invalid".to_owned(), |e| format!("{}: {}: {}", e.code.as_str(), e.path, e.message))
}
