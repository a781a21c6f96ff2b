"""A person's export includes the emails sent to them and the devices they registered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from counterpoint.notify.models import (
    NotifyPreference,
    OutboundEmail,
    PushMessage,
    PushSubscription,
)
from counterpoint.privacy.export import register_exporter

if TYPE_CHECKING:
    from counterpoint.accounts.models import User


def _emails(user: User) -> list[dict[str, object]]:
    return [
        {"subject": e.subject, "status": e.status, "created_at": e.created_at, "sent_at": e.sent_at}
        for e in OutboundEmail.objects.filter(recipient=user)
    ]


def _devices(user: User) -> list[dict[str, object]]:
    return [
        {"label": s.label, "created_at": s.created_at, "last_success_at": s.last_success_at}
        for s in PushSubscription.objects.filter(user=user)
    ]


def _pushes(user: User) -> list[dict[str, object]]:
    return [
        {"payload": m.payload, "status": m.status, "created_at": m.created_at, "sent_at": m.sent_at}
        for m in PushMessage.objects.filter(user=user)
    ]


def _preferences(user: User) -> list[dict[str, object]]:
    return [
        {
            "quiet_start": p.quiet_start,
            "quiet_end": p.quiet_end,
            "push_when_asked": p.push_when_asked,
            "reminders_paused_until": p.reminders_paused_until,
        }
        for p in NotifyPreference.objects.filter(user=user)
    ]


# An email or push may be made by the partner's act (a shared entry, an answer): its times are
# days; so is the last time a push reached a device, which is when the last of them arrived.
# Adding a device and the pause are the person's own.
register_exporter("emails_sent", _emails)
register_exporter("push_devices", _devices, own_times=("created_at",))
register_exporter("pushes_sent", _pushes)
register_exporter("notification_preferences", _preferences, own_times=("reminders_paused_until",))
