from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from counterpoint.demo import DEMO_PASSWORD, demo_create


class Command(BaseCommand):
    help = "Create the demo couple (Alex and Sam) with a believable history. Development only."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Create the demo couple even with DEBUG off (never do this on a real server).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError("The demo couple is for development only (DEBUG is off).")
        demo = demo_create()
        if demo is None:
            self.stdout.write("The demo couple already exists.")
        else:
            self.stdout.write(self.style.SUCCESS("Created the demo couple."))
        self.stdout.write(
            f"Sign in as alex@example.com or sam@example.com with the password {DEMO_PASSWORD!r}."
        )
