"""Expensive test data, built once per test process and restored for each test that asks for it.

``build_world()`` (the shared test world) makes every record through the services, as people do:
about a second of work, and most web tests ask for it; ``demo_create()`` takes several seconds.
``restored(build)`` builds once per xdist worker, inside the test's transaction:
``Snapshot.take`` notes every row the build added (every model table, the many-to-many tables
too), the id sequences, the photo files it wrote, the emails it sent and what it returned, then
rolls the build back. ``Snapshot.restore`` puts all of that back in a later test's transaction in
tens of milliseconds:

- the rows are inserted as they were, with the same primary keys (foreign keys are checked at the
  end of the transaction in SQLite and PostgreSQL, so the order does not matter); every
  ``DateTimeField`` is moved forward by the time since the build ended, so "a minute ago" is still
  a minute ago and nothing is in the future;
- the id sequences are set to where the build left them (``sqlite_sequence``; PostgreSQL's
  sequences), so the next record a test makes gets the id it would have after a fresh build;
- the photos are copied into the test's own photos folder and the emails appended to
  ``mail.outbox`` (copies: a test may change them);
- what the build returned (a dataclass such as ``World``) is made again: each model instance with
  the field values the built one held (not reloaded: an instance a service changed in the database
  afterwards stays as stale as it was), one instance wherever the build shared one, other values
  (ints, strings; datetimes moved like the rows) as they were.

It builds fresh instead when a restore could not be the same as a build: during time travel
(``time_machine``), in a transactional test (no transaction to roll back to), and when the date
changed in a time zone the build's people live in (dates are not shifted: it is built again on the
new day). Snapshots are kept per build, per settings and per the row count of every table, so a
test whose fixtures changed a setting or made rows first gets its own build, as it would without
this.

Limits, checked when the snapshot is taken (it fails loudly rather than restore something else):
the build may only add rows, not change or delete rows that were there before it; it may leave
nothing in the cache or in the task queue, and must not change the active time zone or language.
Not reproduced: a time of day kept on its own (a ``TimeField``, a time inside JSON or text) is not
shifted with the rest, and ``transaction.on_commit`` callbacks the build registered are dropped
(in a test's transaction they never run unless the test captures them around its own code).
``tests/web/test_snapshot.py`` checks, table by table, that each restored build is the built one.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import time_machine
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import connection, models, transaction
from django.utils import timezone, translation

T = TypeVar("T")
Rows = dict[type[models.Model], list[tuple[Any, ...]]]


def tables() -> list[type[models.Model]]:
    """Every model with a table of its own, many-to-many tables included."""
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]


def attnames(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


def dump(model: type[models.Model]) -> list[tuple[Any, ...]]:
    """Every row of ``model``'s table, by primary key."""
    return list(model._base_manager.order_by("pk").values_list(*attnames(model)))


def row_counts() -> dict[type[models.Model], int]:
    """How many rows each table holds, in one query."""
    models_ = tables()
    quote = connection.ops.quote_name
    sql = ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models_)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}")
        counts = cursor.fetchone()
    return dict(zip(models_, counts, strict=True))


def _sequenced(model: type[models.Model]) -> bool:
    return isinstance(model._meta.pk, models.AutoField)  # Big/Small subclass it


def sequences(models_: list[type[models.Model]]) -> dict[str, int]:
    """Where each table's id sequence stands (by table name)."""
    names = [m._meta.db_table for m in models_ if _sequenced(m)]
    if not names:
        return {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
            return {name: seq for name, seq in cursor.fetchall() if name in names}
        if connection.vendor == "postgresql":
            found = {}
            for model in models_:
                if not _sequenced(model):
                    continue
                cursor.execute(
                    "SELECT pg_sequence_last_value(pg_get_serial_sequence(%s, %s)::regclass)",
                    [model._meta.db_table, model._meta.pk.column],
                )
                value = cursor.fetchone()[0]
                if value is not None:
                    found[model._meta.db_table] = value
            return found
    raise NotImplementedError(connection.vendor)


def _set_sequences(values: dict[str, int], models_: list[type[models.Model]]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name, seq in values.items():
                cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [seq, name])
                if cursor.rowcount == 0:
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [name, seq]
                    )
        elif connection.vendor == "postgresql":
            pk_column = {m._meta.db_table: m._meta.pk.column for m in models_}
            for name, seq in values.items():
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), %s)",
                    [name, pk_column[name], seq],
                )
        else:
            raise NotImplementedError(connection.vendor)


def shift(value: Any, by: dt.timedelta) -> Any:
    """``value`` moved forward by ``by`` if it is a moment in time (dates are left alone)."""
    return value + by if isinstance(value, dt.datetime) else value


def _shifted_row(row: tuple[Any, ...], moments: list[int], by: dt.timedelta) -> tuple[Any, ...]:
    if not moments:
        return row
    values = list(row)
    for i in moments:
        if values[i] is not None:
            values[i] += by
    return tuple(values)


def moment_columns(model: type[models.Model]) -> list[int]:
    return [
        i for i, f in enumerate(model._meta.concrete_fields) if isinstance(f, models.DateTimeField)
    ]


def photos_folder() -> Path:
    return Path(storages["photos"].location)  # type: ignore[attr-defined]


def _files(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            found[str(path.relative_to(folder))] = path.read_bytes()
    return found


def _local_dates(at: dt.datetime, zones: set[str]) -> tuple[tuple[str, dt.date], ...]:
    return tuple(sorted((zone, at.astimezone(ZoneInfo(zone)).date()) for zone in zones))


def settings_key() -> int:
    """A fingerprint of the settings a test runs with (the photos folder differs per test)."""
    names = sorted(n for n in dir(settings) if n.isupper() and n != "STORAGES")
    return hash(tuple((n, repr(getattr(settings, n))) for n in names))


def _cache_keys() -> set[Any]:
    return set(getattr(cache, "_cache", {}))


def _huey_size() -> tuple[int, int, int]:
    from huey.contrib.djhuey import HUEY

    return (HUEY.pending_count(), HUEY.scheduled_count(), len(HUEY.all_results()))


def _ambient() -> tuple[str, str | None]:
    return (str(timezone.get_current_timezone()), translation.get_language())


class SnapshotUnfit(Exception):
    """The build did something a snapshot cannot reproduce (see this module's docstring)."""


@dataclasses.dataclass(frozen=True)
class Frozen:
    """A model instance as the built world held it."""

    model: type[models.Model]
    values: tuple[tuple[str, Any], ...]


@dataclasses.dataclass
class Snapshot:
    rows: Rows
    sequences: dict[str, int]
    photos: dict[str, bytes]
    outbox: list[Any]
    world: Any  # the World dataclass with each model instance replaced by a Frozen
    built_at: dt.datetime  # when the build ended
    dates: tuple[tuple[str, dt.date], ...]  # the local date in every time zone the world uses
    zones: set[str] = dataclasses.field(default_factory=set)

    @classmethod
    def take(cls, build: Callable[[], Any]) -> Snapshot:
        """Build the world in a savepoint, note everything it made, and roll it back."""
        models_ = tables()
        before = {m: dump(m) for m in models_}
        seqs_before = sequences(models_)
        cache_before, huey_before, ambient = _cache_keys(), _huey_size(), _ambient()
        outbox_before = len(getattr(mail, "outbox", []))
        folder = photos_folder()
        photos_before = set(_files(folder))
        started = timezone.now()
        with transaction.atomic():
            world = build()
            built_at = timezone.now()
            after = {m: dump(m) for m in models_}
            seqs = sequences(models_)
            photos = {n: c for n, c in _files(folder).items() if n not in photos_before}
            transaction.set_rollback(True)
        for name in photos:  # rolled back with the rows they belong to
            (folder / name).unlink()
        outbox = list(getattr(mail, "outbox", [])[outbox_before:])
        if outbox:
            del mail.outbox[outbox_before:]  # sent by what was rolled back
        problems = []
        rows: Rows = {}
        for model in models_:
            at = attnames(model).index(model._meta.pk.attname)
            old = {r[at]: r for r in before[model]}
            new = after[model]
            kept = [r for r in new if r[at] in old]
            if len(kept) != len(old) or any(old[r[at]] != r for r in kept):
                problems.append(f"{model._meta.label}: rows that were there before were changed")
            added = [r for r in new if r[at] not in old]
            if added:
                rows[model] = added
        if _cache_keys() != cache_before:
            problems.append("the build left entries in the cache")
        if _huey_size() != huey_before:
            problems.append("the build left tasks or results in the task queue")
        if _ambient() != ambient:
            problems.append("the build changed the active time zone or language")
        if problems:
            raise SnapshotUnfit("; ".join(problems))
        zones = {settings.TIME_ZONE, "UTC"}
        user = apps.get_model(settings.AUTH_USER_MODEL)
        if user in rows and "time_zone" in attnames(user):
            at = attnames(user).index("time_zone")
            zones |= {r[at] for r in rows[user]}
        dates = _local_dates(built_at, zones)
        if dates != _local_dates(started, zones):
            dates = ()  # built across midnight somewhere: never restored, built again next time
        return cls(
            rows=rows,
            sequences={t: s for t, s in seqs.items() if seqs_before.get(t) != s},
            photos=photos,
            outbox=outbox,
            world=_freeze(world, {}),
            built_at=built_at,
            dates=dates,
            zones=zones,
        )

    def fits(self, now: dt.datetime) -> bool:
        """Whether restoring now gives what building now would (see the module docstring)."""
        return self.dates == _local_dates(now, self.zones)

    def restore(self, now: dt.datetime | None = None) -> Any:
        """Put the world back in the current transaction; returns the World."""
        by = (now or timezone.now()) - self.built_at
        for model, rows in self.rows.items():
            moments = moment_columns(model)
            objs = [model(*_shifted_row(row, moments, by)) for row in rows]
            fields = list(model._meta.concrete_fields)
            size = connection.ops.bulk_batch_size(fields, objs) or len(objs)
            for start in range(0, len(objs), size):
                model._base_manager._insert(  # type: ignore[attr-defined]
                    objs[start : start + size], fields=fields, raw=True, using=connection.alias
                )
        _set_sequences(self.sequences, tables())
        folder = photos_folder()
        for name, content in self.photos.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        if self.outbox and hasattr(mail, "outbox"):
            mail.outbox.extend(copy.deepcopy(self.outbox))
        return _thaw(self.world, by, {})


def _init_fields(value: Any) -> list[dataclasses.Field[Any]]:
    return [f for f in dataclasses.fields(value) if f.init]


def _freeze(value: Any, seen: dict[int, Any]) -> Any:
    """``value`` with every model instance in it replaced by its field values (shared stays shared)."""
    if id(value) in seen:
        return seen[id(value)]
    if isinstance(value, models.Model):
        names = [n for n in attnames(type(value)) if n in value.__dict__]
        frozen: Any = Frozen(type(value), tuple((n, value.__dict__[n]) for n in names))
    elif isinstance(value, dict):
        frozen = {k: _freeze(v, seen) for k, v in value.items()}
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        frozen = dataclasses.replace(
            value, **{f.name: _freeze(getattr(value, f.name), seen) for f in _init_fields(value)}
        )
    elif value is None or isinstance(value, int | str | float | bool | dt.date | dt.time):
        frozen = value
    else:
        raise SnapshotUnfit(f"the world holds a {type(value).__name__}, which is not reproduced")
    seen[id(value)] = frozen
    return frozen


def _thaw(value: Any, by: dt.timedelta, made: dict[int, Any]) -> Any:
    if id(value) in made:
        return made[id(value)]
    if isinstance(value, Frozen):
        names = [n for n, _ in value.values]
        thawed: Any = value.model.from_db(
            connection.alias, names, [shift(copy.deepcopy(v), by) for _, v in value.values]
        )
    elif isinstance(value, dict):
        thawed = {k: _thaw(v, by, made) for k, v in value.items()}
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        thawed = dataclasses.replace(
            value, **{f.name: _thaw(getattr(value, f.name), by, made) for f in _init_fields(value)}
        )
    else:
        thawed = shift(value, by)
    made[id(value)] = thawed
    return thawed


_snapshots: dict[tuple[str, int, tuple[int, ...]], Snapshot] = {}


def restorable() -> bool:
    """Whether this test can take a restored build (see the module docstring)."""
    return connection.in_atomic_block and not time_machine.traveller_stack


def restored(build: Callable[[], T]) -> T:
    """What ``build()`` returns and makes, for the current test: restored from this process's
    snapshot of it when that gives the same, built when it cannot (see the module docstring).

    Snapshots are kept per build, per settings and per what the tables held before the build, so
    a test whose fixtures made rows first gets a build on top of them, as it would without this.
    The emails a build sends (its notices' emails, stored with each write) are the build's, not the
    test's: ``mail.outbox`` starts empty either way, whether this test built or restored.
    """
    try:
        return _restored(build)
    finally:
        mail.outbox = []


def _restored(build: Callable[[], T]) -> T:
    if not restorable():
        return build()
    key = (f"{build.__module__}.{build.__qualname__}", settings_key(), tuple(row_counts().values()))
    now = timezone.now()
    snapshot = _snapshots.get(key)
    if snapshot is None or not snapshot.fits(now):
        snapshot = _snapshots[key] = Snapshot.take(build)
        now = timezone.now()
        if not snapshot.fits(now):  # built across midnight
            return build()
    return snapshot.restore(now)
