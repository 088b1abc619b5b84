"""A generated history with malformed lines in it, as NDJSON and as Parquet, shared by the tests.

``AFTERSALE_CLI`` names the ``aftersale`` binary (default: the repository's release build);
``RECORDS`` how many records to generate (20,000; ``./run test --long`` sets 100,000)."""

import json
import os
import pathlib
import subprocess

import pytest

import aftersale_rules

ROOT = pathlib.Path(__file__).resolve().parents[3]
CLI = os.environ.get("AFTERSALE_CLI", str(ROOT / "target" / "release" / "aftersale"))
RECORDS = int(os.environ.get("RECORDS", "20000"))
BASELINE = ROOT / "examples" / "policies" / "apparel-shop.json"
CANDIDATE = ROOT / "examples" / "policies" / "electronics-store.json"

#: Lines that are not records, or records the engine refuses, each reported like simulate does;
#: a blank line, which is not a record at all; and records without an id or with it elsewhere.
ODD_LINES = [
    b"not json",
    b"[1]",
    b"",
    b'{"id":"no-request","order":{}}',
    b"\xff\xfe{}",
    b"   ",
    b'{"order":{"id":"o"}}',
]


def _history(directory: pathlib.Path, records: int) -> pathlib.Path:
    ndjson = directory / "history.ndjson"
    subprocess.run([CLI, "generate", "--count", str(records), "--seed", "11", "--out", str(ndjson)], check=True)
    lines = ndjson.read_bytes().splitlines()
    # The odd lines among the first records, and a record with its id last (read the slow way).
    moved = json.loads(lines[1])
    record_id = moved.pop("id")
    moved["id"] = record_id
    odd = ODD_LINES + [json.dumps(moved, ensure_ascii=False).encode()]
    ndjson.write_bytes(b"\n".join(lines[:1] + odd + lines[2:]) + b"\n")
    return ndjson


@pytest.fixture(scope="session")
def history(tmp_path_factory):
    """(NDJSON path, Parquet path) of the generated history."""
    directory = tmp_path_factory.mktemp("history")
    ndjson = _history(directory, RECORDS)
    parquet = directory / "history.parquet"
    aftersale_rules.convert(str(ndjson), str(parquet))
    return ndjson, parquet


@pytest.fixture(scope="session")
def policies():
    return BASELINE.read_text(encoding="utf-8"), CANDIDATE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def simulated(history):
    """``aftersale simulate --format json`` of the history: what every other runner must equal."""
    ndjson, _ = history
    run = subprocess.run(
        [CLI, "simulate", "--baseline", str(BASELINE), "--candidate", str(CANDIDATE), "--orders", str(ndjson), "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1, run.stderr  # 1: some records are malformed, as planted
    return json.loads(run.stdout)
