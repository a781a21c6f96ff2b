from __future__ import annotations

from django.urls import path

from counterpoint.practices.repair import views

app_name = "repair"
urlpatterns = [
    path("", views.repair_list, name="list"),
    path("repairs.json", views.repairs_json, name="list_json"),
    path("new/", views.repair_new, name="new"),
    path("<int:pk>/", views.repair_detail, name="detail"),
    path("<int:pk>.json", views.repair_json, name="json"),
    path("<int:pk>/share/", views.repair_share, name="share"),
    path("<int:pk>/reflect/", views.repair_reflect, name="reflect"),
    path("<int:pk>/answer/<int:reflection_pk>/", views.repair_answer, name="answer"),
    path("<int:pk>/step/", views.repair_step, name="step"),
    path("<int:pk>/agree/", views.repair_agree, name="agree"),
    path("<int:pk>/close/", views.repair_close, name="close"),
]
