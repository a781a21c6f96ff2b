from __future__ import annotations

from django.apps import AppConfig


class SafetyConfig(AppConfig):
    """The safety center: who sees what, stop sharing, emergency reset, quick exit."""

    name = "counterpoint.safety"
    label = "safety"
