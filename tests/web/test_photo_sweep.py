"""Photo files no memory names go, and only those: a removal that never ran after its commit (the
process killed), an upload whose memory never committed (once an hour old), an account's photos;
never while a backup or restore holds the photos, and a holder killed holds nothing. A removal a
backup put off is written down and goes at the first removal or sweep after it, however young the
file (test_backup.py runs it with a real backup and restore).

The world's tests run in one transaction that never commits, so the removals a commit would start
never run here: exactly what a process killed between its commit and its removal leaves.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from counterpoint.accounts.services import account_delete
from counterpoint.operations.photo_lock import photo_removal, photos_held
from counterpoint.practices.plans import services
from counterpoint.practices.plans.models import Memory
from counterpoint.practices.plans.photos import (
    ORPHAN_GRACE,
    photo_clean,
    photo_files_remove,
    photo_files_sweep,
    photo_store,
)
from tests.factories import make_user
from tests.web.conftest import World
from tests.web.plans_world import (
    jpeg_upload,
    photo_files,
    photos_named,
    removals_put_off,
    travel_ahead,
)

ROOT = Path(__file__).resolve().parents[2]


def _orphan() -> str:
    """A file stored by an upload whose memory never committed."""
    return photo_store(photo_clean(jpeg_upload())).name


def test_the_sweep_removes_what_no_memory_names_once_an_hour_old_and_nothing_named(
    world: World,
) -> None:
    shared, private = world.objects["memory"], world.objects["memory_private"]
    kept = Memory.objects.get(pk=world.objects["memory_other_couple"].pk).photo
    removed = Memory.objects.get(pk=shared.pk).photo
    deleted = Memory.objects.get(pk=private.pk).photo
    services.memory_photo_remove(user=world.bob, memory=shared)  # committed, never removed
    services.memory_delete(user=world.alice, memory=private)
    orphan = _orphan()
    assert {kept, removed, deleted, orphan} <= photo_files()

    assert photo_files_sweep() == 0  # every file is younger than the grace
    with travel_ahead(ORPHAN_GRACE - dt.timedelta(minutes=1)):
        assert photo_files_sweep() == 0
    with travel_ahead(ORPHAN_GRACE + dt.timedelta(minutes=1)):
        assert photo_files_sweep() == 3
    assert photo_files() == photos_named() and kept in photo_files()
    assert not {removed, deleted, orphan} & photo_files()

    # asked to remove a file a memory names (a restore brought it back): it stays
    assert photo_files_remove(kept) is True
    assert kept in photo_files()


def test_an_accounts_photos_are_gone_after_the_sweep(world: World) -> None:
    bobs = Memory.objects.get(pk=world.objects["memory"].pk).photo
    alices = Memory.objects.get(pk=world.objects["memory_private"].pk).photo
    account_delete(user=world.bob, remove_couple_items=False)  # its removal never runs here
    assert bobs in photo_files() and bobs not in photos_named()
    with travel_ahead(ORPHAN_GRACE * 2):
        call_command("photos_sweep", stdout=io.StringIO())
    assert bobs not in photo_files() and alices in photo_files()
    assert photo_files() == photos_named()


@pytest.mark.django_db(transaction=True)  # the request's thread commits what it writes down
def test_while_a_backup_holds_the_photos_nothing_is_removed_and_nobody_waits(
    caplog: pytest.LogCaptureFixture,
) -> None:
    orphan, other = _orphan(), _orphan()
    with photos_held():
        # as a web request would, on a thread of its own: it returns at once, having removed
        # nothing, and writes the removal down
        answers: list[bool] = []
        request = threading.Thread(target=_on_a_thread(lambda: photo_files_remove(orphan), answers))
        request.start()
        request.join(timeout=10)
        assert answers == [False]
        assert removals_put_off() == {orphan}
        with travel_ahead(ORPHAN_GRACE * 2):
            assert photo_files_sweep() is None
            assert "photo sweep put off" in caplog.text  # for an operator to see a stuck one
            with pytest.raises(CommandError, match="backup or restore is running"):
                call_command("photos_sweep", stdout=io.StringIO())
        assert {orphan, other} <= photo_files()
    # the first removal after the backup takes the put-off one with it, an hour early
    assert photo_files_remove(other) is True
    assert not {orphan, other} & photo_files()
    assert removals_put_off() == set()


def _on_a_thread(work: Callable[[], bool], answers: list[bool]) -> Callable[[], None]:
    def run() -> None:
        try:
            answers.append(work())
        finally:
            connection.close()  # the thread's own connection

    return run


@pytest.mark.django_db
def test_a_backup_or_restore_waits_for_a_removal_in_progress() -> None:
    """A removal checks the database and removes under the lock: a backup cannot copy the database
    between the two, nor a restore replace it (a sweep in another thread, holding it for 0.3 s)."""
    removing, done = threading.Event(), threading.Event()

    def removal() -> None:
        try:
            with photo_removal() as allowed:
                assert allowed
                removing.set()
                time.sleep(0.3)
                done.set()
        finally:
            connection.close()

    sweep = threading.Thread(target=removal)
    sweep.start()
    assert removing.wait(5)
    with photos_held():
        assert done.is_set()
    sweep.join()


def test_a_backup_killed_while_it_holds_the_photos_holds_nothing(
    world: World, tmp_path: Path
) -> None:
    """SIGKILL: the lock file's lock (SQLite) or the database session's (PostgreSQL) goes with the
    process."""
    orphan = _orphan()
    s = connection.settings_dict
    database_url = (
        f"sqlite:///{tmp_path / 'unused.sqlite3'}"
        if connection.vendor == "sqlite"
        else f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(settings.PHOTO_LOCK_FILE)],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "counterpoint.settings",
            "DATABASE_URL": database_url,
            "COUNTERPOINT_VAR_DIR": str(tmp_path / "var"),
            "PYTHONPATH": str(ROOT),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        if holder.stdout.readline().strip() != "held":
            holder.kill()
            pytest.fail(f"the holder never held the photos: {holder.communicate()[1][-3000:]}")
        assert photo_files_remove(orphan) is False
        assert removals_put_off() == {orphan}  # written down in the database, not in the holder
    finally:
        holder.kill()
        holder.wait()
    deadline = time.monotonic() + 5  # PostgreSQL ends the session once it sees the socket close
    while (removed := photo_files_sweep()) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert removed == 1  # the sweep after it, without the hour's grace
    assert orphan not in photo_files() and removals_put_off() == set()


_HOLDER = """
import sys, time, django
django.setup()
from django.conf import settings
settings.PHOTO_LOCK_FILE = sys.argv[1]
from counterpoint.operations.photo_lock import photo_removal, photos_held
with photos_held():
    print("held", flush=True)
    time.sleep(120)
"""


@pytest.mark.django_db(transaction=True)
def test_a_removal_that_fails_after_the_commit_fails_no_page_and_the_sweep_does_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The photo is removed (committed) whatever happens to its file: a disk error then is logged,
    the person is answered as usual, and the sweep removes the file; a file the sweep cannot
    remove keeps no other."""
    sam = make_user("sam@example.org", "Sam")
    memory, _ = services.memory_add(
        user=sam, title="A walk", happened_on=sam.local_today(), shared=False
    )
    name = services.memory_photo_set(user=sam, memory=memory, upload=jpeg_upload()).photo
    client = Client()
    client.force_login(sam)

    def disk_error(self: FileSystemStorage, name: str) -> None:
        raise OSError("Input/output error")

    monkeypatch.setattr(FileSystemStorage, "delete", disk_error)
    response = client.post(reverse("plans:memory_photo_remove", args=[memory.pk]))
    assert response.status_code == 302
    monkeypatch.undo()
    assert Memory.objects.get(pk=memory.pk).photo == "" and name in photo_files()
    orphan = _orphan()
    original_delete = FileSystemStorage.delete

    def stuck(self: FileSystemStorage, file: str) -> None:
        if file == min(name, orphan):  # the first the sweep comes to
            raise OSError("Input/output error")
        original_delete(self, file)

    monkeypatch.setattr(FileSystemStorage, "delete", stuck)
    with travel_ahead(ORPHAN_GRACE * 2):
        assert photo_files_sweep() == 1
    monkeypatch.undo()
    assert photo_files() == {min(name, orphan)}
    with travel_ahead(ORPHAN_GRACE * 2):
        assert photo_files_sweep() == 1
    assert photo_files() == set()


def test_the_task_runner_sweeps_every_five_minutes() -> None:
    from huey.contrib.djhuey import HUEY

    import counterpoint.practices.plans.tasks  # noqa: F401  (run_huey finds every tasks module)

    def due(minute: int) -> set[str]:
        tasks = HUEY.read_periodic(dt.datetime(2026, 12, 2, 12, minute))
        return {task.name.rsplit(".", 1)[-1] for task in tasks}

    assert all("sweep_photo_files" in due(minute) for minute in (0, 5, 55))
    assert "sweep_photo_files" not in due(3)
