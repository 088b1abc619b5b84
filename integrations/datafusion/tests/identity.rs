//! `aftersale_decide` over a Parquet history answers, record for record, what the engine's
//! `evaluate_json` answers: the bytes, not only the meaning. `test.sh` points it at the
//! converted history (`AFTERSALE_HISTORY`, `AFTERSALE_POLICY`) and runs it (`--include-ignored`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use aftersale_datafusion::{report, session};
use datafusion::arrow::array::AsArray;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::prelude::ParquetReadOptions;

#[tokio::test]
#[ignore = "needs a converted history: test.sh runs it with AFTERSALE_HISTORY and AFTERSALE_POLICY"]
async fn decide_answers_the_engines_bytes_on_a_parquet_sample() {
    let history = std::env::var("AFTERSALE_HISTORY").expect("AFTERSALE_HISTORY: a history converted to Parquet");
    let policy = std::env::var("AFTERSALE_POLICY").expect("AFTERSALE_POLICY: a policy file");
    let sample: usize = std::env::var("AFTERSALE_SAMPLE").map_or(200, |s| s.parse().unwrap());
    let policy = std::fs::read_to_string(policy).unwrap();
    let compiled = aftersale_rules::compile_policy_json(&policy).unwrap();
    let ctx = session::local(2).unwrap();
    ctx.register_parquet("history", &history, ParquetReadOptions::default()).await.unwrap();
    // A spread of records: every n-th, so the sample covers the whole file.
    let sql = format!(
        "SELECT input, aftersale_decide({}, input) FROM history WHERE input IS NOT NULL AND line % \
         greatest(1, (SELECT count(*) FROM history) / {sample}) = 0 ORDER BY line LIMIT {sample}",
        report::literal(&policy)
    );
    let mut checked = 0;
    for batch in ctx.sql(&sql).await.unwrap().collect().await.unwrap() {
        assert_eq!(batch.schema().field(0).data_type(), &DataType::Utf8View, "Parquet strings are read as views");
        let (inputs, answers) = (cast(batch.column(0), &DataType::Utf8).unwrap(), cast(batch.column(1), &DataType::Utf8).unwrap());
        for (input, answer) in inputs.as_string::<i32>().iter().zip(answers.as_string::<i32>().iter()) {
            assert_eq!(answer.unwrap(), aftersale_rules::evaluate_json(&compiled, input.unwrap()));
            checked += 1;
        }
    }
    assert!(checked >= sample.min(100), "only {checked} records checked");
    eprintln!("decide identity: {checked} records, each the engine's bytes");
}
