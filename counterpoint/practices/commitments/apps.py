from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "counterpoint.practices.commitments"
    label = "commitments"

    def ready(self) -> None:
        from counterpoint.insights.registry import register_insight_section
        from counterpoint.practices.commitments.selectors import reliability_record
        from counterpoint.practices.registry import PracticeLink, register_practice

        register_practice(
            PracticeLink(
                "commitments:list",
                str(_("Commitments")),
                str(
                    _(
                        "“I will … by …”: small promises to each other, kept or honestly missed. "
                        "Trust grows from the everyday ones."
                    )
                ),
                order=30,
            )
        )
        register_insight_section("reliability", reliability_record)
