"""The NDJSON history as Parquet: one row per record, line numbers as simulate counts them."""

import pyarrow.parquet as pq
import pytest

import aftersale_rules
from aftersale_rules.history import MAX_ROW_GROUP_ROWS



def test_one_row_per_record_with_its_line(history):
    ndjson, parquet, counts = history
    table = pq.read_table(parquet)
    assert table.schema == aftersale_rules.HISTORY_SCHEMA
    lines = ndjson.read_bytes().split(b"\n")
    blank = sum(1 for line in lines if not line.strip())
    assert table.num_rows == len(lines) - blank == counts["records"]
    by_line = {r["line"]: r for r in table.slice(0, 14).to_pylist()}
    assert by_line[2]["error"] == "a record is a JSON object" and by_line[2]["input"] is None
    assert by_line[3]["error"] == "a record is a JSON object"
    assert 4 not in by_line and 7 not in by_line, "blank lines are not rows, but are counted"
    assert by_line[5] == dict(by_line[5], id="no-request", input='{"order":{}}', error=None)
    assert by_line[6]["error"] == "a record is UTF-8 text"
    assert by_line[8]["id"] == "" and by_line[8]["order_id"] == "o"
    assert by_line[9]["error"] == "a record is a JSON object", "a dangling comma is not split in place"
    moved = by_line[10]
    assert moved["id"] and moved["error"] is None and '"id"' not in moved["input"].split('"order"')[0]
    cjk = by_line[12]
    assert cjk["id"] == "退货-三" and cjk["input"].endswith("}"), "the CRLF line's \\r is not part of it"
    plain = by_line[1]
    assert plain["kind"] and plain["now"].endswith("+08:00")
    assert plain["order_id"] and plain["input"].startswith("{") and plain["id"].startswith("H")
    last = table.slice(table.num_rows - 1).to_pylist()[0]
    assert last["line"] == len(lines) and last["id"].startswith("BIG-"), "the last line, without a newline, is a record"


def test_row_groups_are_bounded(history, tmp_path):
    ndjson, parquet, counts = history
    assert all(
        pq.ParquetFile(parquet).metadata.row_group(i).num_rows <= aftersale_rules.history.ROW_GROUP_ROWS
        for i in range(pq.ParquetFile(parquet).metadata.num_row_groups)
    )
    small = tmp_path / "small.parquet"
    assert aftersale_rules.convert(str(ndjson), str(small), row_group_rows=1000) == counts["records"]
    metadata = pq.ParquetFile(small).metadata
    assert metadata.num_row_groups >= counts["records"] // 1000 and metadata.row_group(0).column(2).compression == "ZSTD"
    for rows in (0, MAX_ROW_GROUP_ROWS + 1):
        with pytest.raises(ValueError):
            aftersale_rules.convert(str(ndjson), str(small), row_group_rows=rows)
