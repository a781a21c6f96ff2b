from __future__ import annotations

from django.urls import path

from counterpoint.checkins import views

app_name = "checkins"
urlpatterns = [
    path("", views.today, name="today"),
]
