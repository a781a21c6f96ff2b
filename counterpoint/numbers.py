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
from typing import Any

from django.db import models

# Numbers are drawn below 2**53 (a JavaScript number holds it exactly).
RECORD_NUMBER_LIMIT = 2**53


def new_record_number() -> int:
    """A number for a new row. With a million rows of a kind, a new number meets a used one about
    once in ten billion (that save fails like any other). ``bulk_create`` does not call
    ``save()``: give each object ``pk=new_record_number()`` there."""
    return secrets.randbelow(RECORD_NUMBER_LIMIT - 1) + 1


class RandomlyNumbered(models.Model):
    """A model whose new rows are numbered at random (:func:`new_record_number`), never the next
    in turn. A subclass that overrides ``save()`` must call ``super().save()``."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and self.pk is None:
            self.pk = new_record_number()
            kwargs["force_insert"] = True  # a new number: nothing to update first
        super().save(*args, **kwargs)
