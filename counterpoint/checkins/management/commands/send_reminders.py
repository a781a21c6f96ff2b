"""Send due reminders — today, check-in reminders (safe to run every minute from cron: it never
sends one twice). `make run` and production run it every minute through the task runner."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from counterpoint.checkins.reminders import reminders_send


class Command(BaseCommand):
    help = "Send the check-in reminders that are due now (idempotent; run it every minute)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send()
        self.stdout.write(f"{sent} reminder(s) sent")
