from __future__ import annotations

from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "counterpoint.checkins"
    label = "checkins"

    def ready(self) -> None:
        from counterpoint.checkins import exporters
        from counterpoint.privacy.export import register_exporter

        register_exporter("checkin_settings", exporters.checkin_settings_rows)
