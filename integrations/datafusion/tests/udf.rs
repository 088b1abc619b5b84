//! The UDFs and the report query on small in-memory tables, against the engine called directly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use aftersale_datafusion::{report, session};
use aftersale_whatif::{Record, Report};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int64Array, RecordBatch, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Int32Type, Int64Type, Schema};
use datafusion::datasource::MemTable;
use datafusion::prelude::SessionContext;
use std::sync::Arc;

const BASELINE: &str = r#"{"id":"baseline","version":"1","extends":"platform-default"}"#;
const CANDIDATE: &str = include_str!("../../../examples/policies/electronics-store.json");
const SAMPLE: &str = include_str!("fixtures/sample.ndjson");

/// The sample's records, then lines that are not records or cannot be decided.
fn records() -> Vec<Record> {
    let mut lines: Vec<Vec<u8>> = SAMPLE.lines().map(|l| l.as_bytes().to_vec()).collect();
    lines.push(b"not json".to_vec());
    lines.push(b"[1]".to_vec());
    lines.push(br#"{"id":"X1","order":{"id":"O1"},"now":"2026-01-01T00:00:00+08:00"}"#.to_vec());
    lines.push(b"\xff{}".to_vec());
    lines.push(b"   ".to_vec());
    // The first record again without its id: reports name it by its line.
    lines.insert(0, SAMPLE.lines().next().unwrap().replacen(r#""id":"H0","#, "", 1).into_bytes());
    lines.iter().enumerate().filter_map(|(i, l)| Record::read(i as u64 + 1, l)).collect()
}

/// A history table as the converter writes it, with its strings in the layout `strings`.
fn history(records: &[Record], strings: &DataType) -> RecordBatch {
    let text = |values: Vec<Option<&str>>| -> ArrayRef {
        let utf8: ArrayRef = Arc::new(StringArray::from(values));
        cast(&utf8, strings).unwrap()
    };
    let schema = Schema::new(vec![
        Field::new("line", DataType::Int64, false),
        Field::new("id", strings.clone(), false),
        Field::new("input", strings.clone(), true),
        Field::new("error", strings.clone(), true),
    ]);
    RecordBatch::try_new(
        Arc::new(schema),
        vec![
            Arc::new(Int64Array::from_iter_values(records.iter().map(|r| r.line as i64))),
            text(records.iter().map(|r| Some(r.id.as_str())).collect()),
            text(records.iter().map(|r| r.input.as_deref().ok()).collect()),
            text(records.iter().map(|r| r.input.as_ref().err().map(String::as_str)).collect()),
        ],
    )
    .unwrap()
}

fn context(batch: RecordBatch, partitions: usize) -> SessionContext {
    let ctx = session::local(partitions).unwrap();
    // Split into several batches and partitions, as a scan would.
    let rows = batch.num_rows();
    let parts: Vec<Vec<RecordBatch>> = (0..partitions)
        .map(|p| {
            let (from, to) = (rows * p / partitions, rows * (p + 1) / partitions);
            vec![batch.slice(from, to - from)]
        })
        .collect();
    ctx.register_table("history", Arc::new(MemTable::try_new(batch.schema(), parts).unwrap())).unwrap();
    ctx
}

async fn column(ctx: &SessionContext, sql: &str) -> Vec<Option<String>> {
    let batches = ctx.sql(sql).await.unwrap().collect().await.unwrap();
    let mut out = Vec::new();
    for batch in batches {
        let column = cast(batch.column(0), &DataType::Utf8).unwrap();
        out.extend(column.as_string::<i32>().iter().map(|s| s.map(str::to_owned)));
    }
    out
}

#[tokio::test]
async fn decide_is_the_engines_answer_for_every_string_layout() {
    let records = records();
    let policy = aftersale_rules::compile_policy_json(CANDIDATE).unwrap();
    let expected: Vec<Option<String>> =
        records.iter().map(|r| r.input.as_deref().ok().map(|i| aftersale_rules::evaluate_json(&policy, i))).collect();
    for strings in [DataType::Utf8, DataType::LargeUtf8, DataType::Utf8View] {
        let ctx = context(history(&records, &strings), 2);
        let sql = format!("SELECT aftersale_decide({}, input) FROM history ORDER BY line", report::literal(CANDIDATE));
        assert_eq!(column(&ctx, &sql).await, expected, "{strings}");
    }
}

#[tokio::test]
async fn whatif_fields_are_the_summaries_or_the_error() {
    let records = records();
    let (a, b) = (aftersale_rules::compile_policy_json(BASELINE).unwrap(), aftersale_rules::compile_policy_json(CANDIDATE).unwrap());
    let ctx = context(history(&records, &DataType::Utf8View), 2);
    let sql = format!(
        "SELECT w FROM (SELECT line, aftersale_whatif({}, {}, input) AS w FROM history) ORDER BY line",
        report::literal(BASELINE),
        report::literal(CANDIDATE)
    );
    let batches = ctx.sql(&sql).await.unwrap().collect().await.unwrap();
    let mut row_of_records = records.iter();
    for batch in batches {
        let w = batch.column(0).as_struct();
        for row in 0..w.len() {
            let record = row_of_records.next().unwrap();
            let Ok(input) = &record.input else {
                assert!(w.is_null(row), "a null input is a null struct");
                continue;
            };
            let decided = aftersale_whatif::whatif(input, &a, &b);
            for (name, side) in [("baseline", &decided.baseline), ("candidate", &decided.candidate)] {
                check_side(w.column_by_name(name).unwrap().as_struct(), row, side);
            }
        }
    }
    assert!(row_of_records.next().is_none());
}

fn check_side(s: &datafusion::arrow::array::StructArray, row: usize, side: &Result<aftersale_whatif::Summary, String>) {
    let text = |name: &str| {
        let c = cast(s.column_by_name(name).unwrap(), &DataType::Utf8).unwrap();
        let c = c.as_string::<i32>();
        c.is_valid(row).then(|| c.value(row).to_owned())
    };
    let int = |name: &str| {
        let c = cast(s.column_by_name(name).unwrap(), &DataType::Int64).unwrap();
        let c = c.as_primitive::<Int64Type>();
        c.is_valid(row).then(|| c.value(row))
    };
    let codes = s.column_by_name("denial_codes").unwrap().as_list::<i32>();
    assert!(s.column_by_name("eligible_items").unwrap().as_primitive_opt::<Int32Type>().is_some());
    match side {
        Ok(summary) => {
            assert_eq!(text("outcome").as_deref(), Some(summary.outcome));
            assert_eq!(int("eligible_items"), Some(i64::from(summary.eligible_items)));
            assert_eq!(int("items"), Some(i64::from(summary.items)));
            assert_eq!(int("refund_total"), Some(summary.refund_total));
            assert_eq!(int("compensation_total"), Some(summary.compensation_total));
            assert_eq!(text("approval").as_deref(), Some(summary.approval));
            let listed = cast(&codes.value(row), &DataType::Utf8).unwrap();
            let listed: Vec<String> = listed.as_string::<i32>().iter().map(|c| c.unwrap().to_owned()).collect();
            assert_eq!(listed, summary.denial_codes);
            assert_eq!(text("error"), None);
        }
        Err(why) => {
            assert_eq!(text("error").as_deref(), Some(why.as_str()));
            for name in ["outcome", "approval"] {
                assert_eq!(text(name), None, "{name}");
            }
            for name in ["eligible_items", "items", "refund_total", "compensation_total"] {
                assert_eq!(int(name), None, "{name}");
            }
            assert!(codes.is_null(row));
        }
    }
}

#[tokio::test]
async fn null_inputs_give_null_and_literals_a_literal() {
    let ctx = session::local(1).unwrap();
    let (p, q) = (report::literal(BASELINE), report::literal(CANDIDATE));
    let sql = format!("SELECT aftersale_decide({p}, CAST(NULL AS VARCHAR)), aftersale_whatif({p}, {q}, NULL) IS NULL");
    let batch = &ctx.sql(&sql).await.unwrap().collect().await.unwrap()[0];
    assert!(batch.column(0).is_null(0));
    assert!(batch.column(1).as_boolean().value(0));
    let answer = column(&ctx, &format!("SELECT aftersale_decide({p}, '[1]')")).await;
    let policy = aftersale_rules::compile_policy_json(BASELINE).unwrap();
    assert_eq!(answer, vec![Some(aftersale_rules::evaluate_json(&policy, "[1]"))]);
}

#[tokio::test]
async fn a_policy_that_does_not_compile_fails_the_query() {
    let records = records();
    for strings in [DataType::Utf8, DataType::Utf8View] {
        let ctx = context(history(&records, &strings), 2);
        for sql in [
            "SELECT aftersale_decide('{\"id\":\"x\"', input) FROM history".to_owned(),
            format!("SELECT aftersale_whatif({}, '{{}}', input) FROM history", report::literal(BASELINE)),
        ] {
            let result = match ctx.sql(&sql).await {
                Ok(frame) => frame.collect().await.map(|_| ()),
                Err(e) => Err(e),
            };
            let error = result.unwrap_err().to_string();
            assert!(error.contains("policy: "), "{error}");
        }
    }
}

#[tokio::test]
async fn the_report_is_simulates() {
    let records = records();
    let (a, b) = (aftersale_rules::compile_policy_json(BASELINE).unwrap(), aftersale_rules::compile_policy_json(CANDIDATE).unwrap());
    let mut expected = Report::new(a.currency.as_str());
    for record in &records {
        expected.add(record, &a, &b);
    }
    assert!(expected.malformed >= 4 && expected.more_eligible > 0, "{:?}", expected.to_json());
    for (strings, partitions) in [(DataType::Utf8View, 2), (DataType::Utf8, 3), (DataType::LargeUtf8, 1)] {
        let ctx = context(history(&records, &strings), partitions);
        let got = report::run(&ctx, "history", BASELINE, CANDIDATE, a.currency.as_str()).await.unwrap();
        assert_eq!(got.to_json(), expected.to_json(), "{strings}, {partitions} partitions");
    }
}

#[tokio::test]
async fn the_report_decides_each_row_once() {
    let ctx = context(history(&records(), &DataType::Utf8View), 2);
    let plan = ctx.sql(&format!("EXPLAIN {}", report::sql("history", BASELINE, CANDIDATE))).await.unwrap().collect().await.unwrap();
    let text: String = plan
        .iter()
        .flat_map(|b| {
            let c = cast(b.column(1), &DataType::Utf8).unwrap();
            c.as_string::<i32>().iter().map(|s| s.unwrap_or_default().to_owned()).collect::<Vec<_>>()
        })
        .collect::<Vec<_>>()
        .join("\n");
    let physical = text.split("aftersale_whatif").count() - 1;
    // Once in the logical plan and once in the physical plan.
    assert_eq!(physical, 2, "{text}");
}
