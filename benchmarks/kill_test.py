"""Kill test: nothing the server acknowledged is lost when it is killed (SIGKILL) mid-write.

    .venv/bin/python benchmarks/kill_test.py [--db sqlite|postgres|both] [--kills 20]

For each database: one couple (signed up and paired through the services, signed in beforehand),
gunicorn with production settings on 127.0.0.1 (``loadtest_settings``), and client threads that
write journal entries (each through its form, with the form's submission key) and check-ins as
fast as the server answers. A killer sends SIGKILL to gunicorn's whole process group at random
moments, restarts it and waits for /healthz. A write whose request dies with the server is sent
again with the same form (same key), as a browser or an offline queue would.

Afterwards the database is read directly and the script checks that every acknowledged journal
entry is there exactly once, and that each person's check-in holds the last acknowledged values
or a later attempt. Prints kills, acknowledged writes, found writes, duplicates, lost.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from bench_load import PG_ADMIN, _env, _free_port, _wait_up  # noqa: E402

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_KEY = re.compile(r'name="submission_key" value="([^"]+)"')
_DAY = re.compile(r'name="day" value="([^"]+)"')


def prepare() -> None:
    """Runs in a subprocess with the test's environment: migrate, one couple, two sessions."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    from bench_load import _seed_people_only, _sign_in_beforehand

    _seed_people_only()
    _sign_in_beforehand("kill")


def report() -> None:
    """Runs in a subprocess: what the database holds, as JSON on stdout."""
    import django

    django.setup()
    from counterpoint.checkins.models import CheckIn
    from counterpoint.journal.models import JournalEntry

    bodies = list(
        JournalEntry.objects.filter(author__email__endswith="@bench.example").values_list(
            "body", flat=True
        )
    )
    notes = {
        c.author.email: c.note
        for c in CheckIn.objects.select_related("author").filter(
            author__email__endswith="@bench.example"
        )
    }
    print(json.dumps({"bodies": bodies, "notes": notes}))


class Client:
    """A browser-like client of one person: cookies, CSRF, resends after a dropped connection."""

    def __init__(self, port: int, email: str, session_key: str) -> None:
        self.port = port
        self.email = email
        self.cookies = {"sessionid": session_key}

    def _request(self, method: str, path: str, body: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    k, _, v = value.split(";", 1)[0].partition("=")
                    self.cookies[k.strip()] = v.strip()
            return response.status, text
        finally:
            conn.close()

    def until_done(self, method: str, path: str, body: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        """Send until the server answers (it may be down, being restarted)."""
        while True:
            try:
                return self._request(method, path, body)
            except (OSError, http.client.HTTPException):
                time.sleep(0.2)


def journal_writer(
    client: Client, stop: threading.Event, acked: list[str], tried: list[str]
) -> None:
    while not stop.is_set():
        status, page = client.until_done("GET", "/journal/new/")
        csrf, key = _CSRF.search(page), _KEY.search(page)
        if status != 200 or not csrf or not key:
            continue
        body = f"kill-test {uuid.uuid4().hex}"
        tried.append(body)
        form = {"csrfmiddlewaretoken": csrf.group(1), "submission_key": key.group(1),
                "title": "", "body": body, "visibility": "private"}  # fmt: skip
        status, _ = client.until_done("POST", "/journal/new/", form)  # resent if the server died
        if status == 302:
            acked.append(body)


def checkin_writer(
    client: Client, stop: threading.Event, acked: list[str], tried: list[str]
) -> None:
    while not stop.is_set():
        status, page = client.until_done("GET", "/checkins/?edit=1")
        csrf, day = _CSRF.search(page), _DAY.search(page)
        if status != 200 or not csrf or not day:
            continue
        note = f"note {uuid.uuid4().hex[:12]}"
        tried.append(note)
        form = {"csrfmiddlewaretoken": csrf.group(1), "day": day.group(1), "mood": "5",
                "energy": "5", "stress": "5", "closeness": "4", "sought_support": "no",
                "me_minutes": "0", "we_minutes": "30", "note": note}  # fmt: skip
        status, _ = client.until_done("POST", "/checkins/", form)
        if status == 302:
            acked.append(note)


def run_db(db: str, kills: int, gunicorn_args: list[str]) -> dict[str, int]:
    if db == "postgres":
        for sql in ("DROP DATABASE IF EXISTS cp_kill WITH (FORCE)", "CREATE DATABASE cp_kill"):
            subprocess.run(["psql", PG_ADMIN, "-qc", sql], check=True, capture_output=True)
    with tempfile.TemporaryDirectory(prefix="cp-kill-") as var:
        env = _env(db, Path(var))
        if db == "postgres":
            env["DATABASE_URL"] = env["DATABASE_URL"].rsplit("/", 1)[0] + "/cp_kill"
        subprocess.run([sys.executable, __file__, "--prepare"], env=env, check=True)
        sessions = dict(
            line.split() for line in (Path(var) / "sessions-kill.txt").read_text().splitlines()
        )
        port = _free_port()

        def start() -> subprocess.Popen[bytes]:
            return subprocess.Popen(
                ["nice", "-n", "5", sys.executable, "-m", "gunicorn",
                 "counterpoint.wsgi:application", "--bind", f"127.0.0.1:{port}", *gunicorn_args],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True,
            )  # fmt: skip

        server = start()
        _wait_up(port)
        stop = threading.Event()
        j_acked: list[str] = []
        j_tried: list[str] = []
        c_acked: dict[str, list[str]] = {e: [] for e in sessions}
        c_tried: dict[str, list[str]] = {e: [] for e in sessions}
        threads = []
        for email, key in sessions.items():
            for _ in range(2):
                threads.append(threading.Thread(
                    target=journal_writer, args=(Client(port, email, key), stop, j_acked, j_tried)
                ))  # fmt: skip
            threads.append(threading.Thread(
                target=checkin_writer,
                args=(Client(port, email, key), stop, c_acked[email], c_tried[email]),
            ))  # fmt: skip
        for t in threads:
            t.start()
        rng = random.Random(14)
        try:
            for _ in range(kills):
                time.sleep(rng.uniform(0.5, 2.5))
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
                server = start()
                _wait_up(port)
            time.sleep(2)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=60)
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        done = subprocess.run(
            [sys.executable, __file__, "--report"], env=env, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise SystemExit(f"reading the database failed:\n{done.stderr}")
        found = json.loads(done.stdout)
    bodies = found["bodies"]
    counts = {b: bodies.count(b) for b in set(bodies)}
    lost = [b for b in j_acked if counts.get(b, 0) == 0]
    duplicates = sum(n - 1 for n in counts.values() if n > 1)
    checkins_ok = 0
    for email, notes in c_acked.items():
        if not notes:
            continue
        later = c_tried[email][c_tried[email].index(notes[-1]) :]
        checkins_ok += found["notes"].get(email) in later
    return {
        "kills": kills,
        "journal acknowledged": len(j_acked),
        "journal found": len(j_acked) - len(lost),
        "journal lost": len(lost),
        "journal duplicates": duplicates,
        "check-ins acknowledged": sum(len(v) for v in c_acked.values()),
        "people whose last acknowledged check-in is there": checkins_ok,
        "people with acknowledged check-ins": sum(1 for v in c_acked.values() if v),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--gunicorn", default="--workers 2 --worker-class gthread --threads 4")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--report", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare()
        return
    if args.report:
        report()
        return
    failed = False
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        t0 = time.monotonic()
        result = run_db(db, args.kills, args.gunicorn.split())
        print(
            f"{db} ({time.monotonic() - t0:.0f} s): "
            + ", ".join(f"{k} {v}" for k, v in result.items())
        )
        failed |= result["journal lost"] > 0 or result["journal duplicates"] > 0
        failed |= (
            result["people whose last acknowledged check-in is there"]
            != result["people with acknowledged check-ins"]
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
