"""Check-in work the task runner does on its own: the daily reminders, checked every minute."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from counterpoint.checkins.reminders import reminders_send


@db_periodic_task(crontab(minute="*"))
@lock_task("checkin-reminders")
def send_due_reminders() -> int:
    return reminders_send()
