"""Record numbers drawn at random, so that a number tells nothing about anyone else's rows.

A row's number shows in addresses (``/journal/<number>/``, ``/couple/professionals/<number>/``),
in JSON and in the export (its ``id`` column, and every column naming another row). Given in turn
across everyone, the gap between two numbers a person sees would count the rows others made in
between: on a household installation, exactly what the partner did. Every model of the project
whose number anyone can see is :class:`RandomlyNumbered` (``tests/architecture/test_numbering.py``
holds the few that are not, each with its reason).

It sits at the bottom of the foundation so that every app, ``couples`` included, can use it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models

_M = TypeVar("_M", bound=models.Model)

# Numbers are drawn below 2**53 (a JavaScript number holds it exactly).
RECORD_NUMBER_LIMIT = 2**53


def new_record_number() -> int:
    """A number for a new row. With a million rows of a kind, a new number meets a used one about
    once in ten billion (that save fails like any other)."""
    return secrets.randbelow(RECORD_NUMBER_LIMIT - 1) + 1


class NumberingQuerySet(models.QuerySet[_M]):
    """Numbers the rows ``bulk_create`` is given, which never pass through ``save()``; left to the
    database, they would be numbered in turn."""

    def bulk_create(self, objs: Iterable[_M], *args: Any, **kwargs: Any) -> list[_M]:
        objs = list(objs)
        for obj in objs:
            if obj.pk is None:
                obj.pk = new_record_number()
        return super().bulk_create(objs, *args, **kwargs)


class NumberingManager(models.Manager[_M]):
    """The manager of every :class:`RandomlyNumbered` model. A model that brings its own manager
    derives it from this one (``User``'s does; ``tests/architecture/test_numbering.py`` checks)."""

    def get_queryset(self) -> NumberingQuerySet[_M]:
        return NumberingQuerySet(self.model, using=self._db)


class RandomlyNumbered(models.Model):
    """A model whose new rows are numbered at random (:func:`new_record_number`), never the next
    in turn: one at a time in ``save()`` (a subclass that overrides it must call
    ``super().save()``), many at once in its manager's ``bulk_create()``."""

    objects = NumberingManager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and self.pk is None:
            self.pk = new_record_number()
            kwargs["force_insert"] = True  # a new number: nothing to update first
        super().save(*args, **kwargs)
