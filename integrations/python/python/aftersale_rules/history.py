"""An NDJSON history (``{"id", "order", "ledger"?, "request", "now"}`` a line, as
``aftersale generate`` writes and ``aftersale simulate`` reads) as Parquet: one row per record,
the engine's exact input as text, zstd, row groups of at most 64 Ki rows."""

import itertools

import pyarrow as pa
import pyarrow.parquet as pq

from . import _native

#: ``line`` counts every line of the file (blank ones too, which are not rows) so that reports
#: name records as ``simulate`` does; ``input`` is null and ``error`` says why when a line is not
#: a record; ``order_id``, ``kind`` and ``now`` are plain copies for filtering.
HISTORY_SCHEMA = pa.schema(
    [
        pa.field("line", pa.int64(), nullable=False),
        pa.field("id", pa.string(), nullable=False),
        pa.field("input", pa.string()),
        pa.field("error", pa.string()),
        pa.field("order_id", pa.string()),
        pa.field("kind", pa.string()),
        pa.field("now", pa.string()),
    ]
)

#: Rows per row group: a row group is the unit Spark and DataFusion split a file into, so
#: several per file keep every core busy; 64 Ki is the most.
ROW_GROUP_ROWS = 16_384
MAX_ROW_GROUP_ROWS = 65_536


def convert(ndjson_path: str, parquet_path: str, row_group_rows: int = ROW_GROUP_ROWS) -> int:
    """Writes the history at ``ndjson_path`` as Parquet at ``parquet_path``; returns the rows."""
    if not 1 <= row_group_rows <= MAX_ROW_GROUP_ROWS:
        raise ValueError(f"row_group_rows is between 1 and {MAX_ROW_GROUP_ROWS}")
    rows = 0
    with open(ndjson_path, "rb") as lines, pq.ParquetWriter(parquet_path, HISTORY_SCHEMA, compression="zstd") as writer:
        first = 1
        while chunk := list(itertools.islice(lines, row_group_rows)):
            columns = _native.read_records(chunk, first)
            first += len(chunk)
            if columns[0]:
                batch = pa.record_batch([pa.array(c, type=f.type) for c, f in zip(columns, HISTORY_SCHEMA)], schema=HISTORY_SCHEMA)
                writer.write_batch(batch, row_group_size=row_group_rows)
                rows += batch.num_rows
    return rows
