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

from counterpoint.science.errors import DyadDataError

__all__ = ["DyadicData", "pairwise_to_long"]

_MAX_LISTED = 5  # rows named in one error message before "…"


def _fmt(value: Any) -> str:
    """A value as a user typed it: 3.0 → 3, strings quoted."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, str):
        return repr(value)
    return str(value)


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
        self._require_columns(df, [*id_cols, *(variables or [])])

        frame = df.reset_index(drop=True).copy()
        for col in id_cols:
            bad = np.flatnonzero(frame[col].isna().to_numpy())
            if bad.size:
                raise DyadDataError(f"{self._rows(bad)}, column {col!r}: missing id value")
        if time is not None:
            frame[time] = self._integer_column(frame, time)
        for var in variables or []:
            frame[var] = self._numeric_column(frame, var)

        self._check_two_people(frame)
        role_index = self._role_index(frame)
        self._check_occasions(frame)

        frame["_ri"] = role_index
        frame["_src"] = np.arange(len(frame))
        order = [dyad, "_ri", *([day] if day else []), *([time] if time else [])]
        frame = frame.sort_values(order, kind="stable").reset_index(drop=True)
        self.role_index: np.ndarray = frame.pop("_ri").to_numpy(dtype=np.int64)
        self._src: np.ndarray = frame.pop("_src").to_numpy(dtype=np.int64)
        self.frame: pd.DataFrame = frame
        self.dyad_ids: np.ndarray = pd.unique(frame[dyad])
        self._numeric: set[str] = set(variables or [])

    # -- construction ------------------------------------------------------------------------------
    @classmethod
    def from_csv(cls, path: str | Path, **cols: Any) -> DyadicData:
        """Read a CSV file; error messages then name file line numbers (the header is line 1)."""
        path = Path(path)
        if not path.is_file():
            raise DyadDataError(f"no such file: {path}")
        try:
            df = pd.read_csv(path)
        except pd.errors.EmptyDataError:
            raise DyadDataError(f"{path} is empty") from None
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise DyadDataError(f"{path} is not a readable CSV file: {first}") from None
        if len(df) == 0:
            raise DyadDataError(f"{path} has a header but no data rows")
        return cls(df, **cols, _first_line=2)

    @classmethod
    def from_parquet(cls, path: str | Path, **cols: Any) -> DyadicData:
        """Read a Parquet file; error messages name 0-based row positions."""
        path = Path(path)
        if not path.is_file():
            raise DyadDataError(f"no such file: {path}")
        try:
            df = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several unrelated types for a bad file
            raise DyadDataError(f"{path} is not a readable Parquet file: {exc}") from None
        return cls(df.reset_index(drop=True), **cols)

    @classmethod
    def from_path(cls, path: str | Path, **cols: Any) -> DyadicData:
        """Read CSV or Parquet, chosen by the file extension (``.parquet``/``.pq`` or else CSV)."""
        if Path(path).suffix.lower() in {".parquet", ".pq"}:
            return cls.from_parquet(path, **cols)
        return cls.from_csv(path, **cols)

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
    def _require_columns(df: pd.DataFrame, columns: Iterable[str]) -> None:
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
        if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
            converted = pd.to_numeric(series, errors="coerce")
            bad = np.flatnonzero((converted.isna() & series.notna()).to_numpy())
            if bad.size:
                where = bad if src is None else src[bad]
                raise DyadDataError(
                    f"{self._rows(where)}, column {col!r}: {_fmt(series.iloc[bad[0]])} is not a number"
                )
            series = converted
        return series.astype("float64")

    def _integer_column(self, frame: pd.DataFrame, col: str) -> pd.Series:
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
            self.roles: tuple[Any, Any] | None = None
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
        self.roles = (values[0], values[1])
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
        self._require_columns(self.frame, columns)
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
            start = f.groupby(self.dyad_col, sort=False)[self.time_col].transform("min").to_numpy()
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
