//! The what-if report: what each policy decided over a history, and what would change.

use aftersale_rules::internals::money::Currency;
use aftersale_rules::CompiledPolicy;
use serde::Serialize;
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

/// How a record's eligible items change from the baseline to the candidate, as the report
/// groups records; `malformed` when either side could not decide it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Malformed,
    More,
    Fewer,
    Same,
}

impl Change {
    /// The SQL runners' names: `malformed`, `more`, `fewer`, `same`.
    pub fn of(name: &str) -> Option<Change> {
        Some(match name {
            "malformed" => Change::Malformed,
            "more" => Change::More,
            "fewer" => Change::Fewer,
            "same" => Change::Same,
            _ => return None,
        })
    }
}

/// Records a query grouped alike: the same change, and on each side the same outcome,
/// approval tier and refusal codes, with their amounts summed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub change: Change,
    pub records: u64,
    pub baseline: GroupSide,
    pub candidate: GroupSide,
    /// The group's first records by line: (line, name), or (line, why) when malformed.
    pub examples: Vec<(u64, String)>,
}

/// One side of a [`Group`]: what every record of it decided, and the sums of its amounts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupSide {
    pub outcome: Option<String>,
    pub approval: Option<String>,
    /// One code per refused item of each record.
    pub codes: Vec<String>,
    pub refund_total: i128,
    pub compensation_total: i128,
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

    fn add_group(&mut self, g: &GroupSide, records: u64) {
        if let Some(outcome) = &g.outcome {
            *self.outcomes.entry(outcome.clone()).or_default() += records;
        }
        for code in &g.codes {
            *self.codes.entry(code.clone()).or_default() += records;
        }
        self.refund_total += g.refund_total;
        self.compensation_total += g.compensation_total;
        if let Some(approval) = &g.approval {
            *self.approval.entry(approval.clone()).or_default() += records;
        }
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

    /// Counts records a query grouped alike ([`Group`]): how the SQL runners (Spark,
    /// DataFusion) fold their few result rows into the same report.
    pub fn count_group(&mut self, group: &Group) {
        self.records += group.records;
        let kept = match group.change {
            Change::Malformed => {
                self.malformed += group.records;
                for example in &group.examples {
                    keep_first(&mut self.malformed_examples, example.clone(), MALFORMED_EXAMPLES);
                }
                return;
            }
            Change::More => Some((&mut self.more_eligible, &mut self.more_examples)),
            Change::Fewer => Some((&mut self.fewer_eligible, &mut self.fewer_examples)),
            Change::Same => None,
        };
        if let Some((count, examples)) = kept {
            *count += group.records;
            for example in &group.examples {
                keep_first(examples, example.clone(), EXAMPLES);
            }
        }
        self.baseline.add_group(&group.baseline, group.records);
        self.candidate.add_group(&group.candidate, group.records);
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
    /// DataFusion command write it: JSON text, the totals exact however far past `i64` they sum.
    pub fn to_json(&self) -> String {
        let text = ReportJson {
            currency: &self.currency,
            records: self.records,
            malformed: self.malformed,
            malformed_examples: self.malformed_examples.iter().map(|(l, why)| format!("line {l}: {why}")).collect(),
            baseline: SideJson::of(&self.baseline),
            candidate: SideJson::of(&self.candidate),
            refund_difference: self.candidate.refund_total - self.baseline.refund_total,
            compensation_difference: self.candidate.compensation_total - self.baseline.compensation_total,
            more_eligible: self.more_eligible,
            more_eligible_examples: names(&self.more_examples),
            fewer_eligible: self.fewer_eligible,
            fewer_eligible_examples: names(&self.fewer_examples),
        };
        // Maps of strings to integers and integers: nothing here can fail to serialise.
        serde_json::to_string(&text).unwrap_or_default()
    }
}

/// The report's JSON, in order. Written by serde_json's serializer, which writes `i128` exactly
/// (its `Value` cannot hold a number past `u64`).
#[derive(Serialize)]
struct ReportJson<'a> {
    currency: &'a str,
    records: u64,
    malformed: u64,
    malformed_examples: Vec<String>,
    baseline: SideJson<'a>,
    candidate: SideJson<'a>,
    refund_difference: i128,
    compensation_difference: i128,
    more_eligible: u64,
    more_eligible_examples: Vec<&'a str>,
    fewer_eligible: u64,
    fewer_eligible_examples: Vec<&'a str>,
}

/// A sum of amounts as text, exactly, however far past `i64` it is: the fraction written by the
/// currency's own format, the whole units in `i128`.
pub fn amount(currency: Currency, minor: i128) -> String {
    if let Ok(small) = i64::try_from(minor) {
        return currency.format_minor(small);
    }
    let unit = 10u128.pow(currency.exponent);
    let (whole, fraction) = (minor.unsigned_abs() / unit, minor.unsigned_abs() % unit);
    // `¥0.05` for the fraction (below the unit, so within i64): its `0` becomes the whole units.
    let text = currency.format_minor(i64::try_from(fraction).unwrap_or(0));
    let zero = text.find('0').unwrap_or(text.len());
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}{whole}{}", text.get(..zero).unwrap_or_default(), text.get(zero + 1..).unwrap_or_default())
}

/// The names of examples, in order.
fn names(list: &[(u64, String)]) -> Vec<&str> {
    list.iter().map(|(_, name)| name.as_str()).collect()
}

#[derive(Serialize)]
struct SideJson<'a> {
    outcomes: &'a BTreeMap<String, u64>,
    reason_codes: &'a BTreeMap<String, u64>,
    refund_total: i128,
    compensation_total: i128,
    approval: &'a BTreeMap<String, u64>,
}

impl SideJson<'_> {
    fn of(s: &Side) -> SideJson<'_> {
        SideJson {
            outcomes: &s.outcomes,
            reason_codes: &s.codes,
            refund_total: s.refund_total,
            compensation_total: s.compensation_total,
            approval: &s.approval,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::{amount, Change, Group, GroupSide, Report, EXAMPLES};
    use crate::record::Record;
    use crate::summary::{Summary, WhatIf};
    use aftersale_rules::internals::money::Currency;

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
    fn totals_past_i64_are_written_exactly() {
        let mut report = Report::new("CNY");
        let most = (1i64 << 53) - 1;
        for line in 1..=2000 {
            report.count(&record(line, "R"), &WhatIf { baseline: Ok(summary(1, most)), candidate: Ok(summary(1, -most)) });
        }
        let text = report.to_json();
        assert!(text.contains(r#""refund_total":18014398509481982000,"#), "{text}");
        assert!(text.contains(r#""refund_total":-18014398509481982000,"#), "{text}");
        assert!(text.contains(r#""refund_difference":-36028797018963964000,"#), "{text}");
    }

    #[test]
    fn records_counted_in_groups_equal_records_counted_one_by_one() {
        let decided = decided();
        let mut one_by_one = Report::new("CNY");
        let mut grouped = Report::new("CNY");
        for (r, w) in &decided {
            one_by_one.count(r, w);
            let side = |s: &Result<Summary, String>| match s {
                Ok(s) => GroupSide {
                    outcome: Some(s.outcome.into()),
                    approval: Some(s.approval.into()),
                    codes: s.denial_codes.clone(),
                    refund_total: s.refund_total.into(),
                    compensation_total: s.compensation_total.into(),
                },
                Err(_) => GroupSide::default(),
            };
            let (change, example) = match (&w.baseline, &w.candidate, w.error()) {
                (_, _, Some(why)) => (Change::Malformed, why.to_owned()),
                (Ok(a), Ok(b), None) if b.eligible_items > a.eligible_items => (Change::More, r.name()),
                (Ok(a), Ok(b), None) if b.eligible_items < a.eligible_items => (Change::Fewer, r.name()),
                _ => (Change::Same, r.name()),
            };
            let group =
                Group { change, records: 1, baseline: side(&w.baseline), candidate: side(&w.candidate), examples: vec![(r.line, example)] };
            grouped.count_group(&group);
        }
        assert_eq!(grouped, one_by_one);
        assert!(one_by_one.malformed > 0 && one_by_one.more_eligible > 0 && one_by_one.fewer_eligible > 0);
        assert_eq!(Change::of("fewer"), Some(Change::Fewer));
        assert_eq!(Change::of("flipped"), None);
    }

    #[test]
    fn amounts_past_i64_are_written_exactly() {
        let cny = Currency::of("CNY");
        assert_eq!(amount(cny, 1234), cny.format_minor(1234));
        assert_eq!(amount(cny, 18_014_398_509_481_982_000), "¥180143985094819820.00");
        assert_eq!(amount(cny, -18_014_398_509_481_982_005), "-¥180143985094819820.05");
        assert_eq!(amount(Currency::of("JPY"), 10_000_000_000_000_000_000), "JP¥10000000000000000000");
        assert_eq!(amount(Currency::of("CHF"), 10_000_000_000_000_000_001), "CHF 100000000000000000.01");
    }

    /// Forty records: some flip each way, some with no id, every ninth malformed.
    fn decided() -> Vec<(Record, WhatIf)> {
        (1..=40u64)
            .map(|line| {
                let id = if line % 4 == 0 { String::new() } else { format!("R{line}") };
                let (a, b) = (u32::try_from(line % 3).unwrap(), u32::try_from(line % 2).unwrap());
                let side = |n: u32| Ok(summary(n, i64::from(n) * 1000));
                let candidate = if line % 9 == 0 { Err(format!("bad {line}")) } else { side(b) };
                (record(line, &id), WhatIf { baseline: side(a), candidate })
            })
            .collect()
    }

    #[test]
    fn parts_merged_in_any_order_equal_one_pass() {
        let decided = decided();
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
        let json: serde_json::Value = serde_json::from_str(&whole.to_json()).unwrap();
        assert_eq!(json["more_eligible_examples"][0], "R3");
        assert!(json["fewer_eligible_examples"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().starts_with("line ")));
    }
}
