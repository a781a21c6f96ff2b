"""Create the web-push (VAPID) key pair under var/ if none is configured (``make run`` calls it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from counterpoint.notify.keys import vapid_keys_ensure, vapid_public_key


class Command(BaseCommand):
    help = "Create the VAPID key pair for web push unless VAPID_PRIVATE_KEY or the key file exists."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--show-public", action="store_true", help="print the public key")

    def handle(self, *args: Any, **options: Any) -> None:
        made = vapid_keys_ensure()
        if made is not None:
            self.stdout.write(f"Created the web-push key pair in {made}")
        if options["show_public"]:
            self.stdout.write(vapid_public_key())
