from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepairConfig(AppConfig):
    name = "counterpoint.practices.repair"
    label = "repair"

    def ready(self) -> None:
        from counterpoint.practices.registry import PracticeLink, register_practice
        from counterpoint.practices.repair.models import RepairClosing, RepairShare
        from counterpoint.practices.repair.selectors import reflection_rows
        from counterpoint.privacy.export import model_rows, register_exporter

        register_practice(
            PracticeLink(
                "repair:list",
                str(_("Repair after a conflict")),
                str(
                    _(
                        "Each of you says what you feel and need, hears the other back, and you "
                        "agree one next step."
                    )
                ),
                order=70,
            )
        )
        # Only the person's own words; the partner's are theirs to export.
        register_exporter(
            "repair_shares", lambda user: model_rows(RepairShare.objects.filter(author=user))
        )
        register_exporter(
            "repair_closings", lambda user: model_rows(RepairClosing.objects.filter(author=user))
        )
        register_exporter("repair_reflections", reflection_rows)
