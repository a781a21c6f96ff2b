"""Reads for notifications: a person's devices, quiet hours, and how a reminder reaches them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from counterpoint.notify.models import NotifyPreference, PushSubscription

if TYPE_CHECKING:
    from counterpoint.accounts.models import User


def devices_of(user: User) -> QuerySet[PushSubscription]:
    return PushSubscription.objects.filter(user=user)


def preferences_of(user: User) -> NotifyPreference:
    found = NotifyPreference.objects.filter(user=user).first()
    return found or NotifyPreference(user=user)


def in_quiet_hours(prefs: NotifyPreference, at: dt.time) -> bool:
    """Whether ``at`` (the person's local time) falls in their quiet hours (may span midnight)."""
    start, end = prefs.quiet_start, prefs.quiet_end
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= at < end
    return at >= start or at < end


def reminders_paused(prefs: NotifyPreference, day: dt.date) -> bool:
    return prefs.reminders_paused_until is not None and day < prefs.reminders_paused_until


def seconds_left_today(user: User, now: dt.datetime) -> int:
    """How long a reminder for today stays useful: until the person's local midnight."""
    local = now.astimezone(user.tzinfo)
    midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), user.tzinfo)
    return max(int((midnight - local).total_seconds()), 60)
