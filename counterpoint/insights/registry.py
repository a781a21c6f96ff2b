"""Sections of ``GET /insights.json``: each feature registers a function that, for one person,
returns its insight numbers with their data counts. Functions must read personal data only
through ``counterpoint.privacy.access`` (or a selector built on it) for that person."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

InsightSection = Callable[[Any], dict[str, Any]]

INSIGHT_SECTIONS: dict[str, InsightSection] = {}


def register_insight_section(name: str, section: InsightSection) -> None:
    INSIGHT_SECTIONS[name] = section


def all_sections(user: Any) -> dict[str, dict[str, Any]]:
    """Every registered section for ``user`` (ours and other features'), computed afresh."""
    return {name: fn(user) for name, fn in INSIGHT_SECTIONS.items()}
