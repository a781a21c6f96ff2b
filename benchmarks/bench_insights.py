"""Benchmark the couple's insights page and check-in submission, on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/bench_insights.py [--runs 60] [--pg postgres://postgres@127.0.0.1:5432/counterpoint_bench4]

For each database: migrate a fresh database, create a couple with two years (730 days) of
check-ins from both partners (the engine's VAR simulator, as in the demo) plus weekly reflections,
then time, through Django's test client (middleware, session, templates, engine, every registered
insight section and the Plotly chart HTML — everything but the network):

* ``GET /insights/`` for one partner (target p95 < 150 ms)
* ``POST /checkins/`` — a valid check-in for today, alternating values (target p95 < 50 ms)

Each database runs in its own subprocess (settings read DATABASE_URL at start-up). PostgreSQL runs
twice: with persistent connections (CONN_MAX_AGE=600) and with a new connection per request (the
settings' default today). It is skipped, with a note, when it cannot be reached. Prints one line per
measurement, then the median time of our insight sections and of each other registered section.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/counterpoint_bench4"
YEARS_DAYS = 730


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_one(runs: int, conn_max_age: int) -> None:
    """Runs inside the subprocess, with DATABASE_URL set."""
    import datetime as dt

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "counterpoint.settings")
    from django.conf import settings

    settings.DATABASES["default"]["CONN_MAX_AGE"] = conn_max_age
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0, interactive=False)

    import numpy as np

    from counterpoint.accounts.models import User
    from counterpoint.checkins.demo import simulated_series
    from counterpoint.checkins.models import CheckIn, WeeklyReflection, week_start_of
    from counterpoint.couples.models import Couple, Membership
    from counterpoint.privacy.models import Visibility

    suffix = str(time.time_ns())
    a = User.objects.create_user(f"a{suffix}@bench.example", None, display_name="Ana")
    b = User.objects.create_user(f"b{suffix}@bench.example", None, display_name="Ben")
    couple = Couple.objects.create()
    Membership.objects.create(couple=couple, user=a)
    Membership.objects.create(couple=couple, user=b)
    today = a.local_today()
    first = today - dt.timedelta(days=YEARS_DAYS)  # yesterday is the last seeded day
    mood = np.clip(np.rint(simulated_series("mood", YEARS_DAYS)), 0, 10).astype(int)
    stress = np.clip(np.rint(simulated_series("stress", YEARS_DAYS)), 0, 10).astype(int)
    rng = np.random.default_rng(1)
    rows, reflections = [], []
    for g, person in enumerate((a, b)):
        for i in range(YEARS_DAYS):
            day = first + dt.timedelta(days=i)
            rows.append(
                CheckIn(
                    author=person,
                    couple=couple,
                    visibility=Visibility.PARTNER,
                    day=day,
                    mood=int(mood[g, i]),
                    energy=5,
                    stress=int(stress[g, i]),
                    closeness=4,
                    sought_support="helped" if rng.random() < 0.2 else "no",
                    me_minutes=int(rng.integers(0, 180)),
                    we_minutes=int(rng.integers(0, 240)),
                    note="a note" if rng.random() < 0.1 else "",
                    journal_line="a line" if rng.random() < 0.1 else "",
                )
            )
            if day.weekday() == 0:
                reflections.append(
                    WeeklyReflection(
                        author=person,
                        couple=couple,
                        visibility=Visibility.PARTNER,
                        week_start=week_start_of(day),
                        life_satisfaction=int(rng.integers(4, 10)),
                        relationship_satisfaction=int(rng.integers(4, 10)),
                    )
                )
    CheckIn.objects.bulk_create(rows, batch_size=500)
    WeeklyReflection.objects.bulk_create(reflections, batch_size=500)

    client = Client()
    client.force_login(a)
    page_times = []
    for i in range(runs + 3):
        start = time.perf_counter()
        response = client.get("/insights/")
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        if i >= 3:  # warm-up: imports, template loading
            page_times.append(elapsed)
    # The same page with only this feature's sections registered (other features' sections off).
    from counterpoint.insights.registry import INSIGHT_SECTIONS
    from counterpoint.insights.sections import SECTIONS

    saved = dict(INSIGHT_SECTIONS)
    INSIGHT_SECTIONS.clear()
    INSIGHT_SECTIONS.update({k: v for k, v in saved.items() if k in SECTIONS})
    own_page_times = []
    for i in range(runs + 3):
        start = time.perf_counter()
        response = client.get("/insights/")
        elapsed = time.perf_counter() - start
        if i >= 3:
            own_page_times.append(elapsed)
    INSIGHT_SECTIONS.clear()
    INSIGHT_SECTIONS.update(saved)

    post_times = []
    for i in range(runs + 3):
        data = {
            "day": today.isoformat(),
            "mood": i % 11,
            "energy": 5,
            "stress": (i * 3) % 11,
            "closeness": 1 + i % 7,
            "sought_support": "no",
            "me_minutes": 30,
            "we_minutes": 60,
            "note": "",
            "journal_line": "",
        }
        start = time.perf_counter()
        response = client.post("/checkins/", data)
        elapsed = time.perf_counter() - start
        assert response.status_code == 302, response.status_code
        if i >= 3:
            post_times.append(elapsed)

    # Where the page's time goes: our sections (sharing one diary), and each other feature's.
    def section_ms(names: list[str]) -> float:
        times = []
        for _ in range(15):
            user = User.objects.get(pk=a.pk)  # a fresh object: no cached diary
            start = time.perf_counter()
            for name in names:
                INSIGHT_SECTIONS[name](user)
            times.append((time.perf_counter() - start) * 1000)
        return _p(times, 0.5)

    vendor = f"{connection.vendor}{'' if conn_max_age else ' (new connection per request)'}"
    n = CheckIn.objects.filter(couple=couple).count()
    for label, times, target in (
        ("GET /insights/ (2 years, both partners)", page_times, 150),
        ("  same, only the check-in sections", own_page_times, 150),
        ("POST /checkins/", post_times, 50),
    ):
        ms = [t * 1000 for t in times]
        p95 = _p(ms, 0.95)
        print(
            f"{vendor:42s} {label:40s} runs={len(ms):3d} median={_p(ms, 0.5):6.1f} ms "
            f"p95={p95:6.1f} ms  target<{target} ms  {'OK' if p95 < target else 'OVER'}  "
            f"({n} check-ins)"
        )
    ours = [k for k in INSIGHT_SECTIONS if k in SECTIONS]
    parts = [f"check-in insights (6 sections) {section_ms(ours):.1f} ms"]
    parts += [f"{k} {section_ms([k]):.1f} ms" for k in INSIGHT_SECTIONS if k not in SECTIONS]
    print(f"{'':42s}   median per section: " + "; ".join(parts))
    # leave the (reused) PostgreSQL database as we found it
    CheckIn.objects.filter(couple=couple).delete()
    WeeklyReflection.objects.filter(couple=couple).delete()
    User.objects.filter(pk__in=[a.pk, b.pk]).delete()
    couple.delete()


def _ensure_pg_database(url: str) -> bool:
    from urllib.parse import urlparse

    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        print(f"postgresql skipped: cannot reach {admin} ({exc.__class__.__name__})")
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--conn-max-age", type=int, default=600, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_one(args.runs, args.conn_max_age)
        return
    with tempfile.TemporaryDirectory() as tmp:
        targets = [f"sqlite:///{tmp}/bench.sqlite3"]
        if _ensure_pg_database(args.pg):
            targets.append(args.pg)
        for url in targets:
            # PostgreSQL twice: with persistent connections (CONN_MAX_AGE=600, as a deployment
            # should run) and with the settings' default of a new connection per request.
            for age in (600, 0) if url.startswith("postgres") else (0,):
                env = {**os.environ, "DATABASE_URL": url}
                cmd = [sys.executable, __file__, "--child", "--runs", str(args.runs)]
                cmd += ["--conn-max-age", str(age)]
                subprocess.run(cmd, env=env, cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
