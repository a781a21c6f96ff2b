"""Boundaries: stated by one partner, acknowledged (or talked about) by the other, revisited by
either; every step is kept as history."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from counterpoint.submissions import SubmittedRecord

WHAT_MAX = 200
TEXT_MAX = 1000


class Boundary(SubmittedRecord):
    """Shared with the partner; only its author words, revises or retires it."""

    what = models.CharField(_("my boundary"), max_length=WHAT_MAX)
    why = models.TextField(_("why it matters to me"), max_length=TEXT_MAX)
    what_helps = models.TextField(_("what helps me"), max_length=TEXT_MAX, blank=True)
    version = models.PositiveIntegerField(default=1)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta(SubmittedRecord.Meta):
        ordering = ["retired_at", "-updated_at", "-id"]
        verbose_name_plural = "boundaries"

    def __str__(self) -> str:
        return self.what[:40]

    def get_absolute_url(self) -> str:
        return reverse("boundaries:detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.retired_at is None


class EventKind(models.TextChoices):
    STATED = "stated", _("stated")
    REVISED = "revised", _("revised")
    ACKNOWLEDGED = "acknowledged", _("read and understood")
    ASKED_TO_TALK = "asked_to_talk", _("asked to talk")
    RETIRED = "retired", _("set aside")


class BoundaryEvent(SubmittedRecord):
    """One step in a boundary's history, written by whoever took it. Stated and revised events
    keep the wording of that version, so the history survives revisions."""

    boundary = models.ForeignKey(Boundary, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    version = models.PositiveIntegerField()
    what = models.CharField(max_length=WHAT_MAX, blank=True)
    why = models.TextField(max_length=TEXT_MAX, blank=True)
    what_helps = models.TextField(max_length=TEXT_MAX, blank=True)
    note = models.TextField(_("a note"), max_length=TEXT_MAX, blank=True)

    class Meta(SubmittedRecord.Meta):
        ordering = ["created_at", "id"]
        constraints = [
            *SubmittedRecord.Meta.constraints,
            models.UniqueConstraint(
                fields=["boundary", "version", "author"],
                condition=Q(kind="acknowledged"),
                name="boundary_acknowledged_once_per_version",
            ),
        ]
