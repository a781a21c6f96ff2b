"""Data versions: bumped by every save or delete of a row that names a person or a couple.

Rows are matched by their foreign keys: any key to the user model names a person, a key to
``couples.Couple`` names a couple. Writes that bypass model signals (``update()``,
``bulk_create()``) are covered for web requests by ``AtomicWritesMiddleware``, which bumps the
requesting person after every write request, and elsewhere by the caches' time limit.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction

from counterpoint.operations.models import DataVersion


def person_scope(user_id: int) -> str:
    return f"u:{user_id}"


def couple_scope(couple_id: int) -> str:
    return f"c:{couple_id}"


def versions_bump(*, scopes: Iterable[str]) -> None:
    """Move each scope's version on by one (in the caller's transaction, if any)."""
    for scope in sorted(set(scopes)):
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


def _on_write(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if sender is DataVersion or kwargs.get("raw"):
        return
    people, couples = _owner_fields(sender)
    scopes = [person_scope(v) for a in people if (v := getattr(instance, a, None))]
    scopes += [couple_scope(v) for a in couples if (v := getattr(instance, a, None))]
    if scopes:
        versions_bump(scopes=scopes)


def connect() -> None:
    models.signals.post_save.connect(_on_write, dispatch_uid="operations-versions-save")
    models.signals.post_delete.connect(_on_write, dispatch_uid="operations-versions-delete")
