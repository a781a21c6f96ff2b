"""Support requests: "I could use …", the partner's answer, and how it landed."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from counterpoint.privacy.models import PersonalRecord
from counterpoint.submissions import SubmittedRecord

TEXT_MAX = 1000
WHEN_MAX = 120


class SupportKind(models.TextChoices):
    LISTENING = "listening", _("Someone to listen")
    HELP = "help", _("A hand with something")
    SPACE = "space", _("Some space")
    HUG = "hug", _("A hug")
    OTHER = "other", _("Something else")


class Offer(models.TextChoices):
    """How the partner answered: the "how favourably" behind the resilience insight."""

    YES = "yes", _("Yes, I can do that")
    PARTLY = "partly", _("Some of it, or a little later")
    NOT_NOW = "not_now", _("I can't right now, but I care")


class Landing(models.TextChoices):
    HELPED_A_LOT = "helped_a_lot", _("It helped a lot")
    HELPED = "helped", _("It helped")
    NOT_QUITE = "not_quite", _("Not quite what I needed")
    DID_NOT_HELP = "did_not_help", _("It didn't help this time")


LANDED_WELL = (Landing.HELPED_A_LOT, Landing.HELPED)


class SupportRequest(SubmittedRecord):
    """Asked by its author of their partner; always shared with the partner."""

    kind = models.CharField(_("I could use"), max_length=20, choices=SupportKind.choices)
    details = models.TextField(_("a little more, if you like"), max_length=TEXT_MAX, blank=True)
    landed = models.CharField(
        _("how it landed"), max_length=20, choices=Landing.choices, blank=True
    )
    landed_note = models.TextField(_("anything to add"), max_length=TEXT_MAX, blank=True)
    landed_at = models.DateTimeField(null=True, blank=True)

    class Meta(SubmittedRecord.Meta):
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.get_kind_display()

    def get_absolute_url(self) -> str:
        return reverse("support:detail", args=[self.pk])

    @property
    def landed_well(self) -> bool:
        return self.landed in LANDED_WELL


class SupportResponse(PersonalRecord):
    """The partner's answer, written by them (so it is in their export, not the requester's)."""

    request = models.OneToOneField(
        SupportRequest, on_delete=models.CASCADE, related_name="response"
    )
    offer = models.CharField(_("your answer"), max_length=20, choices=Offer.choices)
    message = models.TextField(_("what you can offer"), max_length=TEXT_MAX)
    when = models.CharField(_("when"), max_length=WHEN_MAX, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.get_offer_display()

    @property
    def response_seconds(self) -> int:
        """How long the request waited for this answer."""
        return max(0, int((self.created_at - self.request.created_at).total_seconds()))
