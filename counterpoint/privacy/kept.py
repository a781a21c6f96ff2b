"""What one person wrote on another's item stays theirs when the item goes.

A response to a partner's win, a cheer on their goal, an answer to a plan, a view in a decision:
each is a row of its own, written by one person, hanging off an item that someone else may delete
(the moment's author deletes it; an account goes with everything its owner made). The database
deletes such rows with their item. Left at that, the writer would lose words they wrote, without
being told, and their export would change the moment the other person deleted something: after
unpairing, that tells them of an act on what is, in effect, the other person's alone.

So each such model registers here (:func:`keep_on_delete`). When one of its rows is deleted by
anyone but the person it belongs to, the row is first kept for that person, exactly as their
export shows it (:class:`~counterpoint.privacy.models.KeptRow`), and the export reads it back
(:func:`kept_rows`). A person's export is the same, byte for byte, before and after someone
else deletes the item their words hung off (``tests/web/test_words_outlive_their_item.py``).
No page shows kept rows and keeping one moves no data version: nothing but the export, which
shows it as before, can tell it happened. Deleting one's own account deletes one's kept rows.

A row deleted with its item is kept from its own ``pre_delete``; an account's deletion, which may
take tens of thousands of such rows with it (a researcher's study), goes through
:func:`delete_keeping`, which keeps them a model at a time.

Who deletes is said by the service that deletes (:func:`deleting_as`); an account deletion says it
by its origin too. A deletion nobody claims keeps every row for its writer: nothing is lost by
default. Rows deleted directly (not with their item) by unclaimed code are not kept.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import router, transaction
from django.db.models import Model, QuerySet
from django.db.models.deletion import Collector
from django.db.models.signals import pre_delete

from counterpoint.operations.versions import versions_bumped_once

if TYPE_CHECKING:
    from counterpoint.accounts.models import User

Row = dict[str, Any]
# (person, export row) pairs for some rows of one model, given together so that what the rows
# need to be kept (who each belongs to) is looked up once for all of them
RowsFor = Callable[[list[Any]], Iterable[tuple[int | None, Row]]]

_deleter: ContextVar[int | None] = ContextVar("counterpoint_deleting_as", default=None)
# rows :func:`delete_keeping` has kept already, by model and key: their own pre_delete passes
_kept_already: ContextVar[frozenset[tuple[type[Model], Any]]] = ContextVar(
    "counterpoint_kept_already", default=frozenset()
)
# what a deletion by :func:`delete_keeping` has done once already (:func:`once_per_deletion`)
_done_once: ContextVar[set[Hashable] | None] = ContextVar("counterpoint_done_once", default=None)
BATCH = 500


@dataclass(frozen=True)
class _Keeper:
    section: str
    rows_for: RowsFor


_KEEPERS: dict[type[Model], _Keeper] = {}
# export section -> the fields its rows are ordered by (the same with kept rows as without)
_ORDERS: dict[str, tuple[str, ...]] = {}


@contextmanager
def deleting_as(user: User) -> Iterator[None]:
    """Deletions inside are ``user``'s own acts: their own rows go with them, anyone else's stay."""
    token = _deleter.set(user.pk)
    try:
        yield
    finally:
        _deleter.reset(token)


def keep_on_delete(
    model: type[Model],
    *,
    section: str,
    order: tuple[str, ...],
    owner: str | None = None,
    rows_for: RowsFor | None = None,
) -> None:
    """Keep ``model``'s rows for the person they belong to when someone else deletes them.

    ``section`` is the export section their rows appear in, ``order`` the fields that section is
    sorted by. By default a row belongs to the person its ``owner`` key names and is kept as
    ``model_rows`` gives it; ``rows_for`` instead gives (person, export row) pairs for a list of
    rows (one row when it is deleted alone; many with :func:`delete_keeping`).
    """
    if rows_for is None:
        if owner is None:
            raise ValueError("keep_on_delete needs an owner field or rows_for")
        rows_for = _default_rows_for(model, owner)
    _KEEPERS[model] = _Keeper(section=section, rows_for=rows_for)
    _ORDERS[section] = order
    pre_delete.connect(
        _before_delete, sender=model, dispatch_uid=f"privacy-kept-{model._meta.label}"
    )


def _default_rows_for(model: type[Model], owner: str) -> RowsFor:
    attname = model._meta.get_field(owner).attname  # type: ignore[union-attr]

    def rows_for(instances: list[Any]) -> list[tuple[int | None, Row]]:
        from counterpoint.privacy.export import model_rows

        return [
            (getattr(i, attname), row)
            for i, row in zip(instances, model_rows(instances), strict=True)
        ]

    return rows_for


def _is_account(origin: object) -> bool:
    return isinstance(origin, Model) and origin._meta.label == settings.AUTH_USER_MODEL


def deleter_of(origin: object) -> int | None:
    """Who is deleting, for a ``pre_delete`` receiver given its ``origin``: the person a service
    named (:func:`deleting_as`), or whose account is going; ``None`` when nobody said."""
    deleter = _deleter.get()
    if deleter is None and _is_account(origin):
        return origin.pk  # type: ignore[attr-defined]
    return deleter


def keep_for(person: int, section: str, row: Row) -> None:
    """Keep one row for ``person`` in ``section`` (read back by :func:`kept_rows`)."""
    from counterpoint.privacy.models import KeptRow

    KeptRow.objects.create(owner_id=person, section=section, row=_stored(row))


def _before_delete(sender: type[Model], instance: Model, origin: Any = None, **kwargs: Any) -> None:
    if (sender, instance.pk) in _kept_already.get():
        return
    _keep(sender, [instance], deleter=deleter_of(origin), origin=origin)


def _keep(model: type[Model], instances: list[Model], *, deleter: int | None, origin: Any) -> int:
    """Keep the rows of ``instances`` (all of ``model``) for everyone but ``deleter``."""
    from counterpoint.privacy.models import KeptRow

    if deleter is None and (
        (isinstance(origin, Model) and type(origin) is model)
        or (isinstance(origin, QuerySet) and origin.model is model)
    ):
        return 0  # the rows themselves were deleted, not their item
    keeper = _KEEPERS[model]
    kept = []
    for start in range(0, len(instances), BATCH):
        kept += [
            KeptRow(owner_id=person, section=keeper.section, row=_stored(row))
            for person, row in keeper.rows_for(instances[start : start + BATCH])
            if person is not None and person != deleter
        ]
    KeptRow.objects.bulk_create(kept, batch_size=BATCH)
    return len(kept)


def delete_keeping(obj: Model | QuerySet[Any]) -> int:
    """Delete ``obj`` (a row, or the rows of a queryset) and what goes with it, as ``.delete()``
    does, but keep the rows that are kept (:func:`keep_on_delete`) a model at a time rather than
    a row at a time: an account that takes a study of many couples with it keeps tens of
    thousands of rows, which one by one would outlast the request. Returns how many rows were
    kept."""
    rows: QuerySet[Any] | list[Model]
    if isinstance(obj, QuerySet):
        using, rows = router.db_for_write(obj.model), obj
    else:
        using, rows = router.db_for_write(type(obj), instance=obj), [obj]
    deleter = deleter_of(obj)
    with transaction.atomic(using=using):
        collector = Collector(using=using, origin=obj)
        collector.collect(rows)
        kept = 0
        done: set[tuple[type[Model], Any]] = set()
        for model, found in collector.data.items():
            if model not in _KEEPERS or not found:
                continue
            instances = sorted(found, key=lambda i: str(i.pk))
            kept += _keep(model, instances, deleter=deleter, origin=obj)
            done.update((model, i.pk) for i in instances)
        token = _kept_already.set(_kept_already.get() | done)
        once = _done_once.set(set())
        try:
            with versions_bumped_once():
                collector.delete()
        finally:
            _done_once.reset(once)
            _kept_already.reset(token)
    return kept


def once_per_deletion(key: Hashable) -> bool:
    """False when a deletion by :func:`delete_keeping` has already seen ``key`` (a receiver that
    does the same thing for each of many rows, such as forgetting a study's analyses, does it
    once); True otherwise, and always outside such a deletion."""
    seen = _done_once.get()
    if seen is None:
        return True
    if key in seen:
        return False
    seen.add(key)
    return True


def sections_kept_in_order() -> dict[str, tuple[str, ...]]:
    return dict(_ORDERS)


def kept_rows(user: User | int | None, section: str) -> list[Row]:
    """The rows kept for ``user`` in one section, as they were when kept (everyone's for None)."""
    from counterpoint.privacy.models import KeptRow

    kept = KeptRow.objects.filter(section=section)
    if user is not None:
        kept = kept.filter(owner=user)
    return [_restored(row) for row in kept.values_list("row", flat=True)]


def in_order(rows: list[Row], fields: tuple[str, ...]) -> list[Row]:
    """Rows sorted by ``fields`` (missing and empty values first), the same however they came."""

    def key(row: Row) -> tuple[tuple[int, Any], ...]:
        return tuple((0, "") if row.get(f) is None else (1, _comparable(row[f])) for f in fields)

    return sorted(rows, key=key)


def _comparable(value: Any) -> Any:
    """A day sorts as its first moment (UTC) among times: a log may give some times as the day
    they fell on (``research``'s prompt log) and others exactly."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)
    return value


# Values as JSON can hold them, and back: times keep their type, so that the export gives a kept
# row's times exactly as it gives a live row's (a day, or to the microsecond). A row is stored as
# [column, value] pairs: PostgreSQL's jsonb keeps no order of an object's keys, and the export's
# columns keep theirs.
def _stored(row: Row) -> list[list[Any]]:
    return [[k, _stored_value(v)] for k, v in row.items()]


def _stored_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"~datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"~date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"~time": value.isoformat()}
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _restored(pairs: list[list[Any]]) -> Row:
    return {k: _restored_value(v) for k, v in pairs}


def _restored_value(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((tag, text),) = value.items()
        if tag == "~datetime":
            return dt.datetime.fromisoformat(text)
        if tag == "~date":
            return dt.date.fromisoformat(text)
        if tag == "~time":
            return dt.time.fromisoformat(text)
    return value
