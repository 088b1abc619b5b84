"""The aftersale-rules engine in Python.

- ``decide(policy, input_json)``: the engine's answer to one request, byte for byte what
  ``evaluate_json`` (Rust) and ``evaluateJson`` (npm) return.
- ``whatif(baseline, candidate, inputs)``: Arrow inputs decided under two policies, as an Arrow
  struct array (``WHATIF_TYPE``) of what a what-if report counts.
- ``convert(ndjson, parquet)``: an NDJSON history as Parquet in the layout the Spark job and the
  DataFusion UDFs read (``HISTORY_SCHEMA``).
- ``aftersale_rules.spark``: the what-if report on Spark (``report``, and ``main`` for
  ``spark-submit``).

Policies are JSON text, compiled once per distinct text per process.
"""

from ._native import ENGINE_VERSION, currency, decide
from .history import HISTORY_SCHEMA, convert
from .whatif import SIDE_TYPE, WHATIF_TYPE, whatif

__all__ = ["ENGINE_VERSION", "HISTORY_SCHEMA", "SIDE_TYPE", "WHATIF_TYPE", "convert", "currency", "decide", "whatif"]
