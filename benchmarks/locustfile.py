"""The load test's people (run by benchmarks/bench_load.py; not on its own).

``Floor`` asks for /healthz as fast as it can: the framework's floor on this machine.
``Partner`` is one of the seeded people, already signed in with the session ``LOAD_SESSIONS`` gives
for this phase (each phase gets fresh ones: a sign-out in one phase must not leave the next phase's
partner signed out), and uses the app as a partner does: home, the check-in form and its
submission, insights (page and JSON), the map, activity, and now and then signs out and in again
(Argon2). Redirects are not followed: a page that sends a partner to the sign-in form is a failure
named ``SIGNED_OUT``, and bench_load.py stops with an error when it sees one. The first
``LOAD_WARMUP`` seconds are not counted.
``LOAD_WAIT_MIN``/``LOAD_WAIT_MAX`` set the think time (0 = none).
"""

from __future__ import annotations

import itertools
import os
import random
import re

import gevent
from locust import FastHttpUser, between, constant, events, task
from requests.cookies import create_cookie

PASSWORD = os.environ.get("LOAD_PASSWORD", "load-test-passphrase")
PEOPLE = int(os.environ.get("LOAD_PEOPLE", "50"))
_WAIT_MIN = float(os.environ.get("LOAD_WAIT_MIN", "0.5"))
_WAIT_MAX = float(os.environ.get("LOAD_WAIT_MAX", "1.5"))
_WARMUP = float(os.environ.get("LOAD_WARMUP", "0"))
_SESSIONS = os.environ.get("LOAD_SESSIONS", "")  # "email session-key" lines: already signed in
_next_person = itertools.count()
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_DAY = re.compile(r'name="day" value="([^"]+)"')


_keys: dict[str, str] = {}


def _session_keys() -> dict[str, str]:
    if not _keys and _SESSIONS:
        with open(_SESSIONS) as f:
            _keys.update(line.split() for line in f if line.strip())
    return _keys


@events.test_start.add_listener
def _reset_after_warmup(environment, **_kwargs) -> None:  # type: ignore[no-untyped-def]
    """The first seconds (connections opening, caches filling) are not counted."""
    if _WARMUP > 0:
        gevent.spawn_later(_WARMUP, environment.runner.stats.reset_all)


def _think():  # type: ignore[no-untyped-def]
    return constant(0) if _WAIT_MAX <= 0 else between(_WAIT_MIN, _WAIT_MAX)


class Floor(FastHttpUser):
    wait_time = constant(0)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="healthz")


SIGNED_OUT = "SIGNED OUT (redirected to sign-in)"
SIGN_IN_WEIGHT = int(os.environ.get("LOAD_SIGN_IN_WEIGHT", "1"))  # of 151


class Partner(FastHttpUser):
    wait_time = _think()

    def on_start(self) -> None:
        self.email = f"load{next(_next_person) % PEOPLE}@bench.example"
        key = _session_keys().get(self.email)
        if key:  # signed in beforehand: the phase measures pages, not a sign-in storm
            self.client.cookiejar.set_cookie(create_cookie("sessionid", key, domain="127.0.0.1"))
        else:
            self.sign_in("sign-in (start)")

    def page(self, path: str, name: str, expect: re.Pattern[str] | None = None) -> str:
        """GET a page. Redirects are not followed: a detour to the sign-in form (a session that is
        gone) is a failure named ``SIGNED_OUT``, which bench_load.py treats as a broken run."""
        with self.client.get(
            path, name=name, catch_response=True, allow_redirects=False
        ) as response:
            headers = response.headers or {}
            location = headers.get("Location") or headers.get("location") or ""
            if response.status_code in (301, 302, 303, 307, 308):
                if "/account/login/" in location:
                    response.failure(f"{SIGNED_OUT}: {self.email}")
                else:
                    response.failure(f"redirected to {location}")
                return ""
            text = response.text or ""
            if response.status_code != 200:
                response.failure(f"answered {response.status_code}")
            elif expect is not None and not expect.search(text):
                response.failure(f"{path} has no {expect.pattern!r}")
            return text

    def sign_in(self, name: str = "sign-in") -> None:
        page = self.client.get("/account/login/", name="sign-in form")
        token = _CSRF.search(page.text or "")
        with self.client.post(
            "/account/login/",
            data={
                "username": self.email,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}")

    @task(40)
    def home(self) -> None:
        self.page("/home/", "home")

    @task(30)
    def checkin_form(self) -> None:
        self.page("/checkins/", "check-in form")

    @task(10)
    def checkin_submit(self) -> None:
        # ?edit=1: the form even after today's check-in (without it the page shows a summary)
        page = self.page("/checkins/?edit=1", "check-in form", expect=_DAY)
        token, day = _CSRF.search(page), _DAY.search(page)
        if token is None or day is None:
            return  # counted as a failure of "check-in form" (page() checked for the form)
        values = {
            "csrfmiddlewaretoken": token.group(1),
            "day": day.group(1),
            "mood": random.randint(0, 10),
            "energy": random.randint(0, 10),
            "stress": random.randint(0, 10),
            "closeness": random.randint(1, 7),
            "sought_support": "no",
            "me_minutes": random.choice([0, 30, 60]),
            "we_minutes": random.choice([0, 30, 60, 120]),
            "note": "",
            "journal_line": "",
        }
        with self.client.post(
            "/checkins/",
            data=values,
            name="check-in submit",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"check-in answered {response.status_code}")

    @task(20)
    def insights(self) -> None:
        self.page("/insights/", "insights")

    @task(10)
    def insights_json(self) -> None:
        self.page("/insights.json", "insights.json")

    @task(20)
    def map(self) -> None:
        self.page("/map/", "map")

    @task(20)
    def activity(self) -> None:
        self.page("/activity/", "activity")

    @task(SIGN_IN_WEIGHT)
    def sign_out_and_in(self) -> None:
        """Now and then (sessions last a month; Argon2 makes each sign-in cost ~1 s of CPU)."""
        token = _CSRF.search(self.page("/home/", "home"))
        self.client.post(
            "/account/logout/",
            data={"csrfmiddlewaretoken": token.group(1) if token else ""},
            name="sign-out",
            allow_redirects=False,
        )
        self.sign_in()


class Writer(Partner):
    """Only saves check-ins (for the cost of SQLite's synchronous=FULL against NORMAL)."""

    tasks = [Partner.checkin_submit]
