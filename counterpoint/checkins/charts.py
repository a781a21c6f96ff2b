"""The check-in history chart: each person's mood over the last weeks (Plotly; the page loads the
one vendor/plotly.min.js through js/charts.js). The day table beside it is the text alternative."""

from __future__ import annotations

import datetime as dt
from typing import Any

import plotly.io as pio

from counterpoint import palette


def mood_chart(
    series: list[tuple[str, dict[dt.date, int]]], start: dt.date, end: dt.date, title: str
) -> str | None:
    """``series``: (name, {day: mood}) per person, the viewer first."""
    traces = []
    for g, (name, by_day) in enumerate(series):
        if not by_day:
            continue
        days = sorted(by_day)
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "x": [d.isoformat() for d in days],
                "y": [by_day[d] for d in days],
                "line": {"color": palette.PEOPLE[g], "width": 2, "dash": ("solid", "dot")[g]},
                # two shapes, so equal values never hide one partner's dot
                "marker": {
                    "size": (8, 6)[g],
                    "symbol": ("circle-open", "diamond")[g],
                    "color": palette.PEOPLE[g],
                    "line": {"width": 2, "color": palette.PEOPLE[g]},
                },
                "hovertemplate": "%{x|%-d %b}: %{y}<extra>" + name + "</extra>",
            }
        )
    if not traces:
        return None
    layout = {
        "title": {"text": title, "font": {"size": 15}},
        "height": 220,
        "margin": {"l": 36, "r": 10, "t": 56, "b": 30},
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "xanchor": "left"},
        "xaxis": {
            "type": "date",
            "range": [
                (start - dt.timedelta(hours=12)).isoformat(),
                (end + dt.timedelta(hours=12)).isoformat(),
            ],
            "tickformat": "%-d %b",
            "fixedrange": True,
        },
        "yaxis": {"range": [-0.5, 10.5], "dtick": 5, "fixedrange": True},
        "paper_bgcolor": palette.PAPER,
        "plot_bgcolor": palette.PAPER,
        "font": {"family": "system-ui, sans-serif", "color": palette.INK},
    }
    return pio.to_html(
        {"data": traces, "layout": layout},
        include_plotlyjs=False,
        full_html=False,
        validate=False,
        div_id="history-mood",
        default_width="100%",
        config={"displayModeBar": False, "responsive": True},
    )


def by_day(rows: list[Any]) -> list[dict[str, Any]]:
    """One table row per day, newest first: the viewer's and the partner's check-ins side by side
    (the evening slot, when there is one, after the day's)."""
    days: dict[dt.date, dict[str, list[Any]]] = {}
    for row in rows:
        cell = days.setdefault(row.day, {"mine": [], "theirs": []})
        cell["mine" if row.mine else "theirs"].append(row)
    return [{"day": day, **days[day]} for day in sorted(days, reverse=True)]
