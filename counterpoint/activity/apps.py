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
        # A notice is made when someone else acts: its time is a day. So is the moment it was
        # marked read. Today only the person's own act marks it read (what the partner's act ends
        # goes through ``notices_moot``, which leaves it unread), but notices marked read by the
        # partner's act before that (taking back or settling what they waited for) keep that
        # moment in ``read_at``, and nothing tells those rows apart.
        register_exporter(
            "notices",
            lambda user: model_rows(Notice.objects.filter(recipient=user)),
        )

        from counterpoint.operations import versions

        # notices are read by their recipient alone, and so are their email settings
        versions.owner_only("activity.Notice", "activity.NoticePreference")
