"""The daily check-in form as a person fills it in, for tests that send it."""

from __future__ import annotations

from typing import Any


def checkin_values(day: str, mood: int = 5, **changes: Any) -> dict[str, Any]:
    """Every field of the check-in form for ``day`` (ISO date): middling answers, with
    ``changes`` (a note, a journal line, a form key) laid over them."""
    return {
        "day": day,
        "mood": mood,
        "energy": 5,
        "stress": 3,
        "closeness": 5,
        "sought_support": "no",
        "me_minutes": 30,
        "we_minutes": 60,
        **changes,
    }
