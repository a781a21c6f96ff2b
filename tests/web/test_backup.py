"""manage.py backup and restore: the database and the photos come back as they were, a backup that
is not whole is refused before anything changes, and no page kept before a restore is served
after it. A photo removed while a backup holds the photos goes at the first sweep after it; an
upload during a restore is either gone with the database it replaced or kept, file and row, and no
memory ever names a missing file."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import sqlite3
import subprocess
import tarfile
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from counterpoint.demo import DemoCouple, demo_create
from counterpoint.journal.services import journal_entry_write
from counterpoint.operations.backup import (
    backup_create,
    backup_restore,
    photo_storage,
    table_fingerprints,
)
from counterpoint.operations.models import PutOffPhotoRemoval
from counterpoint.operations.versions import GENERATION_SCOPE
from counterpoint.practices.plans import photos
from counterpoint.practices.plans import services as plans
from counterpoint.practices.plans.models import Memory
from counterpoint.practices.plans.photos import ORPHAN_GRACE, photo_files_sweep
from counterpoint.privacy.kept import deleting_as
from tests.factories import make_user
from tests.web.checkin_form import checkin_values
from tests.web.kept_pages import KEPT_PAGES, normal_page
from tests.web.plans_world import (
    jpeg_upload,
    photo_files,
    photos_named,
    removals_put_off,
    travel_ahead,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _populated() -> DemoCouple:
    """The demo couple's whole history, through the seeders, with a photo on one memory."""
    made = demo_create()
    assert made is not None
    assert Memory.objects.exclude(photo="").exists()
    return made


def _state() -> tuple[dict[str, tuple[int, str]], dict[str, bytes]]:
    """Every table's row count and checksum (the restore's generation aside) and every photo."""
    tables = [t for t in connection.introspection.table_names() if t != "django_session"]
    with connection.cursor() as cursor:
        prints = table_fingerprints(cursor, [t for t in tables if t != "operations_dataversion"])
        cursor.execute(
            "SELECT scope, version FROM operations_dataversion WHERE scope <> %s ORDER BY scope",
            [GENERATION_SCOPE],
        )
        prints["operations_dataversion"] = (0, repr(cursor.fetchall()))
    storage = photo_storage()
    photos = {}
    for name in storage.listdir("")[1]:
        with storage.open(name, "rb") as handle:
            photos[name] = handle.read()
    return prints, photos


def _backup(path: Path) -> Path:
    call_command("backup", str(path), stdout=io.StringIO())
    return path


def _restore(path: Path, *options: str) -> str:
    out = io.StringIO()
    call_command("restore", str(path), "--noinput", *options, stdout=out)
    return out.getvalue()


def _with_a_photo(user: Any, title: str) -> Memory:
    memory, _ = plans.memory_add(
        user=user, title=title, happened_on=user.local_today(), shared=False
    )
    return plans.memory_photo_set(user=user, memory=memory, upload=jpeg_upload())


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _check_in(client: Client, who: Any, mood: int) -> None:
    values = checkin_values(who.local_today().isoformat(), mood, note=f"mood word {mood}")
    assert client.post(reverse("checkins:today"), values).status_code == 302


def test_a_backup_restores_into_a_fresh_database_with_every_row(tmp_path: Path) -> None:
    _populated()
    tables = connection.introspection.table_names()
    original = table_fingerprints(connection.cursor(), tables)
    assert original["checkins_checkin"][0] > 100
    backup = _backup(tmp_path / "site.tar.gz")
    assert backup.stat().st_size > 0

    if connection.vendor == "sqlite":
        fresh_name = str(tmp_path / "fresh.sqlite3")
        url = f"sqlite:///{fresh_name}"
    else:
        fresh_name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{fresh_name}"')
        s = connection.settings_dict
        url = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT'] or 5432}/{fresh_name}"
    backend = type(connections["default"])
    restored = backend({**connection.settings_dict, "NAME": fresh_name}, "restored")
    try:
        out = _restore(backup, "--database-url", url)
        copy = table_fingerprints(restored.cursor(), tables)
    finally:
        restored.close()
        if connection.vendor != "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{fresh_name}"')
    assert copy == original
    assert "Restored" in out


def test_restoring_brings_back_every_row_and_photo_and_takes_away_what_came_after(
    tmp_path: Path,
) -> None:
    """A photo stored since the backup goes with the restore once it is an hour old, and at the
    first sweep past that hour if younger (an upload may name it yet: see below)."""
    demo = _populated()
    before, photos_before = _state()
    backup = _backup(tmp_path / "site.tar.gz")

    # life goes on after the backup: words written, a photo replaced, a photo file lost
    journal_entry_write(user=demo.alex, body="written after the backup", visibility="partner")
    memory = Memory.objects.exclude(photo="").first()
    assert memory is not None
    old_photo = memory.photo
    assert memory.photo_by is not None
    plans.memory_photo_set(user=memory.photo_by, memory=memory, upload=jpeg_upload())
    memory.refresh_from_db()
    assert memory.photo != old_photo
    assert not photo_storage().exists(old_photo)  # the replaced photo's file is gone
    after, photos_after = _state()
    assert after != before and set(photos_after) != set(photos_before)

    new_photo = memory.photo

    out = _restore(backup)
    assert "Photos: 1 written, 0 removed" in out
    assert "1 photo file(s) the backup does not have were stored in the last hour" in out
    tables, photos_now = _state()
    assert tables == before and set(photos_now) == set(photos_before) | {new_photo}
    memory.refresh_from_db()
    assert memory.photo == old_photo
    with travel_ahead(ORPHAN_GRACE + dt.timedelta(minutes=1)):
        assert photo_files_sweep() == 1
    assert _state() == (before, photos_before)

    # the same an hour after the photo was stored: the restore takes it away itself
    plans.memory_photo_set(user=memory.photo_by, memory=memory, upload=jpeg_upload())
    with travel_ahead(ORPHAN_GRACE + dt.timedelta(minutes=1)):
        out = _restore(backup)
    assert "Photos: 1 written, 1 removed" in out and "last hour" not in out
    assert _state() == (before, photos_before)


def test_a_photo_removed_while_a_backup_runs_is_in_it_and_comes_back(tmp_path: Path) -> None:
    """Between the database copy and the photos, a memory with a photo is deleted (committed): its
    file is in the backup all the same, goes at the first sweep after it (not an hour on: it was
    uploaded a moment before), and a restore brings both back."""
    sam = make_user("sam@example.org", "Sam")
    memory, _ = plans.memory_add(
        user=sam, title="A walk", happened_on=sam.local_today(), shared=False
    )
    memory = plans.memory_photo_set(user=sam, memory=memory, upload=jpeg_upload())
    name = memory.photo

    def delete_the_memory() -> None:
        with transaction.atomic(), deleting_as(sam):  # as memory_delete does: Sam's own photo
            Memory.objects.filter(pk=memory.pk).delete()  # its file's removal: at the commit
        assert photo_storage().exists(name)  # put off: the backup holds the photos
        assert removals_put_off() == {name}  # and written down, committed

    contents = backup_create(path=tmp_path / "site.tar.gz", after_database=delete_the_memory)
    assert name in contents.photos
    assert photo_files_sweep() == 1
    assert not photo_storage().exists(name) and removals_put_off() == set()

    out = _restore(tmp_path / "site.tar.gz")
    assert "Photos: 1 written, 0 removed" in out
    assert Memory.objects.get(pk=memory.pk).photo == name
    assert photo_storage().exists(name)
    assert set(photo_storage().listdir("")[1]) == set(
        Memory.objects.exclude(photo="").values_list("photo", flat=True)
    )


def test_a_photo_removed_in_the_app_while_a_backup_runs_goes_at_the_first_removal_or_sweep_after(
    tmp_path: Path,
) -> None:
    """Two photos uploaded a moment before, removed by Sam while the backup holds the photos: each
    removal is written down, and the first removal after the backup (another photo, deleted with
    its memory) takes them along; before, they stayed until the sweep an hour after their upload."""
    sam = make_user("sam@example.org", "Sam")
    walk, swim, ride = (_with_a_photo(sam, title) for title in ("A walk", "A swim", "A ride"))
    client = _client(sam)

    def remove_two() -> None:
        for memory in (walk, swim):
            response = client.post(reverse("plans:memory_photo_remove", args=[memory.pk]))
            assert response.status_code == 302
        assert photos_named() == {ride.photo}
        assert {walk.photo, swim.photo} <= photo_files()  # put off: the backup holds the photos
        assert removals_put_off() == {walk.photo, swim.photo}

    contents = backup_create(path=tmp_path / "site.tar.gz", after_database=remove_two)
    assert {walk.photo, swim.photo, ride.photo} <= set(contents.photos)
    assert photo_files() == {walk.photo, swim.photo, ride.photo}
    response = client.post(reverse("plans:memory_delete", args=[ride.pk]))
    assert response.status_code == 302
    assert photo_files() == set() and removals_put_off() == set()


def test_a_put_off_removal_never_takes_a_photo_a_restored_memory_names(tmp_path: Path) -> None:
    """A removal written down, then a restore of a backup whose memory names the photo, before any
    sweep: the record is carried into the restored database, and the sweep keeps the photo and
    forgets the record."""
    sam = make_user("sam@example.org", "Sam")
    memory = _with_a_photo(sam, "A walk")
    name = memory.photo
    first = _backup(tmp_path / "first.tar.gz")

    def remove_it() -> None:
        plans.memory_photo_remove(user=sam, memory=memory)

    backup_create(path=tmp_path / "second.tar.gz", after_database=remove_it)
    assert removals_put_off() == {name} and name in photo_files()
    assert "Photos: 0 written, 0 removed" in _restore(first)
    assert Memory.objects.get(pk=memory.pk).photo == name
    assert removals_put_off() == {name}
    assert photo_files_sweep() == 0
    assert name in photo_files() and removals_put_off() == set()


def test_an_upload_acknowledged_after_a_restore_replaced_the_database_stays(tmp_path: Path) -> None:
    """Sam replaces the photo right after the restore replaced the database, before its prune: the
    new photo stays, file and row (before, the prune removed its file: a memory naming a missing
    file), and the replaced one, put off, goes at the first sweep."""
    sam = make_user("sam@example.org", "Sam")
    memory = _with_a_photo(sam, "A walk")
    old = memory.photo
    backup = _backup(tmp_path / "site.tar.gz")
    uploaded: list[str] = []

    def replace_the_photo() -> None:
        memory = Memory.objects.get(title="A walk")  # the restored row
        uploaded.append(plans.memory_photo_set(user=sam, memory=memory, upload=jpeg_upload()).photo)
        assert removals_put_off() == {old}

    restored = backup_restore(path=backup, after_database=replace_the_photo)
    new = uploaded[0]
    assert photos_named() == {new} and photo_files() == {old, new}
    assert restored is not None and (restored.photos_removed, restored.photos_left) == (0, 1)
    assert photo_files_sweep() == 1
    assert photo_files() == photos_named() == {new} and removals_put_off() == set()


def test_an_upload_in_progress_across_a_restore_keeps_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upload stores its file, then commits its memory. Here the restore replaces the database
    and prunes in between (the upload held there, on a thread of its own): its file stays, and
    the memory it commits after the restore names a file that is there."""
    sam = make_user("sam@example.org", "Sam")
    memory = _with_a_photo(sam, "A walk")
    old = memory.photo
    backup = _backup(tmp_path / "site.tar.gz")
    stored, go_on = threading.Event(), threading.Event()
    photo_store = photos.photo_store

    def store_then_wait(data: bytes) -> photos.StoredPhoto:
        kept = photo_store(data)
        stored.set()
        assert go_on.wait(30)
        return kept

    monkeypatch.setattr(photos, "photo_store", store_then_wait)
    uploaded: list[str] = []

    def upload() -> None:
        try:
            uploaded.append(
                plans.memory_photo_set(user=sam, memory=memory, upload=jpeg_upload()).photo
            )
        finally:
            connection.close()

    request = threading.Thread(target=upload)

    def start_the_upload() -> None:
        request.start()
        assert stored.wait(30)

    try:
        restored = backup_restore(path=backup, after_database=start_the_upload)
    finally:
        go_on.set()  # the upload commits its memory now, after the restore's prune
        request.join(30)
    new = uploaded[0]
    assert Memory.objects.get(pk=memory.pk).photo == new
    assert (
        photo_files() == photos_named() == {new}
    )  # the replaced one removed at once: nothing holds now
    assert old not in photo_files()
    assert restored is not None and (restored.photos_removed, restored.photos_left) == (0, 1)


def test_what_was_acknowledged_before_a_restore_replaced_the_database_goes_with_it(
    tmp_path: Path,
) -> None:
    """Right before the database is replaced, Sam replaces one photo and removes another (a memory
    made after the backup): the restored database has neither change; the new photo's file, no
    memory naming it, goes at the first sweep an hour on (it might have been an upload in
    progress); the removed one at the first sweep (its removal was written down and carried over);
    the backup's photo, named again, stays."""
    sam = make_user("sam@example.org", "Sam")
    walk = _with_a_photo(sam, "A walk")
    kept = walk.photo
    backup = _backup(tmp_path / "site.tar.gz")
    later = _with_a_photo(sam, "After the backup")
    taken = later.photo
    uploaded: list[str] = []

    def change_both() -> None:
        uploaded.append(plans.memory_photo_set(user=sam, memory=walk, upload=jpeg_upload()).photo)
        plans.memory_photo_remove(user=sam, memory=later)
        assert removals_put_off() == {kept, taken}

    restored = backup_restore(path=backup, before_database=change_both)
    lost = uploaded[0]
    assert restored is not None and (restored.photos_removed, restored.photos_left) == (0, 2)
    assert Memory.objects.get(pk=walk.pk).photo == kept
    assert not Memory.objects.filter(pk=later.pk).exists()
    assert photos_named() == {kept} and photo_files() == {kept, lost, taken}
    assert removals_put_off() == {kept, taken}  # written down again in the restored database
    assert photo_files_sweep() == 1
    assert photo_files() == {kept, lost} and removals_put_off() == set()
    with travel_ahead(ORPHAN_GRACE + dt.timedelta(minutes=1)):
        assert photo_files_sweep() == 1
    assert photo_files() == photos_named() == {kept}


def test_a_restore_onto_a_database_not_migrated_yet_still_works(tmp_path: Path) -> None:
    """A new host's database may not have the put-off removals' table yet: the restore reads none
    and brings the table with the backup."""
    sam = make_user("sam@example.org", "Sam")
    memory = _with_a_photo(sam, "A walk")
    backup = _backup(tmp_path / "site.tar.gz")
    with connection.schema_editor() as editor:
        editor.delete_model(PutOffPhotoRemoval)
    assert "Photos: 0 written, 0 removed" in _restore(backup)
    assert removals_put_off() == set() and photo_files() == photos_named() == {memory.photo}


def test_after_a_restore_everyone_signs_in_again_and_nothing_kept_from_before_is_served(
    tmp_path: Path, settings: Any
) -> None:
    """A restore turns the data versions back: the numbers a kept page or a computed insight was
    keyed by come round again, for other data. Each restore starts a new generation, part of
    every key; and it ends every sign-in, which a sign-out since the backup had ended."""
    settings.PAGE_CACHE_SECONDS = settings.INSIGHTS_CACHE_SECONDS = 60
    demo = _populated()
    backup = _backup(tmp_path / "site.tar.gz")

    def then(mood: int) -> tuple[Client, dict[str, bytes]]:
        """The same steps after the backup, each time: both sign in, Sam checks in."""
        alex, sam = _client(demo.alex), _client(demo.sam)
        _check_in(sam, demo.sam, mood)
        return alex, {url: alex.get(url).content for url in map(reverse, KEPT_PAGES)}

    alex_before, seen_before = then(2)
    assert b"mood word 2" in seen_before[reverse("checkins:today")]

    _restore(backup)
    assert alex_before.get(reverse("pages:home")).status_code == 302  # signed out

    alex, seen = then(9)  # the same versions as before the restore, with other data
    settings.PAGE_CACHE_SECONDS = settings.INSIGHTS_CACHE_SECONDS = 0
    cache.clear()
    fresh = {url: alex.get(url).content for url in map(reverse, KEPT_PAGES)}
    for url in map(reverse, KEPT_PAGES):
        assert normal_page(seen[url]) == normal_page(fresh[url]), url
    changed = [
        u for u in map(reverse, KEPT_PAGES) if normal_page(seen_before[u]) != normal_page(seen[u])
    ]
    assert reverse("insights:json") in changed  # what a stale insight would have hidden


def _archive_parts(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as archive:
        return {
            m.name: archive.extractfile(m).read()  # type: ignore[union-attr]
            for m in archive.getmembers()
        }


def _with_manifest(parts: dict[str, bytes], change: Callable[[dict[str, Any]], None]) -> dict:
    manifest = json.loads(parts["manifest.json"])
    change(manifest)
    return {**parts, "manifest.json": json.dumps(manifest).encode()}


def test_a_backup_that_is_not_whole_or_not_for_here_is_refused_and_nothing_changes(
    tmp_path: Path,
) -> None:
    demo = _populated()
    good = _backup(tmp_path / "good.tar.gz")
    journal_entry_write(user=demo.sam, body="after the backup", visibility="private")
    before = _state()

    out = io.StringIO()
    call_command("restore", str(good), "--check", stdout=out)  # only checks
    assert "it can be restored" in out.getvalue()
    assert f"{len(before[1])} photo" in out.getvalue()
    assert _state() == before

    parts = _archive_parts(good)
    database = next(n for n in parts if n.startswith("database."))
    photo = next(n for n in parts if n.startswith("photos/"))
    other_engine = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    raw = good.read_bytes()

    def damaged_database(manifest: dict[str, Any]) -> None:
        manifest["database"]["sha256"] = _sha256(bad_database)

    data = bytearray(parts[database])
    data[len(data) // 2 : len(data) // 2 + 4096] = os.urandom(4096)
    bad_database = bytes(data)

    cases: list[tuple[str, bytes, str]] = [
        ("garbage", os.urandom(5000), "is not a Counterpoint backup"),
        ("empty", b"", "is not a Counterpoint backup"),
        ("cut short", raw[: len(raw) // 2], "damaged or cut short"),
        ("a gzip of something else", gzip.compress(b"hello"), "damaged or cut short"),
        ("a tar without a manifest", _tar({"notes.txt": b"hi"}), "is not a Counterpoint backup"),
        ("a photo changed", _tar({**parts, photo: parts[photo][:-10]}), "missing or damaged"),
        ("a photo missing", _tar({k: v for k, v in parts.items() if k != photo}), "missing or"),
        ("the database changed", _tar({**parts, database: bad_database}), "does not match"),
        (
            "the database damaged, checksum and all",
            _tar(_with_manifest({**parts, database: bad_database}, damaged_database)),
            "cannot be read" if connection.vendor != "sqlite" else "database",
        ),
        (
            "another engine's",
            _tar(_with_manifest(parts, lambda m: m.update(engine=other_engine))),
            "cannot be restored into",
        ),
        (
            "made by a newer version",
            _tar(
                _with_manifest(
                    parts, lambda m: m["migrations"].append(["checkins", "9999_from_later"])
                )
            ),
            "newer version of Counterpoint",
        ),
        (
            "a format from later",
            _tar(_with_manifest(parts, lambda m: m.update(version=2))),
            "reads format 1",
        ),
        (
            "a file a backup never holds",
            _tar({**parts, "../outside.txt": b"x"}),
            "never holds",
        ),
        (
            "a photo name that climbs out",
            _tar(_with_manifest(parts, lambda m: m["photos"].update({"../x.jpg": "0" * 64}))),
            "manifest is incomplete",
        ),
    ]
    for what, content, message in cases:
        bad = tmp_path / f"bad-{len(what)}-{uuid.uuid4().hex[:6]}"
        bad.write_bytes(content)
        with pytest.raises(CommandError, match=message) as refused:
            _restore(bad)
        assert "Nothing was changed" in str(refused.value), what
        assert _state() == before, what
    assert not (tmp_path.parent / "outside.txt").exists()


def _tar(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in parts.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def test_a_backup_never_replaces_a_file_and_one_that_fails_leaves_nothing(tmp_path: Path) -> None:
    existing = tmp_path / "precious.tar.gz"
    existing.write_bytes(b"not to be touched")
    with pytest.raises(CommandError, match="already exists"):
        _backup(existing)
    assert existing.read_bytes() == b"not to be touched"

    # a photo that cannot be read (a link that leads to itself) stops the backup halfway
    location = Path(photo_storage().path(""))
    loop = location / "unreadable.jpg"
    loop.symlink_to(loop)
    try:
        target = tmp_path / "out" / "site.tar.gz"
        with pytest.raises(OSError):
            _backup(target)
        assert list(target.parent.iterdir()) == []  # no backup, no part of one
    finally:
        loop.unlink()


def test_a_site_without_a_photo_yet_backs_up_restores_and_sweeps(
    tmp_path: Path, settings: Any
) -> None:
    """The photos folder is made by the first upload: before it, there is nothing to read."""
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {**settings.STORAGES["photos"], "OPTIONS": {"location": str(tmp_path / "no")}},
    }
    backup = _backup(tmp_path / "site.tar.gz")
    assert "Photos: 0 written, 0 removed" in _restore(backup)
    assert photo_files_sweep() == 0


def test_a_backup_from_before_photos_were_included_still_restores(tmp_path: Path) -> None:
    """Earlier versions wrote the bare database: SQLite's file, or pg_dump's archive."""
    demo = _populated()
    before, photos = _state()
    legacy = tmp_path / "old-backup"
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(legacy)
        connection.connection.backup(target)
        target.close()
    else:
        s = connection.settings_dict
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(legacy),
             "--dbname", s["NAME"], "--host", s["HOST"], "--port", str(s["PORT"] or 5432),
             "--username", s["USER"]],
            check=True,
            env={**os.environ, "PGPASSWORD": s["PASSWORD"] or ""},
        )  # fmt: skip
    journal_entry_write(user=demo.alex, body="after the backup", visibility="partner")
    out = _restore(legacy)
    assert "holds no photos; the photos folder was left as it is" in out
    assert _state() == (before, photos)
