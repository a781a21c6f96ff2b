"""The photo sweep, every five minutes: files no memory names go (photos.py says which and when)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from counterpoint.practices.plans.photos import photo_files_sweep


@db_periodic_task(crontab(minute="*/5"))
@lock_task("photo-sweep")
def sweep_photo_files() -> int | None:
    return photo_files_sweep()
