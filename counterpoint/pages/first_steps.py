"""The guide a newly paired person sees on home: a first check-in, a first answer, the map."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Exists

from counterpoint.checkins.models import CheckIn, QuestionAnswer
from counterpoint.interdependence.selectors import own_positions
from counterpoint.operations.memo import in_read_only_request
from counterpoint.operations.versions import GENERATION_SCOPE, person_scope
from counterpoint.privacy import access
from counterpoint.privacy.page_cache import readable_versions

if TYPE_CHECKING:
    from counterpoint.accounts.models import User


@dataclass(frozen=True)
class FirstSteps:
    checked_in: bool
    answered: bool
    placed_on_map: bool

    @property
    def all_done(self) -> bool:
        return self.checked_in and self.answered and self.placed_on_map


def first_steps(user: User) -> FirstSteps:
    """Only the person's own records, read through the access layer (in one query).

    Inside a read-only request the answer is kept until the person's own scope moves (any write
    of theirs, a deletion too) or the database is restored: home is rendered again after every
    partner's or couple's write, and this query's making cost 2.4 ms of each of those renders
    (docs/capacity.md, "The twenty-fourth stop"). Keyed by the person's own scope only, it says
    nothing about anyone else's writes.
    """
    if not in_read_only_request() or settings.PAGE_CACHE_SECONDS <= 0:
        return _first_steps(user)
    versions = dict(readable_versions(user))
    key = (
        f"first-steps:{user.pk}:{versions.get(GENERATION_SCOPE, 0)}"
        f":{versions.get(person_scope(user.pk), 0)}"
    )
    kept = cache.get(key)
    if isinstance(kept, FirstSteps):
        return kept
    found = _first_steps(user)
    cache.set(key, found, settings.PAGE_CACHE_SECONDS)
    return found


def _first_steps(user: User) -> FirstSteps:
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            checked_in=Exists(access.own(user, CheckIn)),
            answered=Exists(access.own(user, QuestionAnswer)),
            placed_on_map=Exists(own_positions(user)),
        )
        .values("checked_in", "answered", "placed_on_map")
        .get()
    )
    return FirstSteps(**row)
