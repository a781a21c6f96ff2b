"""Commitments: "I will … by …", made to the partner, marked kept or missed, confirmed by them."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from counterpoint.submissions import SubmittedRecord

TEXT_MAX = 300
NOTE_MAX = 1000

# The pages already say "I will" (or "Sam will") before the promise.
_LEADING_I_WILL = re.compile(r"^\s*(?:i\s+will|i['’]ll)\b[\s,.:;!?…–—-]*", re.IGNORECASE)

PROMISE_EMPTY = _("Say what you will do.")
ONLY_I_WILL = _(
    "Say what you will do: the page already says “I will”, so write what comes after it."
)
# Shown after "I will" (or "Sam will") for a promise stored with no words of its own.
NO_WORDS = _("… (no words were saved with this promise)")


def promise_words(text: str) -> str:
    """The promise as typed, without the leading "I will" (or "I'll", once or more) the page
    already says; empty when no word is left."""
    words = text.strip()
    while (shorter := _LEADING_I_WILL.sub("", words, count=1).strip()) != words:
        words = shorter
    return words if any(c.isalnum() for c in words) else ""


def promise_checked(text: str) -> str:
    """The words to store for a typed promise; refused when they say nothing beyond "I will"."""
    words = promise_words(text)
    if not words:
        raise ValidationError(ONLY_I_WILL if _LEADING_I_WILL.match(text) else PROMISE_EMPTY)
    return words


class Outcome(models.TextChoices):
    OPEN = "open", _("Open")
    KEPT = "kept", _("Kept")
    MISSED = "missed", _("Missed")
    RELEASED = "released", _("Released")


class PartnerView(models.TextChoices):
    AGREE = "agree", _("Yes, that's how I saw it too")
    DIFFERENT = "different", _("I remember it a little differently")


class Commitment(SubmittedRecord):
    """Made by its author to their partner; only the author marks it, only the partner confirms."""

    promise = models.CharField(_("I will…"), max_length=TEXT_MAX)
    due_on = models.DateField(_("by"))
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    outcome_note = models.TextField(_("a note"), max_length=NOTE_MAX, blank=True)
    marked_at = models.DateTimeField(null=True, blank=True)
    partner_view = models.CharField(max_length=10, choices=PartnerView.choices, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta(SubmittedRecord.Meta):
        ordering = ["due_on", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.promise[:40]

    def get_absolute_url(self) -> str:
        return reverse("commitments:detail", args=[self.pk])

    @property
    def words_after_will(self) -> str:
        """What the pages show after "I will" (or "Sam will"), whatever was stored."""
        return promise_words(self.promise) or str(NO_WORDS)

    @property
    def is_open(self) -> bool:
        return self.outcome == Outcome.OPEN

    @property
    def is_marked(self) -> bool:
        return self.outcome in (Outcome.KEPT, Outcome.MISSED)
