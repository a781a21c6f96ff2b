"""Plans and memories: the couple's shared future and shared past.

A plan is an idea for something to do together (or, kept private, a wish of one's own). Each
partner says how much they would like it; that answer stays theirs until both have answered. When
a plan happens it becomes a memory: a date, a few words from each partner (again shown only once
both have written) and optionally a photo, which is personal data served only through the access
layer (see ``photos.py`` and ``views.memory_photo``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counterpoint.numbers import RandomlyNumbered
from counterpoint.submissions import SubmittedRecord

TITLE_MAX = 120
DETAILS_MAX = 1000
WORDS_MAX = 1000
WHEN_MAX = 60


class Interest(models.TextChoices):
    LOVE = "love", _("I'd love this")
    MAYBE = "maybe", _("Maybe")
    NOT_FOR_ME = "no", _("Not for me")


class PlanKind(models.TextChoices):
    TRIP = "trip", _("A trip")
    HOBBY = "hobby", _("Something to take up together")
    DATE = "date", _("A date")
    SOMEDAY = "someday", _("Someday")
    OTHER = "other", _("Something else")


class Plan(SubmittedRecord):
    """An idea for the future. Couple-visible when shared; private when on one's own list."""

    class Status(models.TextChoices):
        OPEN = "open", _("Still a plan")
        DONE = "done", _("Happened")

    title = models.CharField(_("what you'd like to do"), max_length=TITLE_MAX)
    kind = models.CharField(
        _("kind of plan"), max_length=10, choices=PlanKind.choices, default=PlanKind.OTHER
    )
    details = models.TextField(_("details (optional)"), max_length=DETAILS_MAX, blank=True)
    when_date = models.DateField(_("on a date (optional)"), null=True, blank=True)
    when_text = models.CharField(_("or roughly when (optional)"), max_length=WHEN_MAX, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta(SubmittedRecord.Meta):
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", args=[self.pk])


class PlanInterest(RandomlyNumbered):
    """One partner's answer to a shared plan. Never read directly by views: see selectors."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="interests")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(_("how much you'd like it"), max_length=8, choices=Interest.choices)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["answered_at"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "author"], name="plan_one_interest_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.author_id} on plan {self.plan_id}: {self.answer}"


class Memory(SubmittedRecord):
    """Something that happened and is worth keeping: co-owned, or private to its author."""

    title = models.CharField(_("what happened"), max_length=TITLE_MAX)
    happened_on = models.DateField(_("when it happened"))
    plan = models.OneToOneField(
        Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="memory"
    )
    minutes_together = models.PositiveIntegerField(_("time together (minutes)"), default=0)
    # The photo: a re-encoded JPEG (no metadata) in the "photos" storage; never a public URL.
    photo = models.CharField(max_length=100, blank=True, editable=False)
    photo_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    photo_width = models.PositiveIntegerField(default=0, editable=False)
    photo_height = models.PositiveIntegerField(default=0, editable=False)

    class Meta(SubmittedRecord.Meta):
        ordering = ["-happened_on", "-created_at", "-id"]
        verbose_name_plural = "memories"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:memory", args=[self.pk])


class MemoryWords(RandomlyNumbered):
    """One partner's few words about a memory. Shown to the other once both have written."""

    memory = models.ForeignKey(Memory, on_delete=models.CASCADE, related_name="words")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("your words"), max_length=WORDS_MAX)
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["written_at"]
        constraints = [
            models.UniqueConstraint(fields=["memory", "author"], name="memory_one_words_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.author_id} on memory {self.memory_id}"
