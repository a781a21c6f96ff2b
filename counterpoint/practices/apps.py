from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "counterpoint.practices"
    label = "practices"

    def ready(self) -> None:
        from counterpoint.pages.context_processors import NAV_ITEMS

        NAV_ITEMS.append(("practices:hub", str(_("Practices"))))
