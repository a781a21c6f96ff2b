"""In-app notices: what a person should know about (their partner unpaired, answered, asked)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counterpoint.numbers import RandomlyNumbered


class Notice(RandomlyNumbered):
    """A notice numbered at random: its number is in the feed's JSON and the address that opens
    it, and numbers in turn would count the notices others got meanwhile (a partner's check-in
    reminder says that they had not checked in)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=40)
    message = models.CharField(max_length=300)
    link = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Something the partner asked that waits for the recipient (an answer, a view, a response).
    needs_answer = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class NoticePreference(RandomlyNumbered):
    """How one person wants to hear about things. Email goes only to their own address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference"
    )
    email_when_asked = models.BooleanField(
        _("Email me when my partner asks me something"),
        default=True,
        help_text=_("A short email with a link, never the words themselves."),
    )
    email_everything = models.BooleanField(
        _("Email me about everything else too"),
        default=False,
        help_text=_("Wins shared, answers given, decisions made."),
    )

    def __str__(self) -> str:
        return f"notice preferences of {self.user_id}"
