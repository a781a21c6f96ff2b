"""Kill test: nothing the server acknowledged is lost when it is killed (SIGKILL) mid-write.

    .venv/bin/python benchmarks/kill_test.py [--db sqlite|postgres|both] [--kills 20]

For each database: one couple (signed up and paired through the services, signed in beforehand),
gunicorn with production settings on 127.0.0.1 (``loadtest_settings``), and client threads that
write journal entries (each through its form, with the form's submission key) and check-ins as
fast as the server answers. A killer sends SIGKILL to gunicorn's whole process group at random
moments, restarts it and waits for /healthz. A write whose request dies with the server is sent
again with the same form (same key), as a browser or an offline queue would.

The task runner (``manage.py run_huey``) runs too and is SIGKILLed at its own random moments.
Each person also suggests plans to their partner (through the plan form); each acknowledged
suggestion must reach the partner's phone as a web push, encrypted for a subscription whose keys
this script holds, sent to a local push service that takes 0.2 s to answer (as a real one does).
After the last kill the script waits out the claim (a minute) and runs the runner's requeue as it
will have run five minutes later, then waits for the pushes.

Afterwards the database is read directly and the script checks that every acknowledged journal
entry and plan is there exactly once, that each person's check-in holds the last acknowledged
values or a later attempt, and that every acknowledged plan's push arrived. Prints kills,
acknowledged writes, found writes, duplicates, lost.
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
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))
from bench_load import PG_ADMIN, ROOT, _env, _free_port, _wait_up  # noqa: E402

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
    from counterpoint.accounts.models import User
    from counterpoint.notify import services
    from counterpoint.notify.keys import vapid_keys_ensure

    vapid_keys_ensure()
    phones = json.loads((Path(os.environ["COUNTERPOINT_VAR_DIR"]) / "phones.json").read_text())
    for email, phone in phones.items():
        user = User.objects.get(email=email)
        services.push_subscription_save(user=user, label="phone", **phone)
        services.notify_preferences_update(user=user, values={"push_when_asked": True})


def requeue_later() -> None:
    """Runs in a subprocess: the runner's minute tasks as they will run five minutes from now."""
    import datetime as dt

    import django

    django.setup()
    from django.utils import timezone

    from counterpoint.notify.services import pushes_requeue

    print(pushes_requeue(now=timezone.now() + dt.timedelta(minutes=6)))


def report() -> None:
    """Runs in a subprocess: what the database holds, as JSON on stdout."""
    import django

    django.setup()
    from django.db.models import Count

    from counterpoint.checkins.models import CheckIn
    from counterpoint.journal.models import JournalEntry
    from counterpoint.notify.models import PushMessage
    from counterpoint.practices.plans.models import Plan

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
    plans = list(Plan.objects.filter(title__startswith="kill-test").values_list("pk", "title"))
    pushes = dict(
        PushMessage.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    print(json.dumps({"bodies": bodies, "notes": notes, "plans": plans, "pushes": pushes}))


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


def plan_writer(client: Client, stop: threading.Event, acked: list[str], tried: list[str]) -> None:
    """Suggests plans to the partner: each acknowledged one must reach the partner's phone."""
    while not stop.is_set():
        time.sleep(0.3)  # a person, not a loop: a few suggestions a second across the run
        status, page = client.until_done("GET", "/plans/new/")
        csrf, key = _CSRF.search(page), _KEY.search(page)
        if status != 200 or not csrf or not key:
            continue
        title = f"kill-test {uuid.uuid4().hex[:16]}"
        tried.append(title)
        form = {"csrfmiddlewaretoken": csrf.group(1), "submission_key": key.group(1),
                "title": title, "kind": "date", "details": "", "when_date": "",
                "when_text": "", "shared": "yes"}  # fmt: skip
        status, _ = client.until_done("POST", "/plans/new/", form)
        if status == 302:
            acked.append(title)


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


def _decrypt(received: Any, phones: dict[str, Any]) -> str | None:
    """The plan link a push carried, decrypted with the keys of the phone it went to."""
    import http_ece

    keys = phones.get(received.path)
    if keys is None:
        return None
    plain = http_ece.decrypt(
        received.body,
        private_key=keys.private_key,
        auth_secret=keys.auth_secret,
        version="aes128gcm",
    )
    return str(json.loads(plain)["url"])


def run_db(db: str, kills: int, gunicorn_args: list[str]) -> dict[str, int]:
    from tests.web.push_endpoint import FakeBrowserKeys, push_endpoint

    if db == "postgres":
        for sql in ("DROP DATABASE IF EXISTS cp_kill WITH (FORCE)", "CREATE DATABASE cp_kill"):
            subprocess.run(["psql", PG_ADMIN, "-qc", sql], check=True, capture_output=True)
    with tempfile.TemporaryDirectory(prefix="cp-kill-") as var, push_endpoint() as service:
        service.delay[0] = 0.2
        env = _env(db, Path(var))
        if db == "postgres":
            env["DATABASE_URL"] = env["DATABASE_URL"].rsplit("/", 1)[0] + "/cp_kill"
        phones = {f"/load{i}": FakeBrowserKeys() for i in range(2)}
        (Path(var) / "phones.json").write_text(json.dumps({
            f"load{i}@bench.example": {"endpoint": f"{service.url}/load{i}",
                                       "p256dh": phones[f"/load{i}"].p256dh,
                                       "auth": phones[f"/load{i}"].auth}
            for i in range(2)
        }))  # fmt: skip
        subprocess.run([sys.executable, __file__, "--prepare"], env=env, check=True)
        sessions = dict(
            line.split() for line in (Path(var) / "sessions-kill.txt").read_text().splitlines()
        )
        port = _free_port()

        def spawn(*args: str) -> subprocess.Popen[bytes]:
            """A process of its own group (killed whole), a little below the clients' priority."""
            return subprocess.Popen(
                ["nice", "-n", "5", sys.executable, *args], env=env, cwd=ROOT,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip

        def start() -> subprocess.Popen[bytes]:
            return spawn("-m", "gunicorn", "counterpoint.wsgi:application",
                         "--bind", f"127.0.0.1:{port}", *gunicorn_args)  # fmt: skip

        def start_tasks() -> subprocess.Popen[bytes]:
            return spawn(str(ROOT / "manage.py"), "run_huey", "--flush-locks")

        server, tasks = start(), start_tasks()
        _wait_up(port)
        stop = threading.Event()
        j_acked: list[str] = []
        j_tried: list[str] = []
        p_acked: dict[str, list[str]] = {e: [] for e in sessions}
        p_tried: list[str] = []
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
            threads.append(threading.Thread(
                target=plan_writer, args=(Client(port, email, key), stop, p_acked[email], p_tried)
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
                time.sleep(rng.uniform(0.0, 1.0))  # the runner dies at its own moment
                os.killpg(tasks.pid, signal.SIGKILL)
                tasks.wait()
                tasks = start_tasks()
                _wait_up(port)
            time.sleep(2)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=60)
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        try:
            # pushes a killed worker had claimed are its own for a minute; then the minute task
            # finds every push still queued (run here as it will run five minutes from now)
            time.sleep(65)
            requeued = int(
                subprocess.run(
                    [sys.executable, __file__, "--requeue"],
                    env=env, check=True, capture_output=True, text=True,
                ).stdout.strip()
            )  # fmt: skip
            expected = sum(len(v) for v in p_acked.values())
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and len(service.received) < expected:
                time.sleep(1)
            time.sleep(3)
        finally:
            os.killpg(tasks.pid, signal.SIGKILL)
            tasks.wait()
        done = subprocess.run(
            [sys.executable, __file__, "--report"], env=env, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise SystemExit(f"reading the database failed:\n{done.stderr}")
        found = json.loads(done.stdout)
        arrived = [_decrypt(r, phones) for r in service.received]
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
    plan_pk = {title: pk for pk, title in found["plans"]}
    titles = [t for _pk, t in found["plans"]]
    plans_acked = [t for v in p_acked.values() for t in v]
    arrived_pks = [int(url.strip("/").split("/")[-1]) for url in arrived if url]
    reached = [t for t in plans_acked if t in plan_pk and plan_pk[t] in arrived_pks]
    return {
        "kills": kills,
        "task runner kills": kills,
        "journal acknowledged": len(j_acked),
        "journal found": len(j_acked) - len(lost),
        "journal lost": len(lost),
        "journal duplicates": duplicates,
        "check-ins acknowledged": sum(len(v) for v in c_acked.values()),
        "people whose last acknowledged check-in is there": checkins_ok,
        "people with acknowledged check-ins": sum(1 for v in c_acked.values() if v),
        "plans acknowledged": len(plans_acked),
        "plans found": sum(1 for t in plans_acked if t in plan_pk),
        "plan duplicates": len(titles) - len(set(titles)),
        "pushes expected": len(plans_acked),
        "pushes arrived": len(reached),
        "pushes lost": len(plans_acked) - len(reached),
        "pushes whose task was lost (sent again)": requeued,
        "pushes arrived twice (one notification: same tag)": len(arrived_pks)
        - len(set(arrived_pks)),
        "push records": sum(found["pushes"].values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--gunicorn", default="--workers 2 --worker-class gthread --threads 4")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--report", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--requeue", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.requeue:
        requeue_later()
        return
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
        failed |= result["plans found"] != result["plans acknowledged"]
        failed |= result["plan duplicates"] > 0 or result["pushes lost"] > 0
        failed |= (
            result["people whose last acknowledged check-in is there"]
            != result["people with acknowledged check-ins"]
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
