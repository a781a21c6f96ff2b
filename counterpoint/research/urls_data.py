"""The data side's URLs (exports, compliance, analysis in place, a participant's own data).

Owned by the data pages (views_data.py); included in ``urls.py`` under the ``research``
namespace.
"""

from __future__ import annotations

from django.urls import URLPattern, path

from counterpoint.research import views_data

urlpatterns: list[URLPattern] = [
    path("studies/<int:pk>/data/", views_data.export, name="export"),
    path("studies/<int:pk>/data/<str:name>", views_data.export_file, name="export_file"),
    path("studies/<int:pk>/compliance/", views_data.compliance_page, name="compliance"),
    path("studies/<int:pk>/analysis/", views_data.analysis_page, name="analysis"),
    path("studies/<int:pk>/analysis/<int:run>/", views_data.analysis_run, name="analysis_run"),
    path("mine/<int:pk>/data.csv", views_data.my_data, name="my_data"),
]
