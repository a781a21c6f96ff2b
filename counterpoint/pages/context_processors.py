from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from counterpoint.activity.services import unread_count

# Other apps append (url name, label) pairs here from their AppConfig.ready().
NAV_ITEMS: list[tuple[str, str]] = []
# Template names of cards shown on the signed-in home page, appended by apps the same way.
HOME_CARDS: list[str] = []


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "unread_notices": 0, "home_cards": []}
    return {
        "nav_items": NAV_ITEMS,
        "unread_notices": unread_count(user=user),
        "home_cards": HOME_CARDS,
    }
