from __future__ import annotations

from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "counterpoint.practices.decisions"
    label = "decisions"

    def ready(self) -> None:
        from counterpoint.practices.decisions.models import DecisionOutcome, DecisionView
        from counterpoint.privacy.export import model_rows, register_exporter

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
