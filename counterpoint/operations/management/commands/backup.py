"""``manage.py backup [PATH]``: the whole database and every memory photo in one file, while the
site runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from counterpoint.operations.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup, or pg_dump) and the memory photos to one "
        "new file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            help="where to write it; must not exist (default: var/backups/counterpoint-<time>.tar.gz)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["path"]:
            path = Path(options["path"])
        else:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
            path = Path(settings.VAR_DIR) / "backups" / f"counterpoint-{stamp}.tar.gz"
        try:
            contents = backup_create(path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up {contents.describe()} to {path} ({path.stat().st_size:,} bytes)."
        )
