from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "counterpoint.practices.support"
    label = "support"

    def ready(self) -> None:
        from counterpoint.insights.registry import register_insight_section
        from counterpoint.practices.registry import PracticeLink, register_practice
        from counterpoint.practices.support.selectors import support_summary

        register_practice(
            PracticeLink(
                "support:list",
                str(_("Support requests")),
                str(
                    _(
                        "Say what you could use — an ear, a hand, some space, a hug — and hear "
                        "what your partner can offer."
                    )
                ),
                order=40,
            )
        )
        register_insight_section("support_responsiveness", support_summary)
