"""The map as a Plotly chart (the text alternative lives in the templates)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import plotly.graph_objects as go

from counterpoint import palette
from counterpoint.science.numerics import Z95  # the engine's normal quantile, not a typed 1.96

REGION_CORNERS = {  # (x0, x1, y0, y1) as "low"/"high" relative to the cut-offs
    "interdependent": ("cut", "max", "cut", "max"),
    "dependent": ("min", "cut", "cut", "max"),
    "distant": ("cut", "max", "min", "cut"),
    "disengaged": ("min", "cut", "min", "cut"),
}


@dataclass(frozen=True)
class ChartPoint:
    name: str
    connection: float
    autonomy: float
    se_connection: float
    se_autonomy: float
    color: str
    latest: bool = True


def map_chart(
    points: list[ChartPoint],
    *,
    viewer: int,
    region_names: dict[str, str],
    axis_titles: tuple[str, str],
    cutoffs: tuple[float, float] = (4.0, 4.0),
    scale: tuple[int, int] = (1, 7),
) -> str:
    """An HTML fragment: autonomy across, connection up, each point with a 95% box of error bars.

    Remembered per process (the last 512 charts): building a Plotly figure cost about 20 ms of
    CPU, most of the map page's time. The memo is keyed by the viewer too. Without it, a chart
    already built for someone else would come back faster, and a person who made their own
    answers give a chosen position could time the page to learn whether another person (their
    partner) holds that position privately.
    """
    return _map_chart(
        viewer, tuple(points), tuple(sorted(region_names.items())), axis_titles, cutoffs, scale
    )


@lru_cache(maxsize=512)
def _map_chart(
    viewer: int,
    points_tuple: tuple[ChartPoint, ...],
    region_items: tuple[tuple[str, str], ...],
    axis_titles: tuple[str, str],
    cutoffs: tuple[float, float],
    scale: tuple[int, int],
) -> str:
    points, region_names = list(points_tuple), dict(region_items)
    lo, hi = scale
    fig = go.Figure()
    fills = {
        "interdependent": "rgba(30,107,72,.10)",
        "dependent": "rgba(151,57,31,.09)",
        "distant": "rgba(40,110,170,.10)",
        "disengaged": "rgba(90,88,112,.05)",
    }
    anchors = {
        "interdependent": (hi - 0.1, hi - 0.1, "right", "top"),
        "dependent": (lo + 0.1, hi - 0.1, "left", "top"),
        "distant": (hi - 0.1, lo + 0.1, "right", "bottom"),
        "disengaged": (lo + 0.1, lo + 0.1, "left", "bottom"),
    }
    values = {"min": lo, "max": hi}
    for region, (x0, x1, y0, y1) in REGION_CORNERS.items():
        # x is autonomy, y is connection
        fig.add_shape(
            type="rect",
            x0=values.get(x0, cutoffs[1]),
            x1=values.get(x1, cutoffs[1]),
            y0=values.get(y0, cutoffs[0]),
            y1=values.get(y1, cutoffs[0]),
            fillcolor=fills[region],
            line={"width": 0},
            layer="below",
        )
        ax, ay, xanchor, yanchor = anchors[region]
        fig.add_annotation(
            x=ax,
            y=ay,
            text=region_names[region],
            showarrow=False,
            xanchor=xanchor,
            yanchor=yanchor,
            font={"size": 12, "color": palette.MUTED},
        )
    for name in dict.fromkeys(p.name for p in points):
        mine = [p for p in points if p.name == name]
        fig.add_trace(
            go.Scatter(
                x=[p.autonomy for p in mine],
                y=[p.connection for p in mine],
                mode="lines+markers",
                name=name,
                line={"color": mine[0].color, "width": 1, "dash": "dot"},
                marker={
                    "color": mine[0].color,
                    "size": [14 if p.latest else 8 for p in mine],
                    "opacity": [1.0 if p.latest else 0.45 for p in mine],
                },
                error_x={
                    "type": "data",
                    "array": [Z95 * p.se_autonomy for p in mine],
                    "color": mine[0].color,
                    "thickness": 1.5,
                    "width": 4,
                },
                error_y={
                    "type": "data",
                    "array": [Z95 * p.se_connection for p in mine],
                    "color": mine[0].color,
                    "thickness": 1.5,
                    "width": 4,
                },
            )
        )
    fig.update_layout(
        height=420,
        margin={"l": 50, "r": 10, "t": 10, "b": 50},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor=palette.PAPER,
        showlegend=len({p.name for p in points}) > 1,
        legend={"orientation": "h", "y": -0.18},
        font={"family": "system-ui, sans-serif", "color": palette.INK},
    )
    fig.update_xaxes(
        title=axis_titles[1],
        range=[lo - 0.1, hi + 0.1],
        dtick=1,
        gridcolor=palette.GRID,
        zeroline=False,
    )
    fig.update_yaxes(
        title=axis_titles[0],
        range=[lo - 0.1, hi + 0.1],
        dtick=1,
        gridcolor=palette.GRID,
        zeroline=False,
    )
    return fig.to_html(
        include_plotlyjs=False,
        full_html=False,
        config={"displayModeBar": False, "staticPlot": True, "responsive": True},
    )
