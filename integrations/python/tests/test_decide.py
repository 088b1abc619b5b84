"""``decide`` answers byte for byte as the engine does in every other host (here: the npm package
in Node), on a sample of the history and on inputs built to trip a careless crossing."""

import json
import pathlib
import subprocess

import pyarrow.parquet as pq
import pytest

import aftersale_rules

from conftest import BASELINE

HERE = pathlib.Path(__file__).resolve().parent

#: Inputs whose text is not plain ASCII or not a decision: the answers are errors, or carry the
#: text back (ids), and must still be the same bytes.
CRAFTED = [
    "{}",
    "not json",
    '{"order":{"id":"订单-一","currency":"CNY"},"request":{"kind":"exchange","items":[]},"now":"2025-11-20T21:05:00+08:00"}',
    '{"order":{"id":"😀\\u0000","currency":"CNY","lines":[]},"request":{"kind":"exchange","items":[]},"now":"x"}',
]


def node_answers(policy_path, inputs):
    run = subprocess.run(
        ["node", str(HERE / "engine.mjs"), str(policy_path)], input="\n".join(inputs) + "\n", capture_output=True, text=True, check=True
    )
    return run.stdout.split("\n")[: len(inputs)]


def test_answers_equal_the_npm_packages_bytes(history, policies):
    _, parquet, _ = history
    inputs = [i for i in pq.read_table(parquet, columns=["input"]).column("input").to_pylist() if i is not None]
    sample = inputs[:: max(1, len(inputs) // 300)] + CRAFTED
    assert len(sample) >= 300
    expected = node_answers(BASELINE, sample)
    got = [aftersale_rules.decide(policies[0], text) for text in sample]
    differing = [i for i, (a, b) in enumerate(zip(got, expected)) if a != b]
    assert not differing, f"{len(differing)} differ, first: {sample[differing[0]][:200]}"
    kinds = {json.loads(answer)["type"] for answer in got}
    assert kinds == {"decision", "errors"}, kinds


def test_a_policy_that_does_not_compile_is_an_error_not_an_answer():
    with pytest.raises(ValueError, match="^policy: "):
        aftersale_rules.decide('{"id": 1}', "{}")
    with pytest.raises(ValueError):
        aftersale_rules.currency("{")


def test_text_python_cannot_encode_is_refused():
    with pytest.raises(UnicodeEncodeError):
        aftersale_rules.decide('{"id":"p","version":"1","extends":"platform-default"}', '{"order":"\ud800"}')
