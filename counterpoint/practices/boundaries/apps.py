from __future__ import annotations

from django.apps import AppConfig


class BoundariesConfig(AppConfig):
    name = "counterpoint.practices.boundaries"
    label = "boundaries"

    def ready(self) -> None:
        from counterpoint.practices.boundaries.models import BoundaryEvent
        from counterpoint.privacy.export import record_section
        from counterpoint.privacy.kept import keep_on_delete

        # An acknowledgement stays its writer's when the boundary goes (privacy.kept).
        keep_on_delete(
            BoundaryEvent,
            section=record_section(BoundaryEvent),
            owner="author",
            order=("created_at", "id"),
        )
