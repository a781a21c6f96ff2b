from __future__ import annotations

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "counterpoint.privacy"
    label = "privacy"

    def ready(self) -> None:
        from counterpoint.operations import versions

        versions.shown_by_no_page("privacy.KeptRow")
