"""Benchmark deleting a researcher's account whose study many couples took part in.

    .venv/bin/python benchmarks/bench_account_delete.py [--couples 60] [--db sqlite|postgresql|both]

A study goes with its researcher's account, and everything each participant gave it (consents,
prompts, the prompt log, answers) is kept for that participant (``privacy.kept``). That is one
request, in one transaction, for a small study; a large one is deleted by the task runner in short
transactions after the request has closed the account.

For each database (SQLite in a temporary file; PostgreSQL in ``cp_delete``, dropped afterwards),
in a subprocess: migrate, then build the world as people build it, through the services: a
researcher and a 14-day study of three prompts a day; ``--couples`` couples who sign up, pair and
both consent; the task runner's tick at every prompt time, each participant answering about four
prompts in five. Then time ``account_delete`` of the researcher ``--repeat`` times, each inside a
transaction that is rolled back, and print the median and the number of SQL statements: all of it
in the request, as before, and then as the app does it above ``ACCOUNT_DELETE_IN_REQUEST_ROWS``
prompts (the request closes the account, the task runner deletes the study a few couples at a
time: accounts/deletion.py), with the longest of those transactions. Then the same for one
partner of a couple given the demo's 120 days of history (every kind of record the demo makes,
through the same seeders).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_NAME = "cp_delete"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"


class _Rollback(Exception):
    pass


def run_one(couples: int, repeat: int) -> None:
    """Runs inside the subprocess, with DATABASE_URL set."""
    import datetime as dt
    import random

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "counterpoint.settings")
    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from counterpoint.accounts.models import User
    from counterpoint.accounts.services import account_signup
    from counterpoint.pairing.services import invite_accept, invite_create
    from counterpoint.research import services
    from counterpoint.research.measures import ItemSpec
    from counterpoint.research.models import Prompt, PromptEvent, PromptState, Response, Study

    call_command("migrate", verbosity=0, interactive=False)
    seeding = time.perf_counter()
    password = "a long bench passphrase"
    researcher = account_signup(email="r@bench.example", password=password, display_name="R")
    services.researcher_profile_save(
        user=researcher, name="Dr R", institution="Bench Lab", contact="r@bench.example"
    )
    study = services.study_create(
        researcher=researcher,
        title="Bench study",
        description="Moods, three times a day.",
        consent_text="Three short prompts a day for two weeks.",
        items=[ItemSpec("mood", "checkin"), ItemSpec("stress", "checkin")],
        schedule={"kind": "fixed", "times": ["09:00", "13:30", "20:00"]},
        duration_days=14,
        window_minutes=30,
        grace_minutes=5,
        reminder_minutes=15,
        compliance_threshold=0.7,
    )
    services.study_set_status(study=study, status=Study.Status.RECRUITING)
    joined = timezone.now() - dt.timedelta(days=16)
    for i in range(couples):
        a = account_signup(email=f"a{i}@bench.example", password=password, display_name=f"A{i}")
        b = account_signup(email=f"b{i}@bench.example", password=password, display_name=f"B{i}")
        invite_accept(user=b, code_or_token=invite_create(inviter=a).token)
        services.study_consent(user=a, study=study, consent_version=1, now=joined)
        services.study_consent(user=b, study=study, consent_version=1, now=joined)
    rng = random.Random(37)
    times = sorted(set(Prompt.objects.filter(study=study).values_list("scheduled_at", flat=True)))
    for at in times:
        services.prompts_tick(now=at, deliver=False)
        for prompt in Prompt.objects.filter(study=study, scheduled_at=at, state=PromptState.SENT):
            if rng.random() < 0.2:
                continue
            services.prompt_submit(
                prompt=prompt,
                answers={"mood": rng.randint(0, 10), "stress": rng.randint(0, 10)},
                now=at + dt.timedelta(minutes=rng.randint(1, 25)),
            )
    services.prompts_tick(now=times[-1] + dt.timedelta(hours=2), deliver=False)
    seeded = time.perf_counter() - seeding
    rows = {
        "participants": 2 * couples,
        "prompts": Prompt.objects.filter(study=study).count(),
        "log rows": PromptEvent.objects.filter(prompt__study=study).count(),
        "answers": Response.objects.filter(study=study).count(),
    }
    print(
        f"  seeded in {seeded:.0f} s: " + ", ".join(f"{v:,} {k}" for k, v in rows.items()),
        flush=True,
    )

    from django.conf import settings

    threshold = settings.ACCOUNT_DELETE_IN_REQUEST_ROWS
    settings.ACCOUNT_DELETE_IN_REQUEST_ROWS = 10**9  # all of it in the request, as before
    _time_delete(researcher.pk, "the researcher, all in the request", repeat)
    settings.ACCOUNT_DELETE_IN_REQUEST_ROWS = threshold
    _time_background(researcher.pk, repeat)

    # A partner with the demo couple's 120 days of history, made as the demo makes it.
    from counterpoint.couples.models import Couple, Membership
    from counterpoint.demo import DEMO_DAYS, DEMO_SEEDERS, DemoCouple

    start = timezone.now() - dt.timedelta(days=DEMO_DAYS)
    a = account_signup(email="alex@bench.example", password=password, display_name="Alex")
    b = account_signup(email="sam@bench.example", password=password, display_name="Sam")
    couple = invite_accept(user=b, code_or_token=invite_create(inviter=a).token)
    User.objects.filter(pk__in=[a.pk, b.pk]).update(date_joined=start)
    Membership.objects.filter(couple=couple).update(joined_at=start)
    Couple.objects.filter(pk=couple.pk).update(created_at=start)
    demo = DemoCouple(alex=a, sam=b, couple=couple, start=start)
    for seeder in DEMO_SEEDERS:
        if seeder.__module__ != "counterpoint.research.demo":  # a researcher of its own
            seeder(demo)
    _time_delete(a.pk, f"a partner with {DEMO_DAYS} days of the demo's history", repeat)


def _time_delete(pk: int, who: str, repeat: int) -> None:
    """Time ``account_delete`` of one person ``repeat`` times, each rolled back; print it."""
    from django.db import connection, transaction

    from counterpoint.accounts.models import User
    from counterpoint.accounts.services import account_delete
    from counterpoint.privacy.models import KeptRow

    statements = 0

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    durations, kept = [], 0
    for _ in range(repeat):
        statements = 0
        user = User.objects.get(pk=pk)
        before = KeptRow.objects.count()
        try:
            with transaction.atomic():
                with connection.execute_wrapper(count):
                    started = time.perf_counter()
                    account_delete(user=user, remove_couple_items=False)
                    durations.append(time.perf_counter() - started)
                kept = KeptRow.objects.count() - before
                raise _Rollback
        except _Rollback:
            pass
    print(
        f"  account_delete of {who}: median {statistics.median(durations):.2f} s "
        f"(runs: {', '.join(f'{d:.2f}' for d in durations)}), {statements:,} SQL statements, "
        f"{kept:,} rows kept for others",
        flush=True,
    )


def _time_background(pk: int, repeat: int) -> None:
    """The deletion as the app does it for a study above the threshold: the request closes the
    account; the task runner deletes the study a few couples at a time, then the account. Each
    run is rolled back (the batches' transactions become savepoints of the run's)."""
    from django.conf import settings
    from django.db import transaction

    from counterpoint.accounts import deletion
    from counterpoint.accounts.models import User
    from counterpoint.accounts.services import account_delete

    user = User.objects.get(pk=pk)
    size = deletion.large_parts_size(user)
    if size <= settings.ACCOUNT_DELETE_IN_REQUEST_ROWS:
        print(f"  {size:,} prompts: under the threshold, deleted in the request", flush=True)
        return
    real_delete = deletion.delete_keeping
    batches: list[float] = []

    def timed(obj):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return real_delete(obj)
        finally:
            batches.append(time.perf_counter() - started)

    deletion.delete_keeping = timed
    requests, finishes, longest = [], [], []
    try:
        for _ in range(repeat):
            batches.clear()
            try:
                with transaction.atomic():
                    started = time.perf_counter()
                    done = account_delete(user=User.objects.get(pk=pk), remove_couple_items=False)
                    requests.append(time.perf_counter() - started)
                    assert done is False
                    started = time.perf_counter()
                    assert deletion.account_deletion_finish(pk)
                    finishes.append(time.perf_counter() - started)
                    longest.append(max(batches))
                    raise _Rollback
            except _Rollback:
                pass
    finally:
        deletion.delete_keeping = real_delete
    print(
        f"  the researcher, by the task runner ({size:,} prompts > "
        f"{settings.ACCOUNT_DELETE_IN_REQUEST_ROWS:,}): the request (account closed) median "
        f"{statistics.median(requests):.2f} s (runs: {', '.join(f'{d:.2f}' for d in requests)}); "
        f"the task runner median {statistics.median(finishes):.2f} s in {len(batches)} "
        f"transactions, the longest {statistics.median(longest):.2f} s",
        flush=True,
    )


def _pg(*args: str) -> bool:
    done = subprocess.run(
        [*args, "-h", "127.0.0.1", "-U", "postgres", PG_NAME], capture_output=True, text=True
    )
    return done.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--couples", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_one(args.couples, args.repeat)
        return 0
    failed = 0
    for db in ("sqlite", "postgresql") if args.db == "both" else (args.db,):
        with tempfile.TemporaryDirectory() as tmp:
            env = {
                **os.environ,
                "COUNTERPOINT_VAR_DIR": tmp,
                "DEBUG": "0",
                "SECRET_KEY": "bench-only-" + "x" * 50,
            }
            if db == "sqlite":
                env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
            else:
                _pg("dropdb", "--if-exists")
                if not _pg("createdb"):
                    print("postgresql: not reachable at 127.0.0.1:5432, skipped")
                    continue
                env["DATABASE_URL"] = PG_URL
            print(f"{db}, {args.couples} couples:", flush=True)
            argv = [sys.executable, __file__, "--child", "--couples", str(args.couples)]
            done = subprocess.run([*argv, "--repeat", str(args.repeat)], env=env, cwd=ROOT)
            failed += done.returncode != 0
            if db == "postgresql":
                _pg("dropdb", "--if-exists")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
