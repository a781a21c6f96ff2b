"""Export rows for personal data that is not a PersonalRecord (the person's own settings)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from counterpoint.accounts.models import User
from counterpoint.checkins.models import CheckInSettings, ReminderSent


def checkin_settings_rows(user: User) -> Iterable[dict[str, Any]]:
    for s in CheckInSettings.objects.filter(user=user):
        yield {
            "share_mood": s.share_mood,
            "share_energy": s.share_energy,
            "share_stress": s.share_stress,
            "share_closeness": s.share_closeness,
            "share_support": s.share_support,
            "share_time": s.share_time,
            "share_note": s.share_note,
            "share_reflection": s.share_reflection,
            "share_helped": s.share_helped,
            "twice_daily": s.twice_daily,
            "reminder_time": s.reminder_time.isoformat() if s.reminder_time else None,
            "reminder_email": s.reminder_email,
            "reminders_sent": [
                r.day.isoformat()
                for r in ReminderSent.objects.filter(user=user, status=ReminderSent.Status.SENT)
            ],
            "reminders_not_delivered": [
                {"day": r.day.isoformat(), "status": r.status}
                for r in ReminderSent.objects.filter(user=user).exclude(
                    status=ReminderSent.Status.SENT
                )
            ],
        }
