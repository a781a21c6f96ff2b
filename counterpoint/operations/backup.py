"""Backups of the whole database: SQLite's online backup API, pg_dump for PostgreSQL.

A backup is one file. Restoring writes it into a database (the configured one, or any other given
by URL, e.g. a fresh one to check a backup); ``table_fingerprints`` gives every table's row count
and a checksum of its content, to compare a restored copy with the original.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import dj_database_url
from django.db import connection


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


def _is_sqlite(settings_dict: dict[str, Any]) -> bool:
    return "sqlite3" in str(settings_dict["ENGINE"])


def _pg_args(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--dbname", str(settings_dict["NAME"])]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def backup_create(*, path: Path) -> Path:
    """Write a consistent copy of the configured database to ``path`` while the site runs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    settings_dict = connection.settings_dict
    if _is_sqlite(settings_dict):
        connection.ensure_connection()
        source = connection.connection
        target = sqlite3.connect(path)
        try:
            source.backup(target)  # page by page; readers and writers carry on meanwhile
        finally:
            target.close()
        return path
    args, env = _pg_args(settings_dict)
    done = subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(path), *args],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    return path


def backup_restore(*, path: Path, database_url: str | None = None) -> None:
    """Replace the content of a database (the configured one, or ``database_url``) with a backup."""
    if not path.is_file():
        raise BackupError(f"no backup at {path}")
    settings_dict: dict[str, Any] = (
        dict(dj_database_url.parse(database_url)) if database_url else connection.settings_dict
    )
    if _is_sqlite(settings_dict):
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if database_url is None:
                connection.ensure_connection()
                source.backup(connection.connection)
            else:
                target = sqlite3.connect(str(settings_dict["NAME"]))
                try:
                    source.backup(target)
                finally:
                    target.close()
        finally:
            source.close()
        return
    if database_url is None:
        connection.close()  # pg_restore drops and recreates tables this connection may hold
    args, env = _pg_args(settings_dict)
    done = subprocess.run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args,
         str(path)],
        env=env,
        capture_output=True,
        text=True,
    )  # fmt: skip
    if done.returncode != 0:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")


def table_fingerprints(cursor: Any, tables: list[str]) -> dict[str, tuple[int, str]]:
    """Each table's (row count, SHA-256 of its rows in a stable order), through a DB-API cursor."""
    result = {}
    for table in sorted(tables):
        cursor.execute(f'SELECT * FROM "{table}"')
        rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
        digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        result[table] = (len(rows), digest)
    return result
