from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoundariesConfig(AppConfig):
    name = "counterpoint.practices.boundaries"
    label = "boundaries"

    def ready(self) -> None:
        from counterpoint.practices.registry import PracticeLink, register_practice

        register_practice(
            PracticeLink(
                "boundaries:list",
                str(_("Boundaries")),
                str(
                    _(
                        "Say what you need to stay yourself and why. Your partner reads it and "
                        "says they understand — or asks to talk. Either of you can come back to it."
                    )
                ),
                order=10,
            )
        )
