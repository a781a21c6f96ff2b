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

__all__ = [
    "CLOCK_STEP",
    "MAX_ABS_VALUE",
    "SPACED_STEPS",
    "TIME_CHECK_STEPS",
    "DyadArrays",
    "grid_too_large",
    "not_occasion_numbers",
    "read_arrays",
]

MAX_ABS_VALUE = 1e100
"""Largest magnitude a variable may take: squares and sums of squares must stay finite in float64."""

MAX_EMPTY_SHARE = 64
"""A time grid may have at most this many cells per row of data (beyond a floor of a million cells):
more means the time column is not counting occasions (seconds, timestamps) and the padded arrays
would be mostly empty, or larger than memory."""

TIME_CHECK_STEPS = 50
"""From this many steps between a person's successive rows on, a time column in which no step is 1
(no occasion t followed by t + 1) is taken to hold clock times or seconds, and refused."""

CLOCK_STEP = 10
"""In a shorter series without a step of 1, steps that are all at least this large look like clock
times (9:00, 9:30, 10:00 written 900, 930, 1000) and are refused."""

SPACED_STEPS = 5
"""In a shorter series, this many steps or more that share a divisor above 1 (every step a multiple
of 2, or of 10, …) look like spaced codes (10, 20, 30) rather than occasion numbers, and are refused."""

CSV_BLOCK_BYTES = 1 << 20
"""Bytes of CSV text pyarrow reads into one piece (its default); the rows are checked piece by piece."""


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


def grid_too_large(n_dyads: int, length: int, n_obs: int) -> bool:
    """Whether ``(n_dyads, 2, length)`` padded arrays would be far larger than ``n_obs`` rows."""
    return n_dyads * 2 * length > max(MAX_EMPTY_SHARE * n_obs, 1 << 20)


def not_occasion_numbers(steps: np.ndarray) -> str | None:
    """Why the steps between each person's successive occasions (all of them, pooled) do not look
    like occasion numbers, or None when they do.

    Occasions are numbered 1, 2, 3, … (a gap marks a missing one), so somewhere a step is 1. Without
    one: from :data:`TIME_CHECK_STEPS` steps on, always refused; in a shorter series, when every step
    is at least :data:`CLOCK_STEP`, or when at least :data:`SPACED_STEPS` steps share a divisor
    above 1.

    Examples
    --------
    >>> not_occasion_numbers(np.array([30, 70, 30]))
    'the smallest step is 30'
    >>> not_occasion_numbers(np.array([2, 2, 4, 2, 2]))
    'every step is a multiple of 2'
    >>> not_occasion_numbers(np.array([1, 2, 1])) is None
    True
    """
    if steps.size == 0 or np.any(steps == 1):
        return None
    smallest = int(steps.min())
    if steps.size >= TIME_CHECK_STEPS or smallest >= CLOCK_STEP:
        return f"the smallest step is {smallest}"
    divisor = int(np.gcd.reduce(steps))
    if steps.size >= SPACED_STEPS and divisor > 1:
        return f"every step is a multiple of {divisor}"
    return None


def _has_unit_step(series: np.ndarray, t: np.ndarray) -> bool:
    """Whether some person (``series``, rows in time order within it) has occasions t and t + 1."""
    return bool(np.any((series[1:] == series[:-1]) & (t[1:] - t[:-1] == 1)))


# -- reading ----------------------------------------------------------------------------------------
def _read_columns(path: Path, ids: list[str], var: str) -> dict[str, list[np.ndarray]] | None:
    """The id columns as int64 and ``var`` as float64 (NaN where empty), each as the list of
    pieces pyarrow read (the same rows in every column), or None."""
    import pyarrow as pa

    from counterpoint.science.files import MISSING_MARKERS, PARQUET_SUFFIXES, part_files

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
                # one thread: see files._read_csv
                read_options=csv.ReadOptions(use_threads=False, block_size=CSV_BLOCK_BYTES),
                convert_options=csv.ConvertOptions(
                    column_types=types,
                    include_columns=[*ids, var],
                    null_values=list(MISSING_MARKERS),
                ),
            )
        else:
            return None
    except (pa.ArrowException, OSError, EOFError, UnicodeDecodeError, ValueError, KeyError):
        return None  # the general reader says what is wrong
    if table.num_rows == 0 or len(set(table.column_names)) != len(table.column_names):
        return None
    lengths = {tuple(len(c) for c in table.column(n).chunks) for n in table.column_names}
    if len(lengths) != 1:  # columns cut into pieces at different rows (not pyarrow's readers)
        table = table.combine_chunks()
    out: dict[str, list[np.ndarray]] = {}
    for name in ids:
        column = table.column(name)
        if column.null_count:
            return None
        out[name] = [_numpy(chunk, pa.int64()) for chunk in column.chunks if len(chunk)]
    out[var] = [_numpy(chunk, pa.float64()) for chunk in table.column(var).chunks if len(chunk)]
    return out


def _numpy(array: Any, kind: Any) -> np.ndarray:
    """A pyarrow array as a numpy array of ``kind`` (a view where it can); nulls (only in the
    variable) become NaN. Reads the value buffers directly: pyarrow's ``to_numpy`` imports pandas.
    """
    import pyarrow as pa

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
def _layout(
    cols: dict[str, list[np.ndarray]],
    *,
    dyad: str,
    person: str,
    role: str | None,
    time: str,
    var: str,
) -> DyadArrays | None:
    """Check the columns and place the values, piece by piece as pyarrow read them (pieces of
    about a megabyte of text): no column is ever copied whole, and the temporary arrays stay small.

    Two passes: the first gathers, per dyad, the smallest and largest person id and time (a dyad's
    rows are consecutive, so only a dyad cut by a piece boundary needs joining); the second checks
    each row against its dyad and puts its value in place.
    """
    ys, ds, ps, ts = cols[var], cols[dyad], cols[person], cols[time]
    rs = cols[role] if role is not None else None
    low_y = min(np.fmin.reduce(y) for y in ys)  # NaN (missing) is skipped, unless all are
    high_y = max(np.fmax.reduce(y) for y in ys)
    if np.isnan(low_y) or not (low_y >= -MAX_ABS_VALUE and high_y <= MAX_ABS_VALUE):
        return None  # all missing, inf, or too large: the general path says which
    # pass 1: per dyad, in order of first appearance (= increasing id: checked)
    ids: list[np.ndarray] = []
    p_low: list[np.ndarray] = []
    p_high: list[np.ndarray] = []
    t_low: list[np.ndarray] = []
    t_high: list[np.ndarray] = []
    first_p: list[np.ndarray] = []
    first_r: list[np.ndarray] = []
    offsets: list[int] = []
    n_dyads, last_d, last_piece = 0, None, -1
    for i, d in enumerate(ds):
        if np.any(d[1:] < d[:-1]) or (last_d is not None and d[0] < last_d):
            return None  # rows not grouped by dyad in increasing order
        starts = np.flatnonzero(np.concatenate(([True], d[1:] != d[:-1])))
        p, t = ps[i], ts[i]
        parts = [
            d[starts],
            np.minimum.reduceat(p, starts),
            np.maximum.reduceat(p, starts),
            np.minimum.reduceat(t, starts),
            np.maximum.reduceat(t, starts),
            p[starts],
            rs[i][starts] if rs is not None else p[starts],
        ]
        continues = last_d is not None and d[0] == last_d
        if continues:  # the first dyad of this piece began in an earlier one: join it
            k = last_piece  # the piece holding that dyad's entry (its last one)
            p_low[k][-1] = min(p_low[k][-1], parts[1][0])
            p_high[k][-1] = max(p_high[k][-1], parts[2][0])
            t_low[k][-1] = min(t_low[k][-1], parts[3][0])
            t_high[k][-1] = max(t_high[k][-1], parts[4][0])
            parts = [part[1:] for part in parts]
        offsets.append(n_dyads - 1 if continues else n_dyads)
        for store, part in zip(
            (ids, p_low, p_high, t_low, t_high, first_p, first_r), parts, strict=True
        ):
            store.append(part.copy())
        if len(parts[0]):
            last_piece = len(ids) - 1
        n_dyads += len(parts[0])
        last_d = d[-1]
    low, high = np.concatenate(p_low), np.concatenate(p_high)
    if np.any(low == high):
        return None  # a dyad with one person
    first_t = np.concatenate(t_low)
    length = int((np.concatenate(t_high) - first_t).max()) + 1
    n_obs = sum(len(y) for y in ys)
    if grid_too_large(n_dyads, length, n_obs):
        return None  # time is not counting occasions: the general path explains
    roles: tuple[Any, Any] | None = None
    if rs is not None:
        r_low, r_high = min(r.min() for r in rs), max(r.max() for r in rs)
        if r_low == r_high:
            return None
        roles = (r_low, r_high)
        # each person keeps one role and the two people have different ones: within a dyad,
        # (role is the upper value) XOR (person is the larger id) equals its first row's
        first_flip = (np.concatenate(first_r) == r_high) ^ (np.concatenate(first_p) == high)
    # pass 2: check every row against its dyad, place its value
    values = np.full((n_dyads, 2, length), np.nan)
    flat = values.reshape(-1)
    in_order, last_series, last_t, unit_step = True, -1, 0, False
    for i, d in enumerate(ds):
        c = np.cumsum(np.concatenate(([offsets[i]], d[1:] != d[:-1])))
        pb, tb = ps[i], ts[i]
        second = pb == high[c]
        if not np.all(second | (pb == low[c])):
            return None  # a third person in a dyad
        if rs is None:
            upper = second  # the smaller person id is role 0
        else:
            rb = rs[i]
            upper = rb == r_high
            if not np.all(upper | (rb == r_low)):
                return None  # more than two role values
            if np.any((upper ^ second) != first_flip[c]):
                return None
        series = c * 2 + upper  # one per person: [dyad, role]
        # occasions strictly increasing within each person, in file order: checked here while the
        # rows come person by person, after the loop otherwise
        if in_order:
            if series[0] < last_series or np.any(series[1:] < series[:-1]):
                in_order = False
            elif (series[0] == last_series and tb[0] <= last_t) or np.any(
                (series[1:] == series[:-1]) & (tb[1:] <= tb[:-1])
            ):
                return None
            unit_step = (
                unit_step
                or (series[0] == last_series and tb[0] == last_t + 1)
                or _has_unit_step(series, tb)
            )
            last_series, last_t = series[-1], tb[-1]
        index = series * length
        index += tb
        index -= first_t[c]
        flat[index] = ys[i]
    if not in_order:  # e.g. rows by occasion, the two partners alternating
        series_all = np.concatenate(
            _series(ds, ps, rs, offsets, high, r_high if rs is not None else None)
        )
        t_all = np.concatenate(ts)
        order = np.argsort(series_all, kind="stable")
        same = series_all[order][1:] == series_all[order][:-1]
        if np.any(same & (t_all[order][1:] <= t_all[order][:-1])):
            return None
        unit_step = _has_unit_step(series_all[order], t_all[order])
    if not unit_step:
        return None  # no consecutive occasions anywhere: the general path decides and explains
    return DyadArrays(
        var,
        values,
        dyad_ids=np.concatenate(ids),
        roles=roles,
        role_col=role,
        time_col=time,
        n_obs=n_obs,
    )


def _series(
    ds: list[np.ndarray],
    ps: list[np.ndarray],
    rs: list[np.ndarray] | None,
    offsets: list[int],
    high: np.ndarray,
    r_high: Any,
) -> list[np.ndarray]:
    """Each row's person as ``2 · dyad + role`` (rows already checked), piece by piece."""
    out = []
    for i, d in enumerate(ds):
        c = np.cumsum(np.concatenate(([offsets[i]], d[1:] != d[:-1])))
        upper = (ps[i] == high[c]) if rs is None else (rs[i] == r_high)
        out.append(c * 2 + upper)
    return out
