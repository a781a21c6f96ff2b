"""Dyadic data: validated long format, the actor–partner layout, lags and padded arrays.

Long ("individual") format has one row per person per occasion. :class:`DyadicData` checks it once,
sorts it, and then builds whatever layout a model needs: the partner's value of a variable on the same
row (:meth:`DyadicData.with_partner`), lagged values that never bridge a missing occasion or a day
boundary (:meth:`DyadicData.lagged`), or padded ``(n_dyads, 2, T)`` arrays for batched per-dyad work
(:meth:`DyadicData.to_arrays`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from counterpoint.science.arrays import MAX_ABS_VALUE, grid_too_large, not_occasion_numbers
from counterpoint.science.errors import DyadDataError
from counterpoint.science.files import read_frame

__all__ = ["MAX_ABS_VALUE", "DyadicData", "pairwise_to_long"]

_MAX_LISTED = 5  # rows named in one error message before "…"


def _fmt(value: Any) -> str:
    """A value as a user typed it: 3.0 → 3, strings quoted."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, str):
        return repr(value)
    return str(value)


def _is_lex_sorted(keys: list[np.ndarray]) -> bool:
    """Whether rows are already in the order of ``keys`` (first key first; ties allowed)."""
    tied = np.ones(max(len(keys[0]) - 1, 0), dtype=bool)
    for key in keys:
        step = np.diff(key)
        if np.any(tied & (step < 0)):
            return False
        tied &= step == 0
    return True


def _refuse_unorderable_ids(frame: pd.DataFrame, columns: Sequence[str | None]) -> None:
    """Name the id column whose values mix kinds that have no order (a number beside a date)."""
    for col in columns:
        if col is None:
            continue
        try:
            pd.factorize(frame[col], sort=True)
        except TypeError:
            kinds = sorted({type(v).__name__ for v in frame[col].dropna()})
            raise DyadDataError(
                f"column {col!r} mixes kinds of values ({', '.join(kinds)}) that cannot be put in "
                "order; give every id the same kind, all numbers or all text"
            ) from None


def _date_like(series: pd.Series) -> Any:
    """The first date or clock time in ``series`` (a datetime column, or date/time objects as
    pyarrow reads ``2024-01-01`` or ``10:00``), or None when it holds none."""
    import datetime as dt

    if pd.api.types.is_datetime64_any_dtype(series) or pd.api.types.is_timedelta64_dtype(series):
        present = series.dropna()
        return present.iloc[0] if len(present) else None
    if series.dtype == object:
        for value in series.dropna().head(1000):
            if isinstance(value, dt.date | dt.time | dt.timedelta):
                return value
    return None


def role_labels(low: Any, high: Any) -> tuple[Any, Any]:
    """The two role values as labels for tables: text without the padding fixed-width files carry.

    Only the names change: which rows have which role was decided on the values as read. Two values
    that differ only in spaces (``"Wife"`` and ``"Wife "``) keep their padding, so the tables never
    show one label for two roles.
    """
    if isinstance(low, str) and isinstance(high, str) and low.strip() != high.strip():
        return low.strip(), high.strip()
    return low, high


class _Codes:
    """Integer codes of the id columns: fast checks that find the data well-formed.

    Each check answers True (all is well) or False; on False the slower pandas checks of
    :class:`DyadicData` run to find and name the offending rows, so messages stay the same.
    """

    def __init__(
        self, frame: pd.DataFrame, dyad: str, person: str, role: str | None, day: str | None
    ) -> None:
        self.dyad, dyads = pd.factorize(frame[dyad], sort=True)
        self.person, persons = pd.factorize(frame[person], sort=True)
        self.n_dyads, self.n_persons = len(dyads), max(len(persons), 1)
        self.pair = self.dyad.astype(np.int64) * self.n_persons + self.person
        self.role_code: np.ndarray | None = None
        self.role_values: Any = None
        if role is not None:
            self.role_code, self.role_values = pd.factorize(frame[role], sort=True)
        self.day: np.ndarray | None = None
        if day is not None:
            self.day = pd.factorize(frame[day], sort=True)[0]
        self.roles: tuple[Any, Any] | None = None

    def two_people(self) -> bool:
        pairs = pd.unique(self.pair)
        per_dyad = np.bincount(pairs // self.n_persons, minlength=self.n_dyads)
        return bool(np.all(per_dyad == 2))

    def role_index(self) -> np.ndarray | None:
        """0/1 per row, or None when the role column is not well-formed (the slow check explains)."""
        if self.role_code is None:
            # the person with the smaller id in each dyad is role 0 (codes follow the sorted ids)
            first = np.full(self.n_dyads, np.iinfo(np.int64).max)
            np.minimum.at(first, self.dyad, self.person)
            return (self.person != first[self.dyad]).astype(np.int64)
        if len(self.role_values) != 2:
            return None
        per_person = pd.unique(self.pair * 2 + self.role_code)
        if len(per_person) != len(pd.unique(self.pair)):
            return None  # a person with two role values
        per_dyad = pd.unique(self.dyad.astype(np.int64) * 2 + self.role_code)
        if len(per_dyad) != 2 * self.n_dyads:
            return None  # a dyad whose two people share a role value
        self.roles = role_labels(self.role_values[0], self.role_values[1])
        return self.role_code.astype(np.int64)

    def occasions_in_order(self, frame: pd.DataFrame, time: str | None) -> bool:
        """Days never go back and times strictly increase within each person, in file order."""
        if _is_lex_sorted([self.pair]):
            order: Any = slice(None)  # rows already grouped by person: no sort needed
        else:
            order = np.argsort(self.pair, kind="stable")
        same = self.pair[order][1:] == self.pair[order][:-1]
        if time is None:
            key = (
                self.pair if self.day is None else self.pair * (int(self.day.max()) + 1) + self.day
            )
            return len(pd.unique(key)) == len(key)
        t = frame[time].to_numpy()[order]
        if self.day is None:
            return not bool(np.any(same & (np.diff(t) <= 0)))
        d = self.day[order]
        step_day = np.diff(d)
        if np.any(same & (step_day < 0)):
            return False
        return not bool(np.any(same & (step_day == 0) & (np.diff(t) <= 0)))


class DyadicData:
    """Long-format dyadic data, validated.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per person (per occasion, when there is a time column).
    dyad, person : str
        Columns identifying the dyad and the person within it. A person is identified by the pair
        (dyad, person), so person ids may repeat across dyads (e.g. 1 and 2 in every couple).
    role : str, optional
        Column that distinguishes the two partners (e.g. gender). Every dyad must have one person with
        each of its two values. Role 0 and 1 follow the sorted values. Without it the dyads are
        indistinguishable and the person with the smaller id in each dyad is role 0.
    time : str, optional
        Integer occasion number. Within a person it must increase down the rows; a gap in the integers
        is a missing occasion.
    day : str, optional
        Day (or session) column; lags never cross from one day to the next.
    variables : sequence of str, optional
        Columns that must be numeric; checked now rather than when a model first uses them.

    Raises
    ------
    DyadDataError
        On an empty frame, a missing column, a missing id, a dyad with one or three people, duplicate
        occasions, a non-numeric value in a numeric column, a role that does not split every dyad into
        two, or times that do not increase within a person. The message names row(s) and column.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"couple": [1, 1, 2, 2], "person": [1, 2, 1, 2],
    ...                    "gender": ["F", "M", "F", "M"], "y": [3.0, 4.0, 2.5, 5.0]})
    >>> data = DyadicData(df, dyad="couple", person="person", role="gender", variables=["y"])
    >>> data.roles
    ('F', 'M')
    >>> data.with_partner(["y"])["p_y"].tolist()
    [4.0, 3.0, 5.0, 2.5]
    """

    def __init__(
        self,
        df: pd.DataFrame,
        dyad: str,
        person: str,
        role: str | None = None,
        time: str | None = None,
        day: str | None = None,
        *,
        variables: Sequence[str] | None = None,
        _first_line: int | None = None,
    ) -> None:
        if not isinstance(df, pd.DataFrame):
            raise DyadDataError(f"expected a pandas DataFrame, got {type(df).__name__}")
        if len(df) == 0:
            raise DyadDataError("the data are empty: no rows")
        self.dyad_col = dyad
        self.person_col = person
        self.role_col = role
        self.time_col = time
        self.day_col = day
        id_cols = [c for c in (dyad, person, role, day, time) if c is not None]
        if len(set(id_cols)) != len(id_cols):
            raise DyadDataError(
                f"the dyad, person, role, time and day columns must differ: {id_cols}"
            )
        # rows are named by the frame's index label, or by file line (the first data row's number)
        self._index = df.index
        self._first_line = _first_line
        self.require_columns(df, [*id_cols, *(variables or [])])
        for var in variables or []:
            if var in id_cols:
                raise DyadDataError(
                    f"column {var!r} is an id column (dyad, person, role, time or day), not a variable"
                )

        frame = df.reset_index(drop=True)  # copy-on-write: the caller's frame is never changed
        for col in id_cols:
            bad = np.flatnonzero(frame[col].isna().to_numpy())
            if bad.size:
                raise DyadDataError(f"{self._rows(bad)}, column {col!r}: missing id value")
        if time is not None:
            frame[time] = self._integer_column(frame, time)
        for var in variables or []:
            frame[var] = self._numeric_column(frame, var)
            if frame[var].isna().all():
                raise DyadDataError(f"column {var!r} has no values: every row is missing")

        try:
            codes = _Codes(frame, dyad, person, role, day)
        except TypeError:  # ids of kinds that cannot be put in order (numbers beside dates, say)
            _refuse_unorderable_ids(frame, [dyad, person, role, day, time])
            codes = None
        if codes is None or not codes.two_people():
            self._check_two_people(frame)
        self.roles: tuple[Any, Any] | None = None
        role_index = codes.role_index() if codes is not None else None
        if codes is not None and role_index is not None:
            self.roles = codes.roles
        else:
            role_index = self._role_index(frame)
        if codes is None or not codes.occasions_in_order(frame, time):
            self._check_occasions(frame)

        if codes is not None:
            keys = [codes.dyad, role_index]
            if day is not None:
                keys.append(codes.day)
            if time is not None:
                keys.append(frame[time].to_numpy())
            if _is_lex_sorted(keys):
                order = np.arange(len(frame))
            else:
                order = np.lexsort(keys[::-1])
                frame = frame.take(order).reset_index(drop=True)
            self.role_index: np.ndarray = np.asarray(role_index, dtype=np.int64)[order]
            self._src: np.ndarray = order.astype(np.int64)
            self._dyad_code: np.ndarray | None = codes.dyad[order]
        else:
            frame = frame.copy()
            frame["_ri"] = role_index
            frame["_src"] = np.arange(len(frame))
            order_cols = [dyad, "_ri", *([day] if day else []), *([time] if time else [])]
            frame = frame.sort_values(order_cols, kind="stable").reset_index(drop=True)
            self.role_index = frame.pop("_ri").to_numpy(dtype=np.int64)
            self._src = frame.pop("_src").to_numpy(dtype=np.int64)
            self._dyad_code = None
        self.frame: pd.DataFrame = frame
        self.dyad_ids: np.ndarray = pd.unique(frame[dyad])
        self._numeric: set[str] = set(variables or [])
        if time is not None:
            self._check_time_counts_occasions()

    # -- construction ------------------------------------------------------------------------------
    @classmethod
    def from_csv(cls, path: str | Path, **cols: Any) -> DyadicData:
        """Read a CSV file (pyarrow's reader); error messages then name file lines (header = line 1)."""
        return cls.from_path(path, **cols)

    @classmethod
    def from_parquet(cls, path: str | Path, **cols: Any) -> DyadicData:
        """Read a Parquet file or a partitioned directory; error messages name 0-based row positions."""
        return cls.from_path(path, **cols)

    @classmethod
    def from_path(cls, path: str | Path, **cols: Any) -> DyadicData:
        """Read CSV or Parquet, chosen by the file extension (``.parquet``/``.pq``, or a directory of
        Parquet part files; anything else is CSV, possibly compressed)."""
        frame, first_line = read_frame(path)
        return cls(frame, **cols, _first_line=first_line)

    # -- validation helpers ------------------------------------------------------------------------
    def _rows(self, positions: Iterable[int]) -> str:
        """'row 3' / 'rows 3, 7' / 'lines 4, 9, … (12 rows)' for original row positions."""
        pos = list(positions)
        if self._first_line is None:
            labels = [f"row {self._index[p]}" for p in pos[:_MAX_LISTED]]
        else:
            labels = [f"line {p + self._first_line}" for p in pos[:_MAX_LISTED]]
        if len(labels) == 1:
            return labels[0]
        word, _, _ = labels[0].partition(" ")
        listed = ", ".join(lbl.partition(" ")[2] for lbl in labels)
        more = f", … ({len(pos)} rows)" if len(pos) > _MAX_LISTED else ""
        return f"{word}s {listed}{more}"

    @staticmethod
    def require_columns(df: pd.DataFrame, columns: Iterable[str]) -> None:
        """Raise DyadDataError naming every one of ``columns`` that ``df`` lacks (and what it has)."""
        missing = [c for c in dict.fromkeys(columns) if c not in df.columns]
        if missing:
            have = ", ".join(map(str, df.columns[:20]))
            names = ", ".join(repr(c) for c in missing)
            raise DyadDataError(
                f"column{'s' if len(missing) > 1 else ''} {names} not found; the data have: {have}"
            )

    def _numeric_column(
        self, frame: pd.DataFrame, col: str, src: np.ndarray | None = None
    ) -> pd.Series:
        """The column as float64; a value that is not a number raises, naming its row."""
        series = frame[col]
        when = _date_like(series)
        if when is not None:
            raise DyadDataError(
                f"column {col!r} holds dates or clock times ({when}), not numbers"
                + (
                    "; time must number the occasions 1, 2, 3, … (a gap marks a missing "
                    "occasion): turn the timestamps into occasion numbers first"
                    if col == self.time_col
                    else ""
                )
            )
        if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
            converted = pd.to_numeric(series, errors="coerce")
            bad = np.flatnonzero((converted.isna() & series.notna()).to_numpy())
            if bad.size:
                where = bad if src is None else src[bad]
                raise DyadDataError(
                    f"{self._rows(where)}, column {col!r}: {_fmt(series.iloc[bad[0]])} is not a number"
                )
            series = converted
        values = series.astype("float64")
        array = values.to_numpy()
        bad = np.flatnonzero(~(np.abs(array) <= MAX_ABS_VALUE) & ~np.isnan(array))
        if bad.size:
            where = bad if src is None else src[bad]
            value = array[bad[0]]
            if np.isinf(value):
                problem = f"{value} is not a finite number; leave the cell empty if it is missing"
            else:
                problem = (
                    f"{value:.3g} is too large to model (the limit is ±{MAX_ABS_VALUE:.0e}); "
                    "rescale the variable"
                )
            raise DyadDataError(f"{self._rows(where)}, column {col!r}: {problem}")
        return values

    def _integer_column(self, frame: pd.DataFrame, col: str) -> pd.Series:
        series = frame[col]
        if pd.api.types.is_integer_dtype(series) and not pd.api.types.is_bool_dtype(series):
            return series.astype(np.int64)  # integers already (no missing values: checked)
        values = self._numeric_column(frame, col).to_numpy()
        bad = np.flatnonzero(values != np.round(values))
        if bad.size:
            raise DyadDataError(
                f"{self._rows(bad)}, column {col!r}: {_fmt(values[bad[0]])} is not an integer occasion "
                "number (gaps in the integers mark missing occasions)"
            )
        return pd.Series(values.astype(np.int64), index=frame.index)

    def _check_two_people(self, frame: pd.DataFrame) -> None:
        d, p = self.dyad_col, self.person_col
        counts = frame.groupby(d, sort=False)[p].nunique()
        wrong = counts[counts != 2]
        if len(wrong):
            dyad_id = wrong.index[0]
            rows = np.flatnonzero((frame[d] == dyad_id).to_numpy())
            people = ", ".join(_fmt(v) for v in pd.unique(frame.loc[rows, p]))
            n = int(wrong.iloc[0])
            extra = f" ({len(wrong)} dyads are affected)" if len(wrong) > 1 else ""
            raise DyadDataError(
                f"{self._rows(rows)}, column {p!r}: dyad {_fmt(dyad_id)} has {n} "
                f"{'person' if n == 1 else 'people'} ({people}); every dyad needs exactly two{extra}"
            )

    def _role_index(self, frame: pd.DataFrame) -> np.ndarray:
        d, p, r = self.dyad_col, self.person_col, self.role_col
        if r is None:
            self.roles = None
            first = frame.groupby(d, sort=False)[p].transform("min")
            return (frame[p] != first).to_numpy(dtype=np.int64)
        per_person = frame.groupby([d, p], sort=False)[r].nunique()
        mixed = per_person[per_person > 1]
        if len(mixed):
            dyad_id, person_id = mixed.index[0]
            rows = np.flatnonzero(((frame[d] == dyad_id) & (frame[p] == person_id)).to_numpy())
            raise DyadDataError(
                f"{self._rows(rows)}, column {r!r}: person {_fmt(person_id)} of dyad {_fmt(dyad_id)} "
                "has more than one role value; a role must be constant within a person"
            )
        per_dyad = frame.groupby(d, sort=False)[r].nunique()
        same = per_dyad[per_dyad != 2]
        if len(same):
            dyad_id = same.index[0]
            rows = np.flatnonzero((frame[d] == dyad_id).to_numpy())
            value = frame.loc[rows[0], r]
            raise DyadDataError(
                f"{self._rows(rows)}, column {r!r}: both people in dyad {_fmt(dyad_id)} have role "
                f"{_fmt(value)}; the role column must split every dyad into two"
            )
        values = sorted(pd.unique(frame[r]).tolist())
        if len(values) != 2:
            shown = ", ".join(_fmt(v) for v in values[:6])
            raise DyadDataError(
                f"column {r!r}: a role column needs exactly two values across all dyads, found "
                f"{len(values)} ({shown})"
            )
        self.roles = role_labels(values[0], values[1])
        return (frame[r] == values[1]).to_numpy(dtype=np.int64)

    def _check_duplicates(self, frame: pd.DataFrame) -> None:
        d, p, t, day = self.dyad_col, self.person_col, self.time_col, self.day_col
        key = [d, p, *([day] if day else []), *([t] if t else [])]
        dup = frame.duplicated(key, keep=False).to_numpy()
        if not dup.any():
            return
        first = np.flatnonzero(dup)[0]
        same = np.flatnonzero((frame[key] == frame.loc[first, key]).all(axis=1).to_numpy())
        who = f"person {_fmt(frame.loc[first, p])} of dyad {_fmt(frame.loc[first, d])}"
        if t is None:
            raise DyadDataError(
                f"{self._rows(same)}, column {p!r}: {who} has more than one row; repeated "
                "measures need a time column"
            )
        at = f"time {_fmt(frame.loc[first, t])}" + (
            f" of day {_fmt(frame.loc[first, day])}" if day else ""
        )
        raise DyadDataError(f"{self._rows(same)}, column {t!r}: duplicate occasion: {who} at {at}")

    def _check_occasions(self, frame: pd.DataFrame) -> None:
        d, p, t, day = self.dyad_col, self.person_col, self.time_col, self.day_col
        if t is None:
            self._check_duplicates(frame)
            return
        # times strictly increasing within a person (and day) rule out duplicates, so the costly
        # duplicate search runs only when the order check fails, to give the more precise message
        person_key = [d, p]
        if day is not None:
            day_code = pd.Series(pd.factorize(frame[day], sort=True)[0], index=frame.index)
            back = day_code.groupby([frame[d], frame[p]], sort=False).diff() < 0
            if back.any():
                self._check_duplicates(frame)
                row = int(np.flatnonzero(back.to_numpy())[0])
                raise DyadDataError(
                    f"{self._rows([row])}, column {day!r}: day {_fmt(frame.loc[row, day])} comes "
                    "after a later day for the same person; rows must be in time order within "
                    "each person"
                )
            person_key = [d, p, day]
        step = frame.groupby(person_key, sort=False)[t].diff()
        back = (step <= 0).to_numpy()
        if back.any():
            self._check_duplicates(frame)
            row = int(np.flatnonzero(back)[0])
            raise DyadDataError(
                f"{self._rows([row])}, column {t!r}: time {_fmt(frame.loc[row, t])} does not come "
                f"after the previous row's {_fmt(frame.loc[row, t] - step.iloc[row])} for the same "
                "person; time must increase within each person"
            )

    def _check_time_counts_occasions(self) -> None:
        """Refuse a time column that does not number occasions (see
        :func:`~counterpoint.science.arrays.not_occasion_numbers`): clock times, seconds or spaced
        codes, which no lag of one occasion can use and which would make the padded arrays huge."""
        assert self.time_col is not None
        t = self.frame[self.time_col].to_numpy(dtype=np.int64)
        dyad = self._dyad_code
        if dyad is None:
            dyad = pd.factorize(self.frame[self.dyad_col])[0]
        person = dyad.astype(np.int64) * 2 + self.role_index
        same = person[1:] == person[:-1]
        if self.day_col is not None:
            day = pd.factorize(self.frame[self.day_col])[0]
            same &= day[1:] == day[:-1]
        why = not_occasion_numbers((t[1:] - t[:-1])[same])
        if why is not None:
            raise DyadDataError(
                f"column {self.time_col!r}: no person has two consecutive occasions (t and t + 1; "
                f"{why}), so these look like clock times, seconds or spaced codes rather than "
                "occasion numbers; number each person's occasions 1, 2, 3, … (a gap marks a "
                "missing occasion)"
            )

    # -- basic facts -------------------------------------------------------------------------------
    @property
    def n_dyads(self) -> int:
        """Number of dyads."""
        return len(self.dyad_ids)

    @property
    def n_obs(self) -> int:
        """Number of rows (person-occasions)."""
        return len(self.frame)

    @property
    def distinguishable(self) -> bool:
        """Whether a role column distinguishes the partners."""
        return self.role_col is not None

    def __repr__(self) -> str:
        return (
            f"DyadicData({self.n_dyads} dyads, {self.n_obs} rows, role={self.role_col!r}, "
            f"time={self.time_col!r}, day={self.day_col!r})"
        )

    def numeric(self, columns: Iterable[str]) -> pd.DataFrame:
        """The named columns as float64 (validated once, cached in :attr:`frame`)."""
        columns = list(columns)
        self.require_columns(self.frame, columns)
        for col in columns:
            if col not in self._numeric:
                if col in {self.dyad_col, self.person_col, self.role_col, self.day_col}:
                    raise DyadDataError(f"column {col!r} is an id column, not a variable")
                self.frame[col] = self._numeric_column(self.frame, col, src=self._src)
                self._numeric.add(col)
        return self.frame[columns]

    def _occasion_keys(self) -> list[str]:
        return [
            self.dyad_col,
            *([self.day_col] if self.day_col else []),
            *([self.time_col] if self.time_col else []),
        ]

    # -- layouts -----------------------------------------------------------------------------------
    def with_partner(self, columns: Iterable[str]) -> pd.DataFrame:
        """A copy of :attr:`frame` with ``p_<col>``: the partner's value at the same occasion.

        Without a time column the partner's (only) row is used. A partner with no row at that
        occasion gives NaN.
        """
        columns = list(columns)
        values = self.numeric(columns)
        if self.time_col is None:
            # one row per person: the partner is the other row of the dyad (rows sorted by dyad, role)
            codes = pd.factorize(self.frame[self.dyad_col])[0]
            row_of = np.empty((len(self.dyad_ids), 2), dtype=np.int64)
            row_of[codes, self.role_index] = np.arange(len(codes))
            other = row_of[codes, 1 - self.role_index]
            out = self.frame.copy()
            for col in columns:
                out[f"p_{col}"] = values[col].to_numpy()[other]
            return out
        keys = self._occasion_keys()
        out = self.frame.copy()
        out["_ri"] = self.role_index
        partner = self.frame[keys].copy()
        partner["_ri"] = 1 - self.role_index
        for col in columns:
            partner[f"p_{col}"] = values[col].to_numpy()
        merged = out.merge(partner, on=[*keys, "_ri"], how="left", validate="one_to_one")
        return merged.drop(columns="_ri")

    def lagged(self, columns: Iterable[str], lag: int = 1) -> pd.DataFrame:
        """A copy of :attr:`frame` with ``lag_<col>`` and ``p_lag_<col>``.

        ``lag_<col>`` is the same person's value at occasion ``time - lag`` of the same day,
        ``p_lag_<col>`` the partner's. Both are NaN when that occasion is missing, has no row, or lies
        on another day: lags never bridge a gap.
        """
        if self.time_col is None:
            raise DyadDataError("lagged values need a time column")
        if int(lag) != lag or lag < 1:
            raise DyadDataError(f"the lag must be a positive integer, got {lag!r}")
        columns = list(columns)
        values = self.numeric(columns)
        keys = self._occasion_keys()
        out = self.frame.copy()
        out["_ri"] = self.role_index
        for prefix, flip in (("lag_", False), ("p_lag_", True)):
            shifted = self.frame[keys].copy()
            shifted[self.time_col] = shifted[self.time_col] + int(lag)
            shifted["_ri"] = 1 - self.role_index if flip else self.role_index
            for col in columns:
                shifted[f"{prefix}{col}"] = values[col].to_numpy()
            out = out.merge(shifted, on=[*keys, "_ri"], how="left", validate="one_to_one")
        return out.drop(columns="_ri")

    def occasion_positions(self, day_gap: int = 1) -> tuple[np.ndarray, int]:
        """Each row's position along the time axis of :meth:`to_arrays`, and the axis length.

        Position is ``time - (first time in the dyad)``, so gaps in time stay gaps. With a day column,
        a dyad's days are laid end to end with ``day_gap`` empty (NaN) positions between them, so a lag
        of up to ``day_gap`` computed on the arrays never crosses a night. Without a time column, a
        person's rows are numbered 0, 1, ….
        """
        f = self.frame
        if self.time_col is None:
            pos = f.groupby([self.dyad_col, self.role_index], sort=False).cumcount().to_numpy()
            return pos.astype(np.int64), int(pos.max()) + 1
        t = f[self.time_col].to_numpy(dtype=np.int64)
        if self.day_col is None:
            if self._dyad_code is not None:
                first = np.full(self.n_dyads, np.iinfo(np.int64).max)
                np.minimum.at(first, self._dyad_code, t)
                start = first[self._dyad_code]
            else:
                start = (
                    f.groupby(self.dyad_col, sort=False)[self.time_col].transform("min").to_numpy()
                )
            pos = t - start
        else:
            days = f[[self.dyad_col, self.day_col]].copy()
            days["t"] = t
            span = days.groupby([self.dyad_col, self.day_col], sort=True)["t"].agg(["min", "max"])
            width = span["max"] - span["min"] + 1 + day_gap
            offset = width.groupby(level=0, sort=False).cumsum() - width
            idx = pd.MultiIndex.from_frame(f[[self.dyad_col, self.day_col]])
            pos = offset.reindex(idx).to_numpy() + t - span["min"].reindex(idx).to_numpy()
        pos = np.asarray(pos, dtype=np.int64)
        return pos, int(pos.max()) + 1

    def to_arrays(self, var: str, day_gap: int = 1) -> np.ndarray:
        """Padded array of shape ``(n_dyads, 2, T_max)``: ``[dyad, role, position]``, NaN where absent.

        Dyads follow :attr:`dyad_ids`, roles :attr:`role_index`, positions :meth:`occasion_positions`.
        """
        values = self.numeric([var])[var].to_numpy(dtype=np.float64)
        pos, length = self.occasion_positions(day_gap)
        if grid_too_large(self.n_dyads, length, self.n_obs):
            raise DyadDataError(
                f"column {self.time_col!r}: the occasions span {length:,} time steps for "
                f"{self.n_obs:,} rows, so the per-dyad arrays would be mostly empty; time must "
                "number the occasions 1, 2, 3, … (are some times in other units?)"
            )
        if self._dyad_code is not None:
            dyad_idx = self._dyad_code  # rows are sorted by dyad: codes are positions in dyad_ids
        else:
            dyad_idx = pd.Index(self.dyad_ids).get_indexer(self.frame[self.dyad_col])
        out = np.full((self.n_dyads, 2, length), np.nan)
        out[dyad_idx, self.role_index, pos] = values
        return out


def pairwise_to_long(
    df: pd.DataFrame,
    dyad: str = "CoupleID",
    person_col: str = "Partnum",
    own_suffix: str = "_A",
    partner_suffix: str = "_P",
    *,
    check: bool = True,
) -> pd.DataFrame:
    """Convert the pairwise layout (own ``X_A`` and partner ``X_P`` on every person's row) to long format.

    Keeps the dyad and person columns, every own-suffixed column without its suffix, and the columns
    with neither suffix unless an own column takes their name. With ``check``, verifies that each
    person's partner columns equal the partner's own columns, so the two layouts say the same thing.

    Examples
    --------
    >>> import pandas as pd
    >>> pw = pd.DataFrame({"CoupleID": [1, 1], "Partnum": [1, 2], "Y_A": [3.0, 4.0], "Y_P": [4.0, 3.0]})
    >>> pairwise_to_long(pw).columns.tolist()
    ['CoupleID', 'Partnum', 'Y']
    """
    for col in (dyad, person_col):
        if col not in df.columns:
            raise DyadDataError(
                f"column {col!r} not found; the data have: {', '.join(map(str, df.columns))}"
            )
    own = [c for c in df.columns if isinstance(c, str) and c.endswith(own_suffix)]
    if not own:
        raise DyadDataError(f"no columns end in {own_suffix!r}; is this pairwise data?")
    own_names = {c: c[: -len(own_suffix)] for c in own}
    plain = [
        c
        for c in df.columns
        if c not in (dyad, person_col)
        and not (isinstance(c, str) and (c.endswith(own_suffix) or c.endswith(partner_suffix)))
        and c not in own_names.values()
    ]
    long = df[[dyad, person_col, *plain, *own]].rename(columns=own_names).reset_index(drop=True)
    if check:
        _check_pairwise(df, dyad, person_col, own_suffix, partner_suffix, own_names)
    return long


def _check_pairwise(
    df: pd.DataFrame,
    dyad: str,
    person_col: str,
    own_suffix: str,
    partner_suffix: str,
    own_names: dict[str, str],
) -> None:
    sizes = df.groupby(dyad)[person_col].transform("size")
    if (sizes != 2).any():
        row = int(np.flatnonzero((sizes != 2).to_numpy())[0])
        raise DyadDataError(
            f"row {row}, column {dyad!r}: dyad {_fmt(df[dyad].iloc[row])} has {int(sizes.iloc[row])} "
            "rows; pairwise data need one row per person"
        )
    pair = [name for name in own_names.values() if f"{name}{partner_suffix}" in df.columns]
    if not pair:
        return
    flat = df.reset_index(drop=True)
    order = flat.sort_values([dyad, person_col], kind="stable").index.to_numpy()
    partner_of = order.reshape(-1, 2)[:, ::-1].ravel()
    partner_rows = np.empty_like(order)
    partner_rows[order] = partner_of
    for name in pair:
        mine_col, theirs_col = flat[f"{name}{partner_suffix}"], flat[f"{name}{own_suffix}"]
        if not (
            pd.api.types.is_numeric_dtype(mine_col) and pd.api.types.is_numeric_dtype(theirs_col)
        ):
            continue  # labels such as gender are often coded differently in the two columns
        mine = mine_col.to_numpy(dtype=float)
        theirs = theirs_col.to_numpy(dtype=float)[partner_rows]
        same = (np.isnan(mine) & np.isnan(theirs)) | np.isclose(mine, theirs)
        if not same.all():
            row = int(np.flatnonzero(~same)[0])
            raise DyadDataError(
                f"row {row}, column {name + partner_suffix!r}: does not equal the partner's "
                f"{name + own_suffix!r}; the pairwise columns disagree"
            )
