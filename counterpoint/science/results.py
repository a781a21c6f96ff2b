"""Base classes for model results: pooled (one set of estimates) and per-dyad (one row per dyad).

Subclasses fill in the model-specific numbers; these classes give every model the same
``summary()``, ``to_frame()`` and ``to_dict()`` so the CLI, the web app and researchers can treat
all models alike. ``to_dict()`` is JSON-ready: NaN becomes ``None`` and numpy scalars become Python
numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["PerDyadResults", "PooledResults", "jsonable"]

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
        """JSON-ready ``{"model", "dyads": [{"dyad", "params", "adj_r2", "reason", ...}]}``."""
        dyads = []
        has_r2 = "adj_r2" in self.table.columns
        for dyad_id, row in self.table.iterrows():
            entry: dict[str, Any] = {
                "dyad": jsonable(dyad_id),
                "params": {name: jsonable(row[name]) for name in self.param_names},
                "adj_r2": jsonable(row["adj_r2"]) if has_r2 else None,
            }
            for col in self.extra_columns:
                entry[col] = jsonable(row[col])
            reason = row.get("reason")
            entry["reason"] = None if reason is None or pd.isna(reason) else str(reason)
            dyads.append(entry)
        out: dict[str, Any] = {"model": self.model, "n_dyads": len(dyads), "dyads": dyads}
        out.update(jsonable(self.extra()))
        return out

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
