from __future__ import annotations

from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "counterpoint.practices.support"
    label = "support"

    def ready(self) -> None:
        from counterpoint.insights.registry import register_insight_section
        from counterpoint.practices.support.selectors import support_summary

        register_insight_section("support_responsiveness", support_summary)
