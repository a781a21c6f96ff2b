"""Me-time and we-time, planned and logged. Me-time is the person's own (private or shared with
the partner); we-time is the couple's (co-owned: either partner can log and tick it off)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from counterpoint.submissions import SubmittedRecord

NOTE_MAX = 200


class TimeKind(models.TextChoices):
    ME = "me", _("Me-time")
    WE = "we", _("We-time")


class TimeBlock(SubmittedRecord):
    kind = models.CharField(_("kind of time"), max_length=2, choices=TimeKind.choices)
    day = models.DateField(_("day"))
    minutes = models.PositiveIntegerField(
        _("how long (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(24 * 60)]
    )
    done = models.BooleanField(_("already happened"), default=False)
    note = models.CharField(_("what (optional)"), max_length=NOTE_MAX, blank=True)

    class Meta(SubmittedRecord.Meta):
        ordering = ["day", "created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.day} {self.minutes}m"
