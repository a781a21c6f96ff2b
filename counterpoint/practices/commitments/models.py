"""Commitments: "I will … by …", made to the partner, marked kept or missed, confirmed by them."""

from __future__ import annotations

import re

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from counterpoint.submissions import SubmittedRecord

TEXT_MAX = 300
NOTE_MAX = 1000

# The pages already say "I will" (or "Sam will") before the promise.
_LEADING_I_WILL = re.compile(r"^\s*(?:i\s+will|i['’]ll)\b[\s,:…]*", re.IGNORECASE)


def promise_words(text: str) -> str:
    """The promise as typed, without a leading "I will" (or "I'll") the page already says."""
    return _LEADING_I_WILL.sub("", text.strip(), count=1).strip()


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
    def is_open(self) -> bool:
        return self.outcome == Outcome.OPEN

    @property
    def is_marked(self) -> bool:
        return self.outcome in (Outcome.KEPT, Outcome.MISSED)
