from __future__ import annotations

from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "counterpoint.practices.commitments"
    label = "commitments"

    def ready(self) -> None:
        from counterpoint.insights.registry import register_insight_section
        from counterpoint.practices.commitments.selectors import reliability_record

        register_insight_section("reliability", reliability_record, reads=("commitments",))
