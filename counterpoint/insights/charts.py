"""Plotly charts for the insights page (figures as plain dicts; the page loads plotly.min.js).

Each chart comes with a text alternative in the template (a caption sentence and a data table).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import plotly.io as pio

from counterpoint.insights.diary import CoupleDiary

COLOURS = ("#3d3a8c", "#97391f")
CONFIG = {"displayModeBar": False, "responsive": True}
CHART_DAYS = 90


def _layout(title: str, y_title: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": {"text": title, "font": {"size": 15}},
        "height": 280,
        "margin": {"l": 44, "r": 12, "t": 40, "b": 36},
        "legend": {"orientation": "h", "y": -0.2},
        "yaxis": {"title": {"text": y_title}, "fixedrange": True},
        "xaxis": {"fixedrange": True},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "font": {"family": "system-ui, sans-serif", "color": "#1f1d2b"},
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
                "line": {"color": COLOURS[g], "width": 2},
                "marker": {"size": 4},
                "connectgaps": False,
            }
        )
    if not traces:
        return None
    return _html({"data": traces, "layout": _layout(title, y_title)}, div_id)


def effects(fit: dict[str, Any], names: tuple[str, str], title: str, div_id: str) -> str | None:
    """Standardised carry-over and influence with their 95% CIs, as points with error bars."""
    if fit.get("status") != "ok":
        return None
    me, partner = names
    rows = [
        (f"{me}: carry-over", fit["carry_over_std"]["me"]),
        (f"{partner}: carry-over", fit["carry_over_std"]["partner"]),
        (f"{partner} → {me}", fit["influence_std"]["partner_to_me"]),
        (f"{me} → {partner}", fit["influence_std"]["me_to_partner"]),
        ("same day", fit["same_day"]),
    ]
    rows = [(label, c) for label, c in rows if c["estimate"] is not None]
    x = [c["estimate"] for _l, c in rows]
    trace = {
        "type": "scatter",
        "mode": "markers",
        "x": x,
        "y": [label for label, _c in rows],
        "marker": {"size": 10, "color": COLOURS[0]},
        "error_x": {
            "type": "data",
            "symmetric": False,
            "array": [c["ci_high"] - c["estimate"] for _l, c in rows],
            "arrayminus": [c["estimate"] - c["ci_low"] for _l, c in rows],
            "color": "#5a5870",
        },
        "showlegend": False,
    }
    layout = _layout(title, "", margin={"l": 120, "r": 12, "t": 40, "b": 36})
    layout["xaxis"] = {
        "zeroline": True,
        "zerolinecolor": "#97391f",
        "range": [-1, 1],
        "fixedrange": True,
    }
    layout["yaxis"] = {"autorange": "reversed", "fixedrange": True}
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
