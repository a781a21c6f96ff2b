"""The lock between backups (and restores) and removing photo files, and the removals it puts off.

A backup copies the database, then reads every photo file. A photo file removed between the two
would be named by the backup's database and missing from its archive. So a backup holds the photos
(``photos_held``) from before its database copy until it has read every file, and a restore holds
them while it puts photos back, replaces the database and prunes. Removals (``photo_removal``)
never wait for it: while the photos are held they remove nothing. A web request that removes a
photo is never kept waiting by a backup.

A removal put off so is written down (``photo_removals_put_off``: a ``PutOffPhotoRemoval`` row,
in its own transaction, once the change that dropped the photo has committed), and the first
removal or sweep after the backup (``counterpoint/practices/plans/photos.py``; the sweep runs every
five minutes) removes it without the sweep's grace for young files, checking under this lock that
no memory names it (again, after a restore), and deletes the row as it goes. A row never makes a
named file go: it only says the grace need not be waited out. A process killed before writing the
row leaves the file to the sweep's grace (``ORPHAN_GRACE``), as any removal that never ran.

Held by a backup or a restore: exclusive, waiting for removals in progress (a few milliseconds).
Taken by a removal: shared (removals do not stop each other), or not at all when held.

- **PostgreSQL**: an advisory lock on the site's database, so every web host and task runner
  sharing it sees it. A backup holds it on a connection of its own, which the server ends (and
  the lock with it) when the process dies.
- **SQLite** (one host): ``flock`` on ``PHOTO_LOCK_FILE`` (``var/photos.lock``), which the
  kernel releases when the process holding it dies.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from counterpoint.operations.models import PutOffPhotoRemoval

# A photo file no memory names is left alone this long, by the sweep and by a restore's prune: the
# upload that stored it may not have committed its memory yet (a request takes seconds; this is far
# longer than any could). A removal put off by a backup does not wait for it (its memory had
# committed, then dropped the photo).
ORPHAN_GRACE = dt.timedelta(hours=1)

# "cpphotos" read as a number: this lock's key among the database's advisory locks.
_ADVISORY_KEY = int.from_bytes(b"cpphotos", "big")


def _lock_file() -> int:
    path = Path(settings.PHOTO_LOCK_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)


@contextmanager
def photos_held() -> Iterator[None]:
    """No photo file is removed while this is held (a backup's or a restore's); waits for removals
    in progress to finish, and for another backup or restore."""
    if connection.vendor == "postgresql":
        own = connection.copy()  # its own session: pg_restore may close the default connection
        try:
            with own.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [_ADVISORY_KEY])
            try:
                yield
            finally:
                # released now: a closed session's locks go only once the server has finished it
                with suppress(DatabaseError), own.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [_ADVISORY_KEY])
        finally:
            own.close()  # ends the session (and the lock, were it still held)
        return
    descriptor = _lock_file()
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


@contextmanager
def photo_removal() -> Iterator[bool]:
    """Whether photo files may be removed now (False while a backup or a restore holds the photos:
    remove nothing, the sweep will). Never waits."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock_shared(%s)", [_ADVISORY_KEY])
            allowed = bool(cursor.fetchone()[0])
        try:
            yield allowed
        finally:
            if allowed:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock_shared(%s)", [_ADVISORY_KEY])
        return
    descriptor = _lock_file()
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            allowed = False
        else:
            allowed = True
        yield allowed
    finally:
        os.close(descriptor)


def photo_removals_put_off(names: Iterable[str]) -> None:
    """Write down removals a backup or restore put off, for the next removal or sweep (its own
    transaction: called once the change that dropped the photos has committed)."""
    now = timezone.now()
    with transaction.atomic():  # a savepoint when called inside a transaction: a failure ends here
        PutOffPhotoRemoval.objects.bulk_create(
            [PutOffPhotoRemoval(name=name, put_off_at=now) for name in sorted(set(names))],
            ignore_conflicts=True,
        )


def photo_removals_due() -> set[str]:
    """The names whose removal was put off and is not done yet."""
    return set(PutOffPhotoRemoval.objects.values_list("name", flat=True))


def photo_removals_done(names: Iterable[str]) -> None:
    """Forget these put-off removals: each file is gone, or a memory names it again."""
    done = sorted(set(names))
    if done:
        PutOffPhotoRemoval.objects.filter(name__in=done).delete()
