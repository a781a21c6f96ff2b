"""One way to save a form once: a per-author submission key, and one "same item twice" rule.

Every create form carries a fresh random key (:class:`SubmissionKeyField`); the record keeps it
(:class:`SubmittedRecord`), unique per author. Sending the same form twice (a double tap, a
resubmitted tab, an offline queue replaying) returns the record the first send made. The key is
scoped to its author: a key someone else already used is simply a fresh submission for this person.
See docs/conventions.md ("Saving once").
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django import forms
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from counterpoint.privacy.models import PersonalRecord

if TYPE_CHECKING:
    from counterpoint.accounts.models import User

KEY_MAX = 40
# The same thing saved twice by one person within this window (two tabs, two keys) is one thing.
DUPLICATE_WINDOW = dt.timedelta(minutes=10)
_KEY_PATTERN = re.compile(rf"^[A-Za-z0-9_-]{{1,{KEY_MAX}}}$")

R = TypeVar("R", bound="SubmittedRecord")


class SubmittedRecord(PersonalRecord):
    """A personal record made by a form: it keeps the form's key, unique per author.

    A subclass with its own ``Meta`` inherits from ``SubmittedRecord.Meta`` (and spreads
    ``SubmittedRecord.Meta.constraints`` into its own constraints), so the rule reaches the database.
    """

    submission_key = models.CharField(max_length=KEY_MAX, blank=True, editable=False)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                condition=~models.Q(submission_key=""),
                name="%(class)s_one_per_submission",
            )
        ]


def new_key() -> str:
    """A fresh key for a form about to be shown."""
    return uuid.uuid4().hex


class SubmissionKeyField(forms.CharField):
    """The hidden key every create form carries. A missing or malformed key is no key (the
    record is still saved, just without double-send protection): never an error the person sees."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", new_key)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = str(value or "").strip()
        return value if _KEY_PATTERN.match(value) else ""


def submitted_before(*, user: User, model: type[R], key: str) -> R | None:
    """What this person already saved with this key (nobody else's records are considered)."""
    if not key:
        return None
    found = model._default_manager.filter(author=user, submission_key=key).first()
    return cast("R | None", found)


def recent_duplicate(*, user: User, model: type[R], **same: Any) -> R | None:
    """The same item (``same`` field values) this person saved within the last ten minutes, for
    the same people: the couple and visibility a new record would be stamped with must match."""
    from counterpoint.privacy import access  # the access layer imports the practices' models

    probe = model(visibility=same.pop("visibility"))
    access.stamp_new_record(user, probe)
    since = timezone.now() - DUPLICATE_WINDOW
    found = model._default_manager.filter(
        author=user,
        created_at__gte=since,
        couple=probe.couple,
        visibility=probe.visibility,
        **same,
    ).first()
    return cast("R | None", found)


def save_once(
    *,
    user: User,
    model: type[R],
    key: str,
    create: Callable[[], R],
    same: dict[str, Any] | None = None,
) -> tuple[R, bool]:
    """Return ``(record, created)``: the record this key (or, with ``same``, the same item within
    ten minutes) already made, else what ``create()`` saves (atomically; it must set
    ``submission_key=key`` on the record). Two sends racing on one key save once.

    ``same`` must name the new record's ``visibility``: a thing kept private and then the same
    thing shared a minute later are two records, and the shared one must reach the partner."""
    if same is not None and "visibility" not in same:
        raise TypeError("save_once(same=...) must include the new record's visibility")
    existing = submitted_before(user=user, model=model, key=key)
    if existing is None and same is not None:
        existing = recent_duplicate(user=user, model=model, **same)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            record = create()
    except IntegrityError:
        winner = submitted_before(user=user, model=model, key=key)
        if winner is None:
            raise
        return winner, False
    return record, True
