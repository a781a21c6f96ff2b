"""The quick path from a data file to padded per-dyad arrays, without pandas.

The per-dyad models (couple VAR, inertia–coordination, coupled oscillator) need only each dyad's
series of one variable as a ``(n_dyads, 2, T)`` array. When a file holds such data in the usual
shape — integer ids and times, rows grouped by dyad in increasing id order, no day column — this
module reads just those columns with pyarrow (explicit types, no type inference), checks them with a
few vectorised tests and lays the values out exactly as :meth:`DyadicData.to_arrays` would, so the
command line neither imports pandas nor builds a DataFrame.

Every check only *accepts*: anything this path cannot read or is not sure about (a reading error, a
missing id, a value that is not a finite number of modest size, a dyad with one or three people, a
person with two roles, times that do not increase, rows not grouped by dyad, text ids, …) makes
:func:`read_arrays` return ``None``, and the caller goes the general way through
:class:`DyadicData`, which finds the problem and names its file, line and column. So bad input gets
the same message and exit code on both paths, and good input gets the same numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from counterpoint.science.errors import DyadDataError

__all__ = ["MAX_ABS_VALUE", "DyadArrays", "read_arrays"]

MAX_ABS_VALUE = 1e100
"""Largest magnitude a variable may take: squares and sums of squares must stay finite in float64."""


class DyadArrays:
    """One variable of checked long data, laid out per dyad: what the per-dyad models read.

    Offers the part of :class:`DyadicData`'s interface those models use (``dyad_ids``, ``roles``,
    ``time_col``, ``day_col``, ``numeric``, ``to_arrays``) for data without a day column.
    """

    day_col: str | None = None

    def __init__(
        self,
        var: str,
        values: np.ndarray,
        dyad_ids: np.ndarray,
        roles: tuple[Any, Any] | None,
        role_col: str | None,
        time_col: str,
        n_obs: int,
    ) -> None:
        self.var = var
        self._values = values
        self.dyad_ids = dyad_ids
        self.roles = roles
        self.role_col = role_col
        self.time_col: str | None = time_col
        self.n_obs = n_obs

    @property
    def n_dyads(self) -> int:
        return len(self.dyad_ids)

    def numeric(self, columns: list[str]) -> None:
        """Check that ``columns`` is the variable read (it was validated while reading)."""
        other = [c for c in columns if c != self.var]
        if other:
            raise DyadDataError(f"only {self.var!r} was read, not {other}")

    def to_arrays(self, var: str, day_gap: int = 1) -> np.ndarray:
        """The ``(n_dyads, 2, T)`` array of ``var`` (``day_gap`` plays no part without days)."""
        self.numeric([var])
        return self._values


def read_arrays(
    path: str | Path,
    *,
    dyad: str,
    person: str,
    role: str | None,
    time: str,
    var: str,
) -> DyadArrays | None:
    """``path``'s ``var`` as :class:`DyadArrays`, or ``None`` when the general path must read it."""
    names = [dyad, person, *([role] if role else []), time]
    if var in names or len(set(names)) != len(names):
        return None
    columns = _read_columns(Path(path), names, var)
    if columns is None:
        return None
    return _layout(columns, dyad=dyad, person=person, role=role, time=time, var=var)


# -- reading ----------------------------------------------------------------------------------------
def _read_columns(path: Path, ids: list[str], var: str) -> dict[str, np.ndarray] | None:
    """The id columns as int64 and ``var`` as float64 (NaN where empty), or None."""
    import pyarrow as pa

    from counterpoint.science.files import PARQUET_SUFFIXES, part_files

    try:
        if path.is_dir() or path.suffix.lower() in PARQUET_SUFFIXES:
            import pyarrow.parquet as pq

            files = part_files(path) if path.is_dir() else [path]
            if not files:
                return None
            tables = [pq.read_table(f, columns=[*ids, var]) for f in files]
            table = tables[0] if len(tables) == 1 else pa.concat_tables(tables)
            for name in ids:
                if not pa.types.is_integer(table.schema.field(name).type):
                    return None
            if not (
                pa.types.is_floating(table.schema.field(var).type)
                or pa.types.is_integer(table.schema.field(var).type)
            ):
                return None
        elif path.is_file():
            from pyarrow import csv

            types = {name: pa.int64() for name in ids} | {var: pa.float64()}
            table = csv.read_csv(
                path,
                read_options=csv.ReadOptions(use_threads=False),  # see files._read_csv
                convert_options=csv.ConvertOptions(column_types=types, include_columns=[*ids, var]),
            )
        else:
            return None
    except (pa.ArrowException, OSError, EOFError, UnicodeDecodeError, ValueError, KeyError):
        return None  # the general reader says what is wrong
    if table.num_rows == 0 or len(set(table.column_names)) != len(table.column_names):
        return None
    out = {}
    for name in ids:
        column = table.column(name)
        if column.null_count:
            return None
        out[name] = _numpy(column, pa.int64())
    out[var] = _numpy(table.column(var), pa.float64())
    return out


def _numpy(column: Any, kind: Any) -> np.ndarray:
    """A pyarrow column as one numpy array of ``kind``; nulls (only in the variable) become NaN.

    Reads the value buffers directly: pyarrow's own ``to_numpy`` imports pandas.
    """
    import pyarrow as pa

    array = pa.concat_arrays(column.chunks) if column.num_chunks != 1 else column.chunk(0)
    if array.type != kind:
        array = array.cast(kind)
    dtype = np.int64 if kind == pa.int64() else np.float64
    validity, data = array.buffers()[:2]
    values = np.frombuffer(data, dtype=dtype, count=len(array) + array.offset)[array.offset :]
    if array.null_count:
        bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
        valid = bits[array.offset : array.offset + len(array)].astype(bool)
        values = np.where(valid, values, np.nan)
    return values


# -- checking and laying out ------------------------------------------------------------------------
_BLOCK_ROWS = 1 << 20
"""Rows checked and placed at a time: temporary arrays of a few megabytes, reused from the heap."""


def _layout(
    cols: dict[str, np.ndarray], *, dyad: str, person: str, role: str | None, time: str, var: str
) -> DyadArrays | None:
    y = cols[var]
    low_y, high_y = np.fmin.reduce(y), np.fmax.reduce(y)  # NaN (missing) is skipped
    if np.isnan(low_y) or not (low_y >= -MAX_ABS_VALUE and high_y <= MAX_ABS_VALUE):
        return None  # all missing, inf, or too large: the general path says which
    d = cols[dyad]
    if np.any(d[1:] < d[:-1]):
        return None  # rows not grouped by dyad in increasing order
    starts = np.flatnonzero(np.concatenate(([True], d[1:] != d[:-1])))
    counts = np.diff(np.append(starts, len(d)))
    n_dyads = len(starts)
    code = np.repeat(np.arange(n_dyads, dtype=np.int32 if n_dyads < 2**31 else np.int64), counts)
    p, t = cols[person], cols[time]
    low, high = np.minimum.reduceat(p, starts), np.maximum.reduceat(p, starts)
    if np.any(low == high):
        return None  # a dyad with one person
    first_t = np.minimum.reduceat(t, starts)
    length = int((np.maximum.reduceat(t, starts) - first_t).max()) + 1
    roles: tuple[Any, Any] | None = None
    r = cols[role] if role is not None else None
    if r is not None:
        r_low, r_high = r.min(), r.max()
        if r_low == r_high:
            return None
        roles = (r_low, r_high)
        # each person keeps one role and the two people have different ones: within a dyad,
        # (role is the upper value) XOR (person is the larger id) equals its first row's
        first_flip = (r[starts] == r_high) ^ (p[starts] == high)
    values = np.full((n_dyads, 2, length), np.nan)
    flat = values.reshape(-1)
    in_order, last_series, last_t = True, -1, 0
    for a in range(0, len(d), _BLOCK_ROWS):
        b = min(a + _BLOCK_ROWS, len(d))
        c, pb, tb = code[a:b], p[a:b], t[a:b]
        second = pb == high[c]
        if not np.all(second | (pb == low[c])):
            return None  # a third person in a dyad
        if r is None:
            upper = second  # the smaller person id is role 0
        else:
            rb = r[a:b]
            upper = rb == r_high
            if not np.all(upper | (rb == r_low)):
                return None  # more than two role values
            if np.any((upper ^ second) != first_flip[c]):
                return None
        series = c.astype(np.int64) * 2 + upper  # one per person: [dyad, role]
        # occasions strictly increasing within each person, in file order: checked here while the
        # rows come person by person, after the loop otherwise
        if in_order:
            if series[0] < last_series or np.any(series[1:] < series[:-1]):
                in_order = False
            elif (series[0] == last_series and tb[0] <= last_t) or np.any(
                (series[1:] == series[:-1]) & (tb[1:] <= tb[:-1])
            ):
                return None
            last_series, last_t = series[-1], tb[-1]
        index = series * length
        index += tb
        index -= first_t[c]
        flat[index] = y[a:b]
    if not in_order:  # e.g. rows by occasion, the two partners alternating
        upper_all = (p == high[code]) if r is None else (r == r_high)
        series = code.astype(np.int64) * 2 + upper_all
        order = np.argsort(series, kind="stable")
        same = series[order][1:] == series[order][:-1]
        if np.any(same & (t[order][1:] <= t[order][:-1])):
            return None
    return DyadArrays(
        var,
        values,
        dyad_ids=d[starts],
        roles=roles,
        role_col=role,
        time_col=time,
        n_obs=len(y),
    )
