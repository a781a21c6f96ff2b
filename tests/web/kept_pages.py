"""What the page-cache tests share: the pages kept per viewer, the queries a kept page costs, and
a page with its per-request values (CSRF tokens, the CSP nonce, once-only form keys) set aside."""

from __future__ import annotations

import re

# The signed-in pages of the daily loop kept per viewer (counterpoint/privacy/page_cache.py).
KEPT_PAGES = [
    "pages:home",
    "checkins:today",
    "insights:page",
    "insights:json",
    "interdependence:home",
    "activity:feed",
]
HIT_BUDGET = 3  # session, user, the versions of what the viewer may read: no view runs

_CSRF = re.compile(r"[A-Za-z0-9]{64}")
_NONCE = re.compile(r'nonce="[^"]+"')
_KEY = re.compile(r'(submission_key" value=")[0-9a-f]{32}')


def normal_page(body: bytes) -> str:
    """The page without what differs between any two requests (tokens, nonces, form keys)."""
    return _KEY.sub(r"\1-", _NONCE.sub('nonce="-"', _CSRF.sub("-", body.decode())))
