"""The history the integrations' parity tests replay (the Python tests and
integrations/datafusion/test.sh): ``aftersale generate`` records and, among them, lines that are
not records, records the engine refuses, a record only the candidate policy refuses, blank and
CRLF lines, ids missing, last or in CJK, records priced near the largest amount so that the
refund totals pass ``u64``, and no newline at the end of the file.

    python parity_history.py AFTERSALE_CLI RECORDS OUT.ndjson

prints ``{"records": …, "malformed": …}``: what ``simulate`` must count."""

import json
import pathlib
import subprocess
import sys

import aftersale_rules

ROOT = pathlib.Path(__file__).resolve().parents[3]
BASELINE = ROOT / "examples" / "policies" / "apparel-shop.json"
#: Has no reason `size_not_fitting`: a record giving it is refused by this policy alone.
CANDIDATE = ROOT / "examples" / "policies" / "electronics-store.json"

MOST = (1 << 53) - 1
#: Past what `u64` holds, let alone `i64`: the totals must be summed and written exactly.
PAST_U64 = (1 << 64) + (1 << 60)

#: (line, is a record, is malformed) of the odd lines placed after the first record.
ODD = [
    (b"not json", True, True),
    (b"[1]", True, True),
    (b"", False, False),
    (b'{"id":"no-request","order":{}}', True, True),
    (b"\xff\xfe{}", True, True),
    (b"   \r", False, False),
    (b'{"order":{"id":"o"}}', True, True),
    (b'{"id":"t",}', True, True),
]


def _record(line: bytes) -> dict:
    return json.loads(line)


def _dump(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()


def _big(records: list, baseline: str, candidate: str) -> list:
    """Copies of records the baseline refunds, priced so each order comes near the largest
    amount, until the baseline's refunds pass ``u64``."""
    priced = []
    for record in records:
        quantity = sum(line["quantity"] for line in record["order"]["lines"])
        for line in record["order"]["lines"]:
            line["unit_price"] = MOST // (2 * quantity)
        priced.append(record)
    inputs = [json.dumps({k: v for k, v in r.items() if k != "id"}) for r in priced]
    sides = aftersale_rules.whatif(baseline, candidate, inputs).to_pylist()
    refunding = [(r, s["baseline"]["refund_total"]) for r, s in zip(priced, sides) if s["baseline"]["error"] is None and s["candidate"]["error"] is None]
    refunding = [(r, refund) for r, refund in refunding if refund > MOST // 8]
    big, total = [], 0
    while total <= PAST_U64:
        for record, refund in refunding:
            big.append(dict(record, id=f"BIG-{len(big)}"))
            total += refund
    return big


def write(cli: str, records: int, out: pathlib.Path) -> dict:
    """Writes the history to ``out``; returns the records and malformed ones simulate counts."""
    subprocess.run([cli, "generate", "--count", str(records), "--seed", "11", "--out", str(out)], check=True)
    lines = out.read_bytes().splitlines()
    baseline, candidate = BASELINE.read_text(encoding="utf-8"), CANDIDATE.read_text(encoding="utf-8")
    odd = [line for line, _, _ in ODD]
    moved = _record(lines[1])
    moved["id"] = moved.pop("id")  # the id last: read the slow way
    odd.append(_dump(moved))
    size = _record(lines[2])
    size["request"]["items"][0]["reason"] = "size_not_fitting"
    odd.append(_dump(size))  # refused by the candidate alone
    cjk = _record(lines[3])
    cjk["id"] = "退货-三"
    odd.append(_dump(cjk) + b"\r")  # a CRLF line
    big = [_dump(r) for r in _big([_record(line) for line in lines[4:300]], baseline, candidate)]
    body = lines[:1] + odd + lines[4:] + big
    out.write_bytes(b"\n".join(body))  # no newline after the last record
    return {"records": records + sum(1 for _, rec, _ in ODD if rec) + len(big), "malformed": sum(1 for _, _, bad in ODD if bad) + 1}


if __name__ == "__main__":
    print(json.dumps(write(sys.argv[1], int(sys.argv[2]), pathlib.Path(sys.argv[3]))))
