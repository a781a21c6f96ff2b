"""Repair after conflict, in four steps: each writes feeling and need privately (revealed together);
each reflects back what they heard and the other confirms or corrects; an agreed next step; and
how each feels now. The couple owns the repair; each person's words are their own rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from counterpoint.numbers import RandomlyNumbered
from counterpoint.submissions import SubmittedRecord

TEXT_MAX = 2000
TOPIC_MAX = 200


class Repair(SubmittedRecord):
    topic = models.CharField(
        _("what it was about, in a few words (optional)"), max_length=TOPIC_MAX, blank=True
    )
    next_step = models.TextField(max_length=TEXT_MAX, blank=True)
    next_step_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_step_agreed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta(SubmittedRecord.Meta):
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """Its topic, or (the topic is optional) the day it was started, in the viewer's time."""
        if self.topic:
            return self.topic
        day = date_format(timezone.localdate(self.created_at), "j M Y")
        return _("Repair on %(day)s") % {"day": day}

    def get_absolute_url(self) -> str:
        return reverse("repair:detail", args=[self.pk])


class RepairShare(RandomlyNumbered):
    """What one person feels and needs. Hidden from the other until both have written."""

    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="shares")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    feeling = models.TextField(_("what I feel"), max_length=TEXT_MAX)
    need = models.TextField(_("what I need"), max_length=TEXT_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["repair", "author"], name="repair_one_share_each")
        ]

    def __str__(self) -> str:
        return f"share of {self.author_id} in repair {self.repair_id}"


class RepairReflection(RandomlyNumbered):
    """``author`` puts into their own words what they heard from the other, who confirms or corrects."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("Waiting")
        CONFIRMED = "confirmed", _("Yes, that's it")
        CORRECTED = "corrected", _("Not quite")

    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="reflections")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("what I heard you say"), max_length=TEXT_MAX)
    answer = models.CharField(max_length=10, choices=Answer.choices, default=Answer.PENDING)
    correction = models.TextField(max_length=TEXT_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["repair", "author"],
                condition=models.Q(answer="pending"),
                name="repair_one_pending_reflection_each",
            )
        ]

    def __str__(self) -> str:
        return f"reflection by {self.author_id} in repair {self.repair_id} ({self.answer})"


class FeelingNow(models.TextChoices):
    LIGHTER = "lighter", _("Lighter — we're OK")
    BETTER = "better", _("Somewhat better")
    SAME = "same", _("About the same")
    RAW = "raw", _("Still raw")


class RepairClosing(RandomlyNumbered):
    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="closings")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    feeling_now = models.CharField(_("how I feel now"), max_length=10, choices=FeelingNow.choices)
    note = models.TextField(_("anything to add (optional)"), max_length=TEXT_MAX, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["repair", "author"], name="repair_one_closing_each")
        ]

    def __str__(self) -> str:
        return f"closing of {self.author_id} in repair {self.repair_id}"
