"""Data versions: bumped by every save or delete of a row that names a person or a couple.

Rows are matched by their foreign keys: any key to the user model names a person, a key to
``couples.Couple`` names a couple. Three kinds of scope:

- ``u:<id>``: anything of this person's changed (their own derived views are stale);
- ``p:<id>``: something of this person's that their partner may read changed (the partner's
  derived views are stale);
- ``c:<id>``: something of this couple's that either may read changed.

A personal record that is private before and after the write (a private journal entry, made,
edited or deleted; or one shared "with my partner" in a couple that has since ended, which is in
effect private) moves only its author's ``u:`` scope: otherwise the partner's next insights
view would be recomputed, and take measurably longer, each time the author wrote something
private (a timing side channel, docs/capacity.md). Writes that bypass model signals
(``update()``, ``bulk_create()``) are covered for web requests by ``AtomicWritesMiddleware``,
which moves the requesting person's ``u:`` scope after every write request, and after a read
request that changed a row all the same (opening a plan marks its notices read); a signal-less write
that changes what the partner may read must move ``p:``/``c:`` itself (``versions_bump``), as
making records private does (``privacy.sharing``, ``safety.sharing``), and only when something
changed. Elsewhere the caches' time limit bounds staleness.

Rows that name a person but that the partner never reads move only that person's ``u:`` scope:

- rows of a model registered with ``owner_only`` (sign-ins, passkeys, notification settings, the
  person's own notices and emails): the partner reads nothing of them, ever;
- rows registered with ``partner_view`` whose partner-visible part is the same before and after
  the write (the last sign-in time on the user row; a check-in, or reminder settings, while the
  sharing switches hide what changed);
- rows hanging off a private personal record (the words on a private memory) move only the
  record's author's ``u:`` scope, whoever wrote them: a former partner's response to a moment
  once shared with him goes with the moment, and must not end his kept pages either.

Rows registered with ``made_on_first_ask`` (the couple's question of the day) move nothing when
made: whoever asks first makes the same row, and every page that shows one asks for it.

Otherwise a sign-in, a private note or a reminder setting would end the partner's kept pages and
the partner could time them (docs/privacy.md, "Defences against a determined partner").

**Parts.** Each move of a scope by a model's row also moves that scope's *part* for the row's app
(``u:<id>@checkins``); a move by anything else (a ``versions_bump`` that names no app: writes
that bypass model signals, a whole sharing change) moves the scope's ``@*`` part, which every
reader of parts reads. A part moves only together with its scope, in the same transaction and for
the same write, so it tells nobody anything the scope did not: a kept fragment of a page keyed by
the parts of the apps it reads (``privacy.fragments``) is as private as a kept page keyed by the
scopes, and outlives writes to other apps.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction

from counterpoint.operations.models import DataVersion

# privacy.models.Visibility's values (operations sits below every app)
PRIVATE, PARTNER = "private", "partner"


PERSON_PREFIX, SHARED_PREFIX, COUPLE_PREFIX = "u:", "p:", "c:"
# A scope's part for one app: "u:7@checkins"; "@*" moves with every write no app was named for.
PART_SEPARATOR, ANY_PART = "@", "*"
# The database's generation: set to a fresh value by every restore (operations.backup), and part
# of every stamp, so what a running process kept before a restore is never served after it, even
# where the restore turned a version back to a number it had before.
GENERATION_SCOPE = "generation"


def person_scope(user_id: int) -> str:
    return f"{PERSON_PREFIX}{user_id}"


def shared_scope(user_id: int) -> str:
    """What this person's partner may read of theirs."""
    return f"{SHARED_PREFIX}{user_id}"


def couple_scope(couple_id: int) -> str:
    return f"{COUPLE_PREFIX}{couple_id}"


def part_scope(scope: str, part: str) -> str:
    """The version of ``scope`` moved only by writes to ``part`` (an app label, or ``ANY_PART``)."""
    return f"{scope}{PART_SEPARATOR}{part}"


def is_part(scope: str) -> bool:
    return PART_SEPARATOR in scope


def shared_scopes(*, user_id: int, couple_id: int | None) -> list[str]:
    """Every scope a change to what the partner may read of ``user_id``'s moves."""
    scopes = [person_scope(user_id), shared_scope(user_id)]
    return scopes + ([couple_scope(couple_id)] if couple_id else [])


_bumped_once: ContextVar[set[str] | None] = ContextVar("counterpoint_bumped_once", default=None)


@contextmanager
def versions_bumped_once() -> Iterator[None]:
    """Inside, each scope moves once, as the block ends, however many writes moved it: a deletion
    that takes thousands of rows with it moves each person's version once, not once a row. Use it
    inside the writes' transaction (what the versions keep apart is what has been committed)."""
    if _bumped_once.get() is not None:
        yield  # an enclosing block moves them
        return
    scopes: set[str] = set()
    token = _bumped_once.set(scopes)
    try:
        yield
    finally:
        _bumped_once.reset(token)
    _bump_exactly(scopes)


def versions_bump(*, scopes: Iterable[str], parts: Iterable[str] = (ANY_PART,)) -> None:
    """Move each scope's version on by one (in the caller's transaction, if any), and its part for
    each of ``parts``: the apps whose rows changed, or every part (``ANY_PART``, the default) when
    the caller cannot say which. One query when every scope has been written before."""
    whole = set(scopes)
    wanted = whole | {part_scope(s, p) for s in whole for p in parts}
    _bump_exactly(wanted)


def _bump_exactly(scopes: Iterable[str]) -> None:
    wanted = sorted(set(scopes))
    if not wanted:
        return
    deferred = _bumped_once.get()
    if deferred is not None:
        deferred.update(wanted)
        return
    moved = DataVersion.objects.filter(scope__in=wanted).update(version=models.F("version") + 1)
    if moved == len(wanted):
        return
    # some scope is new: one at a time (a version moved twice is as good as once)
    for scope in wanted:
        if DataVersion.objects.filter(scope=scope).update(version=models.F("version") + 1):
            continue
        try:
            with transaction.atomic():
                DataVersion.objects.create(scope=scope, version=1)
        except IntegrityError:  # created meanwhile by another writer
            DataVersion.objects.filter(scope=scope).update(version=models.F("version") + 1)


def versions_forget_person(user_id: int) -> int:
    """Delete a deleted person's own counters (``u:``, ``p:``): each counted their writes. Call it
    after the person's rows are gone (their deletion moves these very counters), in the same
    transaction. Nothing reads them again: no cache key names someone who no longer exists."""
    scopes = [person_scope(user_id), shared_scope(user_id)]
    parts = models.Q()
    for scope in scopes:
        parts |= models.Q(scope__startswith=f"{scope}{PART_SEPARATOR}")
    return DataVersion.objects.filter(models.Q(scope__in=scopes) | parts).delete()[0]


def versions_of(scopes: list[str]) -> tuple[int, ...]:
    """The current version of each scope, in order (0 for a scope never written)."""
    found = dict(DataVersion.objects.filter(scope__in=scopes).values_list("scope", "version"))
    return tuple(found.get(scope, 0) for scope in scopes)


# model label -> the partner reads nothing of its rows
_OWNER_ONLY: set[str] = set()
# model label -> its rows are made by whichever reader first asks, the same whoever asks
_MADE_ON_FIRST_ASK: set[str] = set()
# model label -> no page reads its rows (only the export)
_SHOWN_BY_NO_PAGE: set[str] = set()
# model label -> (fields the partner view reads, or None for any; the view of a row, or of None
# for no row: what the partner may read of it)
PartnerView = Callable[[Any], Hashable]
_PARTNER_VIEWS: dict[str, tuple[frozenset[str] | None, PartnerView]] = {}
_BEFORE = "_partner_view_before"
_UNKNOWN = object()  # no "before" was remembered: assume the partner's view changed
_UNCHANGED = object()  # the save touched none of the fields the view reads


def owner_only(*labels: str) -> None:
    """Rows of these models (``app_label.ModelName``) are never read by anyone but the person they
    name: writing them moves only that person's ``u:`` scope."""
    _OWNER_ONLY.update(labels)


def shown_by_no_page(*labels: str) -> None:
    """Rows of these models are read by no page, only by their person's export, which is never
    kept: writing them moves no version. (A row kept for someone because another person deleted
    what it hung off: moving that someone's version would time the other's deletion.)"""
    _SHOWN_BY_NO_PAGE.update(labels)


def made_on_first_ask(*labels: str) -> None:
    """Rows of these models (a couple's question of the day) are made by the first page that asks
    for one, the same whoever asks, and shown only by pages that ask: making one moves no version
    (the asker's own moves with their request, ``AtomicWritesMiddleware``). Otherwise opening a
    page on a day the partner has not would tell the partner so."""
    _MADE_ON_FIRST_ASK.update(labels)


def partner_view(label: str, view: PartnerView, *, fields: Iterable[str] | None = None) -> None:
    """What the partner may read of a row of ``label`` is ``view(row)`` (``view(None)``: what
    they read when there is no row). A write that leaves it equal moves only ``u:`` scopes.
    ``fields``: the fields ``view`` reads; a save limited to other fields needs no comparison."""
    _PARTNER_VIEWS[label] = (frozenset(fields) if fields is not None else None, view)


def partner_reads_something(instance: models.Model) -> bool:
    """Whether the partner may read anything of this row, by its registered ``partner_view``
    (anything but what they read with no row at all); a model without one: always."""
    registered = _PARTNER_VIEWS.get(instance._meta.label)
    if registered is None:
        return True
    view = registered[1]
    return bool(view(instance) != view(None))


def has_partner_view(model: type[models.Model]) -> bool:
    return model._meta.label in _PARTNER_VIEWS


@cache
def _owner_fields(model: type[models.Model]) -> tuple[list[str], list[str]]:
    """(attnames naming a person, attnames naming a couple) of a model."""
    people, couples = [], []
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey):  # one-to-one keys included
            continue
        target = field.related_model._meta.label
        if target == settings.AUTH_USER_MODEL:
            people.append(field.attname)
        elif target == "couples.Couple":
            couples.append(field.attname)
    if model._meta.label == settings.AUTH_USER_MODEL:
        people.append("pk")
    elif model._meta.label == "couples.Couple":
        couples.append("pk")
    return people, couples


def _ended_couple(
    model: type[models.Model], couple_id: object, instance: models.Model | None = None
) -> bool:
    """Whether ``couple_id`` names a couple that has ended (or none at all): what was shared in it
    "with my partner" is, in effect, its author's alone (``privacy.access.shown_visibility``)."""
    if couple_id is _UNKNOWN:  # not loaded: assume the couple is together
        return False
    if couple_id is None:
        return True
    field = next((f for f in model._meta.concrete_fields if f.name == "couple"), None)
    if not isinstance(field, models.ForeignKey):
        return False
    if instance is not None and field.is_cached(instance):
        cached = field.get_cached_value(instance)
        if cached is not None and cached.pk == couple_id and "ended_at" in cached.__dict__:
            return cached.__dict__["ended_at"] is not None
    couples = field.related_model._default_manager
    return bool(couples.filter(pk=couple_id, ended_at__isnull=False).exists())


def _in_effect_private(
    model: type[models.Model],
    visibility: object,
    couple_id: object,
    instance: models.Model | None = None,
) -> bool:
    """Nobody but the author can read a record of this visibility and couple: it is private, or
    shared with a partner of a couple that has since ended."""
    if visibility == PRIVATE:
        return True
    return visibility == PARTNER and _ended_couple(model, couple_id, instance)


def _private_only(instance: models.Model, created: bool | None) -> bool:
    """A personal record only its author can read, both before and after this write (a record
    shared with a former partner counts: editing it, or making it "Only me", tells a new partner
    nothing)."""
    if not hasattr(instance, "author_id") or "visibility" not in instance.__dict__:
        return False
    now = instance.__dict__["visibility"]
    couple_now = instance.__dict__.get("couple_id", _UNKNOWN)
    # as loaded from the database (PersonalRecord.from_db); a new row had no "before"
    before = now if created else instance.__dict__.get("_loaded_visibility")
    couple_before = couple_now if created else instance.__dict__.get("_loaded_couple_id", _UNKNOWN)
    if before is None or (now == PRIVATE and before == PRIVATE):
        return bool(now == PRIVATE and before == PRIVATE)
    model = type(instance)
    return _in_effect_private(model, now, couple_now, instance) and _in_effect_private(
        model, before, couple_before, instance
    )


def _before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """Remember what the partner could read of the row before this save (``partner_view``)."""
    registered = _PARTNER_VIEWS.get(sender._meta.label)
    if registered is None or kwargs.get("raw"):
        return
    fields, view = registered
    update_fields = kwargs.get("update_fields")
    if fields is not None and update_fields is not None and not fields & set(update_fields):
        instance.__dict__[_BEFORE] = _UNCHANGED
        return
    old = None
    if not instance._state.adding and instance.pk is not None:
        old = sender._default_manager.filter(pk=instance.pk).first()
    instance.__dict__[_BEFORE] = view(old)


def _partner_reads_nothing_new(
    sender: type[models.Model], instance: models.Model, kwargs: dict[str, Any]
) -> bool:
    """Whether this write leaves what the partner may read of the row as it was."""
    label = sender._meta.label
    if label in _OWNER_ONLY:
        return True
    registered = _PARTNER_VIEWS.get(label)
    if registered is not None:
        view = registered[1]
        if "created" not in kwargs:  # deleted
            return view(instance) == view(None)
        before = instance.__dict__.pop(_BEFORE, _UNKNOWN)
        return before is _UNCHANGED or (before is not _UNKNOWN and before == view(instance))
    return False


@cache
def _parent_records(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    """Keys of a row that is not itself a personal record to the personal records it hangs off."""
    if any(f.name == "visibility" for f in model._meta.concrete_fields):
        return []
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey)
        and any(g.name == "visibility" for g in f.related_model._meta.concrete_fields)
        and any(g.name == "author" for g in f.related_model._meta.concrete_fields)
    ]


def _private_record_authors(sender: type[models.Model], instance: models.Model) -> list[int] | None:
    """The authors of the private personal records a row hangs off (words on a private memory, a
    former partner's response to a moment shared with him), or None when it hangs off none, or
    off one someone else may read. Only a private record's author reads the rows hanging off it
    (through the record), whoever wrote them."""
    parents = _parent_records(sender)
    if not parents:
        return None
    authors: list[int] = []
    for key in parents:
        if key.is_cached(instance):
            parent = key.get_cached_value(instance)
            found = (
                (
                    parent.__dict__.get("visibility"),
                    parent.__dict__.get("couple_id", _UNKNOWN),
                    parent.__dict__.get("author_id"),
                )
                if parent is not None and "author_id" in parent.__dict__
                else None
            )
        else:
            found = None
        if found is None:
            pk = getattr(instance, key.attname)
            found = (
                key.related_model._default_manager.filter(pk=pk)
                .values_list("visibility", "couple_id", "author_id")
                .first()
                if pk is not None
                else None
            )
        if found is None or not _in_effect_private(key.related_model, found[0], found[1]):
            return None
        if found[2]:  # none when the author deleted their account
            authors.append(found[2])
    return authors


def _on_write(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if sender is DataVersion or kwargs.get("raw") or sender._meta.label in _SHOWN_BY_NO_PAGE:
        return
    if kwargs.get("created") and sender._meta.label in _MADE_ON_FIRST_ASK:
        return
    parts = (sender._meta.app_label,)
    private_only = _private_only(instance, kwargs.get("created"))
    # saved: the next write's "before", also when this one was private only (a map taking is
    # made, then saved again with its scores: private before and after that second save too)
    if "visibility" in instance.__dict__ and "created" in kwargs:
        instance.__dict__["_loaded_visibility"] = instance.__dict__["visibility"]
        instance.__dict__["_loaded_couple_id"] = instance.__dict__.get("couple_id", _UNKNOWN)
    if private_only:
        instance.__dict__.pop(_BEFORE, None)
        author = getattr(instance, "author_id", None)
        if author:
            versions_bump(parts=parts, scopes=[person_scope(author)])
        return
    label = sender._meta.label
    if label not in _OWNER_ONLY and label not in _PARTNER_VIEWS:
        authors = _private_record_authors(sender, instance)
        if authors is not None:
            # only the record's author reads it: not the row's own writer (a former partner
            # whose response goes with the moment it answered), who would time it otherwise
            versions_bump(parts=parts, scopes=[person_scope(a) for a in authors])
            return
    people, couples = _owner_fields(sender)
    ids = [v for a in people if (v := getattr(instance, a, None))]
    # a row naming no person has nobody whose own scope alone could carry the change
    if ids and _partner_reads_nothing_new(sender, instance, kwargs):
        versions_bump(parts=parts, scopes=[person_scope(v) for v in ids])
        return
    scopes = [person_scope(v) for v in ids] + [shared_scope(v) for v in ids]
    scopes += [couple_scope(v) for a in couples if (v := getattr(instance, a, None))]
    if scopes:
        versions_bump(parts=parts, scopes=scopes)


def connect() -> None:
    models.signals.pre_save.connect(_before_save, dispatch_uid="operations-versions-before-save")
    models.signals.post_save.connect(_on_write, dispatch_uid="operations-versions-save")
    models.signals.post_delete.connect(_on_write, dispatch_uid="operations-versions-delete")
