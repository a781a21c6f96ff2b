"""What /healthz checks: each check returns None when fine, or a short reason."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection


def check_database() -> str | None:
    """The database answers a query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not ready"
        return f"database: {type(exc).__name__}"
    return None


def check_task_runner() -> str | None:
    """The background task runner's heartbeat is recent.

    The task runner (huey, docs/tasks.md) keeps no heartbeat yet; when it writes one, read it here
    and return a reason when it is stale. Until then a web process stays healthy without it.
    """
    return None


CHECKS: list[Callable[[], str | None]] = [check_database, check_task_runner]


def health_problems() -> list[str]:
    return [problem for check in CHECKS if (problem := check()) is not None]
