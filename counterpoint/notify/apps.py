from __future__ import annotations

from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "counterpoint.notify"
    label = "notify"
    verbose_name = "Notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from counterpoint.notify import exporters  # noqa: F401  (registers the export rows)
        from counterpoint.operations import versions

        # the person's own devices, emails and quiet hours: nothing the partner reads
        versions.owner_only(
            "notify.OutboundEmail",
            "notify.PushSubscription",
            "notify.PushMessage",
            "notify.NotifyPreference",
        )
