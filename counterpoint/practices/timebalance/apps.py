from __future__ import annotations

from django.apps import AppConfig


class TimeBalanceConfig(AppConfig):
    name = "counterpoint.practices.timebalance"
    label = "timebalance"

    def ready(self) -> None:
        from counterpoint.insights.registry import register_insight_section
        from counterpoint.practices.timebalance.selectors import me_we_insight

        register_insight_section("me_we_balance", me_we_insight, reads=("checkins", "timebalance"))
