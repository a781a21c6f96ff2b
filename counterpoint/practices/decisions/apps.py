from __future__ import annotations

from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "counterpoint.practices.decisions"
    label = "decisions"

    def ready(self) -> None:
        from counterpoint.practices.decisions.models import DecisionOutcome, DecisionView
        from counterpoint.privacy.export import model_rows, register_exporter
        from counterpoint.privacy.kept import keep_on_delete

        # Only the person's own views: the partner's view is theirs to export.
        register_exporter(
            "decision_views",
            lambda user: model_rows(DecisionView.objects.filter(author=user)),
            own_times=("created_at",),
        )
        register_exporter(
            "decision_outcomes_recorded",
            lambda user: model_rows(DecisionOutcome.objects.filter(recorded_by=user)),
            own_times=("recorded_at",),
        )
        # Views and recorded outcomes stay their writer's when the decision goes (privacy.kept).
        keep_on_delete(
            DecisionView, section="decision_views", owner="author", order=("created_at", "id")
        )
        keep_on_delete(
            DecisionOutcome,
            section="decision_outcomes_recorded",
            owner="recorded_by",
            order=("recorded_at", "id"),
        )
