from __future__ import annotations

from django.apps import AppConfig


class PwaConfig(AppConfig):
    name = "counterpoint.pwa"
    label = "pwa"
    verbose_name = "Installable app"
