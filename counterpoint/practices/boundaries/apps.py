from __future__ import annotations

from django.apps import AppConfig


class BoundariesConfig(AppConfig):
    name = "counterpoint.practices.boundaries"
    label = "boundaries"
