"""Shared decisions: both views entered blind, revealed together, the joint decision recorded.

A decision is co-owned by the couple. Each partner's view is their own row and is shown to the
other only once both have entered theirs for the same round (see ``selectors.round_for``).
Revisiting opens a new round; earlier rounds stay as history.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counterpoint.numbers import RandomlyNumbered
from counterpoint.submissions import SubmittedRecord

TITLE_MAX = 200
TEXT_MAX = 2000


class Decision(SubmittedRecord):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DECIDED = "decided", _("Decided")

    title = models.CharField(_("what you are deciding"), max_length=TITLE_MAX)
    context = models.TextField(_("background (optional)"), max_length=TEXT_MAX, blank=True)
    round = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta(SubmittedRecord.Meta):
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("decisions:detail", args=[self.pk])


class DecisionView(RandomlyNumbered):
    """One partner's view in one round. Never read directly by views: see selectors."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="views")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField()
    preference = models.TextField(_("what you would choose"), max_length=TEXT_MAX)
    reasons = models.TextField(_("why"), max_length=TEXT_MAX)
    importance = models.PositiveSmallIntegerField(
        _("how much it matters to you"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "author", "round"], name="decision_one_view_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"view of {self.author_id} on {self.decision_id} r{self.round}"

    @property
    def importance_label(self) -> str:
        return str(IMPORTANCE_LABELS.get(self.importance, self.importance))


class DecisionOutcome(RandomlyNumbered):
    """What the two decided together in one round, and why."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="outcomes")
    round = models.PositiveSmallIntegerField()
    text = models.TextField(_("what we decided"), max_length=TEXT_MAX)
    reasons = models.TextField(_("why we decided it"), max_length=TEXT_MAX)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "round"], name="decision_one_outcome_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"outcome of {self.decision_id} r{self.round}"


IMPORTANCE_LABELS = {
    1: _("Barely — happy either way"),
    2: _("A little"),
    3: _("Somewhat"),
    4: _("A lot"),
    5: _("It really matters to me"),
}
