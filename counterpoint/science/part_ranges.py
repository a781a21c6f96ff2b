"""A variable's smallest and largest value over a partitioned Parquet directory, found cheaply.

:func:`~counterpoint.science.partitioned.fit_dask` fits every part on its own, so no part can tell
whether a variable that is constant in it is constant in the whole file. :func:`refuse_constant_parts`
answers that before any fitting starts, as the in-memory fit does (``refuse_constant``):

* The Parquet footers' row-group statistics (min and max) usually show at once that the variable
  varies; only footers are read, and the scan stops at the first evidence of two values.
* A part whose statistics cannot settle it (none written, no min/max because every value is NaN or
  missing, a NaN bound from an old writer, a type without numeric statistics) has its one column read.
* Statistics only ever conclude "it varies". A refusal is always confirmed from the values
  themselves (every part's column read), so its message is the in-memory fit's, digit for digit
  (statistics store a zero minimum as -0.0, for one).

Anything the fit refuses on its own terms (a value that is not a number, infinite or too large; a
missing column; an unreadable part; no values at all) is left to the fit, which names the part and
row.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from counterpoint.science.arrays import MAX_ABS_VALUE
from counterpoint.science.panels import one_value, refuse_constant_range

__all__ = ["column_range", "refuse_constant_parts"]

Range = tuple[float, float]
NO_VALUES: Range = (math.inf, -math.inf)


def refuse_constant_parts(files: Sequence[Path], var: str) -> None:
    """Raise the in-memory fit's DyadDataError when ``var`` takes one value in every part file."""
    low, high = NO_VALUES
    for path in files:
        part = _statistics_range(path, var) or column_range(path, var)
        if part is None:
            return
        low, high = min(low, part[0]), max(high, part[1])
        if not _modelable(low, high) or _varies(low, high):
            return
    if low > high:
        return
    ranges = [column_range(path, var) for path in files]
    if any(r is None for r in ranges):
        return
    low = min(r[0] for r in ranges if r is not None)
    high = max(r[1] for r in ranges if r is not None)
    if low <= high and _modelable(low, high):
        refuse_constant_range(low, high, var)


def column_range(path: Path, var: str) -> Range | None:
    """``(min, max)`` of the column's values read as the fit reads them (float64, missing and NaN
    left out; :data:`NO_VALUES` when there are none); None when they are not numbers or cannot be
    read (the fit says why, naming the part and row)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        column = pq.read_table(path, columns=[var]).column(var)
    except (pa.ArrowException, OSError, KeyError):
        return None
    kind = column.type
    if pa.types.is_null(kind):
        return NO_VALUES
    if _numeric(kind) or pa.types.is_decimal(kind):
        values = column.cast(pa.float64(), safe=False).to_numpy()
    elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
        import pandas as pd

        text = column.to_pandas()
        numbers = pd.to_numeric(text, errors="coerce")
        if (numbers.isna() & text.notna()).any():
            return None
        values = numbers.to_numpy(dtype=np.float64)
    else:
        return None
    seen = values[~np.isnan(values)]
    if seen.size == 0:
        return NO_VALUES
    return float(seen.min()), float(seen.max())


def _statistics_range(path: Path, var: str) -> Range | None:
    """``(min, max)`` from the part's row-group statistics; None when they cannot settle it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
        kind = meta.schema.to_arrow_schema().field(var).type
    except (pa.ArrowException, OSError, KeyError):
        return None
    leaves = [meta.schema.column(j).path for j in range(meta.num_columns)]
    if not _numeric(kind) or var not in leaves:
        return None
    index = leaves.index(var)
    low, high = NO_VALUES
    for g in range(meta.num_row_groups):
        chunk = meta.row_group(g).column(index)
        stats = chunk.statistics if chunk.is_stats_set else None
        if stats is None:
            return None
        if not stats.has_min_max:
            if stats.num_values == 0:  # every value missing: nothing to add
                continue
            return None
        first, last = float(stats.min), float(stats.max)
        if math.isnan(first) or math.isnan(last):
            return None
        low, high = min(low, first), max(high, last)
    return low, high


def _numeric(kind: object) -> bool:
    import pyarrow as pa

    return bool(
        pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind)
    )


def _modelable(low: float, high: float) -> bool:
    """Whether the values are ones the fit accepts (finite, within :data:`MAX_ABS_VALUE`)."""
    return low > high or max(abs(low), abs(high)) <= MAX_ABS_VALUE


def _varies(low: float, high: float) -> bool:
    """Whether the range holds two values by :func:`refuse_constant`'s test."""
    return low <= high and not one_value(low, high)
