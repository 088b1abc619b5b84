//! The native rows of the benchmark (`bench/run.sh`): compile the policy, and decide each
//! record of a generated workload, typed (`evaluate`) and JSON text to JSON text
//! (`evaluate_json`). Single thread; each row is the median of several timed passes after a
//! warm-up pass. Prints one JSON object for `bench/report.mjs`.
//!
//! `cargo run --release --example bench -- POLICY.json WORKLOAD.ndjson [PASSES]`

// Timing arithmetic only: rates are floats, no amount of money is.
#![allow(clippy::float_arithmetic, clippy::as_conversions, clippy::cast_precision_loss)]

use std::time::Instant;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(0.0)
}

/// Per-second rate of `per_pass` operations, the median over `passes` timed passes.
fn rate(passes: usize, per_pass: usize, mut pass: impl FnMut()) -> f64 {
    pass();
    let secs: Vec<f64> = (0..passes)
        .map(|_| {
            let t = Instant::now();
            pass();
            t.elapsed().as_secs_f64()
        })
        .collect();
    per_pass as f64 / median(secs)
}

/// `{"id", "order", "request", "now"}` → `{"order", "request", "now"}` (the evaluation input).
fn input_of(record: &str) -> String {
    match record.find(",\"order\":") {
        Some(at) => format!("{{{}", &record[at + 1..]),
        None => record.to_owned(),
    }
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(policy_file), Some(workload)) = (args.first(), args.get(1)) else {
        return Err("usage: bench POLICY.json WORKLOAD.ndjson [PASSES]".into());
    };
    let passes = args.get(2).and_then(|p| p.parse().ok()).unwrap_or(7);
    let policy_text = std::fs::read_to_string(policy_file).map_err(|e| e.to_string())?;
    let inputs: Vec<String> =
        std::fs::read_to_string(workload).map_err(|e| e.to_string())?.lines().filter(|l| !l.is_empty()).map(input_of).collect();
    let typed: Vec<_> = inputs.iter().map(|i| aftersale_rules::parse_input(i).map_err(|e| format!("{e:?}"))).collect::<Result<_, _>>()?;
    let policy = aftersale_rules::compile_policy_json(&policy_text).map_err(|e| format!("{e:?}"))?;

    // `BENCH_ONLY=evaluate` loops over one row alone, for a profiler.
    if std::env::var("BENCH_ONLY").as_deref() == Ok("evaluate") {
        let n = rate(passes, typed.len(), || {
            for input in &typed {
                std::hint::black_box(aftersale_rules::evaluate(&policy, input).is_ok());
            }
        });
        println!("{{\"native_evaluate_per_s\":{n:.1}}}");
        return Ok(());
    }
    if let Ok(only @ ("evaluate_json" | "evaluate_json_lean")) = std::env::var("BENCH_ONLY").as_deref() {
        let inputs: Vec<String> = if only == "evaluate_json" {
            inputs
        } else {
            inputs.iter().map(|i| format!("{{\"view\":\"revalidate\",{}", i.get(1..).unwrap_or_default())).collect()
        };
        let n = rate(passes, inputs.len(), || {
            for input in &inputs {
                std::hint::black_box(aftersale_rules::evaluate_json(&policy, std::hint::black_box(input)).len());
            }
        });
        println!("{{\"native_evaluate_json_per_s\":{n:.1}}}");
        return Ok(());
    }
    let compiles = 200;
    let compile = rate(passes, compiles, || {
        for _ in 0..compiles {
            std::hint::black_box(aftersale_rules::compile_policy_json(&policy_text).ok());
        }
    });
    // The lean view (`"view": "revalidate"`): the same inputs asking for less.
    let lean: Vec<String> = inputs.iter().map(|i| format!("{{\"view\":\"revalidate\",{}", i.get(1..).unwrap_or_default())).collect();
    let lean_typed: Vec<_> =
        lean.iter().map(|i| aftersale_rules::parse_input(i).map_err(|e| format!("{e:?}"))).collect::<Result<_, _>>()?;
    let mut decided = 0usize;
    let mut typed_rate = |typed: &[aftersale_rules::EvaluationInput]| {
        rate(passes, typed.len(), || {
            for input in typed {
                decided += usize::from(aftersale_rules::evaluate(&policy, std::hint::black_box(input)).is_ok());
            }
        })
    };
    let (evaluate, evaluate_lean) = (typed_rate(&typed), typed_rate(&lean_typed));
    let mut bytes = 0usize;
    let mut json_rate = |inputs: &[String]| {
        rate(passes, inputs.len(), || {
            for input in inputs {
                bytes += aftersale_rules::evaluate_json(&policy, std::hint::black_box(input)).len();
            }
        })
    };
    let (evaluate_json, evaluate_json_lean) = (json_rate(&inputs), json_rate(&lean));
    if decided == 0 || bytes == 0 {
        return Err("nothing was decided".into());
    }
    println!(
        "{{\"records\":{},\"native_compile_per_s\":{compile:.1},\"native_evaluate_per_s\":{evaluate:.1},\"native_evaluate_lean_per_s\":{evaluate_lean:.1},\"native_evaluate_json_per_s\":{evaluate_json:.1},\"native_evaluate_json_lean_per_s\":{evaluate_json_lean:.1}}}",
        inputs.len()
    );
    Ok(())
}
