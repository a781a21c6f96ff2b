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

Who deletes is said by the service that deletes (:func:`deleting_as`); an account deletion says it
by its origin too. A deletion nobody claims keeps every row for its writer: nothing is lost by
default. Rows deleted directly (not with their item) by unclaimed code are not kept.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Model, QuerySet
from django.db.models.signals import pre_delete

if TYPE_CHECKING:
    from counterpoint.accounts.models import User

Row = dict[str, Any]
RowsFor = Callable[[Any], Iterable[tuple[int | None, Row]]]

_deleter: ContextVar[int | None] = ContextVar("counterpoint_deleting_as", default=None)


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
    ``model_rows`` gives it; ``rows_for`` instead gives (person, export row) pairs for one row.
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

    def rows_for(instance: Any) -> list[tuple[int | None, Row]]:
        from counterpoint.privacy.export import model_rows

        return [(getattr(instance, attname), model_rows([instance])[0])]

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
    from counterpoint.privacy.models import KeptRow

    keeper = _KEEPERS[sender]
    deleter = deleter_of(origin)
    if deleter is None and (
        (isinstance(origin, Model) and type(origin) is sender)
        or (isinstance(origin, QuerySet) and origin.model is sender)
    ):
        return  # the rows themselves were deleted, not their item
    kept = [
        KeptRow(owner_id=person, section=keeper.section, row=_stored(row))
        for person, row in keeper.rows_for(instance)
        if person is not None and person != deleter
    ]
    if kept:
        KeptRow.objects.bulk_create(kept)


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
