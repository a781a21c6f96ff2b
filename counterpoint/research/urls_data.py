"""The data side's URLs (exports, compliance, analysis in place, a participant's own data).

Owned by the data pages (views_data.py); included in ``urls.py`` under the ``research``
namespace. An empty list until they land.
"""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
