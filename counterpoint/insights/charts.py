"""Plotly charts for the insights page (figures as plain dicts; the page loads plotly.min.js).

Each chart comes with a text alternative in the template (a caption sentence and a data table).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import plotly.io as pio

from counterpoint import palette
from counterpoint.insights.diary import CoupleDiary

COLOURS = palette.PEOPLE
CONFIG = {"displayModeBar": False, "responsive": True}
CHART_DAYS = 90


def _layout(title: str, y_title: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": {"text": title, "font": {"size": 15}},
        "height": 280,
        "margin": {"l": 44, "r": 12, "t": 64, "b": 36},
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "xanchor": "left"},
        "yaxis": {"title": {"text": y_title}, "fixedrange": True},
        "xaxis": {"fixedrange": True},
        "paper_bgcolor": palette.PAPER,
        "plot_bgcolor": palette.PAPER,
        "font": {"family": "system-ui, sans-serif", "color": palette.INK},
        **extra,
    }


def _html(fig: dict[str, Any], div_id: str) -> str:
    return pio.to_html(
        fig,
        include_plotlyjs=False,
        full_html=False,
        config=CONFIG,
        validate=False,
        div_id=div_id,
        default_width="100%",
    )


def _clean(values: np.ndarray) -> list[float | None]:
    return [None if not math.isfinite(v) else round(float(v), 2) for v in values]


def daily_lines(diary: CoupleDiary, var: str, title: str, y_title: str, div_id: str) -> str | None:
    first = max(diary.n_days - CHART_DAYS, 0)
    dates = [d.isoformat() for d in diary.dates()[first:]]
    traces = []
    for g, person in enumerate(diary.people):
        values = person.values[var][first:]
        if not np.isfinite(values).any():
            continue
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": person.name,
                "x": dates,
                "y": _clean(values),
                "line": {"color": COLOURS[g], "width": 2, "dash": ("solid", "dot")[g]},
                # two shapes and sizes, so equal values never hide one partner's dot
                "marker": {
                    "size": (9, 6)[g] if len(dates) <= 21 else (5, 4)[g],
                    "symbol": ("circle-open", "diamond")[g],
                    "color": COLOURS[g],
                    "line": {"width": 2, "color": COLOURS[g]},
                },
                "connectgaps": False,
                "hovertemplate": "%{x|%-d %b}: %{y}<extra>" + person.name + "</extra>",
            }
        )
    if not traces:
        return None
    layout = _layout(title, y_title)
    # whole days on the axis (no "23:59:59.999"), with half a day of room either side
    start = diary.dates()[first] - dt.timedelta(hours=12)
    end = diary.today + dt.timedelta(hours=12)
    layout["xaxis"] = {
        "type": "date",
        "range": [start.isoformat(), end.isoformat()],
        "tickformat": "%-d %b",
        "dtick": 86400000 if len(dates) <= 10 else None,
        "fixedrange": True,
    }
    layout["yaxis"]["range"] = [-0.5, 10.5]
    return _html({"data": traces, "layout": layout}, div_id)


def effects(section: dict[str, Any], title: str, div_id: str) -> str | None:
    """The section's own number rows (the same ones its sentences and table show), as points
    with their likely ranges; the hover text is the row's text, word for word."""
    if section.get("status") != "ok":
        return None
    rows = [r for r in section.get("numbers", []) if r["estimate"] is not None]
    if not rows:
        return None
    trace = {
        "type": "scatter",
        "mode": "markers",
        "x": [r["estimate"] for r in rows],
        "y": [r["label"] for r in rows],
        "hovertext": [r["text"] for r in rows],
        "hoverinfo": "text",
        "marker": {"size": 10, "color": COLOURS[0]},
        "error_x": {
            "type": "data",
            "symmetric": False,
            "array": [round(r["ci_high"] - r["estimate"], 3) for r in rows],
            "arrayminus": [round(r["estimate"] - r["ci_low"], 3) for r in rows],
            "color": palette.MUTED,
        },
        "showlegend": False,
    }
    layout = _layout(title, "", margin={"l": 130, "r": 12, "t": 40, "b": 36})
    layout["xaxis"] = {
        "zeroline": True,
        "zerolinecolor": palette.PARTNER,
        "range": [-1, 1],
        "fixedrange": True,
        "tickformat": ".1f",
        "title": {"text": "standardised"},
    }
    layout["yaxis"] = {"autorange": "reversed", "fixedrange": True}
    layout["separators"] = ".,"
    return _html({"data": [trace], "layout": layout}, div_id)


def weekly_lines(diary: CoupleDiary, div_id: str) -> str | None:
    traces = []
    for g, person in enumerate(diary.people):
        refl = sorted(person.reflections)
        for idx, (label, dash) in enumerate((("life", "solid"), ("relationship", "dot"))):
            pts = [(d.isoformat(), v[idx]) for d, *v in refl if v[idx] is not None]
            if not pts:
                continue
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": f"{person.name}: {label}",
                    "x": [p[0] for p in pts],
                    "y": [p[1] for p in pts],
                    "line": {"color": COLOURS[g], "dash": dash, "width": 2},
                }
            )
    if not traces:
        return None
    layout = _layout("Weekly satisfaction", "0–10")
    layout["xaxis"] = {"type": "date", "tickformat": "%-d %b", "fixedrange": True}
    layout["yaxis"]["range"] = [0, 10.5]
    return _html({"data": traces, "layout": layout}, div_id)


def balance_bars(section: dict[str, Any], div_id: str) -> str | None:
    ok = [p for p in section["people"] if p.get("status") == "ok"]
    if not ok:
        return None
    names = [p["name"] for p in ok]
    traces = [
        {
            "type": "bar",
            "name": "me-time",
            "x": names,
            "y": [p["me_minutes_per_day"] for p in ok],
            "marker": {"color": COLOURS[0]},
        },
        {
            "type": "bar",
            "name": "we-time",
            "x": names,
            "y": [p["we_minutes_per_day"] for p in ok],
            "marker": {"color": COLOURS[1]},
        },
    ]
    return _html(
        {
            "data": traces,
            "layout": _layout("Minutes a day, last 4 weeks", "minutes", barmode="group"),
        },
        div_id,
    )
