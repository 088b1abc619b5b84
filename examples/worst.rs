//! The worst inputs within the limits (`aftersale_testkit::worst`), timed natively: for each
//! scenario the answer's size, its kind and the median time of a few runs. A bench row
//! (`bench/run.sh` prints it), not a test: the machines are shared and noisy.
//!
//!   cargo run --release --example worst [RUNS]

#![allow(clippy::float_arithmetic)]

use aftersale_rules::{compile_policy_json, evaluate_batch_json, evaluate_json};
use std::time::Instant;

fn main() {
    let runs: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(5);
    let mut rows = Vec::new();
    for s in aftersale_testkit::worst::scenarios() {
        let Ok(policy) = compile_policy_json(&s.policy) else {
            eprintln!("{}: the policy does not compile", s.name);
            std::process::exit(1);
        };
        let mut times = Vec::new();
        let mut answer = String::new();
        for _ in 0..runs.max(1) {
            let t = Instant::now();
            answer = if s.batch { evaluate_batch_json(&policy, &s.input) } else { evaluate_json(&policy, &s.input) };
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        let median = times.get(times.len() / 2).copied().unwrap_or_default();
        let kind = if answer.starts_with('[') {
            format!("{} answers, {} LIMIT_EXCEEDED", answer.matches(r#""type":"#).count(), answer.matches("LIMIT_EXCEEDED").count())
        } else if answer.contains("LIMIT_EXCEEDED") {
            "LIMIT_EXCEEDED".to_owned()
        } else {
            "decision".to_owned()
        };
        rows.push(format!(
            r#"{{"name":"{}","input_bytes":{},"answer_bytes":{},"answer":"{kind}","median_ms":{median:.1}}}"#,
            s.name,
            s.input.len(),
            answer.len()
        ));
    }
    println!("[{}]", rows.join(","));
}
