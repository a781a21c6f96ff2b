"""What /healthz checks: each check returns None when fine, or a short reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

from counterpoint.operations.models import Heartbeat

TASKS_HEARTBEAT = "tasks"


def check_database() -> str | None:
    """The database answers a query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not ready"
        return f"database: {type(exc).__name__}"
    return None


def heartbeat_record(*, now: dt.datetime | None = None) -> None:
    """The task runner is alive (called by its periodic heartbeat task)."""
    Heartbeat.objects.update_or_create(
        name=TASKS_HEARTBEAT, defaults={"beat_at": now or timezone.now()}
    )


@dataclass(frozen=True)
class TaskRunnerState:
    age_seconds: float | None  # None: no heartbeat ever
    stale_after: int

    @property
    def healthy(self) -> bool:
        return self.age_seconds is not None and self.age_seconds <= self.stale_after

    def describe(self) -> str:
        if self.age_seconds is None:
            return "task runner: no heartbeat yet (is `manage.py run_huey` running?)"
        state = "ok" if self.healthy else f"stale (more than {self.stale_after} s)"
        return f"task runner: last heartbeat {self.age_seconds:.0f} s ago, {state}"


def task_runner_state(*, now: dt.datetime | None = None) -> TaskRunnerState:
    """How long ago the task runner last beat (``TASKS_HEARTBEAT_STALE_SECONDS`` makes it stale)."""
    beat = Heartbeat.objects.filter(name=TASKS_HEARTBEAT).values_list("beat_at", flat=True).first()
    age = None if beat is None else max(((now or timezone.now()) - beat).total_seconds(), 0.0)
    return TaskRunnerState(age, settings.TASKS_HEARTBEAT_STALE_SECONDS)


# What makes /healthz answer 503. The task runner is reported but not among them by default: a web
# process behind a load balancer serves pages whether or not the runner is up (?require=tasks, or
# HEALTHZ_REQUIRE_TASKS, makes a stale runner a failure too: for a monitor of the runner).
CHECKS: list[Callable[[], str | None]] = [check_database]


def health_problems() -> list[str]:
    return [problem for check in CHECKS if (problem := check()) is not None]
