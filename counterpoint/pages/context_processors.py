from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from counterpoint.activity.services import unread_count

# Other apps append (url name, label) pairs here from their AppConfig.ready().
NAV_ITEMS: list[tuple[str, str]] = []
# The order a couple meets things in: the daily loop first, then reflection, then tools.
NAV_ORDER = [
    "checkins:today",
    "insights:page",
    "interdependence:home",
    "practices:hub",
    "journal:list",
]


def _nav_position(item: tuple[str, str]) -> int:
    return NAV_ORDER.index(item[0]) if item[0] in NAV_ORDER else len(NAV_ORDER)


# Template names of cards shown on the signed-in home page, appended by apps the same way.
HOME_CARDS: list[str] = []


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "unread_notices": 0, "home_cards": []}
    return {
        "nav_items": sorted(NAV_ITEMS, key=_nav_position),
        "unread_notices": unread_count(user=user),
        "home_cards": HOME_CARDS,
    }
