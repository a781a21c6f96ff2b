"""Professionals (therapists, coaches) and the consent both partners give them.

Being a professional grants nothing. A couple links a professional (``CareLink``); each partner
separately grants a set of aggregate views (``Grant``, for 90 days); the professional sees only the
views both granted, only while both grants are current and the link has not been ended. Either
partner ends the link at once. Every page a professional opens is logged (``AccessLogEntry``) and
shown to both partners. See docs/professionals.md.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counterpoint.couples.models import CODE_ALPHABET
from counterpoint.numbers import RandomlyNumbered

GRANT_DAYS = 90
NOTE_MAX = 2000


class Scope(models.TextChoices):
    """The aggregate views a partner may grant. Never an item, never a private value."""

    CHECKIN_TRENDS = "checkin_trends", _("Check-in trends (weekly averages of what you share)")
    COREGULATION = "coregulation", _("How your moods and stress move together")
    MAP = "map", _("Positions on the interdependence map you have shared")
    PRACTICE_COUNTS = "practice_counts", _("How often you use the practices (counts only)")


def new_professional_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


class ProfessionalProfile(RandomlyNumbered):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="professional_profile"
    )
    name = models.CharField(_("your name as clients know it"), max_length=120)
    practice = models.CharField(_("practice or organisation"), max_length=160)
    contact = models.CharField(_("how clients reach you (phone or email)"), max_length=160)
    code = models.CharField(max_length=8, unique=True, default=new_professional_code)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} ({self.practice})"


class CareLink(RandomlyNumbered):
    """A couple's link to one professional, from the invitation until either partner ends it."""

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    # SET_NULL: when a professional deletes their account the link ends, but the couple keeps
    # the log of what was viewed.
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="care_links"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["couple", "professional"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_link_per_couple_and_professional",
            )
        ]

    def __str__(self) -> str:
        return f"link {self.pk}: couple {self.couple_id} ↔ {self.professional_id}"


class Grant(RandomlyNumbered):
    """One partner's consent on one link: which views, until when. Renewing replaces it."""

    link = models.ForeignKey(CareLink, on_delete=models.CASCADE, related_name="grants")
    partner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="professional_grants"
    )
    scopes = models.JSONField(default=list)
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["link", "partner"], name="one_grant_per_partner")
        ]

    def __str__(self) -> str:
        return f"grant of {self.partner_id} on link {self.link_id}"

    def is_current(self, now: dt.datetime) -> bool:
        return self.expires_at > now and bool(self.scopes)


class ProfessionalNote(RandomlyNumbered):
    """Something the professional leaves for both partners (a suggested practice, homework)."""

    link = models.ForeignKey(CareLink, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("a note for both of them"), max_length=NOTE_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"note on link {self.link_id}"


class SessionTopic(RandomlyNumbered):
    """Something a partner chose to bring to the next session. Written for the professional: both
    partners and the professional (while access is active) see it.

    Like a record shared with the partner, it is its author's alone: it goes with their account
    (CASCADE) and is in their export (apps.py), never credited to "a former partner"."""

    link = models.ForeignKey(CareLink, on_delete=models.CASCADE, related_name="topics")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("something to bring to the next session"), max_length=NOTE_MAX)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"topic on link {self.link_id}"


class AccessLogEntry(RandomlyNumbered):
    """One page a professional opened, with what it showed. Both partners see the log."""

    link = models.ForeignKey(CareLink, on_delete=models.CASCADE, related_name="log")
    scopes = models.JSONField(default=list)
    viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-viewed_at", "-id"]

    def __str__(self) -> str:
        return f"view of link {self.link_id} at {self.viewed_at:%Y-%m-%d}"
