"""Base classes for model results: pooled (one set of estimates) and per-dyad (one row per dyad).

Subclasses fill in the model-specific numbers; these classes give every model the same
``summary()``, ``to_frame()`` and ``to_dict()`` so the CLI, the web app and researchers can treat
all models alike. ``to_dict()`` is JSON-ready: NaN becomes ``None`` and numpy scalars become Python
numbers.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pandas is imported where a table is built: `fit --json` runs without it
    import pandas as pd

__all__ = ["PerDyadResults", "PooledResults", "column_values", "frame_of", "jsonable"]

PARAM_COLUMNS = ("estimate", "se", "ci_low", "ci_high")


def _pandas_missing(value: Any) -> bool:
    """Whether ``value`` is pandas' NA or NaT (only possible once pandas has been imported)."""
    pandas = sys.modules.get("pandas")
    return pandas is not None and (value is pandas.NA or value is pandas.NaT)


def _is_pandas_index(value: Any) -> bool:
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(value, pandas.Index)


def jsonable(value: Any) -> Any:
    """``value`` with numpy types turned into Python ones and NaN/inf into ``None``."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray) or _is_pandas_index(value):
        return [jsonable(v) for v in value]
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        x = float(value)
        return x if math.isfinite(x) else None
    if value is None or _pandas_missing(value):
        return None
    if isinstance(value, str | int):
        return value
    return str(value)


def column_values(column: Any, text: bool = False) -> list[Any]:
    """A column as a list of JSON-ready Python values (NaN and inf → None), converted in one pass.

    ``column`` is a pandas Series, a numpy array, or a masked array (masked → None). With ``text``,
    values are strings (or None for missing ones).

    >>> column_values(np.array([1.5, float("nan"), float("inf")]))
    [1.5, None, None]
    >>> column_values(np.ma.masked_array([3, 4], mask=[False, True]))
    [3, None]
    >>> column_values(np.array(["a", None], dtype=object), text=True)
    ['a', None]
    """
    if isinstance(column, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(column).tolist()
        plain = column_values(np.ma.getdata(column), text)
        return [None if masked else v for v, masked in zip(plain, mask, strict=True)]
    values = column.to_numpy() if hasattr(column, "to_numpy") else np.asarray(column)
    if text:
        return [
            None if v is None or _pandas_missing(v) or v != v else str(v) for v in values.tolist()
        ]
    kind = values.dtype.kind
    if kind == "f":
        finite = np.isfinite(values).tolist()
        return [v if ok else None for v, ok in zip(values.tolist(), finite, strict=True)]
    if kind in "iub":
        return values.tolist()
    return [jsonable(v) for v in values]


def frame_of(columns: Mapping[str, Any], dyad_ids: Any) -> pd.DataFrame:
    """A per-dyad table (index ``dyad``) from :meth:`PerDyadResults.columns`.

    Masked integer arrays become pandas' nullable integers; object arrays (text, None) stay objects.
    """
    import pandas as pd

    data: dict[str, Any] = {}
    for name, values in columns.items():
        if isinstance(values, np.ma.MaskedArray):
            data[name] = pd.arrays.IntegerArray(
                np.ma.getdata(values).astype(np.int64), np.ma.getmaskarray(values).copy()
            )
        else:
            data[name] = values
    index = pd.Index(dyad_ids, name="dyad")
    frame = pd.DataFrame(
        {k: v for k, v in data.items() if not _is_object(v)}, index=index, copy=False
    )
    for name, values in data.items():  # text columns keep None (not NaN) for a missing value
        if _is_object(values):
            frame[name] = pd.Series(list(values), index=index, dtype=object)
    return frame.loc[:, list(columns)]


def _is_object(values: Any) -> bool:
    return isinstance(values, list) or getattr(values, "dtype", None) == np.dtype(object)


def _number(x: Any, digits: int = 4) -> str:
    if x is None:
        return ""
    if _pandas_missing(x):  # pandas' NA of a nullable integer column: shown like a missing number
        return "—"
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if not math.isfinite(v):
        return "—"
    return f"{v:.{digits}f}"


def text_table(frame: pd.DataFrame, digits: int = 4, index_name: str = "") -> str:
    """A plain fixed-width table of ``frame`` (numbers right-aligned to ``digits`` decimals)."""
    import pandas as pd

    head = [index_name or str(frame.index.name or ""), *map(str, frame.columns)]
    places = []
    for col in frame.columns:
        values = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)
        places.append(_places(values, digits))
    rows = [list(row) for row in frame.itertuples(index=False)]
    return _format_table(head, list(frame.index), rows, places)


def columns_text_table(
    index: Sequence[Any], columns: Mapping[str, Any], digits: int = 4, index_name: str = ""
) -> str:
    """:func:`text_table` of a table given as arrays (:attr:`PerDyadResults.columns`), no pandas.

    Masked values print as ``—``, like missing numbers (pandas would print ``<NA>``).

    >>> b, n = np.array([0.5, np.nan]), np.ma.masked_array([3, 4], [False, True])
    >>> print(columns_text_table([1, 2], {"b": b, "n": n}, index_name="dyad"))
    dyad       b  n
    ----  ------  -
    1     0.5000  3
    2          —  —
    """
    head = [index_name, *columns]
    places, cells = [], []
    for values in columns.values():
        if isinstance(values, np.ma.MaskedArray):
            mask = np.ma.getmaskarray(values)
            data = np.ma.getdata(values)
            places.append(_places(data[~mask].astype(float), digits))
            cells.append(
                ["—" if m else v for v, m in zip(data.tolist(), mask.tolist(), strict=True)]
            )
            continue
        array = np.asarray(values)
        if array.dtype.kind in "fiub":
            places.append(_places(array.astype(float), digits))
        else:  # text (or None): no numbers to align
            places.append(digits)
        cells.append(array.tolist())
    rows = [list(row) for row in zip(*cells, strict=True)] if cells else [[] for _ in index]
    return _format_table(head, list(index), rows, places)


def _places(values: np.ndarray, digits: int) -> int:
    """0 decimals for a column of whole numbers (below 1e12), else ``digits``."""
    finite = values[np.isfinite(values)]
    whole = finite.size > 0 and bool(np.all(finite == np.round(finite)))
    return 0 if whole and np.all(np.abs(finite) < 1e12) else digits


def _format_table(
    head: list[str], index: list[Any], rows: list[list[Any]], places: list[int]
) -> str:
    cells = [
        [str(idx), *(v if isinstance(v, str) else _number(v, places[k]) for k, v in enumerate(row))]
        for idx, row in zip(index, rows, strict=True)
    ]
    widths = [max(len(r[i]) for r in [head, *cells]) for i in range(len(head))]
    lines = [
        "  ".join(
            h.ljust(w) if i == 0 else h.rjust(w)
            for i, (h, w) in enumerate(zip(head, widths, strict=True))
        )
    ]
    lines.append("  ".join("-" * w for w in widths))
    for r in cells:
        lines.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(r, widths, strict=True))
            )
        )
    return "\n".join(lines)


class PooledResults:
    """Results of a model with one set of estimates for all dyads (APIM, multilevel VAR).

    Subclasses set :attr:`model`, :attr:`n_dyads`, :attr:`n_obs` and :attr:`params` (a DataFrame indexed
    by parameter name with columns ``estimate, se, ci_low, ci_high``) and may add fit statistics by
    overriding :meth:`extra` (JSON-ready extras for ``to_dict``) and :meth:`fit_lines` (summary text).
    """

    model: str = ""
    title: str = ""
    n_dyads: int
    n_obs: int
    params: pd.DataFrame

    def extra(self) -> dict[str, Any]:
        """Model-specific entries for :meth:`to_dict` besides the parameters."""
        return {}

    def fit_lines(self) -> list[tuple[str, str]]:
        """(label, value) pairs printed under the title in :meth:`summary`."""
        return []

    def to_frame(self) -> pd.DataFrame:
        """The parameter table (a copy)."""
        return self.params.loc[:, list(PARAM_COLUMNS)].copy()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready ``{"model", "n_dyads", "n_obs", "params": {NAME: {...}}, ...extra}``."""
        params = {
            str(name): {col: jsonable(row[col]) for col in PARAM_COLUMNS}
            for name, row in self.params.iterrows()
        }
        out: dict[str, Any] = {
            "model": self.model,
            "n_dyads": int(self.n_dyads),
            "n_obs": int(self.n_obs),
            "params": params,
        }
        out.update(jsonable(self.extra()))
        return out

    def to_json(self) -> str:
        """:meth:`to_dict` as indented JSON text."""
        return json.dumps(self.to_dict(), indent=2, allow_nan=False)

    def summary(self) -> str:
        """A readable text report: title, fit statistics, parameter table."""
        lines = [self.title or self.model, "=" * max(len(self.title or self.model), 20)]
        facts = [("dyads", str(self.n_dyads)), ("observations", str(self.n_obs)), *self.fit_lines()]
        width = max(len(k) for k, _ in facts)
        lines += [f"{k.ljust(width)}  {v}" for k, v in facts]
        lines += ["", text_table(self.to_frame(), index_name="parameter")]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


class PerDyadResults:
    """Results of a model fitted to each dyad separately (inertia–coordination, oscillator, couple VAR).

    Subclasses set :attr:`model`, :attr:`param_names`, :attr:`dyad_ids` and :attr:`columns`: the
    per-dyad table as arrays, one per column, in table order: a column per parameter, ``adj_r2``
    (may be absent), ``reason`` (``None`` for a good fit, text saying why a dyad has no numbers
    otherwise) and any columns named in :attr:`extra_columns`, which ``to_dict`` copies into each
    dyad's entry. :attr:`table` is the same as a pandas DataFrame indexed by dyad id; ``to_dict``
    and ``to_json`` are built from the arrays, without pandas.
    """

    model: str = ""
    title: str = ""
    param_names: Sequence[str] = ()
    extra_columns: Sequence[str] = ()
    dyad_ids: np.ndarray

    def _table_columns(self) -> dict[str, Any]:
        raise NotImplementedError

    @cached_property
    def columns(self) -> dict[str, Any]:
        """The per-dyad table as arrays in column order (numpy; masked for integers that may be
        missing; object arrays of text or None), one element per dyad of :attr:`dyad_ids`."""
        return self._table_columns()

    @cached_property
    def table(self) -> pd.DataFrame:
        """One row per dyad, indexed by dyad id (the arrays of :attr:`columns`)."""
        return frame_of(self.columns, self.dyad_ids)

    def to_frame(self) -> pd.DataFrame:
        """The per-dyad table (a copy)."""
        return self.table.copy()

    def extra(self) -> dict[str, Any]:
        """Model-level entries for :meth:`to_dict` besides the dyads."""
        return {}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready ``{"model", "dyads": [{"dyad", "params", "adj_r2", "reason", ...}]}``.

        Built column by column (each column converted to Python values once), not row by row: a
        per-row loop over pandas rows dominated the command line's run time for thousands of dyads.
        """
        table = self.columns
        n = len(self.dyad_ids)
        params = {name: column_values(table[name]) for name in self.param_names}
        r2 = column_values(table["adj_r2"]) if "adj_r2" in table else [None] * n
        extras = {col: column_values(table[col]) for col in self.extra_columns}
        reasons = column_values(table["reason"], text=True) if "reason" in table else [None] * n
        ids = column_values(self.dyad_ids)
        dyads = []
        for i in range(n):
            entry: dict[str, Any] = {
                "dyad": ids[i],
                "params": {name: values[i] for name, values in params.items()},
                "adj_r2": r2[i],
            }
            for col, values in extras.items():
                entry[col] = values[i]
            entry["reason"] = reasons[i]
            dyads.append(entry)
        out: dict[str, Any] = {"model": self.model, "n_dyads": n, "dyads": dyads}
        out.update(jsonable(self.extra()))
        return out

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text: the header keys indented, then one line per dyad.

        The standard library's fast (C) encoder only writes compact JSON, so each dyad is encoded
        compactly on its own line; the document stays readable and is several times faster to write.
        """
        doc = self.to_dict()
        dyads = doc.pop("dyads")
        head = json.dumps(doc, indent=2, allow_nan=False)
        if not dyads:
            return head[:-2] + ',\n  "dyads": []\n}'
        lines = ",\n".join("    " + json.dumps(d, allow_nan=False) for d in dyads)
        return head[:-2] + ',\n  "dyads": [\n' + lines + "\n  ]\n}"

    def shown(self, columns: Sequence[str], max_rows: int, index_name: str = "dyad") -> str:
        """The text table of ``columns`` for the first ``max_rows`` dyads (from the arrays)."""
        head = {name: self.columns[name][:max_rows] for name in columns}
        return columns_text_table(self.dyad_ids[:max_rows].tolist(), head, index_name=index_name)

    def failures(self) -> list[tuple[Any, str]]:
        """(dyad id, reason) of every dyad without estimates, in table order."""
        if "reason" not in self.columns:
            return []
        reasons = self.columns["reason"]
        return [
            (d, r)
            for d, r in zip(self.dyad_ids.tolist(), list(reasons), strict=True)
            if r is not None and r == r  # None or NaN: a dyad with estimates
        ]

    def summary(self, max_rows: int = 30) -> str:
        """A readable text report: one row per dyad (the first ``max_rows``), then the failures."""
        title = self.title or self.model
        cols = [
            *self.param_names,
            *[c for c in ("adj_r2", *self.extra_columns) if c in self.columns],
        ]
        n = len(self.dyad_ids)
        lines = [title, "=" * max(len(title), 20), f"dyads  {n}", ""]
        lines.append(self.shown(cols, max_rows))
        if n > max_rows:
            lines.append(f"… {n - max_rows} more dyads (use --json or to_frame())")
        failed = self.failures()
        if failed:
            lines += ["", f"{len(failed)} dyad(s) without estimates:"]
            lines += [f"  dyad {d}: {r}" for d, r in failed[:max_rows]]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()
