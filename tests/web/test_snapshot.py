"""A restored build is what the build made: every table, the id sequences, the photo files, the
emails and the objects it returned, only later in time (tests/web/snapshot.py). Checked for the
shared test world, the demo couple and the demo's check-ins, the builds tests restore."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from counterpoint.accounts.models import User
from tests.web import snapshot as snapshots
from tests.web.conftest import build_demo, build_demo_checkins, build_world

pytestmark = pytest.mark.django_db


def every_table() -> dict[str, list[tuple[Any, ...]]]:
    """Each table in the database, row by row (every table must belong to a model)."""
    by_table = {m._meta.db_table: m for m in snapshots.tables()}
    names = set(connection.introspection.table_names())
    assert names == set(by_table), "a table without a model would not be restored"
    return {name: snapshots.dump(by_table[name]) for name in sorted(names)}


def every_sequence() -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name")
        else:
            cursor.execute("SELECT sequencename, last_value FROM pg_sequences ORDER BY 1")
        return list(cursor.fetchall())


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def later(value: Any, by: dt.timedelta) -> Any:
    return value + by if isinstance(value, dt.datetime) else value


def describe(made: Any) -> dict[str, Any]:
    """What a build returned (a dataclass): each model instance's type and every field value it
    holds, the other values as they are."""

    def one(value: Any) -> Any:
        if hasattr(value, "_meta"):
            names = [f.attname for f in value._meta.concrete_fields]
            return (type(value), {n: value.__dict__.get(n) for n in names})
        return value

    described = {f.name: one(getattr(made, f.name)) for f in dataclasses.fields(made)}
    described |= {f"objects[{k}]": one(v) for k, v in getattr(made, "objects", {}).items()}
    described.pop("objects", None)
    return described


@pytest.mark.parametrize(
    "build", [build_world, build_demo, build_demo_checkins], ids=["world", "demo", "checkins"]
)
def test_a_restored_build_is_the_built_one_moved_in_time(build: Callable[[], Any]) -> None:
    built: dict[str, Any] = {}

    def build_and_look() -> Any:
        made = build()
        built.update(
            tables=every_table(),
            sequences=every_sequence(),
            photos=files(snapshots.photos_folder()),
            mail=[(m.subject, m.to, m.body, m.from_email) for m in mail.outbox],
            made=describe(made),
        )
        return made

    before = every_table()
    snapshot = snapshots.Snapshot.take(build_and_look)
    assert every_table() == before, "taking the snapshot leaves the database as it was"
    assert files(snapshots.photos_folder()) == {}
    assert mail.outbox == []

    by = dt.timedelta(minutes=7, seconds=3)
    made = snapshot.restore(snapshot.built_at + by)

    assert every_table() == {
        table: [tuple(later(v, by) for v in row) for row in rows]
        for table, rows in built["tables"].items()
    }
    assert sum(len(rows) for rows in built["tables"].values()) > sum(map(len, before.values()))
    connection.check_constraints()  # every row a restored row points at is there
    assert every_sequence() == built["sequences"]  # the next record gets the id it would
    assert files(snapshots.photos_folder()) == built["photos"]
    assert [(m.subject, m.to, m.body, m.from_email) for m in mail.outbox] == built["mail"]
    assert describe(made) == {
        name: (value[0], {n: later(v, by) for n, v in value[1].items()})
        if isinstance(value, tuple)
        else later(value, by)
        for name, value in built["made"].items()
    }


def test_the_restored_world_is_whole() -> None:
    world = snapshots.Snapshot.take(build_world).restore()
    assert snapshots.photos_folder().is_dir() and any(snapshots.photos_folder().iterdir())
    assert world.person("A") is world.alice
    memory = world.objects["memory"]
    memory.refresh_from_db()  # the built instance did not see its photo set: neither does this
    assert memory.photo_by_id == world.bob.pk
    assert (snapshots.photos_folder() / memory.photo).is_file()
    assert world.new_notices().count() == 0


def test_each_restore_is_the_world_as_built_whatever_a_test_did_to_the_last() -> None:
    snapshot = snapshots.Snapshot.take(build_world)
    with transaction.atomic():
        first = snapshot.restore()
        first.alice.display_name = "changed in memory by a test"
        first.objects["alice_goal_shared"].title = "changed in memory too"
        User.objects.filter(pk=first.bob.pk).update(display_name="changed by a test")
        transaction.set_rollback(True)  # the end of that test
    second = snapshot.restore()
    assert second.alice.display_name == "Alice"
    assert second.objects["alice_goal_shared"].title == "Run a half marathon"
    assert User.objects.get(pk=second.bob.pk).display_name == "Bob"


def test_a_new_day_or_time_travel_builds_the_world_again() -> None:
    snapshot = snapshots.Snapshot.take(build_world)
    assert snapshot.fits(snapshot.built_at)
    assert not snapshot.fits(snapshot.built_at + dt.timedelta(days=1))
    assert snapshots.restorable()
    with time_machine.travel(timezone.now() - dt.timedelta(days=3)):
        assert not snapshots.restorable()
