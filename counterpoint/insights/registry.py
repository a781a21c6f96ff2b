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


def all_sections(user: Any) -> dict[str, dict[str, Any]]:
    """Every registered section for ``user`` (ours and other features'): inside a read-only
    request, a section with ``reads`` whose apps did not change is the one computed last."""
    return {name: _section(user, name, fn) for name, fn in INSIGHT_SECTIONS.items()}


def _section(user: Any, name: str, fn: InsightSection) -> dict[str, Any]:
    reads = SECTION_READS.get(name)
    if reads is None:
        return fn(user)
    return kept_insight(user, name, reads, lambda: fn(user))


def kept_insight(user: Any, name: str, reads: tuple[str, ...], compute: Callable[[], T]) -> T:
    """``compute()``, or what it gave last for this viewer while the parts of ``reads`` did not
    move. Outside a read-only request (a write, a command, a test calling a section directly) the
    versions are not read once before the data, so nothing is kept."""
    if settings.INSIGHTS_CACHE_SECONDS <= 0 or not in_read_only_request():
        return compute()
    key = section_key(user, name, reads)
    kept = cache.get(key)
    if kept is not None:
        return cast(T, kept)
    value = compute()
    cache.set(key, value, settings.INSIGHTS_CACHE_SECONDS)
    return value


def section_key(user: Any, name: str, reads: tuple[str, ...]) -> str:
    """The viewer, the section, the versions of the parts it reads of every scope the viewer may
    read (read once per request, before the section's data), their local day, time zone and
    language."""
    parts = "\n".join(
        [
            str(user.pk),
            name,
            translation.get_language() or "",
            part_versions(user, reads),
            local_stamp(user),
        ]
    )
    return "insight-section:" + hashlib.sha256(parts.encode()).hexdigest()
