from __future__ import annotations

from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "counterpoint.practices"
    label = "practices"
