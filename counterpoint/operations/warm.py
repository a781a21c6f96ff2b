"""Ready a web process before its first request: load what pages use, then freeze the heap.

Two costs of a fresh process are paid here, once, instead of during requests:

* **The first request.** Django imports the URLconf (every view, and through them the charts and
  the engine's kernels) and compiles each template the first time it is used: a fresh worker's
  first home page took 1.3 s (docs/capacity.md, "The twenty-fourth stop"). gunicorn restarts its
  workers every ``--max-requests``, so every restart paid it again.
* **Full garbage collections.** Python's collector now and then walks every object it tracks. A
  web process holds about 220,000 of them that live as long as the process (modules, classes,
  URL patterns, compiled templates, plotly's figure checks), and one such walk took 136 ms, in the middle of whichever
  request triggered it. ``gc.freeze()`` moves what is alive once warm into a generation the
  collector never walks; what requests make is collected as before.

``warm_process`` is called by ``counterpoint/wsgi.py`` (so in each gunicorn worker as it starts)
and by the page benchmark, which serves pages in-process as a worker does. Nothing here reads or
writes a database: a worker that starts while the database is down still starts.
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path

logger = logging.getLogger(__name__)


def template_names() -> list[str]:
    """Every template of every Django template engine's folders (the project's and the apps')."""
    from django.template import engines
    from django.template.backends.django import DjangoTemplates

    names: set[str] = set()
    for engine in engines.all():
        if not isinstance(engine, DjangoTemplates):
            continue
        for folder in engine.template_dirs:
            root = Path(folder)
            names.update(
                path.relative_to(root).as_posix() for path in root.rglob("*.html") if path.is_file()
            )
    return sorted(names)


def load_templates() -> int:
    """Compile every template into the engine's cache (what the first use of each would do);
    the number compiled. A template that does not compile is left for its page to report."""
    from django.template import TemplateSyntaxError
    from django.template.loader import get_template

    loaded = 0
    for name in template_names():
        try:
            get_template(name)
        except TemplateSyntaxError:  # its page reports it, with the request that showed it
            logger.warning("template %s does not compile", name)
        else:
            loaded += 1
    return loaded


def draw_chart() -> None:
    """Draw one small chart with each kind of trace and decoration the pages draw. Plotly loads
    the code that checks a figure's properties the first time each is used: 200 ms for a
    process's first chart, 1 ms after. (``tests/web/test_warm.py`` draws the map and the mood
    chart after this and checks they load nothing more.)"""
    import plotly.graph_objects as go
    import plotly.io as pio

    figure = go.Figure()
    figure.add_shape(type="rect", x0=0, x1=1, y0=0, y1=1, line={"width": 0}, layer="below")
    figure.add_annotation(x=0, y=0, text="warm", showarrow=False, font={"size": 12})
    bars = {"type": "data", "array": [0.1], "thickness": 1.5, "width": 4}
    figure.add_trace(
        go.Scatter(
            x=[0],
            y=[0],
            mode="lines+markers",
            line={"width": 1, "dash": "dot"},
            marker={"size": [8], "opacity": [1.0]},
            error_x=bars,
            error_y=bars,
        )
    )
    figure.add_trace(go.Bar(x=["2026-01-01"], y=[1]))
    figure.add_trace(go.Histogram(x=[1]))
    figure.update_layout(
        title={"text": "warm", "font": {"size": 15}},
        xaxis={"type": "date", "title": {"text": "x"}},
        yaxis={"title": {"text": "y"}, "range": [0, 10]},
        legend={"orientation": "h"},
        margin={"l": 40, "r": 10, "t": 40, "b": 40},
        font={"family": "system-ui, sans-serif"},
    )
    pio.to_html(figure, include_plotlyjs=False, full_html=False)
    pio.to_html(figure.to_dict(), include_plotlyjs=False, full_html=False, validate=False)


def warm_process() -> None:
    """Import every view, compile every template, draw a chart, then freeze what is alive."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - importing the URLconf imports every view
    load_templates()
    draw_chart()
    gc.collect()  # so nothing already garbage is frozen with the rest
    gc.freeze()
