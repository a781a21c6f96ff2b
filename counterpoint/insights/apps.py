from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "counterpoint.insights"
    label = "insights"

    def ready(self) -> None:
        from counterpoint.insights.registry import register_insight_section
        from counterpoint.insights.sections import SECTIONS
        from counterpoint.pages.context_processors import NAV_ITEMS

        NAV_ITEMS.append(("insights:page", str(_("Insights"))))
        for name, section in SECTIONS.items():
            register_insight_section(name, section)
