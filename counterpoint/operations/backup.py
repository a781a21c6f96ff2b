"""Backups of the whole site: the database and the memory photos, in one file.

A backup is a gzipped tar archive holding ``manifest.json`` (what it holds and the checksum of
each part), the database (SQLite's online backup API, or pg_dump's custom format) and every file
of the ``photos`` storage. It is written under a temporary name, checked, and only then given its
own name, so a backup killed halfway leaves no file that looks like a backup. From before the
database copy until every photo is read, no photo file is removed (``photo_lock.py``): every photo
the backup's database names is in it.

Restoring checks everything before it changes anything (the archive, each checksum, the
database's integrity, that the backup's engine is the target's, that this version of the code
knows every migration the backup's database has seen), then, holding the photos, puts the backup's
photos back, replaces the database's content (in one transaction), brings the schema up to this
version's and removes the photos the backup does not have, except those stored in the last
``ORPHAN_GRACE``. Backups written before photos were included (a bare SQLite file or pg_dump
archive) still restore; their photos are left as they are.

An upload during a restore: whatever is acknowledged before the database is replaced is gone with
the rest of that database (its row; its file, no memory naming it, goes at the first sweep past the
grace), and whatever is acknowledged after it stays, file and row. That holds because a restore
never removes a file stored in the last ``ORPHAN_GRACE``: an upload stores its file, then commits
its memory, so its file is young whenever its row may still commit, before or after the prune.
Every memory the restored database names is in the backup (the backup held the photos from its
database copy on) and put back, and the backup's photos are never pruned: after a restore, no
memory names a missing file. (The prune goes by the backup's list and the files' age, not by the
memories: this module sits below the app that has them; the sweep checks the memories.) Removals
put off before the database is replaced are written down again in the restored one, so the first
sweep after the restore removes those files unless a restored memory names them; a restore killed
before writing them down leaves them to the sweep's grace.

``table_fingerprints`` gives every table's row count and a checksum of its content, to compare a
restored copy with the original.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import secrets
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dj_database_url
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from counterpoint.operations.models import DataVersion
from counterpoint.operations.photo_lock import (
    ORPHAN_GRACE,
    photo_removals_due,
    photo_removals_put_off,
    photos_held,
)
from counterpoint.operations.versions import GENERATION_SCOPE

FORMAT = "counterpoint-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PHOTOS = "photos/"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_PGDUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


@dataclass
class Contents:
    """What a backup holds, as its manifest says (or as a bare database file implies)."""

    engine: str  # "sqlite" or "postgresql"
    created_at: str = ""
    migrations: list[tuple[str, str]] = field(default_factory=list)
    photos: dict[str, str] = field(default_factory=dict)  # name -> SHA-256
    with_photos: bool = True

    def describe(self) -> str:
        kind = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[self.engine]
        when = f", made {self.created_at}" if self.created_at else ""
        count = len(self.photos)
        photos = f"{count} photo{'' if count == 1 else 's'}" if self.with_photos else "no photos"
        return f"a {kind} database{when}, {photos}"


def _engine(settings_dict: dict[str, Any]) -> str:
    return "sqlite" if "sqlite3" in str(settings_dict["ENGINE"]) else "postgresql"


def _pg_args(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--dbname", str(settings_dict["NAME"])]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def photo_storage() -> Storage:
    return storages["photos"]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _photo_names(storage: Storage) -> list[str]:
    try:
        _folders, files = storage.listdir("")
    except FileNotFoundError:  # no photo uploaded yet: the folder is made by the first
        return []
    return sorted(files)


# --- writing a backup ---------------------------------------------------------------------------


def backup_create(*, path: Path, after_database: Callable[[], None] = lambda: None) -> Contents:
    """Write the configured database and every photo to a new archive at ``path`` while the site
    runs. Refuses a path that exists; leaves nothing at ``path`` unless the backup is whole.
    ``after_database`` is called between the database copy and the photos (tests act there)."""
    if path.exists():
        raise BackupError(f"{path} already exists. Choose another path, or move that file first.")
    path.parent.mkdir(parents=True, exist_ok=True)
    settings_dict = connection.settings_dict
    engine = _engine(settings_dict)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=f".{path.name}.") as work:
        folder = Path(work)
        database = folder / ("database.sqlite3" if engine == "sqlite" else "database.pgdump")
        # No photo file is removed from before the database copy until every file is read, so
        # each photo the copy names is in the archive. A photo uploaded meanwhile is one file
        # more, harmless (nothing in the copy names it); one removed meanwhile is written down and
        # goes at the first removal or sweep after the backup (photo_lock.py).
        with photos_held():
            if engine == "sqlite":
                _sqlite_dump(database)
                migrations = _sqlite_migrations(database)
            else:
                _pg_dump(settings_dict, database)
                migrations = _live_migrations()
            after_database()
            storage = photo_storage()
            photos: dict[str, bytes] = {}
            for name in _photo_names(storage):
                try:
                    with storage.open(name, "rb") as handle:
                        photos[name] = handle.read()
                except FileNotFoundError:
                    continue  # removed by hand since it was listed (nothing of ours removes one now)
        contents = Contents(
            engine=engine,
            created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            migrations=migrations,
            photos={name: _sha256(data) for name, data in photos.items()},
        )
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created_at": contents.created_at,
            "engine": engine,
            "database": {"name": database.name, "sha256": _file_sha256(database)},
            "migrations": [list(m) for m in migrations],
            "photos": contents.photos,
        }
        partial = folder / "backup.partial"
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode())
            archive.add(database, arcname=database.name)
            for name, data in photos.items():
                _add_bytes(archive, PHOTOS + name, data)
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        read_contents(partial)  # the archive as written opens and every checksum matches
        try:  # whole or not at all (same folder, same file system), and never over a file
            os.link(partial, path)
        except FileExistsError as exc:
            raise BackupError(
                f"{path} appeared while the backup was written; nothing replaced."
            ) from exc
        _fsync_folder(path.parent)
    return contents


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def _fsync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sqlite_dump(target_path: Path) -> None:
    connection.ensure_connection()
    source = connection.connection
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)  # page by page; readers and writers carry on meanwhile
    finally:
        target.close()


def _pg_dump(settings_dict: dict[str, Any], target_path: Path) -> None:
    args, env = _pg_args(settings_dict)
    done = subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(target_path), *args],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")


def _sqlite_migrations(database: Path) -> list[tuple[str, str]]:
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        if not db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
        ).fetchone():
            return []  # a database made without migrations (the test suite's)
        rows = db.execute("SELECT app, name FROM django_migrations ORDER BY app, name").fetchall()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"the database in the backup cannot be read ({exc})") from exc
    finally:
        db.close()
    return [(str(app), str(name)) for app, name in rows]


def _live_migrations() -> list[tuple[str, str]]:
    return sorted(MigrationRecorder(connection).applied_migrations())


# --- reading and checking a backup --------------------------------------------------------------


def read_contents(path: Path) -> Contents:
    """What the backup at ``path`` holds, after checking that every part is there and whole."""
    with _opened(path) as (contents, folder):
        _database_check(contents.engine, path if folder is None else _database_in(folder))
        return contents


@contextmanager
def _opened(path: Path) -> Iterator[tuple[Contents, Path | None]]:
    """The backup's contents and, for an archive, a temporary folder with its parts unpacked and
    checked (the database file and ``photos/``); ``None`` for a bare database file."""
    if not path.is_file():
        raise BackupError(f"no backup at {path}")
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(_SQLITE_MAGIC):
        yield Contents(engine="sqlite", with_photos=False), None
        return
    if head.startswith(_PGDUMP_MAGIC):
        yield Contents(engine="postgresql", with_photos=False), None
        return
    not_ours = f"{path} is not a Counterpoint backup (it is not a file made by manage.py backup)."
    if not head.startswith(b"\x1f\x8b"):
        raise BackupError(not_ours)
    with tempfile.TemporaryDirectory(prefix="counterpoint-restore-") as work:
        folder = Path(work)
        try:
            with tarfile.open(path, "r:gz") as archive:
                manifest = _manifest(archive, not_ours)
                database_name = str(manifest["database"]["name"])
                wanted = {MANIFEST, database_name} | {PHOTOS + n for n in manifest["photos"]}
                members = archive.getmembers()
                unexpected = [m.name for m in members if m.name not in wanted or not m.isfile()]
                if unexpected:
                    raise BackupError(f"{path} holds files a backup never holds: {unexpected[:3]}")
                archive.extractall(folder, members=members, filter="data")
        except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
            raise BackupError(f"{path} is damaged or cut short ({exc}).") from exc
        database = folder / database_name
        if not database.is_file():
            raise BackupError(f"{path} has no database in it; it is damaged.")
        if _file_sha256(database) != manifest["database"]["sha256"]:
            raise BackupError(f"{path}: the database in it does not match its checksum.")
        photos: dict[str, str] = dict(manifest["photos"])
        for name, digest in photos.items():
            photo = folder / PHOTOS / name
            if not photo.is_file() or _file_sha256(photo) != digest:
                raise BackupError(f"{path}: the photo {name} is missing or damaged.")
        contents = Contents(
            engine=str(manifest["engine"]),
            created_at=str(manifest.get("created_at", "")),
            migrations=[(str(a), str(n)) for a, n in manifest["migrations"]],
            photos=photos,
        )
        yield contents, folder


def _manifest(archive: tarfile.TarFile, not_ours: str) -> dict[str, Any]:
    try:
        member = archive.getmember(MANIFEST)
    except KeyError as exc:
        raise BackupError(not_ours) from exc
    handle = archive.extractfile(member)
    if handle is None:
        raise BackupError(not_ours)
    try:
        manifest = json.loads(handle.read(1 << 24))
    except ValueError as exc:
        raise BackupError(f"{not_ours[:-1]}: its manifest cannot be read.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(not_ours)
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"This backup is in format {manifest.get('version')!r}; this version of Counterpoint "
            f"reads format {FORMAT_VERSION}. Restore it with the version that made it, or newer."
        )
    try:
        ok = (
            manifest["engine"] in ("sqlite", "postgresql")
            and isinstance(manifest["database"]["name"], str)
            and "/" not in manifest["database"]["name"]
            and isinstance(manifest["database"]["sha256"], str)
            and isinstance(manifest["photos"], dict)
            and all("/" not in n and isinstance(d, str) for n, d in manifest["photos"].items())
            and all(len(m) == 2 for m in manifest["migrations"])
        )
    except (KeyError, TypeError) as exc:
        raise BackupError(f"{not_ours[:-1]}: its manifest is incomplete.") from exc
    if not ok:
        raise BackupError(f"{not_ours[:-1]}: its manifest is incomplete.")
    return manifest


def _database_check(engine: str, database: Path) -> None:
    """That the backup's database file is whole and readable by its engine's tools."""
    if engine == "sqlite":
        _sqlite_check(database)
    else:
        _pgdump_check(database)


def _sqlite_check(database: Path) -> None:
    try:
        db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            result = db.execute("PRAGMA integrity_check").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"the database in {database.name} cannot be read ({exc}).") from exc
    if not result or result[0] != "ok":
        raise BackupError(f"the database in {database.name} is damaged: {result}")


def _pgdump_check(database: Path) -> None:
    done = subprocess.run(["pg_restore", "--list", str(database)], capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"the database in {database.name} cannot be read: {done.stderr.strip()}")


def _unknown_migrations(contents: Contents) -> list[str]:
    """Migrations the backup's database has seen that this version of the code does not have."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [f"{app}.{name}" for app, name in contents.migrations if (app, name) not in known]


# --- restoring ----------------------------------------------------------------------------------


@dataclass
class Restored:
    contents: Contents
    photos_written: int = 0
    photos_removed: int = 0
    photos_left: int = 0  # not the backup's, stored in the last ORPHAN_GRACE: the sweep's to judge
    photos_touched: bool = False


def backup_restore(
    *,
    path: Path,
    database_url: str | None = None,
    proceed: Callable[[Contents], bool] = lambda _contents: True,
    before_database: Callable[[], None] = lambda: None,
    after_database: Callable[[], None] = lambda: None,
) -> Restored | None:
    """Replace the content of a database (the configured one, or ``database_url``) with a backup,
    and, for the configured one, the photos with the backup's. Checks everything first, then asks
    ``proceed`` with what the backup holds: when it says no, nothing changes (``None``).
    ``before_database`` and ``after_database`` are called, holding the photos, right before the
    database is replaced and right after (before the prune): tests act there."""
    settings_dict: dict[str, Any] = (
        dict(dj_database_url.parse(database_url)) if database_url else connection.settings_dict
    )
    target_engine = _engine(settings_dict)
    with _opened(path) as (contents, folder):
        if contents.engine != target_engine:
            names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
            raise BackupError(
                f"This backup is of a {names[contents.engine]} database and cannot be restored "
                f"into {names[target_engine]}. Restore it into a {names[contents.engine]} "
                f"database (DATABASE_URL)."
            )
        unknown = _unknown_migrations(contents)
        if unknown:
            raise BackupError(
                "This backup was made by a newer version of Counterpoint (its database has "
                f"migrations this version does not know: {', '.join(unknown[:3])}). Restore it "
                "with that version or a newer one."
            )
        database = path if folder is None else _database_in(folder)
        _database_check(contents.engine, database)
        if not proceed(contents):
            return None
        restored = Restored(contents=contents)
        # the backup's photos first, under names nothing in the current database uses (each is
        # random): if the database cannot be restored, they are taken away again. Meanwhile no
        # photo file is removed (a removal's check would read the database being replaced) and no
        # backup copies a half-restored site (photo_lock.py).
        photos = folder / PHOTOS if folder is not None and database_url is None else None
        with photos_held() if database_url is None else nullcontext():
            written = _photos_put(photos, contents.photos) if photos is not None else []
            try:
                before_database()
                # removals put off (by a backup, or by this restore) are written down in the
                # database about to be replaced: read them last, to write them down again after
                put_off = _put_off_removals() if database_url is None else set()
                if target_engine == "sqlite":
                    _sqlite_restore(database, settings_dict, into_configured=database_url is None)
                else:
                    _pg_restore(database, settings_dict, into_configured=database_url is None)
            except BaseException:
                for name in written:
                    photo_storage().delete(name)
                raise
            if database_url is None:
                _after_restore()
                photo_removals_put_off(put_off)  # the first sweep removes each no memory names
            after_database()
            if photos is not None:
                restored.photos_touched = True
                restored.photos_written = len(written)
                restored.photos_removed, restored.photos_left = _photos_prune(
                    keep=set(contents.photos)
                )
    return restored


def _put_off_removals() -> set[str]:
    """The removals put off in the database about to be replaced; none when it does not have the
    table yet (a new host's database, not migrated: the restore brings the schema)."""
    try:
        return photo_removals_due()
    except DatabaseError:
        return set()


def _database_in(folder: Path) -> Path:
    return next(p for p in folder.iterdir() if p.name.startswith("database."))


def _sqlite_restore(
    database: Path, settings_dict: dict[str, Any], *, into_configured: bool
) -> None:
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        if into_configured:
            connection.ensure_connection()
            source.backup(connection.connection)  # one step: the target is replaced whole
        else:
            target = sqlite3.connect(str(settings_dict["NAME"]))
            try:
                source.backup(target)
            finally:
                target.close()
    finally:
        source.close()


def _pg_restore(database: Path, settings_dict: dict[str, Any], *, into_configured: bool) -> None:
    if into_configured:
        connection.close()  # pg_restore drops and recreates tables this connection may hold
    args, env = _pg_args(settings_dict)
    done = subprocess.run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args,
         str(database)],
        env=env,
        capture_output=True,
        text=True,
    )  # fmt: skip
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")


def _after_restore() -> None:
    """The configured database, just restored: its schema brought up to this version's (a backup
    made by an earlier version), every sign-in ended, and a
    new generation, so no process serves a page or an insight it kept from before."""
    from django.core.management import call_command

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)
    # Everyone signs in again: a sign-in ended since the backup ("sign out everywhere", a lost
    # phone) would otherwise be valid again.
    Session.objects.all().delete()
    DataVersion.objects.update_or_create(
        scope=GENERATION_SCOPE, defaults={"version": secrets.randbelow(2**62) + 1}
    )


def _photos_put(folder: Path, photos: dict[str, str]) -> list[str]:
    """Put each of the backup's photos in the photos storage, under its own name, unless it is
    there already: the names written."""
    storage = photo_storage()
    written: list[str] = []
    try:
        for name, digest in sorted(photos.items()):
            if storage.exists(name):
                with storage.open(name, "rb") as handle:
                    if _sha256(handle.read()) == digest:
                        continue
                raise BackupError(
                    f"a different photo named {name} is already in the photos folder."
                )
            saved = storage.save(name, ContentFile((folder / name).read_bytes()))
            written.append(saved)
            if saved != name:
                raise BackupError(f"the photo {name} could not be written under its own name.")
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    return written


def _photos_prune(*, keep: set[str]) -> tuple[int, int]:
    """Remove every photo the backup does not have, stored more than ``ORPHAN_GRACE`` ago: how
    many, and how many younger were left. The restored database names none of them (it names only
    the backup's photos), but a younger one may be an upload whose memory commits after this: the
    sweep removes it past the grace unless a memory names it."""
    storage = photo_storage()
    stored_before = timezone.now() - ORPHAN_GRACE
    removed = left = 0
    for name in _photo_names(storage):
        if name in keep:
            continue
        try:
            young = storage.get_modified_time(name) >= stored_before
        except FileNotFoundError:
            continue
        if young:
            left += 1
            continue
        storage.delete(name)
        removed += 1
    return removed, left


def table_fingerprints(cursor: Any, tables: list[str]) -> dict[str, tuple[int, str]]:
    """Each table's (row count, SHA-256 of its rows in a stable order), through a DB-API cursor."""
    result = {}
    for table in sorted(tables):
        cursor.execute(f'SELECT * FROM "{table}"')
        rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
        digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        result[table] = (len(rows), digest)
    return result
