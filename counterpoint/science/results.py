"""Base classes for model results: pooled (one set of estimates) and per-dyad (one row per dyad).

Subclasses fill in the model-specific numbers; these classes give every model the same
``summary()``, ``to_frame()`` and ``to_dict()`` so the CLI, the web app and researchers can treat
all models alike. ``to_dict()`` is JSON-ready: NaN becomes ``None`` and numpy scalars become Python
numbers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["PerDyadResults", "PooledResults", "column_values", "jsonable"]

PARAM_COLUMNS = ("estimate", "se", "ci_low", "ci_high")


def jsonable(value: Any) -> Any:
    """``value`` with numpy types turned into Python ones and NaN/inf into ``None``."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray | pd.Index):
        return [jsonable(v) for v in value]
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        x = float(value)
        return x if math.isfinite(x) else None
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, str | int):
        return value
    return str(value)


def column_values(series: pd.Series, text: bool = False) -> list[Any]:
    """A column as a list of JSON-ready Python values (NaN and inf → None), converted in one pass.

    With ``text``, values are strings (or None for missing ones).

    >>> column_values(pd.Series([1.5, float("nan"), float("inf")]))
    [1.5, None, None]
    >>> column_values(pd.Series(["a", None]), text=True)
    ['a', None]
    """
    values = series.to_numpy()
    if text:
        return [None if v is None or v is pd.NA or v != v else str(v) for v in values.tolist()]
    kind = values.dtype.kind
    if kind == "f":
        finite = np.isfinite(values).tolist()
        return [v if ok else None for v, ok in zip(values.tolist(), finite, strict=True)]
    if kind in "iub":
        return values.tolist()
    return [jsonable(v) for v in values]


def _number(x: Any, digits: int = 4) -> str:
    if x is None:
        return ""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if not math.isfinite(v):
        return "—"
    return f"{v:.{digits}f}"


def text_table(frame: pd.DataFrame, digits: int = 4, index_name: str = "") -> str:
    """A plain fixed-width table of ``frame`` (numbers right-aligned to ``digits`` decimals)."""
    head = [index_name or str(frame.index.name or ""), *map(str, frame.columns)]
    places = []
    for col in frame.columns:
        values = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)
        finite = values[np.isfinite(values)]
        whole = finite.size > 0 and bool(np.all(finite == np.round(finite)))
        places.append(0 if whole and np.all(np.abs(finite) < 1e12) else digits)
    rows = [
        [
            str(idx),
            *(v if isinstance(v, str) else _number(v, places[k]) for k, v in enumerate(row)),
        ]
        for idx, row in zip(frame.index, frame.itertuples(index=False), strict=True)
    ]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = [
        "  ".join(
            h.ljust(w) if i == 0 else h.rjust(w)
            for i, (h, w) in enumerate(zip(head, widths, strict=True))
        )
    ]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
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

    Subclasses set :attr:`model`, :attr:`param_names` and :attr:`table`: one row per dyad, indexed by
    dyad id, holding a column per parameter, ``adj_r2`` (may be absent), ``reason`` (``None`` for a
    good fit, text saying why a dyad has no numbers otherwise) and any columns named in
    :attr:`extra_columns`, which ``to_dict`` copies into each dyad's entry.
    """

    model: str = ""
    title: str = ""
    param_names: Sequence[str] = ()
    extra_columns: Sequence[str] = ()
    table: pd.DataFrame

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
        table = self.table
        n = len(table)
        params = {name: column_values(table[name]) for name in self.param_names}
        r2 = column_values(table["adj_r2"]) if "adj_r2" in table.columns else [None] * n
        extras = {col: column_values(table[col]) for col in self.extra_columns}
        reasons = (
            column_values(table["reason"], text=True) if "reason" in table.columns else [None] * n
        )
        ids = column_values(pd.Series(table.index))
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

    def summary(self, max_rows: int = 30) -> str:
        """A readable text report: one row per dyad (the first ``max_rows``), then the failures."""
        title = self.title or self.model
        cols = [
            *self.param_names,
            *[c for c in ("adj_r2", *self.extra_columns) if c in self.table.columns],
        ]
        shown = self.table.loc[:, cols].head(max_rows)
        lines = [title, "=" * max(len(title), 20), f"dyads  {len(self.table)}", ""]
        lines.append(text_table(shown, index_name="dyad"))
        if len(self.table) > max_rows:
            lines.append(f"… {len(self.table) - max_rows} more dyads (use --json or to_frame())")
        if "reason" in self.table.columns:
            failed = self.table["reason"].dropna()
            if len(failed):
                lines += ["", f"{len(failed)} dyad(s) without estimates:"]
                lines += [f"  dyad {d}: {r}" for d, r in failed.head(max_rows).items()]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()
