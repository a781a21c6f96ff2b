"""Insights are computed once per new data: cached per person, keyed by the data versions.

The key names the viewer, their partner, their couple, the data versions of what the viewer may
read (``counterpoint.operations.versions``: all of the viewer's own, what the partner shares, the
couple's), the viewer's local day and time zone; any write the viewer could see moves a version, so
the next view computes afresh. A partner's private writes move none of them: the viewer's next view
is no slower for them, so its timing does not tell that the partner wrote something private. Entries also expire after
``INSIGHTS_CACHE_SECONDS`` as a bound on anything a version cannot see.

The sections are one entry (``insights_computed``), shared by the page and ``/insights.json``: a new
check-in costs one computation per viewer, whichever of the two is asked for first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache

from counterpoint.accounts.models import User
from counterpoint.insights.diary import CoupleDiary, couple_diary
from counterpoint.insights.registry import KeptInsights, all_sections
from counterpoint.privacy.page_cache import viewer_stamp

T = TypeVar("T")


def insights_key(user: User, kind: str) -> str:
    # The page cache's stamp (privacy.page_cache): read once per read-only request, before any
    # data, so an entry never holds data older than its key says.
    return f"insights:{kind}:{user.pk}:{viewer_stamp(user)}"


def insights_cached(user: User, kind: str, compute: Callable[[], T]) -> T:
    """``compute()``'s result for this person and their current data, computed at most once."""
    key = insights_key(user, kind)
    value: Any = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.INSIGHTS_CACHE_SECONDS)
    return value


@dataclass
class Computed:
    """What the page and the JSON both show: the couple's diary and every registered section."""

    diary: CoupleDiary
    sections: dict[str, dict[str, Any]]


def insights_computed(user: User) -> Computed:
    """The diary and the sections for ``user``, computed once per data version (cached)."""

    def compute() -> Computed:
        kept = KeptInsights(user)
        # the diary is check-ins only (insights.diary): kept while they do not change, as are
        # the sections that read it (the same parts), so they never need it when it is kept
        diary = kept.get("_diary", ("checkins",), lambda: couple_diary(user))
        computed = Computed(diary=diary, sections=all_sections(user, kept))
        kept.save()
        return computed

    return insights_cached(user, "sections", compute)
