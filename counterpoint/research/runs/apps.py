from __future__ import annotations

from django.apps import AppConfig


class ResearchRunsConfig(AppConfig):
    """Analysis runs of research studies (their own app: the study app's migrations stay its own)."""

    name = "counterpoint.research.runs"
    label = "research_runs"
    default_auto_field = "django.db.models.BigAutoField"
