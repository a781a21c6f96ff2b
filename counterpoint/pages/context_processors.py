"""What every signed-in page shows: the navigation, the unread count, the home page's cards.

Both lists are plain lists in this one module (pages sit on top of every feature), so their order
is read here rather than assembled from each app's ``ready()``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

from counterpoint.activity.services import unread_count

# The order a couple meets things in: the daily loop first, then reflection, then tools.
NAV_ITEMS: list[tuple[str, Any]] = [
    ("checkins:today", _("Check in")),
    ("insights:page", _("Insights")),
    ("interdependence:home", _("Map")),
    ("practices:hub", _("Practices")),
    ("journal:list", _("Journal")),
]


@dataclass(frozen=True)
class HomeCard:
    template: str
    # the apps whose records the card shows: it is kept until one of them changes
    # ({% keep %}, privacy/fragments.py); None for a card that shows no records
    reads: tuple[str, ...] | None = None


# Cards on the signed-in home page, in the order shown.
# (What waits for an answer is not a card: it opens the page, above today.)
HOME_CARDS: list[HomeCard] = [
    HomeCard("research/_home_card.html", reads=("research",)),
    HomeCard("interdependence/_home_card.html"),
    HomeCard("checkins/_home_card.html"),
    HomeCard("support/_home_card.html", reads=("support",)),
    HomeCard("plans/_home_card.html", reads=("plans",)),
]


# The navigation's other links, by the name its template uses.
NAV_LINKS: dict[str, str] = {
    "home": "pages:home",
    "couple": "couples:home",
    "activity": "activity:feed",
    "settings": "accounts:settings",
    "logout": "accounts:logout",
}


@functools.lru_cache(maxsize=16)
def _nav_urls(script_prefix: str) -> tuple[list[tuple[str, str, Any]], dict[str, str]]:
    """The navigation's addresses, worked out once per process (and per script prefix, which is
    what ``reverse`` adds to them): every signed-in page shows about twenty links."""
    items = [(name, reverse(name), label) for name, label in NAV_ITEMS]
    return items, {key: reverse(name) for key, name in NAV_LINKS.items()}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_urls": {}, "unread_notices": 0, "home_cards": []}
    items, urls = _nav_urls(get_script_prefix())
    return {
        "nav_items": items,  # (url name, address, label)
        "nav_urls": urls,
        "unread_notices": unread_count(user=user),
        "home_cards": HOME_CARDS,
    }
