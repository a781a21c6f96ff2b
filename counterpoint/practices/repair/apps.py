from __future__ import annotations

from django.apps import AppConfig


class RepairConfig(AppConfig):
    name = "counterpoint.practices.repair"
    label = "repair"

    def ready(self) -> None:
        from counterpoint.practices.repair.models import (
            RepairClosing,
            RepairReflection,
            RepairShare,
        )
        from counterpoint.practices.repair.selectors import reflection_rows, reflection_rows_of
        from counterpoint.privacy.export import model_rows, register_exporter
        from counterpoint.privacy.kept import keep_on_delete

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
        # Each person's words stay theirs when the repair goes (privacy.kept).
        keep_on_delete(
            RepairShare, section="repair_shares", owner="author", order=("created_at", "id")
        )
        keep_on_delete(
            RepairClosing, section="repair_closings", owner="author", order=("created_at", "id")
        )
        keep_on_delete(
            RepairReflection,
            section="repair_reflections",
            rows_for=lambda reflections: [
                kept for r in reflections for kept in reflection_rows_of(r)
            ],
            order=("written_at", "repair", "role"),
        )
