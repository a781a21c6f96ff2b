"""Wins and struggles: one partner shares, the other responds; the response and its timing are kept."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counterpoint.numbers import RandomlyNumbered
from counterpoint.submissions import SubmittedRecord

TEXT_MAX = 2000
NOTE_MAX = 1000


class MomentKind(models.TextChoices):
    WIN = "win", _("A win")
    STRUGGLE = "struggle", _("A struggle")


class Reaction(models.TextChoices):
    """How the partner met it. The first two are the responsive ones."""

    WITH_YOU = "with_you", _("I'm right there with you")
    WARM = "warm", _("A warm word")
    BRIEF = "brief", _("Seen — a short reply for now")


RESPONSIVE_REACTIONS = {Reaction.WITH_YOU, Reaction.WARM}


class Moment(SubmittedRecord):
    kind = models.CharField(_("what kind of moment"), max_length=10, choices=MomentKind.choices)
    text = models.TextField(_("what happened"), max_length=TEXT_MAX)

    class Meta(SubmittedRecord.Meta):
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.text[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("moments:detail", args=[self.pk])


class MomentResponse(RandomlyNumbered):
    """The partner's response. One per moment; its timing is what the responsiveness insight reads."""

    moment = models.OneToOneField(Moment, on_delete=models.CASCADE, related_name="response")
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reaction = models.CharField(_("how you meet it"), max_length=12, choices=Reaction.choices)
    note = models.TextField(_("a few words (optional)"), max_length=NOTE_MAX, blank=True)
    responded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.reaction} to {self.moment_id}"

    @property
    def delay(self) -> dt.timedelta:
        return self.responded_at - self.moment.created_at

    @property
    def is_responsive(self) -> bool:
        return self.reaction in RESPONSIVE_REACTIONS
