from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "counterpoint.practices.decisions"
    label = "decisions"

    def ready(self) -> None:
        from counterpoint.practices.decisions.models import DecisionOutcome, DecisionView
        from counterpoint.practices.registry import PracticeLink, register_practice
        from counterpoint.privacy.export import model_rows, register_exporter

        register_practice(
            PracticeLink(
                "decisions:list",
                str(_("Decisions")),
                str(
                    _(
                        "Each of you says what you'd choose and how much it matters, before "
                        "seeing the other's view. Then you decide together."
                    )
                ),
                order=60,
            )
        )
        # Only the person's own views: the partner's view is theirs to export.
        register_exporter(
            "decision_views", lambda user: model_rows(DecisionView.objects.filter(author=user))
        )
        register_exporter(
            "decision_outcomes_recorded",
            lambda user: model_rows(DecisionOutcome.objects.filter(recorded_by=user)),
        )
