"""Data versions: bumped by every save or delete of a row that names a person or a couple.

Rows are matched by their foreign keys: any key to the user model names a person, a key to
``couples.Couple`` names a couple. Three kinds of scope:

- ``u:<id>``: anything of this person's changed (their own derived views are stale);
- ``p:<id>``: something of this person's that their partner may read changed (the partner's
  derived views are stale);
- ``c:<id>``: something of this couple's that either may read changed.

A personal record that is private before and after the write (a private journal entry, made,
edited or deleted) moves only its author's ``u:`` scope: otherwise the partner's next insights
view would be recomputed, and take measurably longer, each time the author wrote something
private (a timing side channel, docs/capacity.md). Writes that bypass model signals
(``update()``, ``bulk_create()``) are covered for web requests by ``AtomicWritesMiddleware``,
which moves the requesting person's ``u:`` scope after every write request, and after a read
request that changed a row all the same (opening a plan marks its notices read); a signal-less write
that changes what the partner may read must move ``p:``/``c:`` itself (``versions_bump``), as
making records private does (``privacy.sharing``, ``safety.sharing``). Elsewhere the caches'
time limit bounds staleness.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction

from counterpoint.operations.models import DataVersion

PRIVATE = "private"  # privacy.models.Visibility.PRIVATE (operations sits below every app)


PERSON_PREFIX, SHARED_PREFIX, COUPLE_PREFIX = "u:", "p:", "c:"


def person_scope(user_id: int) -> str:
    return f"{PERSON_PREFIX}{user_id}"


def shared_scope(user_id: int) -> str:
    """What this person's partner may read of theirs."""
    return f"{SHARED_PREFIX}{user_id}"


def couple_scope(couple_id: int) -> str:
    return f"{COUPLE_PREFIX}{couple_id}"


def shared_scopes(*, user_id: int, couple_id: int | None) -> list[str]:
    """Every scope a change to what the partner may read of ``user_id``'s moves."""
    scopes = [person_scope(user_id), shared_scope(user_id)]
    return scopes + ([couple_scope(couple_id)] if couple_id else [])


def versions_bump(*, scopes: Iterable[str]) -> None:
    """Move each scope's version on by one (in the caller's transaction, if any): one query when
    every scope has been written before."""
    wanted = sorted(set(scopes))
    if not wanted:
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


def versions_of(scopes: list[str]) -> tuple[int, ...]:
    """The current version of each scope, in order (0 for a scope never written)."""
    found = dict(DataVersion.objects.filter(scope__in=scopes).values_list("scope", "version"))
    return tuple(found.get(scope, 0) for scope in scopes)


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


def _private_only(instance: models.Model, created: bool | None) -> bool:
    """A personal record only its author can read, both before and after this write."""
    if not hasattr(instance, "author_id") or "visibility" not in instance.__dict__:
        return False
    now = instance.__dict__["visibility"]
    # as loaded from the database (PersonalRecord.from_db); a new row had no "before"
    before = now if created else instance.__dict__.get("_loaded_visibility")
    return bool(now == PRIVATE and before == PRIVATE)


def _on_write(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if sender is DataVersion or kwargs.get("raw"):
        return
    if _private_only(instance, kwargs.get("created")):
        author = getattr(instance, "author_id", None)
        if author:
            versions_bump(scopes=[person_scope(author)])
        return
    if "visibility" in instance.__dict__ and "created" in kwargs:  # saved: the new "before"
        instance.__dict__["_loaded_visibility"] = instance.__dict__["visibility"]
    people, couples = _owner_fields(sender)
    ids = [v for a in people if (v := getattr(instance, a, None))]
    scopes = [person_scope(v) for v in ids] + [shared_scope(v) for v in ids]
    scopes += [couple_scope(v) for a in couples if (v := getattr(instance, a, None))]
    if scopes:
        versions_bump(scopes=scopes)


def connect() -> None:
    models.signals.post_save.connect(_on_write, dispatch_uid="operations-versions-save")
    models.signals.post_delete.connect(_on_write, dispatch_uid="operations-versions-delete")
