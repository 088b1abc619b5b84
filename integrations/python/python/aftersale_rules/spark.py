"""The what-if report on Spark: a history in Parquet (``aftersale_rules.convert``) decided under
two policies by an Arrow UDF, grouped in one Spark SQL query, and folded (by the same Rust code
as every other runner) into the report ``aftersale simulate --format json`` prints for the same
history.

    spark-submit whatif_job.py --baseline today.json --candidate tomorrow.json \\
        --history history.parquet --out report.json
"""

import argparse
import json
import sys
import time

import pyarrow as pa
from pyspark.sql import SparkSession
from pyspark.sql.functions import arrow_udf

from ._native import MALFORMED_EXAMPLES, currency, report_json
from .whatif import whatif

_SIDE_DDL = (
    "struct<outcome: string, eligible_items: int, items: int, refund_total: bigint, compensation_total: bigint,"
    " approval: string, denial_codes: array<string>, error: string>"
)
#: ``WHATIF_TYPE`` in Spark's terms.
WHATIF_DDL = f"struct<baseline: {_SIDE_DDL}, candidate: {_SIDE_DDL}>"


def whatif_udf(baseline: str, candidate: str):
    """An Arrow UDF ``input -> WHATIF_DDL`` carrying both policies' text (each executor
    compiles them once)."""
    for policy in (baseline, candidate):
        currency(policy)  # compiles it: a policy in error fails here, on the driver, not in a task

    @arrow_udf(WHATIF_DDL)
    def aftersale_whatif(inputs: pa.Array) -> pa.Array:
        return whatif(baseline, candidate, inputs)

    return aftersale_whatif


#: The whole report as one query, the UDF once per row: records grouped by how their
#: eligibility changed and by what each side decided, with exact sums (``DECIMAL(38, 0)``) and
#: the first records of each change by line, ranked within parts of it (``line % 64``) so that no
#: one task sorts the whole history. ``report_json`` folds the few rows into the report.
_REPORT = """
WITH sides AS (
  SELECT line, CASE WHEN id = '' THEN concat('line ', CAST(line AS STRING)) ELSE id END AS name,
    coalesce(error, w.baseline.error, w.candidate.error) AS why, w.baseline AS b, w.candidate AS c
  FROM (SELECT line, id, error, aftersale_whatif(input) AS w FROM aftersale_history)
), changes AS (
  SELECT *, CASE WHEN why IS NOT NULL THEN 'malformed'
      WHEN c.eligible_items > b.eligible_items THEN 'more'
      WHEN c.eligible_items < b.eligible_items THEN 'fewer'
      ELSE 'same' END AS change,
    coalesce(why, name) AS example
  FROM sides
), ranked AS (
  SELECT *, row_number() OVER (PARTITION BY change, line % 64 ORDER BY line, example) AS rank FROM changes
)
SELECT change, count(*) AS records,
  b.outcome AS b_outcome, b.approval AS b_approval, b.denial_codes AS b_codes,
  sum(CAST(b.refund_total AS DECIMAL(38, 0))) AS b_refund, sum(CAST(b.compensation_total AS DECIMAL(38, 0))) AS b_compensation,
  c.outcome AS c_outcome, c.approval AS c_approval, c.denial_codes AS c_codes,
  sum(CAST(c.refund_total AS DECIMAL(38, 0))) AS c_refund, sum(CAST(c.compensation_total AS DECIMAL(38, 0))) AS c_compensation,
  collect_list(named_struct('line', line, 'text', example)) FILTER (WHERE rank <= {examples} AND change <> 'same') AS examples
FROM ranked
GROUP BY change, b.outcome, b.approval, b.denial_codes, c.outcome, c.approval, c.denial_codes
"""


def _whole(amount):
    """A ``DECIMAL(38, 0)`` sum as an int, exactly."""
    return None if amount is None else int(amount)


def _side(row, prefix: str) -> tuple:
    """One side of a grouped row, as ``report_json`` reads it."""
    return (
        row[f"{prefix}_outcome"],
        row[f"{prefix}_approval"],
        row[f"{prefix}_codes"],
        _whole(row[f"{prefix}_refund"]),
        _whole(row[f"{prefix}_compensation"]),
    )


def report(spark: SparkSession, baseline: str, candidate: str, history: str) -> dict:
    """The what-if report of the Parquet history at ``history`` (a path or glob Spark reads)."""
    spark.udf.register("aftersale_whatif", whatif_udf(baseline, candidate))
    spark.read.parquet(history).createOrReplaceTempView("aftersale_history")
    rows = spark.sql(_REPORT.format(examples=MALFORMED_EXAMPLES)).collect()
    groups = [
        (r.change, r.records, _side(r, "b"), _side(r, "c"), [(e.line, e.text) for e in r.examples or []])
        for r in rows
    ]
    return json.loads(report_json(currency(baseline), groups))


def main(argv=None) -> int:
    """``spark-submit whatif_job.py --baseline A --candidate B --history H.parquet [--out R.json]``"""
    parser = argparse.ArgumentParser(prog="whatif_job.py", description="the what-if report of a Parquet history under two policies")
    parser.add_argument("--baseline", required=True, help="the policy in force (JSON file)")
    parser.add_argument("--candidate", required=True, help="the policy to try (JSON file)")
    parser.add_argument("--history", required=True, help="the history as Parquet (python -m aftersale_rules convert)")
    parser.add_argument("--out", help="write the report here as JSON (default: standard output)")
    args = parser.parse_args(argv)
    with open(args.baseline, encoding="utf-8") as f:
        baseline = f.read()
    with open(args.candidate, encoding="utf-8") as f:
        candidate = f.read()
    spark = SparkSession.builder.appName("aftersale what-if").getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    started = time.monotonic()
    result = report(spark, baseline, candidate, args.history)
    seconds = time.monotonic() - started
    text = json.dumps(result, ensure_ascii=False, sort_keys=True)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    else:
        print(text)
    records = result["records"]
    print(
        f"\naftersale what-if: {records} records ({result['malformed']} malformed) in {seconds:.1f} s:"
        f" {int(records / max(seconds, 1e-3))} records/s",
        file=sys.stderr,
    )
    spark.stop()
    return 1 if result["malformed"] else 0
