from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterdependenceConfig(AppConfig):
    name = "counterpoint.interdependence"
    label = "interdependence"

    def ready(self) -> None:
        from counterpoint.demo import DEMO_SEEDERS
        from counterpoint.interdependence.demo import seed_map
        from counterpoint.pages.context_processors import HOME_CARDS, NAV_ITEMS

        NAV_ITEMS.append(("interdependence:home", str(_("Map"))))
        HOME_CARDS.append("interdependence/_home_card.html")
        DEMO_SEEDERS.append(seed_map)
