from __future__ import annotations

from django.apps import AppConfig


class MomentsConfig(AppConfig):
    name = "counterpoint.practices.moments"
    label = "moments"

    def ready(self) -> None:
        from counterpoint.insights.registry import register_insight_section
        from counterpoint.practices.moments.models import MomentResponse
        from counterpoint.practices.moments.selectors import responsiveness
        from counterpoint.privacy.export import model_rows, register_exporter
        from counterpoint.privacy.kept import keep_on_delete

        register_exporter(
            "moment_responses",
            lambda user: model_rows(MomentResponse.objects.filter(responder=user)),
            own_times=("responded_at",),
        )
        # A response stays its writer's when the moment goes (privacy.kept).
        keep_on_delete(
            MomentResponse,
            section="moment_responses",
            owner="responder",
            order=("responded_at", "id"),
        )
        register_insight_section(
            "wins_and_struggles_responsiveness", responsiveness, reads=("moments",)
        )
