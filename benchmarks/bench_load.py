"""Load test: many partners at once against gunicorn with production settings (locust, headless).

    .venv/bin/python benchmarks/bench_load.py [--db sqlite|postgres|both] [--couples 25]
        [--users 50] [--seconds 60] [--warmup 20] [--gunicorn-sqlite "..."]
        [--gunicorn-postgres "..."] [--reuse]

For each database: a fresh database (SQLite in a temporary folder; PostgreSQL ``cp_load`` at
127.0.0.1, dropped first), migrated, with ``--couples`` couples signed up, paired and given the
demo's history through the same services and seeders as ``manage.py demo``. ``--reuse`` keeps the
databases between runs (SQLite in /tmp/cp-load-sqlite, PostgreSQL ``cp_load``): only migrated. Then gunicorn serves
it on 127.0.0.1 (niced, ``benchmarks/loadtest_settings.py``: production settings over plain HTTP)
and locust runs three bounded phases:

1. floor: /healthz with no think time (the framework's ceiling on this machine);
2. paced: ``--users`` partners with 0.5–1.5 s between actions (the latency target: p95 < 150 ms);
3. saturated: the same partners with no think time (the throughput target).

Partner phases last ``--warmup`` + ``--seconds``: the first ``--warmup`` seconds, when every
partner signs in at once (Argon2 by design), are not counted; sign-ins later in the phase are.

Prints one markdown table per phase with p50/p95/p99 (ms) and requests/s per page, the ratio of
the saturated mix to the floor, and the load average before and after (the machine is shared, so
the numbers are noisy: compare runs made close together).
"""

from __future__ import annotations

import argparse
import csv
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PASSWORD = "load-test-passphrase"
REUSED_SQLITE = "/tmp/cp-load-sqlite"
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


def seed(couples: int) -> None:
    """Runs in a subprocess with the benchmark's environment: migrate and create the couples."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    from counterpoint.accounts.models import User

    if User.objects.filter(email__endswith="@bench.example").count() < 2 * couples:
        _seed_couples(couples)
    _sign_in_beforehand()


def _sign_in_beforehand() -> None:
    """A session per person, as a sign-in leaves it, so phases measure pages, not Argon2."""
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
    (Path(settings.VAR_DIR) / "sessions.txt").write_text("".join(lines))


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
    from counterpoint.demo import DEMO_SEEDERS, DemoCouple, _journal
    from counterpoint.pairing.services import invite_accept, invite_create

    start = timezone.now() - __import__("datetime").timedelta(days=120)
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
            _journal(demo)
            for seeder in DEMO_SEEDERS:
                seeder(demo)


def env_note() -> str:
    """What of the environment shapes the numbers (the SQLite durability setting)."""
    return f"SQLITE_SYNCHRONOUS={os.environ.get('SQLITE_SYNCHRONOUS', 'default')}"


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


def _pg_fresh() -> bool:
    for sql in ("DROP DATABASE IF EXISTS cp_load WITH (FORCE)", "CREATE DATABASE cp_load"):
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
) -> tuple[list[dict[str, str]], str, str]:
    with tempfile.TemporaryDirectory() as out:
        wait_min, wait_max = wait.split("-")
        phase_env = dict(
            env,
            LOAD_WAIT_MIN=wait_min,
            LOAD_WAIT_MAX=wait_max,
            LOAD_PEOPLE=str(users),
            LOAD_WARMUP=str(warmup),
            LOAD_SESSIONS=str(Path(env["COUNTERPOINT_VAR_DIR"]) / "sessions.txt"),
        )
        before = _loadavg()
        subprocess.run(
            [
                "nice", "-n", "5", sys.executable, "-m", "locust",
                "-f", str(BENCH / "locustfile.py"), user_class,
                "--headless", "--host", f"http://127.0.0.1:{port}",
                "-u", str(users), "-r", str(users), "-t", f"{seconds + warmup}s",
                "--reset-stats", "--only-summary", "--csv", f"{out}/{name}",
                "--stop-timeout", "5", "--loglevel", "ERROR",
            ],
            env=phase_env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            timeout=seconds + warmup + 120,
        )  # fmt: skip
        with open(f"{out}/{name}_stats.csv", newline="") as f:
            rows = list(csv.DictReader(f))
        return rows, before, _loadavg()


def _table(title: str, rows: list[dict[str, str]], seconds: int) -> float:
    print(f"\n### {title}\n")
    print("| page | requests | failures | req/s | p50 ms | p95 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    total = 0.0
    for row in rows:
        label = "**all**" if row["Name"] == "Aggregated" else row["Name"]
        print(
            f"| {label} | {row['Request Count']} | {row['Failure Count']} "
            f"| {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} |"
        )
        if row["Name"] == "Aggregated":
            total = float(row["Requests/s"])
    return total


def _pg_exists() -> bool:
    done = subprocess.run(
        ["psql", PG_ADMIN, "-tAc", "SELECT 1 FROM pg_database WHERE datname = 'cp_load'"],
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() == "1"


def run_db(db: str, args: argparse.Namespace) -> None:
    if db == "postgres" and not (args.reuse and _pg_exists()) and not _pg_fresh():
        return
    gunicorn_args = getattr(args, f"gunicorn_{db}")
    if args.reuse:
        Path(REUSED_SQLITE).mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cp-load-") as tmp:
        var = REUSED_SQLITE if args.reuse else tmp
        env = _env(db, Path(var))
        t0 = time.monotonic()
        subprocess.run(
            [sys.executable, __file__, "--seed-only", str(args.couples)], env=env, check=True
        )
        print(f"\n## {db}: {args.couples} couples ready in {time.monotonic() - t0:.0f} s")
        print(
            f"gunicorn {gunicorn_args}; {args.users} partners; {args.seconds} s per phase "
            f"(partner phases after {args.warmup} s of warm-up); {env_note()}"
        )
        port = _free_port()
        log = open(Path(tmp) / "gunicorn.log", "w")  # noqa: SIM115 (closed with the folder)
        server = subprocess.Popen(
            ["nice", "-n", "5", sys.executable, "-m", "gunicorn", "counterpoint.wsgi:application",
             "--bind", f"127.0.0.1:{port}", *shlex.split(gunicorn_args)],
            env=env, stdout=subprocess.DEVNULL, stderr=log,
            start_new_session=True,
        )  # fmt: skip
        try:
            _wait_up(port)
            floor_rows, la0, la1 = _phase(
                env, port, "floor", "Floor", args.users, args.seconds, "0-0"
            )
            floor = _table(
                f"{db} floor: /healthz, no think time (load {la0} → {la1})",
                floor_rows,
                args.seconds,
            )
            paced, la0, la1 = _phase(
                env, port, "paced", "Partner", args.users, args.seconds, "0.5-1.5", args.warmup
            )
            _table(
                f"{db} paced: {args.users} partners, 0.5–1.5 s think time (load {la0} → {la1})",
                paced,
                args.seconds,
            )
            sat, la0, la1 = _phase(
                env, port, "sat", "Partner", args.users, args.seconds, "0-0", args.warmup
            )
            mix = _table(
                f"{db} saturated: {args.users} partners, no think time (load {la0} → {la1})",
                sat,
                args.seconds,
            )
            ratio = mix / floor if floor else 0.0
            print(
                f"\n{db}: saturated mix {mix:.1f} req/s; floor {floor:.1f} req/s; ratio {ratio:.0%}"
            )
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--couples", type=int, default=25)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--gunicorn-sqlite", default=DEFAULT_GUNICORN["sqlite"])
    parser.add_argument("--gunicorn-postgres", default=DEFAULT_GUNICORN["postgres"])
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--seed-only", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_only is not None:
        seed(args.seed_only)
        return
    print(
        f"# Load test ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs)"
    )
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        run_db(db, args)


if __name__ == "__main__":
    main()
