"""The what-if report on Spark: a history in Parquet (``aftersale_rules.convert``) decided under
two policies by an Arrow UDF, and summed in Spark SQL into the report ``aftersale simulate
--format json`` prints for the same history.

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

from ._native import EXAMPLES, MALFORMED_EXAMPLES, currency
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


_TOTALS = """
SELECT count(*) AS records, count(why) AS malformed,
  {sums},
  count_if(why IS NULL AND c.eligible_items > b.eligible_items) AS more_eligible,
  count_if(why IS NULL AND c.eligible_items < b.eligible_items) AS fewer_eligible
FROM aftersale_decided
"""


def _sum(side: str, field: str) -> str:
    # Exact: DECIMAL(38, 0) cannot overflow on amounts within ±(2^53 − 1).
    return f"coalesce(sum(CAST({side}.{field} AS DECIMAL(38, 0))) FILTER (WHERE why IS NULL), 0) AS {side}_{field}"


def _counts(spark, side: str, column: str) -> dict:
    rows = spark.sql(f"SELECT {side}.{column} AS k, count(*) AS n FROM aftersale_decided WHERE why IS NULL GROUP BY 1").collect()
    return {r.k: r.n for r in rows}


def _codes(spark, side: str) -> dict:
    rows = spark.sql(
        f"SELECT code, count(*) AS n FROM aftersale_decided LATERAL VIEW explode({side}.denial_codes) t AS code WHERE why IS NULL GROUP BY code"
    ).collect()
    return {r.code: r.n for r in rows}


def _examples(spark, compare: str) -> list:
    # By line, then name, as simulate keeps them (lines repeat when the history is many files).
    rows = spark.sql(
        "SELECT CASE WHEN id = '' THEN concat('line ', line) ELSE id END AS name FROM aftersale_decided"
        f" WHERE why IS NULL AND c.eligible_items {compare} b.eligible_items ORDER BY line, name LIMIT {EXAMPLES}"
    ).collect()
    return [r.name for r in rows]


def report(spark: SparkSession, baseline: str, candidate: str, history: str, timings: dict | None = None) -> dict:
    """The what-if report of the Parquet history at ``history`` (a path or glob Spark reads).
    ``timings``, when given, gets ``decide_s``: the seconds of the pass that decides every
    record (the rest is the report's small queries over the kept results)."""
    spark.udf.register("aftersale_whatif", whatif_udf(baseline, candidate))
    spark.read.parquet(history).createOrReplaceTempView("aftersale_history")
    decided = spark.sql(
        "SELECT line, id, coalesce(error, w.baseline.error, w.candidate.error) AS why, w.baseline AS b, w.candidate AS c"
        " FROM (SELECT line, id, error, aftersale_whatif(input) AS w FROM aftersale_history)"
    ).persist()
    decided.createOrReplaceTempView("aftersale_decided")
    try:
        started = time.monotonic()
        decided.count()  # every record decided once, and kept
        if timings is not None:
            timings["decide_s"] = time.monotonic() - started
        sums = ", ".join(_sum(s, f) for s in ("b", "c") for f in ("refund_total", "compensation_total"))
        t = spark.sql(_TOTALS.format(sums=sums)).first()
        malformed = spark.sql(
            f"SELECT line, why FROM aftersale_decided WHERE why IS NOT NULL ORDER BY line, why LIMIT {MALFORMED_EXAMPLES}"
        ).collect()
        sides = {}
        for name, s in (("baseline", "b"), ("candidate", "c")):
            sides[name] = {
                "outcomes": _counts(spark, s, "outcome"),
                "reason_codes": _codes(spark, s),
                "refund_total": int(t[f"{s}_refund_total"]),
                "compensation_total": int(t[f"{s}_compensation_total"]),
                "approval": _counts(spark, s, "approval"),
            }
        return {
            "currency": currency(baseline),
            "records": t.records,
            "malformed": t.malformed,
            "malformed_examples": [f"line {r.line}: {r.why}" for r in malformed],
            "baseline": sides["baseline"],
            "candidate": sides["candidate"],
            "refund_difference": sides["candidate"]["refund_total"] - sides["baseline"]["refund_total"],
            "compensation_difference": sides["candidate"]["compensation_total"] - sides["baseline"]["compensation_total"],
            "more_eligible": t.more_eligible,
            "more_eligible_examples": _examples(spark, ">"),
            "fewer_eligible": t.fewer_eligible,
            "fewer_eligible_examples": _examples(spark, "<"),
        }
    finally:
        decided.unpersist()


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
    started, timings = time.monotonic(), {}
    result = report(spark, baseline, candidate, args.history, timings)
    seconds = time.monotonic() - started
    text = json.dumps(result, ensure_ascii=False, sort_keys=True)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    else:
        print(text)
    records, decide_s = result["records"], timings["decide_s"]
    print(
        f"\naftersale what-if: {records} records ({result['malformed']} malformed) in {seconds:.1f} s;"
        f" deciding them {decide_s:.1f} s: {int(records / max(decide_s, 1e-3))} records/s",
        file=sys.stderr,
    )
    spark.stop()
    return 1 if result["malformed"] else 0
