"""A web worker readies itself as it starts (counterpoint/operations/warm.py), without the database.

Each test starts a fresh Python process, as gunicorn starts a worker, because what is checked is
a process's state: which modules are loaded, which templates are compiled, what is frozen.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

# What a worker does (import the WSGI module), then what its first pages would do next.
WORKER = """
import gc, json, sys
import counterpoint.wsgi  # gunicorn's import of the application: the warm-up runs here

from django.template import engines
from counterpoint.operations.warm import template_names
from counterpoint.interdependence.charts import ChartPoint, map_chart
from counterpoint.checkins.charts import mood_chart
import datetime as dt

frozen = gc.get_freeze_count()
loader = engines["django"].engine.template_loaders[0]
names = template_names()
before = set(sys.modules)
point = ChartPoint("Alex", 5.0, 4.0, 0.3, 0.4, "#1f77b4")
regions = {r: r for r in ("interdependent", "dependent", "distant", "disengaged")}
map_chart([point], viewer=1, region_names=regions, axis_titles=("a", "c"))
day = dt.date(2026, 12, 1)
mood_chart([("Alex", {day: 6})], day, day, "Mood")
print(json.dumps({
    "frozen": frozen,
    "templates": len(names),
    "compiled": sorted(name for name in names if name in loader.get_template_cache),
    "views_loaded": "counterpoint.insights.views" in before and "counterpoint.pages.views" in before,
    "imported_by_first_charts": sorted(set(sys.modules) - before),
}))
"""


def _start_worker(tmp_path: Path, database_url: str) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="counterpoint.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="couples.example.org",
        DATABASE_URL=database_url,
        COUNTERPOINT_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-c", WORKER],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


def test_a_worker_starts_warm_with_every_view_template_and_chart_loaded(tmp_path: Path) -> None:
    found = _start_worker(tmp_path, f"sqlite:///{tmp_path / 'warm.sqlite3'}")
    assert found["views_loaded"]
    # every template of the project and its apps is compiled before the first request
    assert found["templates"] > 100
    assert len(found["compiled"]) == found["templates"]
    assert "pages/home.html" in found["compiled"]
    assert "checkins/_today_card.html" in found["compiled"]
    # the first charts a worker draws load no code: Plotly's figure checks were loaded warm
    assert found["imported_by_first_charts"] == []
    # what was alive once warm is out of the collector's walks
    assert found["frozen"] > 50_000


def test_a_worker_starts_while_the_database_is_down(tmp_path: Path) -> None:
    """The warm-up reads nothing from the database: a worker started during a database restart
    comes up and answers /healthz with 503 until the database is back, instead of dying."""
    found = _start_worker(tmp_path, "postgres://postgres@127.0.0.1:9/not-there")
    assert len(found["compiled"]) == found["templates"]
    assert found["frozen"] > 50_000
