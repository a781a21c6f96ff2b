"""Load test: many partners at once against gunicorn with production settings (locust, headless).

    .venv/bin/python benchmarks/bench_load.py [--db sqlite|postgres|both] [--couples 25]
        [--users 50] [--floor-seconds 30] [--seconds 60] [--sat-seconds 40] [--warmup 5]
        [--phases floor,paced,saturated|writes] [--sqlite-synchronous FULL|NORMAL]
        [--gunicorn-sqlite "..."] [--gunicorn-postgres "..."] [--reuse]

For each database: a fresh database (SQLite in a temporary folder; PostgreSQL ``cp_load`` at
127.0.0.1, dropped first), migrated, with ``--couples`` couples signed up, paired and given the
demo's history through the same services and seeders as ``manage.py demo`` (both databases are
seeded side by side). ``--reuse`` keeps the databases between runs (SQLite in /tmp/cp-load-sqlite,
PostgreSQL ``cp_load``): only migrated. Each partner phase gets a fresh session per person, made
beforehand as a sign-in leaves it (so the phases measure pages, not an Argon2 storm, and a sign-out
in one phase never leaves a partner of the next signed out). Then gunicorn serves it on 127.0.0.1
(niced, ``benchmarks/loadtest_settings.py``: production settings, DEBUG off, over plain HTTP) and
locust runs bounded phases:

1. floor: /healthz with no think time (the framework's ceiling on this machine);
2. paced: ``--users`` partners with 0.5–1.5 s between actions (the latency target: p95 < 150 ms);
3. saturated: the same partners with no think time (the throughput target);
4. writes (only when asked): the partners saving check-ins with no think time.

The first ``--warmup`` seconds of a partner phase are not counted. Prints one markdown table per
phase with p50/p95/p99 (ms) and requests/s per page and its failures, then a summary (floor rate,
paced p95, saturated rate, mix/floor ratio) and the load average before and after each phase (the
machine may be shared: compare runs made close together). Exits with an error when any request
was redirected to the sign-in form: such a run measured the sign-in page, not the mix.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PASSWORD = "load-test-passphrase"
REUSED_SQLITE = "/tmp/cp-load-sqlite"
# demo seeders that make people of their own (one researcher for the demo): not once per couple
NOT_PER_COUPLE = {"counterpoint.research.demo"}
SIGNED_OUT_MARK = "SIGNED OUT"  # locustfile.SIGNED_OUT starts so
DEFAULT_GUNICORN = {
    "sqlite": "--workers 2 --worker-class gthread --threads 4",
    "postgres": "--workers 2 --worker-class gthread --threads 4",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def seed(couples: int, phases: list[str] | None = None) -> None:
    """Runs in a subprocess with the benchmark's environment: migrate and create the couples."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if not os.environ.get("LOAD_STATIC_ROOT"):  # bench_load.py collects once for all databases
        call_command("collectstatic", verbosity=0, interactive=False)
    from counterpoint.accounts.models import User

    if User.objects.filter(email__endswith="@bench.example").count() < 2 * couples:
        _seed_couples(couples)
    for phase in phases or ["paced", "saturated"]:
        _sign_in_beforehand(phase)


def _sign_in_beforehand(phase: str) -> None:
    """A fresh session per person and phase, as a sign-in leaves it, so phases measure pages, not
    Argon2, and a sign-out in one phase never leaves the next phase's partner signed out."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from counterpoint.accounts.models import User

    lines = []
    for user in User.objects.filter(email__endswith="@bench.example"):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        lines.append(f"{user.email} {session.session_key}\n")
    (Path(settings.VAR_DIR) / f"sessions-{phase}.txt").write_text("".join(lines))


def _seed_people_only() -> None:
    """One couple, signed up and paired through the services, without history (kill test)."""
    from counterpoint.accounts.services import account_signup
    from counterpoint.pairing.services import invite_accept, invite_create

    a = account_signup(email="load0@bench.example", password=PASSWORD, display_name="A")
    b = account_signup(email="load1@bench.example", password=PASSWORD, display_name="B")
    invite_accept(user=b, code_or_token=invite_create(inviter=a).token)


def _seed_couples(couples: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from counterpoint.accounts.models import User
    from counterpoint.accounts.services import account_signup
    from counterpoint.couples.models import Couple, Membership
    from counterpoint.demo import DEMO_DAYS, DEMO_SEEDERS, DemoCouple
    from counterpoint.pairing.services import invite_accept, invite_create

    start = timezone.now() - dt.timedelta(days=DEMO_DAYS)
    for i in range(couples):
        if User.objects.filter(email=f"load{2 * i}@bench.example").exists():
            continue  # seeded by an earlier run (each couple is all or nothing)
        with transaction.atomic():
            a = account_signup(
                email=f"load{2 * i}@bench.example", password=PASSWORD, display_name=f"A{i}"
            )
            b = account_signup(
                email=f"load{2 * i + 1}@bench.example", password=PASSWORD, display_name=f"B{i}"
            )
            invite = invite_create(inviter=a)
            couple = invite_accept(user=b, code_or_token=invite.token)
            demo = DemoCouple(alex=a, sam=b, couple=couple, start=start)
            # as the demo couple: members since the start of their history
            User.objects.filter(pk__in=[a.pk, b.pk]).update(date_joined=start)
            Membership.objects.filter(couple=couple).update(joined_at=start)
            Couple.objects.filter(pk=couple.pk).update(created_at=start)
            for seeder in DEMO_SEEDERS:
                if seeder.__module__ in NOT_PER_COUPLE:
                    continue
                seeder(demo)


def env_note(env: dict[str, str] | None = None) -> str:
    """What of the environment shapes the numbers (the SQLite durability setting)."""
    value = (env or os.environ).get("SQLITE_SYNCHRONOUS", "FULL (default)")
    return f"SQLITE_SYNCHRONOUS={value}"


def _env(db: str, var_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "loadtest_settings",
            "PYTHONPATH": f"{BENCH}{os.pathsep}{ROOT}",
            "SECRET_KEY": "load-test-only-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1",
            "COUNTERPOINT_VAR_DIR": str(var_dir),
            "LOG_LEVEL": "ERROR",
        }
    )
    if db == "postgres":
        env["DATABASE_URL"] = PG_ADMIN.rsplit("/", 1)[0] + "/cp_load"
    else:
        env.pop("DATABASE_URL", None)
    return env


def _pg_fresh(name: str = "cp_load") -> bool:
    for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
        done = subprocess.run(["psql", PG_ADMIN, "-qc", sql], capture_output=True, text=True)
        if done.returncode != 0:
            print(f"PostgreSQL not reachable, skipped: {done.stderr.strip()}")
            return False
    return True


def _wait_up(port: int, timeout: float = 90) -> None:
    """Until every worker has booted and answered (a few /healthz in a row)."""
    deadline = time.monotonic() + timeout
    answered = 0
    while time.monotonic() < deadline and answered < 20:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as r:
                answered += r.status == 200
        except OSError:
            time.sleep(0.3)
    if answered < 20:
        raise SystemExit("gunicorn did not start")


def _phase(
    env: dict[str, str],
    port: int,
    name: str,
    user_class: str,
    users: int,
    seconds: int,
    wait: str,
    warmup: int = 0,
    server_pid: int = 0,
) -> tuple[list[dict[str, str]], list[dict[str, str]], str, str, tuple[float, float]]:
    with tempfile.TemporaryDirectory() as out:
        wait_min, wait_max = wait.split("-")
        phase_env = dict(
            env,
            LOAD_WAIT_MIN=wait_min,
            LOAD_WAIT_MAX=wait_max,
            LOAD_PEOPLE=str(users),
            LOAD_WARMUP=str(warmup),
            LOAD_SESSIONS=str(Path(env["COUNTERPOINT_VAR_DIR"]) / f"sessions-{name}.txt"),
        )
        before = _loadavg()
        locust = subprocess.Popen(
            [
                "nice", "-n", "5", sys.executable, "-m", "locust",
                "-f", str(BENCH / "locustfile.py"), user_class,
                "--headless", "--host", f"http://127.0.0.1:{port}",
                "-u", str(users), "-r", str(users), "-t", f"{seconds + warmup}s",
                "--reset-stats", "--only-summary", "--csv", f"{out}/{name}",
                "--stop-timeout", "5", "--loglevel", "ERROR",
            ],
            env=phase_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        # CPU seconds used by the server and by locust over the counted part of the phase
        time.sleep(warmup)
        server0, locust0 = _cpu_seconds(server_pid), _cpu_seconds(locust.pid)
        deadline = time.monotonic() + seconds + 120
        locust1 = locust0
        while locust.poll() is None:  # locust's last half second is its shutdown
            locust1 = max(locust1, _cpu_seconds(locust.pid))
            if time.monotonic() > deadline:
                locust.kill()
            time.sleep(0.5)
        server1 = _cpu_seconds(server_pid)
        with open(f"{out}/{name}_stats.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        failures_csv = Path(f"{out}/{name}_failures.csv")
        failures = []
        if failures_csv.exists():
            with failures_csv.open(newline="") as f:
                failures = list(csv.DictReader(f))
        return rows, failures, before, _loadavg(), (server1 - server0, locust1 - locust0)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and all its children so far (0 if it is gone)."""
    if not pid:
        return 0.0
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for proc in procs:
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


@dataclass
class PhaseResult:
    rate: float = 0.0
    p95: str = "–"
    rows: list[dict[str, str]] = field(default_factory=list)
    signed_out: int = 0
    cpu_ms: str = "–"
    kept: str = "–"


def _cpu_line(rows: list[dict[str, str]], cpu: tuple[float, float]) -> str:
    """Print (and return) the server's and locust's CPU per counted request.

    The server's CPU per request is what its throughput is made of, whatever else the machine
    runs: cores ÷ it is the most requests a second the server can give.
    """
    total = next((int(r["Request Count"]) for r in rows if r["Name"] == "Aggregated"), 0)
    if not total:
        return "–"
    server, locust = (1000 * c / total for c in cpu)
    print(
        f"\nCPU per request over the counted seconds: server (gunicorn, all workers) "
        f"{server:.1f} ms, load generator (locust) {locust:.1f} ms"
    )
    return f"{server:.1f}"


def _table(title: str, rows: list[dict[str, str]], failures: list[dict[str, str]]) -> PhaseResult:
    """Print the phase's table and its failures; return its rate, p95 and rows for the summary."""
    print(f"\n### {title}\n")
    print("| page | requests | failures | req/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    total = PhaseResult(rows=rows)
    for row in rows:
        label = "**all**" if row["Name"] == "Aggregated" else row["Name"]
        print(
            f"| {label} | {row['Request Count']} | {row['Failure Count']} "
            f"| {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} |"
        )
        if row["Name"] == "Aggregated":
            total.rate, total.p95 = float(row["Requests/s"]), row["95%"]
    counted: dict[tuple[str, str], int] = {}
    for failure in failures:
        error = failure.get("Error", "")
        if SIGNED_OUT_MARK in error:
            error = SIGNED_OUT_MARK  # one line for all the people it happened to
            total.signed_out += int(failure.get("Occurrences") or 0)
        key = (failure.get("Name", ""), error)
        counted[key] = counted.get(key, 0) + int(failure.get("Occurrences") or 0)
    if counted:
        print("\nFailures:")
        for (name, error), times in sorted(counted.items()):
            print(f"- {name}: {error} ×{times}")
    return total


def _pg_exists(name: str = "cp_load") -> bool:
    done = subprocess.run(
        ["psql", PG_ADMIN, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() == "1"


PHASES = {
    # name: (title, locust user class, think time, counted seconds from args, warm-up?)
    "floor": ("/healthz, no think time", "Floor", "0-0", "floor_seconds", False),
    "paced": ("{users} partners, 0.5–1.5 s think time", "Partner", "0.5-1.5", "seconds", True),
    "saturated": ("{users} partners, no think time", "Partner", "0-0", "sat_seconds", True),
    "writes": (
        "{users} partners saving check-ins, no think time",
        "Writer",
        "0-0",
        "sat_seconds",
        True,
    ),
}


def _prepare(
    db: str, args: argparse.Namespace, tmp: Path
) -> tuple[dict[str, str], subprocess.Popen[bytes]] | None:
    """A fresh (or reused) database and a seeding subprocess for it, started at once."""
    if db == "postgres" and not (args.reuse and _pg_exists()) and not _pg_fresh():
        return None
    var = Path(REUSED_SQLITE) if args.reuse else tmp / db
    var.mkdir(exist_ok=True, parents=True)
    env = _env(db, var)
    if args.sqlite_synchronous:
        env["SQLITE_SYNCHRONOUS"] = args.sqlite_synchronous
    seeding = subprocess.Popen(
        [sys.executable, __file__, "--seed-only", str(args.couples), "--phases", args.phases],
        env=env,
    )
    return env, seeding


def run_db(
    db: str, args: argparse.Namespace, env: dict[str, str], tmp: Path
) -> tuple[str, dict[str, PhaseResult]]:
    gunicorn_args = getattr(args, f"gunicorn_{db}")
    print(
        f"\n## {db}: gunicorn {gunicorn_args}; {args.users} partners; {env_note(env)}; "
        f"counted seconds: floor {args.floor_seconds}, paced {args.seconds}, saturated "
        f"{args.sat_seconds} (partner phases after {args.warmup} s of warm-up)"
    )
    port = _free_port()
    log_path = tmp / f"gunicorn-{db}.log"
    log = open(log_path, "w")  # noqa: SIM115 (closed with the folder)
    server = subprocess.Popen(
        ["nice", "-n", "5", sys.executable, "-m", "gunicorn", "counterpoint.wsgi:application",
         "--bind", f"127.0.0.1:{port}", *shlex.split(gunicorn_args)],
        env=env, stdout=subprocess.DEVNULL, stderr=log,
        start_new_session=True,
    )  # fmt: skip
    result: dict[str, PhaseResult] = {}
    try:
        _wait_up(port)
        for phase in args.phases.split(","):
            log.flush()
            log_start = log_path.stat().st_size
            title, user_class, wait, seconds_arg, warm = PHASES[phase]
            seconds = getattr(args, seconds_arg)
            rows, failures, la0, la1, cpu = _phase(
                env, port, phase, user_class, args.users, seconds, wait,
                args.warmup if warm else 0, server.pid,
            )  # fmt: skip
            title = title.format(users=args.users)
            result[phase] = _table(f"{db} {phase}: {title} (load {la0} → {la1})", rows, failures)
            result[phase].cpu_ms = _cpu_line(rows, cpu)
            result[phase].kept = _kept_line(log_path, log_start)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    errors = [
        line for line in log_path.read_text().splitlines() if "Traceback" in line or " 500 " in line
    ]
    if errors:
        print(f"\ngunicorn logged {len(errors)} error line(s); the first: {errors[0][:200]}")
    return db, result


def _kept_line(log_path: Path, start: int) -> str:
    """How many of the phase's signed-in pages were served as kept (privacy/page_cache.py)."""
    with log_path.open("rb") as f:
        f.seek(start)
        text = f.read().decode(errors="replace")
    kept, rendered = text.count(" page=kept"), text.count(" page=rendered")
    if not kept + rendered:
        return "–"
    print(f"Signed-in pages served as kept: {kept} of {kept + rendered}")
    return f"{100 * kept / (kept + rendered):.0f}%"


def _summary(results: list[tuple[str, dict[str, PhaseResult]]]) -> None:
    """One line per engine: the numbers the targets are about (docs/capacity.md)."""
    print("\n## Summary\n")
    print(
        "| engine | floor req/s | paced req/s | paced p95 ms (all) | slowest page p95 ms (paced) "
        "| saturated mix req/s | mix / floor | server CPU ms per request (floor / paced / saturated) "
        "| pages served as kept (paced / saturated) |"
    )
    print("|---|---:|---:|---:|---|---:|---:|---|---|")
    for db, phases in results:
        floor, paced = phases.get("floor", PhaseResult()), phases.get("paced", PhaseResult())
        sat = phases.get("saturated", PhaseResult())
        worst = max(
            (
                (row["Name"], float(row["95%"] or 0))
                for row in paced.rows
                if row["Name"] != "Aggregated"
            ),
            key=lambda item: item[1],
            default=("–", 0.0),
        )
        ratio = f"{sat.rate / floor.rate:.0%}" if floor.rate and sat.rate else "–"
        print(
            f"| {db} | {floor.rate:.1f} | {paced.rate:.1f} | {paced.p95} "
            f"| {worst[0]} {worst[1]:.0f} | {sat.rate:.1f} | {ratio} "
            f"| {floor.cpu_ms} / {paced.cpu_ms} / {sat.cpu_ms} | {paced.kept} / {sat.kept} |"
        )
    print(
        "\nTargets (PostgreSQL, issue 14): every page's p95 < 150 ms in the paced phase; the "
        "saturated mix ≥ 150 req/s and ≥ 50% of the floor's rate."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--couples", type=int, default=25)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60, help="the paced phase's counted seconds")
    parser.add_argument("--sat-seconds", type=int, default=40, help="the saturated phase's")
    parser.add_argument("--floor-seconds", type=int, default=30, help="the floor phase's")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--phases", default="floor,paced,saturated", help=", ".join(PHASES))
    parser.add_argument("--gunicorn-sqlite", default=DEFAULT_GUNICORN["sqlite"])
    parser.add_argument("--gunicorn-postgres", default=DEFAULT_GUNICORN["postgres"])
    parser.add_argument("--sqlite-synchronous", choices=["FULL", "NORMAL"])
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--seed-only", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_only is not None:
        seed(args.seed_only, args.phases.split(","))
        return
    t0 = time.monotonic()
    print(
        f"# Load test ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs, "
        f"load {_loadavg()})"
    )
    if args.users > 2 * args.couples:
        raise SystemExit(
            f"--users {args.users} needs at least {(args.users + 1) // 2} couples: each partner "
            "is a different person (one's sign-out would sign out another using the same person)"
        )
    dbs = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    with tempfile.TemporaryDirectory(prefix="cp-load-") as tmp_name:
        tmp = Path(tmp_name)
        # static files collected once (compressing them is slow), shared by both servers
        static = Path("/tmp/cp-load-static") if args.reuse else tmp / "static"
        static.mkdir(exist_ok=True)
        os.environ["LOAD_STATIC_ROOT"] = str(static)
        subprocess.run(
            [sys.executable, "-m", "django", "collectstatic", "--noinput", "-v", "0"],
            env=_env("sqlite", tmp / "static-var"),
            check=True,
        )
        prepared = {db: p for db in dbs if (p := _prepare(db, args, tmp)) is not None}
        for db, (_env_db, seeding) in prepared.items():  # seeded side by side
            if seeding.wait() != 0:
                raise SystemExit(f"seeding {db} failed")
        print(f"\n{args.couples} couples seeded per engine in {time.monotonic() - t0:.0f} s")
        results = [run_db(db, args, env, tmp) for db, (env, _seeding) in prepared.items()]
    _summary(results)
    print(f"\nWhole run: {time.monotonic() - t0:.0f} s")
    signed_out = sum(phase.signed_out for _db, phases in results for phase in phases.values())
    if signed_out:
        raise SystemExit(
            f"\nBROKEN RUN: {signed_out} request(s) were redirected to the sign-in form "
            "(a partner's session was gone), so the numbers above measure the sign-in page, not the mix."
        )


if __name__ == "__main__":
    main()
