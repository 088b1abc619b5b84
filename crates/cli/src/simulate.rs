//! `aftersale simulate`: every (order, request) record of a history under two policies, and
//! what would change. Streams the file (a bounded channel keeps memory flat however long it is),
//! uses every core, reports malformed records by line number without stopping.

use aftersale_rules::internals::money::Currency;
use aftersale_rules::{CompiledPolicy, Tier};
pub use aftersale_whatif::Report;
use aftersale_whatif::{Record, Side};
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::sync::mpsc::sync_channel;
use std::sync::Arc;
use std::time::Instant;

const BATCH: usize = 256;

/// The most memory this process has held, in KiB (Linux), for the flat-memory check.
pub fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

/// Streams `input` through `threads` workers.
/// Returns the report and the milliseconds it took, or why the history could not be read
/// through (an I/O error stops the run: a report of part of a history would mislead).
pub fn run(
    input: Box<dyn Read + Send>,
    total_bytes: Option<u64>,
    baseline: CompiledPolicy,
    candidate: CompiledPolicy,
    threads: usize,
) -> Result<(Report, u64), String> {
    let started = Instant::now();
    let policies = Arc::new((baseline, candidate));
    let (tx, rx) = sync_channel::<Vec<Record>>(threads * 2);
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
                    for record in &batch {
                        report.add(record, &policies.0, &policies.1);
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
    let (mut line, mut failed) = (Vec::new(), None);
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(n) => {
                bytes += u64::try_from(n).unwrap_or(0);
                line_no += 1;
                batch.extend(Record::read(line_no, &line));
            }
            Err(e) => {
                failed = Some(format!("cannot read line {}: {e}", line_no + 1));
                break;
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
    let mut report = Report::new(policies.0.currency.as_str());
    for worker in workers {
        match worker.join() {
            Ok(part) => report.merge(part),
            Err(_) => failed = failed.or_else(|| Some("a worker stopped before the end of the history".to_owned())),
        }
    }
    if show_progress {
        eprintln!();
    }
    match failed {
        Some(why) => Err(why),
        None => Ok((report, millis(started))),
    }
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
        format!("{n} (e.g. {})", list.iter().map(|(_, name)| name.as_str()).collect::<Vec<_>>().join(", "))
    }
}

pub fn print(r: &Report, format: &str, ms: u64, threads: usize) {
    match format {
        "json" => println!("{}", r.to_json()),
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
                    let text = |x: i128| grouped(&aftersale_whatif::amount(currency, x));
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
