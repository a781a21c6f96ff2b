"""CPU per page of the load test's mix, single-threaded, with production settings.

    .venv/bin/python benchmarks/bench_pages.py [--repeat 30] [--profile PAGE] [--db sqlite|postgres]

Serves each page of the mix (benchmarks/locustfile.py) through Django's full handler (every
middleware, the template engine, the database) in this one process, as one of the load test's
seeded partners, and prints per page: the CPU time per request (``time.process_time``, median and
90th percentile over ``--repeat`` requests after one warm-up request), the wall time, and the
number of database queries. This is the cost each request puts on a core, which is what the load
test's throughput is made of, measured without the noise of a shared machine's other processes.
``--profile PAGE`` prints cProfile's top functions for one page (cumulative time); with
``PAGES_SQL=1`` each page's queries are printed under its row.

``--mix N`` plays the load test's mix instead: N actions, each by a seeded person chosen at random,
with the locustfile's weights (sign-in and sign-out excluded: their Argon2 cost is measured on its
own row), and prints per page and per way it was served (kept or rendered) the count and CPU, and
the mix's mean CPU per request: the cost the load test's saturated phase divides the cores by.
``--profile mix`` profiles the whole mix. It also prints the garbage collector's runs and their CPU
per request.

The process warms up first as each web worker does (``counterpoint/operations/warm.py``: every view
and template loaded, the heap frozen); ``--cold`` skips that, to measure what it saves.

The database is the load test's (``--couples`` couples with the demo's history, seeded as
bench_load.py does) in /tmp/cp-pages-<db>, kept between runs.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT)]

from bench_load import PASSWORD, _env, _pg_exists, _pg_fresh  # noqa: E402

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
    # the timing side channel (docs/capacity.md): the partner writes just before each view
    ("insights after the partner's private entry", "GET", "/insights/"),
    ("insights after the partner's shared entry", "GET", "/insights/"),
    ("insights after the partner's check-in", "GET", "/insights/"),
    ("home after the partner's check-in", "GET", "/home/"),
    ("check-in form after the partner's check-in", "GET", "/checkins/"),
    # Argon2: one sign-in (a fresh client each time)
    ("sign-in", "SIGN-IN", "/account/login/"),
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


# the locustfile's weights (benchmarks/locustfile.py); a submit is the form (?edit=1) and the POST
MIX_WEIGHTS = [
    ("home", "/home/", 40),
    ("check-in form", "/checkins/", 30),
    ("check-in submit", "/checkins/", 10),
    ("insights", "/insights/", 20),
    ("insights.json", "/insights.json", 10),
    ("map", "/map/", 20),
    ("activity", "/activity/", 20),
]


def _warm() -> None:
    """What each web worker does as it starts (counterpoint/wsgi.py), unless ``--cold``."""
    if os.environ.get("PAGES_COLD"):
        print("(cold: the web workers' warm-up skipped)")
        return
    from counterpoint.operations.warm import warm_process

    warm_process()


class _GarbageCollections:
    """The collector's runs while inside, by generation: how many, and their CPU time."""

    def __init__(self) -> None:
        self.runs = [0, 0, 0]
        self.seconds = [0.0, 0.0, 0.0]
        self._started = 0.0

    def _note(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.process_time()
        else:
            self.runs[info["generation"]] += 1
            self.seconds[info["generation"]] += time.process_time() - self._started

    def __enter__(self) -> _GarbageCollections:
        gc.callbacks.append(self._note)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._note)

    def describe(self, requests: int) -> str:
        per_request = 1000 * sum(self.seconds) / max(requests, 1)
        runs = ", ".join(
            f"generation {g}: {n} runs, {1000 * t:.0f} ms"
            for g, (n, t) in enumerate(zip(self.runs, self.seconds, strict=True))
        )
        return f"{per_request:.2f} ms CPU per request ({runs})"


def measure_mix(actions: int, profile: str | None) -> None:
    """Play ``actions`` actions of the mix as the seeded people, in one process; print the CPU per
    page and way served."""
    import collections

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    _warm()
    from counterpoint.accounts.models import User

    people = list(User.objects.filter(email__endswith="@bench.example").order_by("email"))
    clients = []
    for person in people:
        client = Client(enforce_csrf_checks=True)
        client.force_login(person)
        clients.append(client)
    rng = random.Random(7)
    names = [n for n, _, _ in MIX_WEIGHTS]
    weights = [w for _, _, w in MIX_WEIGHTS]
    paths = {n: p for n, p, _ in MIX_WEIGHTS}
    cost: dict[tuple[str, str], list[float]] = collections.defaultdict(list)
    # Was each render needed? A render whose page (per-request tokens aside) is the one this person
    # last saw at this address was caused by a write that moved their stamp but not this page.
    last_page: dict[tuple[int, str], str] = {}
    renders: collections.Counter[tuple[str, bool]] = collections.Counter()

    def request(client, method, path, name, data=None):  # type: ignore[no-untyped-def]
        c0 = time.process_time()
        if method == "GET":
            response = client.get(path, HTTP_HOST="127.0.0.1")
        else:
            response = client.post(path, data, HTTP_HOST="127.0.0.1")
        ms = (time.process_time() - c0) * 1000
        served = getattr(response.wsgi_request, "page_cache", "-")
        cost[(name, served)].append(ms)
        if method == "GET":
            page, where = _normal(response.content), (id(client), path)
            if served == "rendered" and where in last_page:
                renders[(name, page == last_page[where])] += 1
            last_page[where] = page
        return response

    def play() -> None:
        for _ in range(actions):
            client = rng.choice(clients)
            name = rng.choices(names, weights)[0]
            if name == "check-in submit":
                form = request(client, "GET", "/checkins/?edit=1", "check-in form (edit)")
                request(client, "POST", "/checkins/", name, _checkin_values(form.content.decode()))
            else:
                request(client, "GET", paths[name], name)

    backend = _database_backend_cpu()
    database_before = backend()
    collections_seen = _GarbageCollections()
    with collections_seen:
        if profile == "mix":
            profiler = cProfile.Profile()
            profiler.enable()
            play()
            profiler.disable()
        else:
            play()
    database_seconds = backend() - database_before
    print(f"\n{len(people)} people, {actions} actions\n")
    print("| page | served | requests | CPU ms mean | CPU ms p50 | CPU share |")
    print("|---|---|---:|---:|---:|---:|")
    total = sum(sum(v) for v in cost.values())
    count = sum(len(v) for v in cost.values())
    for (name, served), values in sorted(cost.items(), key=lambda kv: -sum(kv[1])):
        print(
            f"| {name} | {served} | {len(values)} | {statistics.fmean(values):.1f} "
            f"| {statistics.median(values):.1f} | {100 * sum(values) / total:.0f}% |"
        )
    kept = sum(len(v) for (_, served), v in cost.items() if served == "kept")
    print(
        f"\n**mix: {count} requests, {total / count:.1f} ms CPU per request, "
        f"{100 * kept / count:.0f}% kept**"
    )
    print(f"\n**garbage collection: {collections_seen.describe(count)}**")
    if database_seconds:
        print(
            f"\n**the database server's process: {1000 * database_seconds / count:.1f} ms CPU per "
            "request** (PostgreSQL's backend for this connection, from /proc)"
        )
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            print(f"statements prepared on this connection: {cursor.fetchone()[0]}")
    print(
        "\nRenders after an earlier view of the same page (first views left out), by whether "
        "the page came out the same as that view:\n"
    )
    print("| page | rendered again | the same page | share the same |\n|---|---:|---:|---:|")
    for name in dict.fromkeys(n for n, _ in renders):
        same, changed = renders[(name, True)], renders[(name, False)]
        print(f"| {name} | {same + changed} | {same} | {100 * same / (same + changed):.0f}% |")
    same = sum(n for (_, s), n in renders.items() if s)
    print(
        f"| **all** | {sum(renders.values())} | {same} | {100 * same / sum(renders.values()):.0f}% |"
    )
    if profile == "mix":
        stats = pstats.Stats(profiler)
        _print_where_time_goes(stats)
        stats.sort_stats(os.environ.get("PROFILE_SORT", "tottime")).print_stats(
            os.environ.get("PROFILE_FILTER", ""), 45
        )


def _database_backend_cpu() -> Callable[[], float]:
    """A clock of the CPU seconds PostgreSQL's backend process for this connection has used (read
    from /proc, so only for a server on this machine); 0 for SQLite, which runs in this process
    and is counted in its CPU already."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
    if not stat.exists():
        return lambda: 0.0
    tick = os.sysconf("SC_CLK_TCK")

    def seconds() -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick  # utime and stime

    return seconds


def _normal(body: bytes) -> str:
    """A page without what differs between any two requests: CSRF tokens, the CSP nonce and create
    forms' once-only keys (as tests/web/test_page_cache.py compares pages)."""
    import re

    text = re.sub(r"[A-Za-z0-9]{64}", "-", body.decode())
    text = re.sub(r'nonce="[^"]+"', 'nonce="-"', text)
    return re.sub(r'(submission_key" value=")[0-9a-f]{32}', r"\1-", text)


def _print_where_time_goes(stats: pstats.Stats) -> None:
    """The profile's own time by part: the ORM, templates, the database driver, our code..."""
    import collections

    parts = [
        ("django ORM", "/django/db/"),
        ("django templates", "/django/template"),
        ("django forms", "/django/forms/"),
        ("django other", "/django/"),
        ("counterpoint", "/counterpoint/"),
        ("numpy/scipy/pandas", "/numpy/|/scipy/|/pandas/"),
        ("other libraries", "site-packages"),
    ]
    own: dict[str, float] = collections.Counter()
    for (filename, _, function), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        name = "python and C builtins"
        if "sqlite3" in function or ("execute" in function and filename == "~"):
            name = "database calls"
        for part, pattern in parts:
            if any(p in filename for p in pattern.split("|")):
                name = part
                break
        own[name] += tottime
    total = sum(own.values())
    print("\n| part | own time s | share |\n|---|---:|---:|")
    for name, seconds in sorted(own.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {seconds:.2f} | {100 * seconds / total:.0f}% |")


def measure(repeat: int, profile: str | None) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0, interactive=False)  # the code may be newer than the data
    call_command("collectstatic", verbosity=0, interactive=False)
    _warm()

    from counterpoint.accounts.models import User

    user = User.objects.get(email="load0@bench.example")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    print("\n| page | CPU ms p50 | CPU ms p90 | wall ms p50 | queries | status |")
    print("|---|---:|---:|---:|---:|---:|")
    from counterpoint.couples.selectors import partner_of
    from counterpoint.journal.services import journal_entry_write

    partner = partner_of(user)
    assert partner is not None
    partner_client = Client(enforce_csrf_checks=True)
    partner_client.force_login(partner)

    def prepare(name: str) -> None:
        """What happens just before the measured request (not measured)."""
        if "partner's private" in name:
            journal_entry_write(user=partner, body="a private line", visibility="private")
        elif "partner's shared" in name:
            journal_entry_write(user=partner, body="a shared line", visibility="partner")
        elif "partner's check-in" in name:  # through the form, as the load test's partners do
            form = partner_client.get("/checkins/?edit=1", HTTP_HOST="127.0.0.1")
            values = _checkin_values(form.content.decode())
            partner_client.post("/checkins/", values, HTTP_HOST="127.0.0.1")

    from django.conf import settings
    from django.test.utils import override_settings

    kept_seconds = settings.PAGE_CACHE_SECONDS
    only = os.environ.get("PAGES_ONLY", "")
    runs = []
    for name, method, path in MIX:
        # a page of the daily loop twice: rendered (the page cache off), and served as kept
        # (counterpoint/privacy/page_cache.py) when nothing the viewer may read has changed
        if method == "GET" and name != "healthz" and "partner's" not in name:
            runs.append((f"{name}, rendered", method, path, 0))
            runs.append((f"{name}, kept", method, path, kept_seconds))
        else:
            runs.append((name, method, path, kept_seconds))
    for name, method, path, page_cache_seconds in runs:
        if only and only not in name:
            continue
        with override_settings(PAGE_CACHE_SECONDS=page_cache_seconds):
            _measure_one(client, user, prepare, name, method, path, repeat, profile)


def _measure_one(client, user, prepare, name, method, path, repeat, profile):  # type: ignore[no-untyped-def]
    """Serve one page of the mix ``repeat`` times and print its row."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def once(name: str = name, method: str = method, path: str = path) -> int:
        """One request; its CPU and wall time (without any preparation) in once.cpu/wall."""
        prepare(name)
        if method == "GET":
            request, args = client.get, (path,)
        elif method == "SIGN-IN":
            fresh = Client()
            request = fresh.post  # type: ignore[assignment]
            args = (path, {"username": user.email, "password": PASSWORD})  # type: ignore[assignment]
        else:
            form = client.get("/checkins/?edit=1", HTTP_HOST="127.0.0.1").content.decode()
            request, args = client.post, (path, _checkin_values(form))  # type: ignore[assignment]
        w0, c0 = time.perf_counter(), time.process_time()
        status = request(*args, HTTP_HOST="127.0.0.1").status_code  # type: ignore[arg-type]
        once.cpu = time.process_time() - c0  # type: ignore[attr-defined]
        once.wall = time.perf_counter() - w0  # type: ignore[attr-defined]
        return status

    once()  # warm: caches, connections, templates
    cpu, wall = [], []
    status = 0
    for _ in range(repeat if method != "SIGN-IN" else max(3, repeat // 6)):
        status = once()
        cpu.append(once.cpu * 1000)  # type: ignore[attr-defined]
        wall.append(once.wall * 1000)  # type: ignore[attr-defined]
    with CaptureQueriesContext(connection) as queries:
        once()
    if os.environ.get("PAGES_SQL"):
        for query in queries.captured_queries:
            print(f"    {query['time']}s  {query['sql'][:300]}")
    extra = {"POST": " (form + post)", "SIGN-IN": ""}.get(method, "")
    count = f"{len(queries)}{extra}"
    if "partner's" in name:
        count += " (+ the partner's write)"
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
        pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(
            os.environ.get("PROFILE_FILTER", ""), 45
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--couples", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", help="a page name of the mix")
    parser.add_argument("--only", default="", help="only the pages whose name contains this")
    parser.add_argument("--mix", type=int, default=0, help="play N actions of the mix instead")
    parser.add_argument("--var", help="the folder of the SQLite database (/tmp/cp-pages-<db>)")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="serve as a process that skips the web workers' warm-up (operations/warm.py)",
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        if args.mix:
            measure_mix(args.mix, args.profile)
        else:
            measure(args.repeat, args.profile)
        return
    var = Path(args.var or f"/tmp/cp-pages-{args.db}")
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
    if args.mix:
        cmd += ["--mix", str(args.mix)]
    if args.profile:
        cmd += ["--profile", args.profile]
    env["PAGES_ONLY"] = args.only
    env["PAGES_COLD"] = "1" if args.cold else ""
    # the request log lines are written (their cost is part of a request's) but not shown
    subprocess.run(cmd, env=env, check=True, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
