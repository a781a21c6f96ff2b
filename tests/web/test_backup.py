"""manage.py backup and restore: a populated database comes back identical, table by table."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from counterpoint.demo import demo_create
from counterpoint.operations.backup import table_fingerprints


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_every_row(tmp_path: Path) -> None:
    assert demo_create() is not None  # the demo couple's whole history, through the seeders
    tables = connection.introspection.table_names()
    original = table_fingerprints(connection.cursor(), tables)
    assert original["checkins_checkin"][0] > 100
    backup = tmp_path / "site.backup"
    call_command("backup", str(backup))
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
        call_command("restore", str(backup), "--database-url", url, "--noinput")
        copy = table_fingerprints(restored.cursor(), tables)
    finally:
        restored.close()
        if connection.vendor != "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{fresh_name}"')
    assert copy == original


def test_restore_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no backup at"):
        call_command("restore", str(tmp_path / "nothing"), "--noinput")
