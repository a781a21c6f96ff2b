from __future__ import annotations

from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "counterpoint.checkins"
    label = "checkins"

    def ready(self) -> None:
        from counterpoint.checkins import exporters
        from counterpoint.privacy.export import register_exporter

        register_exporter("checkin_settings", exporters.checkin_settings_rows)

        from counterpoint.checkins.reminders import reminder_delivery_settled
        from counterpoint.notify.services import delivery_settled

        delivery_settled.connect(reminder_delivery_settled, dispatch_uid="checkins-reminders")
