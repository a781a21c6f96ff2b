"""``manage.py restore PATH``: replace the site's data with a backup from ``manage.py backup``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from counterpoint.operations.backup import BackupError, Contents, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup into the configured database and photos folder (or only into the "
        "database --database-url), replacing what is there. Everything is checked first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a file written by manage.py backup")
        parser.add_argument(
            "--database-url",
            help="restore the database only, into this one (e.g. a fresh one, to try a backup)",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="only check the backup (whole, readable, restorable here); change nothing",
        )
        parser.add_argument(
            "--noinput", action="store_true", help="do not ask before replacing the content"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        url = options["database_url"]
        target = "that database" if url else "this site's database and photos"

        def proceed(contents: Contents) -> bool:
            """Asked once every check has passed, before anything changes."""
            self.stdout.write(f"{path} holds {contents.describe()}; it can be restored.")
            if options["check"]:
                return False
            if not options["noinput"]:
                answer = input(f"This replaces everything in {target}. Type 'restore' to go on: ")
                if answer.strip() != "restore":
                    raise CommandError("Nothing restored.")
            return True

        try:
            restored = backup_restore(path=path, database_url=url, proceed=proceed)
        except BackupError as exc:
            raise CommandError(f"{exc} Nothing was changed.") from exc
        if restored is None:
            return
        self.stdout.write(f"Restored {path} into {target}.")
        if restored.photos_touched:
            self.stdout.write(
                f"Photos: {restored.photos_written} written, {restored.photos_removed} removed "
                "that the backup does not have."
            )
            if restored.photos_left:
                self.stdout.write(
                    f"{restored.photos_left} photo file(s) the backup does not have were stored "
                    "in the last hour (an upload may still name one): the photo sweep removes "
                    "each an hour after it was stored, unless a memory names it."
                )
        elif not url:
            self.stdout.write("This backup holds no photos; the photos folder was left as it is.")
