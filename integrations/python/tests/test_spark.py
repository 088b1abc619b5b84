"""The what-if report on Spark (``local[2]``) equals ``aftersale simulate``'s on the same history."""

import json
import os
import pathlib
import subprocess
import sys

from conftest import BASELINE, CANDIDATE

SUBMIT = pathlib.Path(__file__).resolve().parents[1] / "spark" / "submit.sh"


def test_the_spark_report_equals_simulates(history, simulated, tmp_path):
    _, parquet, counts = history
    out = tmp_path / "report.json"
    # Through submit.sh, as a data team runs it: spark-submit from the venv, its Python on the
    # executors.
    environment = dict(
        os.environ,
        PATH=f"{pathlib.Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        PYSPARK_PYTHON=sys.executable,
        PYSPARK_DRIVER_PYTHON=sys.executable,
        MASTER="local[2]",
        SHUFFLE_PARTITIONS="2",
    )
    run = subprocess.run(
        [str(SUBMIT), "--baseline", str(BASELINE), "--candidate", str(CANDIDATE), "--history", str(parquet), "--out", str(out)],
        capture_output=True,
        text=True,
        env=environment,
    )
    assert run.returncode == 1, run.stderr[-3000:]  # 1: malformed records, as simulate says
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report == simulated
    assert (report["records"], report["malformed"]) == (counts["records"], counts["malformed"])
    assert report["more_eligible"] > 0 and report["baseline"]["reason_codes"] and report["refund_difference"] != 0
    assert report["baseline"]["refund_total"] > 1 << 64, "the totals are exact past u64"
    # spark-submit runs the driver with its standard error merged into standard output.
    rate = [line for line in (run.stdout + run.stderr).splitlines() if "aftersale what-if:" in line]
    assert rate, run.stderr[-3000:]
    print(rate[0])
