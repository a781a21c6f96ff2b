"""Sections of ``GET /insights.json``: each feature registers a function that, for one person,
returns its insight numbers with their data counts. Functions must read personal data only
through ``counterpoint.privacy.access`` (or a selector built on it) for that person.

A section registered with ``reads`` (the labels of the apps whose records it reads) is kept
until one of those apps' parts of the viewer's data versions moves (``operations.versions``,
``privacy.fragments.part_versions``): a check-in computes the check-in sections again and serves
the plans, goals and support sections as they were. ``tests/web/test_insights_sections.py`` runs
every section with nothing remembered and fails if it reads an app it does not name. A section
without ``reads`` is computed afresh whenever the insights are.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from counterpoint.operations.memo import in_read_only_request
from counterpoint.privacy.fragments import app_labels, part_versions
from counterpoint.privacy.page_cache import local_stamp

T = TypeVar("T")
InsightSection = Callable[[Any], dict[str, Any]]

INSIGHT_SECTIONS: dict[str, InsightSection] = {}
# section name -> the apps it reads (absent: computed afresh every time)
SECTION_READS: dict[str, tuple[str, ...]] = {}


def register_insight_section(
    name: str, section: InsightSection, *, reads: tuple[str, ...] | None = None
) -> None:
    INSIGHT_SECTIONS[name] = section
    SECTION_READS.pop(name, None)
    if reads is not None:
        unknown = set(reads) - app_labels()
        if unknown:
            raise ValueError(f"insight section {name!r} names no app: {sorted(unknown)}")
        SECTION_READS[name] = tuple(sorted(reads))


def all_sections(user: Any, kept: KeptInsights | None = None) -> dict[str, dict[str, Any]]:
    """Every registered section for ``user`` (ours and other features'), computed afresh; with
    ``kept``, a section with ``reads`` whose apps did not change is the one computed last."""
    found = {}
    for name, fn in INSIGHT_SECTIONS.items():
        reads = SECTION_READS.get(name)
        if kept is None or reads is None:
            found[name] = fn(user)
        else:
            found[name] = kept.get(name, reads, functools.partial(fn, user))
    return found


class KeptInsights:
    """A viewer's kept diary and sections: one cache entry per viewer, ``{name: (stamp, value)}``,
    read once and written once per computation (not one entry per section, which would crowd
    the kept pages out of a small cache).

    Inside a read-only request only: there the versions are read once, before the data. Outside
    one (a write, a command, a test calling a section directly) everything is computed afresh.
    """

    def __init__(self, user: Any) -> None:
        self.user = user
        self.key = f"insight-parts:{user.pk}"
        self.entry: dict[str, tuple[str, Any]] | None = None
        self.changed = False
        if settings.INSIGHTS_CACHE_SECONDS > 0 and in_read_only_request():
            self.entry = cache.get(self.key) or {}
            # the same for every section: the viewer's local day, time zone and language
            self.local = f"{translation.get_language() or ''}\n{local_stamp(user)}"

    def get(self, name: str, reads: tuple[str, ...], compute: Callable[[], T]) -> T:
        """``compute()``, or what it gave last while the parts of ``reads`` did not move."""
        if self.entry is None:
            return compute()
        # the versions of the parts it reads of every scope the viewer may read (read once per
        # request, before the section's data)
        parts = f"{self.local}\n{part_versions(self.user, reads)}"
        stamp = hashlib.sha256(parts.encode()).hexdigest()
        found = self.entry.get(name)
        if found is not None and found[0] == stamp:
            return cast(T, found[1])
        value = compute()
        self.entry[name] = (stamp, value)
        self.changed = True
        return value

    def save(self) -> None:
        if self.entry is not None and self.changed:
            cache.set(self.key, self.entry, settings.INSIGHTS_CACHE_SECONDS)
