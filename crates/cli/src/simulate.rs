//! `aftersale simulate`: every (order, request) record of a history under two policies, and
//! what would change. Streams the file (a bounded channel keeps memory flat however long it is),
//! uses every core, reports malformed records by line number without stopping.

use aftersale_rules::internals::money::Currency;
use aftersale_rules::Tier;
use aftersale_rules::{CompiledPolicy, Decision, View};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::sync::mpsc::sync_channel;
use std::sync::Arc;
use std::time::Instant;

const BATCH: usize = 256;
const EXAMPLES: usize = 5;

/// What one policy decided over the history.
#[derive(Debug, Default, Clone)]
pub struct Side {
    pub outcomes: BTreeMap<&'static str, u64>,
    pub codes: BTreeMap<String, u64>,
    pub refund_total: i128,
    pub compensation_total: i128,
    pub approval: BTreeMap<&'static str, u64>,
}

/// The whole comparison; partial results of workers merge into one.
#[derive(Debug, Default, Clone)]
pub struct Report {
    /// The baseline policy's currency, for the table's amounts.
    pub currency: String,
    pub records: u64,
    pub malformed: u64,
    /// (line, why), the first ones by line number.
    pub malformed_examples: Vec<(u64, String)>,
    pub baseline: Side,
    pub candidate: Side,
    /// Records where the candidate makes more items eligible, and fewer; with example ids.
    pub more_eligible: u64,
    pub fewer_eligible: u64,
    pub more_examples: Vec<(u64, String)>,
    pub fewer_examples: Vec<(u64, String)>,
}

fn keep_first(examples: &mut Vec<(u64, String)>, item: (u64, String), limit: usize) {
    examples.push(item);
    examples.sort();
    examples.truncate(limit);
}

impl Side {
    fn add(&mut self, d: &Decision) {
        let eligible = d.items.iter().filter(|i| i.eligible).count();
        let outcome = match eligible {
            0 => "denied",
            n if n == d.items.len() => "eligible",
            _ => "partial",
        };
        *self.outcomes.entry(outcome).or_default() += 1;
        for item in &d.items {
            if let Some(denial) = &item.denial {
                *self.codes.entry(denial.code.to_string()).or_default() += 1;
            }
        }
        self.refund_total += i128::from(d.refund.total.0);
        self.compensation_total += d.compensation.iter().map(|c| i128::from(c.amount.0)).sum::<i128>();
        *self.approval.entry(d.requirements.approval.as_str()).or_default() += 1;
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
    fn merge(&mut self, other: Report) {
        self.records += other.records;
        self.malformed += other.malformed;
        for e in other.malformed_examples {
            keep_first(&mut self.malformed_examples, e, 20);
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

    /// Decides one record under both policies.
    pub fn record(&mut self, line_no: u64, line: &str, baseline: &CompiledPolicy, candidate: &CompiledPolicy) {
        if line.trim().is_empty() {
            return;
        }
        self.records += 1;
        let outcome = decide(line, baseline, candidate);
        match outcome {
            Ok((id, a, b)) => {
                self.baseline.add(&a);
                self.candidate.add(&b);
                let count = |d: &Decision| d.items.iter().filter(|i| i.eligible).count();
                let (ea, eb) = (count(&a), count(&b));
                if eb > ea {
                    self.more_eligible += 1;
                    keep_first(&mut self.more_examples, (line_no, id), EXAMPLES);
                } else if eb < ea {
                    self.fewer_eligible += 1;
                    keep_first(&mut self.fewer_examples, (line_no, id), EXAMPLES);
                }
            }
            Err(why) => {
                self.malformed += 1;
                keep_first(&mut self.malformed_examples, (line_no, why), 20);
            }
        }
    }
}

/// Parses a record `{"id", "order", "ledger"?, "request", "now"}` and decides it under both policies.
fn decide(line: &str, baseline: &CompiledPolicy, candidate: &CompiledPolicy) -> Result<(String, Decision, Decision), String> {
    let (id, text) = split_id(line)?;
    // Read by the engine, for its strictness and its errors' paths.
    let mut input = aftersale_rules::parse_input(&text).map_err(|e| first_error(&e))?;
    // The report reads eligibility, denial codes, refunds, compensation and approval: nothing
    // else of the answers is worked out.
    input.view = View::LEAST;
    let a = aftersale_rules::evaluate(baseline, &input).map_err(|e| first_error(&e))?;
    let b = aftersale_rules::evaluate(candidate, &input).map_err(|e| first_error(&e))?;
    Ok((id, a, b))
}

/// A record's `id` and the evaluation input it holds besides. A record that begins with a
/// plain `{"id":"…",` (as `generate` writes them) is split where it stands, without a second
/// parse and print of the whole record; any other is read as a JSON object and written again
/// without its `id`.
fn split_id(line: &str) -> Result<(String, String), String> {
    let fast = line.strip_prefix("{\"id\":\"").and_then(|rest| {
        let (id, after) = rest.split_once('"')?;
        let input = after.strip_prefix(',')?;
        (!id.contains('\\')).then(|| (id.to_owned(), ["{", input].concat()))
    });
    if let Some(split) = fast {
        return Ok(split);
    }
    let Ok(Value::Object(mut record)) = serde_json::from_str::<Value>(line) else { return Err("a record is a JSON object".into()) };
    let id = record.remove("id").and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    Ok((id, Value::Object(record).to_string()))
}

fn first_error(errors: &[aftersale_rules::Diagnostic]) -> String {
    errors.first().map_or_else(|| "invalid".to_owned(), |e| format!("{}: {}: {}", e.code.as_str(), e.path, e.message))
}

/// The most memory this process has held, in KiB (Linux), for the flat-memory check.
pub fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

/// Streams `input` through `threads` workers.
/// Returns the report and the milliseconds it took.
pub fn run(
    input: Box<dyn Read + Send>,
    total_bytes: Option<u64>,
    baseline: CompiledPolicy,
    candidate: CompiledPolicy,
    threads: usize,
) -> (Report, u64) {
    let started = Instant::now();
    let policies = Arc::new((baseline, candidate));
    let (tx, rx) = sync_channel::<Vec<(u64, String)>>(threads * 2);
    let rx = Arc::new(std::sync::Mutex::new(rx));
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let rx = Arc::clone(&rx);
            let policies = Arc::clone(&policies);
            std::thread::spawn(move || {
                let mut report = Report::default();
                loop {
                    let batch = match rx.lock() {
                        Ok(guard) => guard.recv(),
                        Err(_) => break,
                    };
                    let Ok(batch) = batch else { break };
                    for (n, line) in batch {
                        report.record(n, &line, &policies.0, &policies.1);
                    }
                }
                report
            })
        })
        .collect();
    let show_progress = std::io::stderr().is_terminal();
    let mut reader = BufReader::with_capacity(1 << 20, input);
    let (mut batch, mut line_no, mut bytes) = (Vec::with_capacity(BATCH), 0u64, 0u64);
    let mut last_progress = Instant::now();
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) => break,
            Ok(n) => {
                bytes += u64::try_from(n).unwrap_or(0);
                line_no += 1;
                batch.push((line_no, line));
            }
            Err(e) => {
                line_no += 1;
                batch.push((line_no, format!("\u{0}{e}")));
            }
        }
        if batch.len() == BATCH {
            if tx.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).is_err() {
                break;
            }
            if show_progress && last_progress.elapsed().as_millis() > 200 {
                last_progress = Instant::now();
                progress(line_no, bytes, total_bytes, millis(started));
            }
        }
    }
    if !batch.is_empty() {
        let _ = tx.send(batch);
    }
    drop(tx);
    let mut report = Report { currency: policies.0.currency.to_string(), ..Report::default() };
    for worker in workers {
        if let Ok(part) = worker.join() {
            report.merge(part);
        }
    }
    if show_progress {
        eprintln!();
    }
    (report, millis(started))
}

fn millis(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// Records per second, in integers (display only).
pub fn rate(records: u64, ms: u64) -> u64 {
    records.saturating_mul(1000) / ms.max(1)
}

/// `   12345 records     40000/s  42.5%  ETA   12 s`, from bytes read of the file's size.
fn progress(records: u64, bytes: u64, total: Option<u64>, ms: u64) {
    let tail = match total {
        Some(t) if t > 0 && bytes > 0 => {
            let permille = bytes.saturating_mul(1000) / t;
            let eta_s = ms.saturating_mul(t.saturating_sub(bytes)) / bytes / 1000;
            format!(" {:>3}.{}%  ETA {eta_s:>4} s", permille / 10, permille % 10)
        }
        _ => String::new(),
    };
    eprint!("\r{records:>10} records  {:>9}/s{tail}", rate(records, ms));
    let _ = std::io::stderr().flush();
}

fn side_json(side: &Side) -> Value {
    json!({
        "outcomes": side.outcomes,
        "reason_codes": side.codes,
        "refund_total": side.refund_total,
        "compensation_total": side.compensation_total,
        "approval": side.approval,
    })
}

fn examples(list: &[(u64, String)]) -> Vec<String> {
    list.iter().map(|(line, id)| if id.is_empty() { format!("line {line}") } else { id.clone() }).collect()
}

fn report_json(r: &Report) -> Value {
    let malformed: Vec<String> = r.malformed_examples.iter().map(|(l, why)| format!("line {l}: {why}")).collect();
    json!({
        "currency": r.currency,
        "records": r.records,
        "malformed": r.malformed,
        "malformed_examples": malformed,
        "baseline": side_json(&r.baseline),
        "candidate": side_json(&r.candidate),
        "refund_difference": r.candidate.refund_total - r.baseline.refund_total,
        "compensation_difference": r.candidate.compensation_total - r.baseline.compensation_total,
        "more_eligible": r.more_eligible,
        "more_eligible_examples": examples(&r.more_examples),
        "fewer_eligible": r.fewer_eligible,
        "fewer_eligible_examples": examples(&r.fewer_examples),
    })
}

/// Rows of `(metric, baseline, candidate, is money)` for the table and CSV: outcomes and
/// approvals count records (one request each), refusal codes count items.
fn rows(r: &Report) -> Vec<(String, i128, i128, bool)> {
    let mut rows = Vec::new();
    for outcome in ["eligible", "partial", "denied"] {
        let get = |s: &Side| i128::from(s.outcomes.get(outcome).copied().unwrap_or(0));
        rows.push((format!("records {outcome}"), get(&r.baseline), get(&r.candidate), false));
    }
    rows.push(("refund total".into(), r.baseline.refund_total, r.candidate.refund_total, true));
    rows.push(("compensation total".into(), r.baseline.compensation_total, r.candidate.compensation_total, true));
    for tier in Tier::ALL {
        let get = |s: &Side| i128::from(s.approval.get(tier.as_str()).copied().unwrap_or(0));
        rows.push((format!("records approved {}", tier.as_str()), get(&r.baseline), get(&r.candidate), false));
    }
    let mut codes: Vec<&String> = r.baseline.codes.keys().chain(r.candidate.codes.keys()).collect();
    codes.sort();
    codes.dedup();
    for code in codes {
        let get = |s: &Side| i128::from(s.codes.get(code).copied().unwrap_or(0));
        rows.push((format!("items refused {code}"), get(&r.baseline), get(&r.candidate), false));
    }
    rows
}

/// `¥1234567.89` as `¥1,234,567.89`: the integer part grouped by thousands, for reading.
pub fn grouped(text: &str) -> String {
    let start = text.find(|c: char| c.is_ascii_digit()).unwrap_or(text.len());
    let end = text[start..].find(|c: char| !c.is_ascii_digit()).map_or(text.len(), |e| start + e);
    let digits = &text[start..end];
    let mut out = String::from(&text[..start]);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out.push_str(&text[end..]);
    out
}

/// "`n` (e.g. a, b)", or "`n`" when there is no example.
fn counted(n: u64, list: &[(u64, String)]) -> String {
    if list.is_empty() {
        n.to_string()
    } else {
        format!("{n} (e.g. {})", examples(list).join(", "))
    }
}

pub fn print(r: &Report, format: &str, ms: u64, threads: usize) {
    match format {
        "json" => println!("{}", report_json(r)),
        "csv" => {
            println!("metric,baseline,candidate,difference");
            for (metric, a, b, _) in rows(r) {
                println!("{metric},{a},{b},{}", b - a);
            }
            println!("records more eligible,,{},", r.more_eligible);
            println!("records fewer eligible,,{},", r.fewer_eligible);
        }
        _ => {
            println!(
                "{} records ({} malformed) in {} ms on {threads} threads: {} records/s",
                r.records,
                r.malformed,
                ms,
                rate(r.records, ms)
            );
            println!("amounts in {}; records count requests, items count the lines they ask about", r.currency);
            println!("{:<38} {:>20} {:>20} {:>20}", "", "baseline", "candidate", "difference");
            let currency = Currency::of(&r.currency);
            for (metric, a, b, money) in rows(r) {
                if money {
                    // Sums of amounts within ±(2^53 − 1) each: beyond i64 only in theory.
                    let text =
                        |x: i128| grouped(&currency.format_minor(i64::try_from(x).unwrap_or(if x < 0 { i64::MIN } else { i64::MAX })));
                    let (a, b, d) = (text(a), text(b), text(b - a));
                    println!("{metric:<38} {a:>20} {b:>20} {d:>20}");
                } else {
                    println!("{metric:<38} {a:>20} {b:>20} {:>20}", b - a);
                }
            }
            println!("records that flip to more eligible: {}", counted(r.more_eligible, &r.more_examples));
            println!("records that flip to fewer eligible: {}", counted(r.fewer_eligible, &r.fewer_examples));
            for (line, why) in &r.malformed_examples {
                println!("malformed record at line {line}: {why}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::split_id;

    #[test]
    fn a_record_is_split_alike_in_place_and_by_reading_it() {
        let input = r#""order":{"id":"O1"},"request":{"kind":"exchange","items":[]},"now":"2026-11-20T21:05:00+08:00"}"#;
        let fast = split_id(&format!(r#"{{"id":"H1",{input}"#)).unwrap();
        assert_eq!(fast, ("H1".to_owned(), format!("{{{input}")));
        // Not in the plain form: read, and written again without the id (serde_json's order).
        for other in [
            format!(r#"{{ "id": "H1", {input}"#),
            format!(r#"{{"id":"H\u0031",{input}"#),
            format!(r#"{{{},"id":"H1"}}"#, &input[..input.len() - 1]),
        ] {
            let slow = split_id(&other).unwrap();
            assert_eq!(slow.0, "H1", "{other}");
            let (a, b): (serde_json::Value, serde_json::Value) =
                (serde_json::from_str(&slow.1).unwrap(), serde_json::from_str(&fast.1).unwrap());
            assert_eq!(a, b, "{other}");
        }
        assert!(split_id("[1]").is_err());
    }
}
