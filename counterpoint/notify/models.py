"""Emails on their way out (and the record of what was sent), push devices, quiet hours."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counterpoint.numbers import RandomlyNumbered


class OutboundEmail(RandomlyNumbered):
    """One email, stored when written and delivered by the task runner (with retries)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    # The person it went to, when it went to an account's address: deleted with the account.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    to = models.JSONField(default=list)
    from_email = models.CharField(max_length=254)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    headers = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"email {self.pk} ({self.status})"


class PushSubscription(RandomlyNumbered):
    """One browser on one device that agreed to receive this person's notifications (numbered at
    random: its number is in the address that removes it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    label = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.label or f"device {self.pk}"

    def as_info(self) -> dict[str, object]:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class PushMessage(RandomlyNumbered):
    """One push to one device, stored with the write that caused it and delivered by the task
    runner. A delivery lost with a killed worker is sent again (``pushes_requeue``); the push
    service keeps only the newest message of a topic and the device shows one notification per
    link, so a message sent twice is seen once."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        GONE = "gone", _("Device gone")
        EXPIRED = "expired", _("Too late to matter")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    subscription = models.ForeignKey(
        PushSubscription, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    payload = models.TextField()  # neutral words only: a lock screen is seen by others
    ttl = models.PositiveIntegerField()  # seconds from created_at; after that it is not sent
    ref = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    tried_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"push {self.pk} ({self.status})"


class NotifyPreference(RandomlyNumbered):
    """When a person may be disturbed, and what may reach their devices."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preference"
    )
    quiet_start = models.TimeField(_("Quiet from"), null=True, blank=True)
    quiet_end = models.TimeField(_("Quiet until"), null=True, blank=True)
    push_when_asked = models.BooleanField(
        _("Also notify my devices when my partner asks me something"),
        default=False,
        help_text=_("A neutral line (“Something is waiting for you”), never the words."),
    )
    reminders_paused_until = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"notification preferences of {self.user_id}"
