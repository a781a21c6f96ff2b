from __future__ import annotations

from django.urls import path

from counterpoint.practices.decisions import views

app_name = "decisions"
urlpatterns = [
    path("", views.decision_list, name="list"),
    path("decisions.json", views.decisions_json, name="list_json"),
    path("new/", views.decision_new, name="new"),
    path("<int:pk>/", views.decision_detail, name="detail"),
    path("<int:pk>.json", views.decision_json, name="json"),
    path("<int:pk>/view/", views.decision_view_enter, name="view"),
    path("<int:pk>/decide/", views.decision_record, name="decide"),
    path("<int:pk>/revisit/", views.decision_revisit, name="revisit"),
]
