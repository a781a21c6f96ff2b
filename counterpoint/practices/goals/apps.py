from __future__ import annotations

from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "counterpoint.practices.goals"
    label = "goals"

    def ready(self) -> None:
        from counterpoint.insights.registry import register_insight_section
        from counterpoint.practices.goals.selectors import growth_summary

        register_insight_section("growth", growth_summary)
