"""``whatif`` over Arrow: per record, what the two decisions say (read here from ``decide``'s full
answers), and nulls, errors and chunked input kept in their places."""

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import aftersale_rules


def expected_side(answer_text):
    answer = json.loads(answer_text)
    if answer["type"] != "decision":
        error = answer["errors"][0]
        return {"error": f"{error['code']}: {error['path']}: {error['message']}"}
    items = answer["items"]
    eligible = sum(1 for i in items if i["eligible"])
    return {
        "outcome": "denied" if eligible == 0 else "eligible" if eligible == len(items) else "partial",
        "eligible_items": eligible,
        "items": len(items),
        "refund_total": answer["refund"]["total"],
        "compensation_total": sum(c["amount"] for c in answer["compensation"]),
        "approval": answer["requirements"]["approval"],
        "denial_codes": [i["denial"]["code"] for i in items if i.get("denial")],
        "error": None,
    }


def test_each_side_is_what_the_decision_says(history, policies):
    _, parquet, _ = history
    inputs = pq.read_table(parquet, columns=["input"]).column("input").slice(0, 600)
    result = aftersale_rules.whatif(*policies, inputs)
    assert result.type == aftersale_rules.WHATIF_TYPE and len(result) == 600
    outcomes = set()
    for text, row in zip(inputs.to_pylist(), result.to_pylist()):
        if text is None:
            assert row is None
            continue
        for policy, side in zip(policies, (row["baseline"], row["candidate"])):
            want = expected_side(aftersale_rules.decide(policy, text))
            assert {k: side[k] for k in want} == want, text[:120]
            if side["error"] is not None:
                assert all(v is None for k, v in side.items() if k != "error")
            outcomes.add(side["outcome"])
    assert {"eligible", "partial", "denied", None} <= outcomes


def test_nulls_sequences_and_chunks(policies):
    good = '{"order":{"id":"O","currency":"CNY","lines":[]},"request":{"kind":"exchange","items":[]},"now":"2025-11-20T21:05:00+08:00"}'
    chunked = pa.chunked_array([pa.array([None, "{}"], type=pa.large_string()), pa.array([good], type=pa.large_string())])
    rows = aftersale_rules.whatif(*policies, chunked).to_pylist()
    assert rows[0] is None
    assert rows[1]["baseline"]["error"].startswith("MISSING_FIELD") and rows[1]["candidate"]["error"] == rows[1]["baseline"]["error"]
    assert rows == aftersale_rules.whatif(*policies, [None, "{}", good]).to_pylist()
    assert len(aftersale_rules.whatif(*policies, [])) == 0
    with pytest.raises(ValueError, match="^policy: "):
        aftersale_rules.whatif("{", policies[1], [good])
