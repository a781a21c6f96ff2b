from __future__ import annotations

from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "counterpoint.practices.support"
    label = "support"

    def ready(self) -> None:
        from counterpoint.insights.registry import register_insight_section
        from counterpoint.practices.support.models import SupportResponse
        from counterpoint.practices.support.selectors import support_summary
        from counterpoint.privacy.export import record_section
        from counterpoint.privacy.kept import keep_on_delete

        # An answer stays its writer's when the request goes (privacy.kept).
        keep_on_delete(
            SupportResponse,
            section=record_section(SupportResponse),
            owner="author",
            order=("created_at", "id"),
        )

        register_insight_section("support_responsiveness", support_summary, reads=("support",))
