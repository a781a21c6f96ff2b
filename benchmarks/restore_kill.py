"""Restore kill drill: a restore killed (SIGKILL) at any moment leaves the site's data as it was
before, or as the backup has it, never a mix, and the next restore finishes the job.

    .venv/bin/python benchmarks/restore_kill.py [--db sqlite|postgres|both] [--kills 20]

For each database: ``--couples`` couples with the demo's history (seeded as bench_load.py does),
each couple's first memory given a photo through the service, a backup taken with
``manage.py backup``. Then, ``--kills`` times: one more journal entry and photo written (so the
data differ from the backup's), its fingerprint taken (every table's row count and checksum, and every file
in the photos folder), ``manage.py restore --noinput`` started and SIGKILLed at a random moment
in the last two thirds of the time a whole restore takes (the first third is Python starting).
Afterwards the database must be whole (SQLite's ``integrity_check``), its tables exactly the
fingerprint from before the restore or exactly the backup's, and every photo its memories name
must be in the folder. At the end one restore runs
to completion and must give the backup's tables exactly and every photo of the backup, beside at
most files stored in the last hour (``ORPHAN_GRACE``: an upload made during a restore may still
name one, so a restore leaves them to the sweep; deploy.md, "Using the site during a restore").
Prints, per database, how many kills found the data as before and as the backup, and any
failure.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

from bench_load import _env, _pg_fresh  # noqa: E402

MANAGE = [sys.executable, str(BENCH.parent / "manage.py")]


def fingerprint() -> None:
    """Runs in a subprocess: print the data's fingerprint as JSON."""
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from counterpoint.operations.backup import photo_storage, table_fingerprints
    from counterpoint.operations.photo_lock import ORPHAN_GRACE
    from counterpoint.operations.versions import GENERATION_SCOPE
    from counterpoint.practices.plans.models import Memory

    whole = "ok"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            whole = cursor.execute("PRAGMA integrity_check").fetchone()[0]
    tables = [
        t
        for t in connection.introspection.table_names()
        if t not in ("django_session", "operations_dataversion")
    ]
    with connection.cursor() as cursor:
        prints = table_fingerprints(cursor, tables)
        cursor.execute(
            "SELECT scope, version FROM operations_dataversion WHERE scope <> %s ORDER BY scope",
            [GENERATION_SCOPE],
        )
        prints["operations_dataversion"] = (0, repr(cursor.fetchall()))
    storage = photo_storage()
    photos = sorted(storage.listdir("")[1])
    # stored within the grace: a restore leaves these beside the backup's (an upload may name one)
    young_since = timezone.now() - ORPHAN_GRACE
    young = [p for p in photos if storage.get_modified_time(p) >= young_since]
    named = sorted(Memory.objects.exclude(photo="").values_list("photo", flat=True))
    print(json.dumps({"whole": whole, "tables": prints, "photos": photos, "young": young,
                      "named": named}))  # fmt: skip


def _as_the_backup(found: dict, wanted: dict) -> bool:
    """The backup's data exactly, and its photos, beside at most young files (left to the sweep)."""
    photos, backup_photos = set(found["photos"]), set(wanted["photos"])
    return (
        found["tables"] == wanted["tables"]
        and backup_photos <= photos
        and photos - backup_photos <= set(found["young"])
    )


def prepare() -> None:
    """Runs in a subprocess: a photo on each couple's first memory (through the service)."""
    import io

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from counterpoint.practices.plans import services
    from counterpoint.practices.plans.models import Memory

    done = set()
    for memory in Memory.objects.order_by("pk"):
        if memory.couple_id in done or memory.photo or memory.author is None:
            continue
        buffer = io.BytesIO()
        Image.new("RGB", (320, 240), (40, 90, 160)).save(buffer, format="JPEG")
        upload = SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")
        services.memory_photo_set(user=memory.author, memory=memory, upload=upload)
        done.add(memory.couple_id)


def write_one(n: int) -> None:
    """Runs in a subprocess: one more journal entry and one more photo (the data move on)."""
    import io

    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from counterpoint.journal.services import journal_entry_write
    from counterpoint.practices.plans import services
    from counterpoint.practices.plans.models import Memory

    memory = Memory.objects.exclude(photo="").order_by("pk").first()
    assert memory is not None and memory.author is not None
    journal_entry_write(
        user=memory.author, body=f"written after the backup ({n})", visibility="partner"
    )
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (n % 255, 20, 20)).save(buffer, format="JPEG")
    upload = SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")
    services.memory_photo_set(user=memory.author, memory=memory, upload=upload)


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, __file__, *args], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"{args} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def _print(env: dict[str, str]) -> dict:
    return json.loads(_run(env, "--fingerprint").strip().splitlines()[-1])


def run_db(db: str, kills: int, couples: int) -> dict[str, int]:
    var = Path(tempfile.mkdtemp(prefix=f"cp-restore-{db}-"))
    env = _env(db, var)
    if db == "postgres":
        env["DATABASE_URL"] = env["DATABASE_URL"].rsplit("/", 1)[0] + "/cp_restore"
        if not _pg_fresh("cp_restore"):
            return {}
    subprocess.run(
        [sys.executable, str(BENCH / "bench_load.py"), "--seed-only", str(couples)],
        env=env,
        check=True,
    )
    _run(env, "--prepare")
    backup = var / "site.tar.gz"
    subprocess.run([*MANAGE, "backup", str(backup)], env=env, check=True, capture_output=True)
    wanted = _print(env)
    # how long a whole restore takes (after a change, as in the drill)
    _run(env, "--write", "0")
    t0 = time.monotonic()
    subprocess.run([*MANAGE, "restore", str(backup), "--noinput"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    whole_restore = time.monotonic() - t0
    if not _as_the_backup(_print(env), wanted):
        raise SystemExit("a whole restore did not give the backup's data")
    counts = {"kills": 0, "as before": 0, "as the backup": 0, "finished first": 0, "failures": 0}
    rng = random.Random(11)
    for n in range(1, kills + 1):
        _run(env, "--write", str(n))
        before = _print(env)
        restore = subprocess.Popen(
            [*MANAGE, "restore", str(backup), "--noinput"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        # after Python and Django have started (a third of the time): the rest is the restore
        time.sleep(rng.uniform(whole_restore / 3, whole_restore))
        if restore.poll() is None:
            os.killpg(restore.pid, signal.SIGKILL)
            counts["kills"] += 1
        else:
            counts["finished first"] += 1
        restore.wait()
        after = _print(env)
        problems = []
        if after["whole"] != "ok":
            problems.append(f"database damaged: {after['whole']}")
        if after["tables"] == before["tables"]:
            counts["as before"] += 1
        elif after["tables"] == wanted["tables"]:
            counts["as the backup"] += 1
        else:
            changed = [t for t in after["tables"] if after["tables"][t] != before["tables"].get(t)]
            problems.append(f"neither as before nor as the backup: {changed[:5]}")
        missing = set(after["named"]) - set(after["photos"])
        if missing:
            problems.append(f"photos named but missing: {sorted(missing)}")
        if problems:
            counts["failures"] += 1
            print(f"  kill {n}: " + "; ".join(problems))
    subprocess.run([*MANAGE, "restore", str(backup), "--noinput"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    final = _print(env)
    if not _as_the_backup(final, wanted):
        counts["failures"] += 1
        print("  the last, whole restore did not give the backup's data and photos")
    counts["restore seconds"] = round(whole_restore, 1)  # type: ignore[assignment]
    if db == "postgres":
        subprocess.run(
            ["psql", env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres", "-qc",
             "DROP DATABASE IF EXISTS cp_restore WITH (FORCE)"],
            capture_output=True,
        )  # fmt: skip
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--couples", type=int, default=5)
    parser.add_argument("--fingerprint", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--write", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fingerprint:
        return fingerprint()
    if args.prepare:
        return prepare()
    if args.write is not None:
        return write_one(args.write)
    print("| engine | restores started | killed midway | found as before | found as the backup "
          "| failures | a whole restore (s) |\n|---|---:|---:|---:|---:|---:|---:|")  # fmt: skip
    failures = 0
    for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
        c = run_db(db, args.kills, args.couples)
        if not c:
            continue
        failures += c["failures"]
        print(
            f"| {db} | {args.kills} | {c['kills']} | {c['as before']} | {c['as the backup']} "
            f"| {c['failures']} | {c['restore seconds']} |",
            flush=True,
        )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
