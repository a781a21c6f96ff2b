from __future__ import annotations

from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "counterpoint.practices.goals"
    label = "goals"

    def ready(self) -> None:
        from counterpoint.insights.registry import register_insight_section
        from counterpoint.practices.goals.models import Encouragement, GoalProgress
        from counterpoint.practices.goals.selectors import growth_summary
        from counterpoint.privacy.export import record_section
        from counterpoint.privacy.kept import keep_on_delete

        # Progress notes and encouragement stay their writer's when the goal goes (privacy.kept).
        for model in (GoalProgress, Encouragement):
            keep_on_delete(
                model, section=record_section(model), owner="author", order=("created_at", "id")
            )

        register_insight_section("growth", growth_summary, reads=("goals",))
