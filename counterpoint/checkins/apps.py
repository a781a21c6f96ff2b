from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckinsConfig(AppConfig):
    name = "counterpoint.checkins"
    label = "checkins"

    def ready(self) -> None:
        from counterpoint.checkins import demo, exporters
        from counterpoint.demo import DEMO_SEEDERS
        from counterpoint.pages.context_processors import HOME_CARDS, NAV_ITEMS
        from counterpoint.privacy.export import register_exporter

        NAV_ITEMS.append(("checkins:today", str(_("Check in"))))
        DEMO_SEEDERS.append(demo.seed_demo_checkins)
        HOME_CARDS.append("checkins/_home_card.html")
        register_exporter("checkin_settings", exporters.checkin_settings_rows)
