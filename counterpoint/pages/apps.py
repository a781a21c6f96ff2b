from __future__ import annotations

from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "counterpoint.pages"
    label = "pages"
