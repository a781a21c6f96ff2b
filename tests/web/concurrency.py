"""Run the same action from two threads at once (two tabs, two devices) against the real database.

Only PostgreSQL has row locks (``select_for_update``) worth testing this way; SQLite serialises
every writer, so race tests skip there (``needs_row_locks``)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections


def needs_row_locks() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("race tests need PostgreSQL row locks (DATABASE_URL=postgres://…)")


def at_once(*actions: Callable[[], Any]) -> list[Any]:
    """Start every action together; return each one's result or the exception it raised."""
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = action()
        except Exception as exc:  # the test inspects what each side got
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results
