"""Self-contained HTML reports of model results: tables plus Plotly charts.

The Plotly JavaScript is written into the file itself (``include_plotlyjs=True`` on the first chart),
so a report opens offline and can be mailed or archived as one file.
"""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from counterpoint.science.results import PerDyadResults, PooledResults, jsonable

__all__ = ["render_report", "write_report"]

MAX_TABLE_ROWS = 500

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem;
       color: #1f2328; line-height: 1.45; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; font-size: .875rem; }
th, td { padding: .25rem .6rem; border-bottom: 1px solid #d0d7de; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.meta { color: #59636e; font-size: .875rem; }
pre { background: #f6f8fa; padding: .75rem; overflow-x: auto; font-size: .8rem; }
"""


def _table(frame: pd.DataFrame) -> str:
    return frame.to_html(
        classes="results",
        float_format=lambda v: f"{v:.4f}",
        na_rep="—",
        border=0,
        escape=True,
    )


def _forest(params: pd.DataFrame, title: str) -> go.Figure:
    """Estimates with 95% CIs, one row per parameter."""
    est = params["estimate"].astype(float)
    fig = go.Figure(
        go.Scatter(
            x=est,
            y=[str(i) for i in params.index],
            mode="markers",
            marker={"size": 9},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": (params["ci_high"].astype(float) - est).to_numpy(),
                "arrayminus": (est - params["ci_low"].astype(float)).to_numpy(),
            },
            hovertemplate="%{y}: %{x:.4f}<extra></extra>",
        )
    )
    fig.add_vline(x=0, line_dash="dot", line_color="#888")
    fig.update_layout(
        title=title,
        height=120 + 40 * len(params),
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
        yaxis={"autorange": "reversed"},
        xaxis_title="estimate (95% CI)",
    )
    return fig


def _histograms(table: pd.DataFrame, columns: list[str], title: str) -> go.Figure:
    """One histogram per column, across dyads."""
    cols = 4 if len(columns) > 4 else max(len(columns), 1)
    rows = int(np.ceil(len(columns) / cols))
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=columns)
    for k, col in enumerate(columns):
        values = pd.to_numeric(table[col], errors="coerce").dropna()
        fig.add_trace(
            go.Histogram(x=values, name=col, showlegend=False), row=k // cols + 1, col=k % cols + 1
        )
    fig.update_layout(
        title=title, height=260 * rows + 60, margin={"l": 10, "r": 10, "t": 70, "b": 30}
    )
    return fig


def _pooled_sections(result: PooledResults) -> tuple[list[str], list[go.Figure]]:
    params = result.to_frame()
    scale = [i for i in params.index if str(i) == "rho" or str(i).startswith("sigma")]
    fixed = params.drop(index=scale)
    parts = ["<h2>Estimates</h2>", _table(params)]
    figures = [_forest(fixed, "Fixed effects with 95% confidence intervals")]
    if scale:
        figures.append(_forest(params.loc[scale], "Residual correlation and SDs"))
    extra = jsonable(result.extra())
    if extra:
        parts += [
            "<h2>Fit statistics</h2>",
            f"<pre>{html.escape(json.dumps(extra, indent=2))}</pre>",
        ]
    return parts, figures


def _per_dyad_sections(result: PerDyadResults) -> tuple[list[str], list[go.Figure]]:
    table = result.to_frame()
    names = [c for c in result.param_names if c in table.columns]
    if "adj_r2" in table.columns:
        names.append("adj_r2")
    ok = table["reason"].isna() if "reason" in table.columns else pd.Series(True, index=table.index)
    parts = [
        f"<p>{int(ok.sum())} of {len(table)} dyads have estimates.</p>",
        "<h2>Per dyad</h2>",
        _table(table.head(MAX_TABLE_ROWS)),
    ]
    if len(table) > MAX_TABLE_ROWS:
        parts.append(f"<p class='meta'>First {MAX_TABLE_ROWS} dyads of {len(table)}.</p>")
    if (~ok).any():
        items = "".join(
            f"<li>dyad {html.escape(str(d))}: {html.escape(str(r))}</li>"
            for d, r in table.loc[~ok, "reason"].items()
        )
        parts += ["<h2>Dyads without estimates</h2>", f"<ul>{items}</ul>"]
    figures = [_histograms(table[ok], names, "Distribution across dyads")]
    return parts, figures


def render_report(result: Any, source: str | None = None) -> str:
    """The report as one HTML document (Plotly's JavaScript inlined)."""
    title = result.title or result.model
    if result.model in ("profiles", "influence"):
        from counterpoint.science import report_tables

        sections = getattr(report_tables, f"{result.model}_sections")
        parts, figures = sections(result, _table)
        facts = (
            f"{result.n_couples} couples"
            if result.model == "profiles"
            else f"one couple, {result.n_turns} turns"
        )
    elif isinstance(result, PooledResults):
        parts, figures = _pooled_sections(result)
        facts = f"{result.n_dyads} dyads, {result.n_obs} observations"
    else:
        parts, figures = _per_dyad_sections(result)
        facts = f"{len(result.table)} dyads"
    charts = [
        fig.to_html(full_html=False, include_plotlyjs=(k == 0), config={"displaylogo": False})
        for k, fig in enumerate(figures)
    ]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    meta = f"model <code>{html.escape(result.model)}</code> · {facts}"
    if source:
        meta += f" · data <code>{html.escape(source)}</code>"
    body = "\n".join(
        [
            f"<h1>{html.escape(title)}</h1>",
            f"<p class='meta'>{meta} · {when} · Counterpoint science engine</p>",
            *charts,
            *parts,
            "<h2>Summary</h2>",
            f"<pre>{html.escape(result.summary())}</pre>",
        ]
    )
    return (
        "<!doctype html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def write_report(result: Any, path: str | Path, source: str | None = None) -> Path:
    """Write :func:`render_report` to ``path`` (UTF-8) and return the path."""
    from counterpoint.science.files import written_whole

    path = Path(path)
    text = render_report(result, source=source)
    with written_whole(path) as partial:
        partial.write_text(text, encoding="utf-8")
    return path
