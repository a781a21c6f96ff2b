from __future__ import annotations

from django.urls import path

from counterpoint.practices import views

app_name = "practices"
urlpatterns = [path("", views.hub, name="hub")]
