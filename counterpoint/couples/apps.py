from __future__ import annotations

from django.apps import AppConfig


class CouplesConfig(AppConfig):
    name = "counterpoint.couples"
    label = "couples"
