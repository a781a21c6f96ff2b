"""``manage.py restore PATH``: replace a database's content with a backup from ``manage.py backup``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from counterpoint.operations.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup into the configured database (or --database-url), replacing its content."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a file written by manage.py backup")
        parser.add_argument(
            "--database-url", help="restore into this database instead (e.g. a fresh one to check)"
        )
        parser.add_argument(
            "--noinput", action="store_true", help="do not ask before replacing the content"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = options["database_url"] or "the configured database"
        if not options["noinput"]:
            answer = input(f"This replaces everything in {target}. Type 'restore' to go on: ")
            if answer.strip() != "restore":
                raise CommandError("Nothing restored.")
        try:
            backup_restore(path=Path(options["path"]), database_url=options["database_url"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {options['path']} into {target}.")
