"""The site's housekeeping tasks.

The task runner's heartbeat: written every minute by a periodic task (and when it starts), read
by /healthz. A periodic task is enqueued by the scheduler and run by a worker, so a recent beat
shows the whole runner works: scheduler, queue and workers.

Expired sessions: Django leaves a session's row in the database after it expires (the cookie is no
longer accepted, the row stays). Each hour the ones past their expiry are deleted, so a sign-in
that ended, or a visitor's half-done passkey sign-in, leaves nothing behind for long."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, on_startup

from counterpoint.operations.health import heartbeat_record


@db_periodic_task(crontab(minute="*"))
def task_runner_heartbeat() -> None:
    heartbeat_record()


@db_periodic_task(crontab(minute="17"))
def sessions_clear_expired() -> None:
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


@on_startup()
def heartbeat_at_start() -> None:
    from django.db import close_old_connections, connection

    # A worker starts on a fresh connection; drop one inherited in an unusable state. Never inside
    # a transaction (a test's): Django would close that connection for not being in autocommit.
    if not connection.in_atomic_block:
        close_old_connections()
    heartbeat_record()
