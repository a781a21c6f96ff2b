from __future__ import annotations

from django.apps import AppConfig


class InterdependenceConfig(AppConfig):
    name = "counterpoint.interdependence"
    label = "interdependence"
