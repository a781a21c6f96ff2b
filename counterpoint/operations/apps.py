from __future__ import annotations

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "counterpoint.operations"
    label = "operations"

    def ready(self) -> None:
        from counterpoint.operations import versions

        versions.connect()
