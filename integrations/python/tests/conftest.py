"""The parity history (``parity_history.py``), as NDJSON and as Parquet, shared by the tests.

``AFTERSALE_CLI`` names the ``aftersale`` binary (default: the repository's release build);
``RECORDS`` how many records to generate (20,000; ``./run test --long`` sets 100,000)."""

import json
import os
import pathlib
import subprocess

import pytest

import aftersale_rules
import parity_history

ROOT = pathlib.Path(__file__).resolve().parents[3]
CLI = os.environ.get("AFTERSALE_CLI", str(ROOT / "target" / "release" / "aftersale"))
RECORDS = int(os.environ.get("RECORDS", "20000"))
BASELINE, CANDIDATE = parity_history.BASELINE, parity_history.CANDIDATE


@pytest.fixture(scope="session")
def history(tmp_path_factory):
    """(NDJSON path, Parquet path, what simulate counts) of the parity history."""
    directory = tmp_path_factory.mktemp("history")
    ndjson = directory / "history.ndjson"
    counts = parity_history.write(CLI, RECORDS, ndjson)
    parquet = directory / "history.parquet"
    aftersale_rules.convert(str(ndjson), str(parquet))
    return ndjson, parquet, counts


@pytest.fixture(scope="session")
def policies():
    return BASELINE.read_text(encoding="utf-8"), CANDIDATE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def simulated(history):
    """``aftersale simulate --format json`` of the history: what every other runner must equal."""
    ndjson, _, _ = history
    run = subprocess.run(
        [CLI, "simulate", "--baseline", str(BASELINE), "--candidate", str(CANDIDATE), "--orders", str(ndjson), "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1, run.stderr  # 1: some records are malformed, as planted
    return json.loads(run.stdout)
