from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "counterpoint.practices.goals"
    label = "goals"

    def ready(self) -> None:
        from counterpoint.insights.registry import register_insight_section
        from counterpoint.practices.goals.selectors import growth_summary
        from counterpoint.practices.registry import PracticeLink, register_practice

        register_practice(
            PracticeLink(
                "goals:list",
                str(_("My goals and our goals")),
                str(
                    _(
                        "Your own goals stay yours — your partner can cheer, never steer. "
                        "Shared goals you both own and both call done."
                    )
                ),
                order=20,
            )
        )
        register_insight_section("growth", growth_summary)
