from __future__ import annotations

from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "counterpoint.activity"
    label = "activity"
