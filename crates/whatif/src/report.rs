//! The what-if report: what each policy decided over a history, and what would change.

use aftersale_rules::CompiledPolicy;
use serde_json::{json, Value};
use std::collections::BTreeMap;

use crate::record::Record;
use crate::summary::{whatif, Summary, WhatIf};

/// Example ids kept of the records that flip each way.
pub const EXAMPLES: usize = 5;
/// Malformed records kept with their line and why.
pub const MALFORMED_EXAMPLES: usize = 20;

/// What one policy decided over the history.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Side {
    /// Records by outcome (`eligible`, `partial`, `denied`).
    pub outcomes: BTreeMap<String, u64>,
    /// Refused items by reason code.
    pub codes: BTreeMap<String, u64>,
    pub refund_total: i128,
    pub compensation_total: i128,
    /// Records by approval tier.
    pub approval: BTreeMap<String, u64>,
}

/// The whole comparison; partial reports (of threads, of partitions) merge into one.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// The baseline policy's currency, for the amounts.
    pub currency: String,
    pub records: u64,
    pub malformed: u64,
    /// (line, why), the first ones by line number.
    pub malformed_examples: Vec<(u64, String)>,
    pub baseline: Side,
    pub candidate: Side,
    /// Records where the candidate makes more items eligible, and fewer; with example names
    /// (id, or `line N`), the first ones by line number.
    pub more_eligible: u64,
    pub fewer_eligible: u64,
    pub more_examples: Vec<(u64, String)>,
    pub fewer_examples: Vec<(u64, String)>,
}

/// Keeps the `limit` first examples by line number.
pub fn keep_first(examples: &mut Vec<(u64, String)>, item: (u64, String), limit: usize) {
    examples.push(item);
    examples.sort();
    examples.truncate(limit);
}

impl Side {
    fn add(&mut self, s: &Summary) {
        *self.outcomes.entry(s.outcome.to_owned()).or_default() += 1;
        for code in &s.denial_codes {
            *self.codes.entry(code.clone()).or_default() += 1;
        }
        self.refund_total += i128::from(s.refund_total);
        self.compensation_total += i128::from(s.compensation_total);
        *self.approval.entry(s.approval.to_owned()).or_default() += 1;
    }

    fn merge(&mut self, other: Side) {
        for (k, v) in other.outcomes {
            *self.outcomes.entry(k).or_default() += v;
        }
        for (k, v) in other.codes {
            *self.codes.entry(k).or_default() += v;
        }
        for (k, v) in other.approval {
            *self.approval.entry(k).or_default() += v;
        }
        self.refund_total += other.refund_total;
        self.compensation_total += other.compensation_total;
    }

    fn to_json(&self) -> Value {
        json!({
            "outcomes": self.outcomes,
            "reason_codes": self.codes,
            "refund_total": self.refund_total,
            "compensation_total": self.compensation_total,
            "approval": self.approval,
        })
    }
}

impl Report {
    pub fn new(currency: &str) -> Report {
        Report { currency: currency.to_owned(), ..Report::default() }
    }

    /// Decides one record under both policies and counts it.
    pub fn add(&mut self, record: &Record, baseline: &CompiledPolicy, candidate: &CompiledPolicy) {
        match &record.input {
            Ok(input) => self.count(record, &whatif(input, baseline, candidate)),
            Err(why) => self.count_malformed(record.line, why),
        }
    }

    /// Counts a record decided elsewhere.
    pub fn count(&mut self, record: &Record, decided: &WhatIf) {
        let (Ok(a), Ok(b)) = (&decided.baseline, &decided.candidate) else {
            return self.count_malformed(record.line, decided.error().unwrap_or("invalid"));
        };
        self.records += 1;
        self.baseline.add(a);
        self.candidate.add(b);
        if b.eligible_items > a.eligible_items {
            self.more_eligible += 1;
            keep_first(&mut self.more_examples, (record.line, record.name()), EXAMPLES);
        } else if b.eligible_items < a.eligible_items {
            self.fewer_eligible += 1;
            keep_first(&mut self.fewer_examples, (record.line, record.name()), EXAMPLES);
        }
    }

    fn count_malformed(&mut self, line: u64, why: &str) {
        self.records += 1;
        self.malformed += 1;
        keep_first(&mut self.malformed_examples, (line, why.to_owned()), MALFORMED_EXAMPLES);
    }

    pub fn merge(&mut self, other: Report) {
        self.records += other.records;
        self.malformed += other.malformed;
        for e in other.malformed_examples {
            keep_first(&mut self.malformed_examples, e, MALFORMED_EXAMPLES);
        }
        self.baseline.merge(other.baseline);
        self.candidate.merge(other.candidate);
        self.more_eligible += other.more_eligible;
        self.fewer_eligible += other.fewer_eligible;
        for e in other.more_examples {
            keep_first(&mut self.more_examples, e, EXAMPLES);
        }
        for e in other.fewer_examples {
            keep_first(&mut self.fewer_examples, e, EXAMPLES);
        }
    }

    /// The report as `simulate --format json` prints it, and as the Spark job and the
    /// DataFusion command write it.
    pub fn to_json(&self) -> Value {
        let names = |list: &[(u64, String)]| list.iter().map(|(_, name)| name.clone()).collect::<Vec<_>>();
        let malformed: Vec<String> = self.malformed_examples.iter().map(|(l, why)| format!("line {l}: {why}")).collect();
        json!({
            "currency": self.currency,
            "records": self.records,
            "malformed": self.malformed,
            "malformed_examples": malformed,
            "baseline": self.baseline.to_json(),
            "candidate": self.candidate.to_json(),
            "refund_difference": self.candidate.refund_total - self.baseline.refund_total,
            "compensation_difference": self.candidate.compensation_total - self.baseline.compensation_total,
            "more_eligible": self.more_eligible,
            "more_eligible_examples": names(&self.more_examples),
            "fewer_eligible": self.fewer_eligible,
            "fewer_eligible_examples": names(&self.fewer_examples),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::{Report, EXAMPLES};
    use crate::record::Record;
    use crate::summary::{Summary, WhatIf};

    fn summary(eligible: u32, refund: i64) -> Summary {
        let outcome = if eligible == 0 { "denied" } else { "eligible" };
        Summary {
            outcome,
            eligible_items: eligible,
            items: eligible.max(1),
            refund_total: refund,
            compensation_total: 0,
            approval: "auto",
            denial_codes: if eligible == 0 { vec!["WINDOW_CLOSED".into()] } else { vec![] },
        }
    }

    fn record(line: u64, id: &str) -> Record {
        Record { line, id: id.into(), input: Ok("{}".into()) }
    }

    #[test]
    fn either_sides_error_makes_the_record_malformed_the_baselines_named_first() {
        let mut report = Report::new("CNY");
        let only_candidate = WhatIf { baseline: Ok(summary(1, 100)), candidate: Err("candidate's".into()) };
        report.count(&record(3, "A"), &only_candidate);
        let both = WhatIf { baseline: Err("baseline's".into()), candidate: Err("candidate's".into()) };
        report.count(&record(2, "B"), &both);
        assert_eq!((report.records, report.malformed), (2, 2));
        assert_eq!(report.malformed_examples, vec![(2, "baseline's".to_owned()), (3, "candidate's".to_owned())]);
        assert_eq!(report.baseline.refund_total, 0, "a malformed record's decided side is not counted");
    }

    #[test]
    fn parts_merged_in_any_order_equal_one_pass() {
        let decided: Vec<(Record, WhatIf)> = (1..=40u64)
            .map(|line| {
                let id = if line % 4 == 0 { String::new() } else { format!("R{line}") };
                let (a, b) = (u32::try_from(line % 3).unwrap(), u32::try_from(line % 2).unwrap());
                let side = |n: u32| Ok(summary(n, i64::from(n) * 1000));
                (record(line, &id), WhatIf { baseline: side(a), candidate: side(b) })
            })
            .collect();
        let mut whole = Report::new("CNY");
        for (r, w) in &decided {
            whole.count(r, w);
        }
        let (mut odd, mut even) = (Report::new("CNY"), Report::new("CNY"));
        for (r, w) in decided.iter().rev() {
            if r.line % 2 == 1 {
                odd.count(r, w)
            } else {
                even.count(r, w)
            }
        }
        even.merge(odd);
        assert_eq!(even, whole);
        assert_eq!(whole.more_examples.len(), EXAMPLES);
        assert!(whole.more_examples.windows(2).all(|w| w[0].0 < w[1].0), "the first by line");
        let json = whole.to_json();
        assert_eq!(json["more_eligible_examples"][0], "R3");
        assert!(json["fewer_eligible_examples"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().starts_with("line ")));
    }
}
