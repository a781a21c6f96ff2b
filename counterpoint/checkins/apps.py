from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckinsConfig(AppConfig):
    name = "counterpoint.checkins"
    label = "checkins"

    def ready(self) -> None:
        from counterpoint.checkins import exporters
        from counterpoint.pages.context_processors import NAV_ITEMS
        from counterpoint.privacy.export import register_exporter

        NAV_ITEMS.append(("checkins:today", str(_("Check in"))))
        register_exporter("checkin_settings", exporters.checkin_settings_rows)
