"""Journal entries: the first personal record type (private by default)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from counterpoint.submissions import SubmittedRecord

BODY_MAX = 5000


class JournalEntry(SubmittedRecord):
    title = models.CharField(_("title"), max_length=120, blank=True)
    body = models.TextField(_("entry"), max_length=BODY_MAX)
    written_on = models.DateField(_("day"))

    class Meta(SubmittedRecord.Meta):  # one entry per (author, submission key)
        ordering = ["-written_on", "-created_at"]
        verbose_name_plural = "journal entries"

    def __str__(self) -> str:
        return self.title or self.body[:40]
