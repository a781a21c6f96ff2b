from __future__ import annotations

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "counterpoint.insights"
    label = "insights"

    def ready(self) -> None:
        from counterpoint.insights.registry import register_insight_section
        from counterpoint.insights.sections import SECTIONS

        for name, section in SECTIONS.items():
            # every one of them reads the couple's diary: check-ins only (insights.diary)
            register_insight_section(name, section, reads=("checkins",))
