"""Inputs decided under two policies, as Arrow."""

import pyarrow as pa

from . import _native

#: One policy's decision as the report counts it; every field but ``error`` is null when the
#: side failed (``error`` is then ``CODE: path: message``).
SIDE_TYPE = pa.struct(
    [
        ("outcome", pa.string()),
        ("eligible_items", pa.int32()),
        ("items", pa.int32()),
        ("refund_total", pa.int64()),
        ("compensation_total", pa.int64()),
        ("approval", pa.string()),
        ("denial_codes", pa.list_(pa.string())),
        ("error", pa.string()),
    ]
)

#: ``whatif``'s result per input: null where the input is null.
WHATIF_TYPE = pa.struct([("baseline", SIDE_TYPE), ("candidate", SIDE_TYPE)])


def _side(lists) -> pa.StructArray:
    return pa.StructArray.from_arrays(
        [pa.array(values, type=field.type) for values, field in zip(lists, SIDE_TYPE)],
        fields=list(SIDE_TYPE),
    )


def whatif(baseline: str, candidate: str, inputs) -> pa.StructArray:
    """Each input (a string Arrow array, chunked array or sequence; nulls allowed) decided under
    the baseline and the candidate policy, with one read of it for both.

    Raises ``ValueError`` when a policy does not compile."""
    if isinstance(inputs, pa.ChunkedArray):
        inputs = inputs.combine_chunks()
    values = inputs.to_pylist() if isinstance(inputs, pa.Array) else list(inputs)
    present, base, cand = _native.whatif(baseline, candidate, values)
    mask = pa.array([not p for p in present], type=pa.bool_())
    return pa.StructArray.from_arrays([_side(base), _side(cand)], fields=list(WHATIF_TYPE), mask=mask)
