from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def quick_exit(request: HttpRequest) -> dict[str, Any]:
    """The neutral site "Leave quickly" goes to, on every page."""
    return {"QUICK_EXIT_URL": settings.QUICK_EXIT_URL}
