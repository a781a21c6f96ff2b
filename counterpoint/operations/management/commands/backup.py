"""``manage.py backup [PATH]``: a consistent copy of the whole database while the site runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from counterpoint.operations.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database to one file (SQLite online backup, or pg_dump's custom format)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", help="where to write it (default: var/backups/<time>.<kind>)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["path"]:
            path = Path(options["path"])
        else:
            kind = "sqlite3" if connection.vendor == "sqlite" else "pgdump"
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
            path = Path(settings.VAR_DIR) / "backups" / f"counterpoint-{stamp}.{kind}"
        try:
            backup_create(path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up to {path} ({path.stat().st_size} bytes)")
