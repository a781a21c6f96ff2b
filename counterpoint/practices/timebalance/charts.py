"""The me/we balance chart (Plotly; the page loads the one hashed vendor/plotly.min.js through
js/charts.js). The table beside it is the text alternative."""

from __future__ import annotations

from typing import Any

import plotly.io as pio

from counterpoint import palette

ME, WE = palette.ME, palette.WE


def balance_chart(rows: list[dict[str, Any]], title: str, div_id: str) -> str | None:
    if not any(r["me"] or r["we"] for r in rows):
        return None
    weeks = [r["week_of"].strftime("%-d %b") for r in rows]
    traces = [
        {
            "type": "bar",
            "name": "me-time",
            "x": weeks,
            "y": [round(r["me"] / 60, 1) for r in rows],
            "marker": {"color": ME},
        },
        {
            "type": "bar",
            "name": "we-time",
            "x": weeks,
            "y": [round(r["we"] / 60, 1) for r in rows],
            "marker": {"color": WE},
        },
    ]
    layout = {
        "title": {"text": title, "font": {"size": 15}},
        "barmode": "group",
        "height": 260,
        "margin": {"l": 40, "r": 12, "t": 40, "b": 36},
        "legend": {"orientation": "h", "y": -0.25},
        "yaxis": {"title": {"text": "hours"}, "fixedrange": True},
        "xaxis": {"fixedrange": True},
        "paper_bgcolor": palette.PAPER,
        "plot_bgcolor": palette.PAPER,
        "font": {"family": "system-ui, sans-serif", "color": palette.INK},
    }
    return pio.to_html(
        {"data": traces, "layout": layout},
        include_plotlyjs=False,
        full_html=False,
        div_id=div_id,
        config={"displayModeBar": False, "responsive": True},
    )
