"""The map's chart memo never serves one person's chart to another (a timing side channel)."""

from __future__ import annotations

from counterpoint.interdependence.charts import ChartPoint, _map_chart, map_chart


def _chart_for(viewer: int) -> str:
    point = ChartPoint("You", 5.25, 3.5, 0.31, 0.27, "#444", True)
    return map_chart(
        [point],
        viewer=viewer,
        region_names={
            "interdependent": "Close and whole",
            "dependent": "Close, leaning",
            "distant": "Apart, whole",
            "disengaged": "Apart, adrift",
        },
        axis_titles=("Connection", "Autonomy"),
    )


def test_the_same_position_is_built_afresh_for_each_viewer() -> None:
    _map_chart.cache_clear()
    first = _chart_for(1)
    again = _chart_for(1)
    assert again == first
    assert _map_chart.cache_info().hits == 1  # the viewer's own repeat is remembered
    other = _chart_for(2)
    assert other != first  # built again (a new element id), not served from viewer 1's memo
    info = _map_chart.cache_info()
    assert (info.hits, info.misses) == (1, 2)
