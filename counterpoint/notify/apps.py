from __future__ import annotations

from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "counterpoint.notify"
    label = "notify"
    verbose_name = "Notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from counterpoint.notify import exporters  # noqa: F401  (registers the export rows)
