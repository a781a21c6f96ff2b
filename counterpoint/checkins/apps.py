from __future__ import annotations

from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "counterpoint.checkins"
    label = "checkins"

    def ready(self) -> None:
        from counterpoint.checkins import exporters
        from counterpoint.privacy.export import register_exporter

        register_exporter("checkin_settings", exporters.checkin_settings_rows)

        from counterpoint.checkins.models import Reaction
        from counterpoint.privacy.export import record_section
        from counterpoint.privacy.kept import keep_on_delete

        # A reaction stays its writer's when the check-in or answer goes (privacy.kept).
        keep_on_delete(
            Reaction, section=record_section(Reaction), owner="author", order=("created_at", "id")
        )

        from counterpoint.checkins.reminders import reminder_delivery_settled
        from counterpoint.notify.services import delivery_settled

        delivery_settled.connect(reminder_delivery_settled, dispatch_uid="checkins-reminders")

        from counterpoint.checkins import selectors
        from counterpoint.checkins.models import SHAREABLE_FIELDS
        from counterpoint.operations import versions

        # The partner reads a check-in or a reflection only through the author's sharing switches,
        # of an answer to the daily question only that it was given until both have answered,
        # and of the settings only the switches (not reminders, not twice a day).
        versions.partner_view("checkins.CheckIn", selectors.checkin_partner_view)
        versions.partner_view("checkins.WeeklyReflection", selectors.reflection_partner_view)
        versions.partner_view("checkins.QuestionAnswer", selectors.answer_partner_view)
        versions.partner_view(
            "checkins.CheckInSettings", selectors.switches_partner_view, fields=SHAREABLE_FIELDS
        )
        versions.owner_only("checkins.ReminderSent")
        versions.made_on_first_ask("checkins.DailyQuestion")
