"""``manage.py photos_sweep``: remove the photo files no memory names, as the task runner does
every five minutes (for a site run without it, or to see it done)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from counterpoint.practices.plans.photos import ORPHAN_GRACE, photo_files_sweep


class Command(BaseCommand):
    help = (
        "Remove every memory photo file that no memory names and that was stored more than "
        f"{ORPHAN_GRACE.total_seconds() / 3600:g} hour ago (an upload may not have finished)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        removed = photo_files_sweep()
        if removed is None:
            raise CommandError(
                "A backup or restore is running; nothing was removed. Run this again after it."
            )
        self.stdout.write(f"Removed {removed} photo file{'' if removed == 1 else 's'}.")
