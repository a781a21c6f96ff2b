from __future__ import annotations

from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "counterpoint.activity"
    label = "activity"

    def ready(self) -> None:
        from counterpoint.activity.models import Notice, NoticePreference
        from counterpoint.privacy.export import model_rows, register_exporter

        register_exporter(
            "notice_preferences",
            lambda user: model_rows(NoticePreference.objects.filter(user=user)),
        )
        register_exporter("notices", lambda user: model_rows(Notice.objects.filter(recipient=user)))

        from counterpoint.operations import versions

        # notices are read by their recipient alone, and so are their email settings
        versions.owner_only("activity.Notice", "activity.NoticePreference")
