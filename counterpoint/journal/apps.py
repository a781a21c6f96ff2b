from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "counterpoint.journal"
    label = "journal"

    def ready(self) -> None:
        from counterpoint.pages.context_processors import NAV_ITEMS

        NAV_ITEMS.append(("journal:list", str(_("Journal"))))
