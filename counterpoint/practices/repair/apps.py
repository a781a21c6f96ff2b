from __future__ import annotations

from django.apps import AppConfig


class RepairConfig(AppConfig):
    name = "counterpoint.practices.repair"
    label = "repair"

    def ready(self) -> None:
        from counterpoint.practices.repair.models import RepairClosing, RepairShare
        from counterpoint.practices.repair.selectors import reflection_rows
        from counterpoint.privacy.export import model_rows, register_exporter

        # Only the person's own words; the partner's are theirs to export.
        register_exporter(
            "repair_shares",
            lambda user: model_rows(RepairShare.objects.filter(author=user)),
            own_times=("created_at",),
        )
        register_exporter(
            "repair_closings",
            lambda user: model_rows(RepairClosing.objects.filter(author=user)),
            own_times=("created_at",),
        )
        register_exporter("repair_reflections", reflection_rows)
