"""Access cases for check-ins and insights (filled in as the views arrive)."""

from __future__ import annotations

from tests.web.access import PUBLIC, SIGNED_IN_ONLY, Case

CASES = [
    Case("checkins:today", SIGNED_IN_ONLY),
    Case("insights:page", SIGNED_IN_ONLY),
    Case("insights:json", SIGNED_IN_ONLY),
    Case("insights:plotly_js", PUBLIC),
]
