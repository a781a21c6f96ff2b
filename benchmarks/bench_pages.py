"""CPU per page of the load test's mix, single-threaded, with production settings.

    .venv/bin/python benchmarks/bench_pages.py [--repeat 30] [--profile PAGE] [--db sqlite|postgres]

Serves each page of the mix (benchmarks/locustfile.py) through Django's full handler (every
middleware, the template engine, the database) in this one process, as one of the load test's
seeded partners, and prints per page: the CPU time per request (``time.process_time``, median and
90th percentile over ``--repeat`` requests after one warm-up request), the wall time, and the
number of database queries. This is the cost each request puts on a core, which is what the load
test's throughput is made of, measured without the noise of a shared machine's other processes.
``--profile PAGE`` prints cProfile's top functions for one page (cumulative time).

The database is the load test's (``--couples`` couples with the demo's history, seeded as
bench_load.py does) in /tmp/cp-pages-<db>, kept between runs.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]

from bench_load import _env, _pg_exists, _pg_fresh  # noqa: E402

MIX = [
    ("healthz", "GET", "/healthz"),
    ("home", "GET", "/home/"),
    ("check-in form", "GET", "/checkins/"),
    ("check-in form (edit)", "GET", "/checkins/?edit=1"),
    ("check-in submit", "POST", "/checkins/"),
    ("insights", "GET", "/insights/"),
    ("insights.json", "GET", "/insights.json"),
    ("map", "GET", "/map/"),
    ("activity", "GET", "/activity/"),
]


def _checkin_values(page: str) -> dict[str, str]:
    import re

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    day = re.search(r'name="day" value="([^"]+)"', page)
    if token is None or day is None:
        raise SystemExit("the check-in page has no form")
    return {
        "csrfmiddlewaretoken": token.group(1),
        "day": day.group(1),
        "mood": str(random.randint(0, 10)),
        "energy": str(random.randint(0, 10)),
        "stress": str(random.randint(0, 10)),
        "closeness": str(random.randint(1, 7)),
        "sought_support": "no",
        "me_minutes": "30",
        "we_minutes": "60",
        "note": "",
        "journal_line": "",
    }


def measure(repeat: int, profile: str | None) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from counterpoint.accounts.models import User

    user = User.objects.get(email="load0@bench.example")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    print("\n| page | CPU ms p50 | CPU ms p90 | wall ms p50 | queries | status |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, method, path in MIX:

        def once(method: str = method, path: str = path) -> int:
            if method == "GET":
                return client.get(path, HTTP_HOST="127.0.0.1").status_code
            form = client.get("/checkins/?edit=1", HTTP_HOST="127.0.0.1").content.decode()
            values = _checkin_values(form)
            started = time.process_time()
            status = client.post(path, values, HTTP_HOST="127.0.0.1").status_code
            once.cpu = time.process_time() - started  # type: ignore[attr-defined]
            return status

        once()  # warm: caches, connections, templates
        cpu, wall = [], []
        status = 0
        for _ in range(repeat):
            w0, c0 = time.perf_counter(), time.process_time()
            status = once()
            c1, w1 = time.process_time(), time.perf_counter()
            cpu.append(getattr(once, "cpu", c1 - c0) * 1000)
            wall.append((w1 - w0) * 1000)
        with CaptureQueriesContext(connection) as queries:
            once()
        count = f"{len(queries)} (form + post)" if method == "POST" else str(len(queries))
        print(
            f"| {name} | {statistics.median(cpu):.1f} | {sorted(cpu)[int(0.9 * (len(cpu) - 1))]:.1f} "
            f"| {statistics.median(wall):.1f} | {count} | {status} |"
        )
        if profile == name:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(repeat):
                once()
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(
                os.environ.get("PROFILE_FILTER", ""), 45
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--couples", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", help="a page name of the mix")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.repeat, args.profile)
        return
    var = Path(f"/tmp/cp-pages-{args.db}")
    var.mkdir(exist_ok=True)
    env = _env(args.db, var)
    if args.db == "postgres":
        env["DATABASE_URL"] = env["DATABASE_URL"].rsplit("/", 1)[0] + "/cp_pages"
        if not _pg_exists("cp_pages") and not _pg_fresh("cp_pages"):
            return
    if not (var / "seeded").exists() or args.db == "postgres":
        subprocess.run(
            [sys.executable, str(BENCH / "bench_load.py"), "--seed-only", str(args.couples)],
            env=env,
            check=True,
        )
        (var / "seeded").touch()
    print(
        f"# CPU per page ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {args.db}, "
        f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())})"
    )
    cmd = [sys.executable, __file__, "--measure", "--repeat", str(args.repeat)]
    if args.profile:
        cmd += ["--profile", args.profile]
    # the request log lines are written (their cost is part of a request's) but not shown
    subprocess.run(cmd, env=env, check=True, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
