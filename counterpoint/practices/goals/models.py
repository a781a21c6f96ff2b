"""My goals (one owner) and our goals (co-owned), their progress, and the partner's encouragement."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from counterpoint.privacy.models import Visibility
from counterpoint.submissions import SubmittedRecord

TITLE_MAX = 200
TEXT_MAX = 1000


class Goal(SubmittedRecord):
    """Individual when private or partner-shared (only the author changes it); shared when
    ``visibility`` is couple (either member of the couple changes it; both confirm completion)."""

    title = models.CharField(_("goal"), max_length=TITLE_MAX)
    why = models.TextField(_("why it matters"), max_length=TEXT_MAX, blank=True)
    progress = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    completion_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta(SubmittedRecord.Meta):
        ordering = ["completed_at", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("goals:detail", args=[self.pk])

    @property
    def is_shared(self) -> bool:
        return self.visibility == Visibility.COUPLE

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class GoalProgress(SubmittedRecord):
    """A progress check-in, written by whoever made it; visible like its goal."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="checkins")
    percent = models.PositiveSmallIntegerField(
        _("how far along"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    note = models.TextField(_("a note"), max_length=TEXT_MAX, blank=True)

    class Meta(SubmittedRecord.Meta):
        ordering = ["-created_at", "-id"]


class EncouragementKind(models.TextChoices):
    CHEER = "cheer", _("A cheer")
    NOTE = "note", _("A note")


class Encouragement(SubmittedRecord):
    """The partner's only action on an individual goal: a cheer or a note."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="encouragements")
    kind = models.CharField(max_length=10, choices=EncouragementKind.choices)
    note = models.TextField(_("your note"), max_length=TEXT_MAX, blank=True)

    class Meta(SubmittedRecord.Meta):
        ordering = ["-created_at", "-id"]
