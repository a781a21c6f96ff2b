from __future__ import annotations

from django.urls import path

from counterpoint.insights import views

app_name = "insights"
urlpatterns = [
    path("insights/", views.page, name="page"),
    path("insights.json", views.as_json, name="json"),
    path("insights/how/", views.how, name="how"),
]
