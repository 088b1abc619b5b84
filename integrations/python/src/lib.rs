//! The engine as the Python module `aftersale_rules._native`: a request decided (the engine's
//! exact answer bytes), inputs decided under two policies as columns for Arrow, history lines read
//! as records for Parquet, and a grouped query's rows folded into the what-if report. The Python package around it (`python/aftersale_rules`) turns the
//! columns into Arrow arrays; the engine runs with the interpreter's lock released.

use aftersale_rules::CompiledPolicy;
use aftersale_whatif::{Change, Group, GroupSide, Policies, Record, Report, SideColumns, Summary};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use std::sync::{Arc, LazyLock};

/// Policies compiled once per distinct text in this process (a Spark worker's lifetime).
static POLICIES: LazyLock<Policies> = LazyLock::new(Policies::new);

fn compiled(text: &str) -> PyResult<Arc<CompiledPolicy>> {
    POLICIES.get(text).map_err(PyValueError::new_err)
}

/// The engine's answer to one input (`{order, ledger?, request, now, view?}`), byte for byte
/// what `evaluate_json` and the npm package's `evaluateJson` return; errors are answers too.
#[pyfunction]
fn decide(py: Python<'_>, policy: &str, input: &str) -> PyResult<String> {
    let policy = compiled(policy)?;
    Ok(py.detach(|| aftersale_rules::evaluate_json(&policy, input)))
}

/// The ISO 4217 code a policy's amounts are in.
#[pyfunction]
fn currency(policy: &str) -> PyResult<String> {
    Ok(compiled(policy)?.currency.to_string())
}

/// One policy's side of [`whatif`], a list per field; `None` where the side failed (then
/// `error` holds why) or the input was missing.
type SideLists = (
    Vec<Option<&'static str>>,
    Vec<Option<u32>>,
    Vec<Option<u32>>,
    Vec<Option<i64>>,
    Vec<Option<i64>>,
    Vec<Option<&'static str>>,
    Vec<Option<Vec<String>>>,
    Vec<Option<String>>,
);

fn push(lists: &mut SideLists, side: Option<&Result<Summary, String>>) {
    let summary = side.and_then(|s| s.as_ref().ok());
    lists.0.push(summary.map(|s| s.outcome));
    lists.1.push(summary.map(|s| s.eligible_items));
    lists.2.push(summary.map(|s| s.items));
    lists.3.push(summary.map(|s| s.refund_total));
    lists.4.push(summary.map(|s| s.compensation_total));
    lists.5.push(summary.map(|s| s.approval));
    lists.6.push(summary.map(|s| s.denial_codes.clone()));
    lists.7.push(side.and_then(|s| s.as_ref().err().cloned()));
}

/// Each input decided under the baseline and the candidate policy (one read of it for both):
/// `(present, baseline, candidate)`, where `present` is false for a missing input.
#[pyfunction]
fn whatif(
    py: Python<'_>,
    baseline: &str,
    candidate: &str,
    inputs: Vec<Option<PyBackedStr>>,
) -> PyResult<(Vec<bool>, SideLists, SideLists)> {
    let (baseline, candidate) = (compiled(baseline)?, compiled(candidate)?);
    Ok(py.detach(|| {
        let (mut present, mut a, mut b) = (Vec::with_capacity(inputs.len()), SideLists::default(), SideLists::default());
        for input in &inputs {
            let decided = input.as_deref().map(|text| aftersale_whatif::whatif(text, &baseline, &candidate));
            present.push(decided.is_some());
            push(&mut a, decided.as_ref().map(|d| &d.baseline));
            push(&mut b, decided.as_ref().map(|d| &d.candidate));
        }
        (present, a, b)
    }))
}

/// A history's columns for Parquet: line, id, input, error, order_id, kind, now.
type HistoryLists =
    (Vec<u64>, Vec<String>, Vec<Option<String>>, Vec<Option<String>>, Vec<Option<String>>, Vec<Option<String>>, Vec<Option<String>>);

/// Lines of an NDJSON history (as bytes, the first being line `first_line`) read as records,
/// exactly as `aftersale simulate` reads them; blank lines are skipped but counted.
#[pyfunction]
fn read_records(py: Python<'_>, lines: Vec<PyBackedBytes>, first_line: u64) -> HistoryLists {
    py.detach(|| {
        let mut out = HistoryLists::default();
        for (line, bytes) in (first_line..).zip(&lines) {
            let Some(record) = Record::read(line, bytes) else { continue };
            let side = record.input.as_deref().map(SideColumns::of).unwrap_or_default();
            out.0.push(record.line);
            out.1.push(record.id);
            let (input, error) = match record.input {
                Ok(input) => (Some(input), None),
                Err(why) => (None, Some(why)),
            };
            out.2.push(input);
            out.3.push(error);
            out.4.push(side.order_id);
            out.5.push(side.kind);
            out.6.push(side.now);
        }
        out
    })
}

/// One side of a grouped row: outcome, approval, refusal codes, refund and compensation sums.
type SideRow = (Option<String>, Option<String>, Option<Vec<String>>, Option<i128>, Option<i128>);

/// A grouped row: change, records, baseline, candidate, examples as `(line, text)`.
type GroupRow = (String, u64, SideRow, SideRow, Vec<(u64, String)>);

/// The report's JSON (`simulate --format json`'s) from the rows of a query that grouped the
/// decided records alike: `(change, records, baseline, candidate, examples)` each, where
/// `change` is `malformed`, `more`, `fewer` or `same` and examples are `(line, text)`.
#[pyfunction]
fn report_json(currency: &str, groups: Vec<GroupRow>) -> PyResult<String> {
    let side = |(outcome, approval, codes, refund, compensation): SideRow| GroupSide {
        outcome,
        approval,
        codes: codes.unwrap_or_default(),
        refund_total: refund.unwrap_or(0),
        compensation_total: compensation.unwrap_or(0),
    };
    let mut report = Report::new(currency);
    for (change, records, baseline, candidate, examples) in groups {
        let change = Change::of(&change).ok_or_else(|| PyValueError::new_err(format!("no change `{change}`")))?;
        report.count_group(&Group { change, records, baseline: side(baseline), candidate: side(candidate), examples });
    }
    Ok(report.to_json())
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(decide, m)?)?;
    m.add_function(wrap_pyfunction!(currency, m)?)?;
    m.add_function(wrap_pyfunction!(whatif, m)?)?;
    m.add_function(wrap_pyfunction!(read_records, m)?)?;
    m.add_function(wrap_pyfunction!(report_json, m)?)?;
    m.add("ENGINE_VERSION", aftersale_rules::ENGINE_VERSION)?;
    // How many examples a group gathers at most: the report keeps the first of them.
    m.add("MALFORMED_EXAMPLES", aftersale_whatif::MALFORMED_EXAMPLES)?;
    Ok(())
}
