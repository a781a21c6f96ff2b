from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimeBalanceConfig(AppConfig):
    name = "counterpoint.practices.timebalance"
    label = "timebalance"

    def ready(self) -> None:
        from counterpoint.insights.registry import register_insight_section
        from counterpoint.practices.registry import PracticeLink, register_practice
        from counterpoint.practices.timebalance.selectors import me_we_insight

        register_practice(
            PracticeLink(
                "timebalance:week",
                str(_("Me-time and we-time")),
                str(_("Plan and log time of your own and time together, and see the balance.")),
                order=80,
            )
        )
        register_insight_section("me_we_balance", me_we_insight)
