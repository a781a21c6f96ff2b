from __future__ import annotations

from django.urls import path

from counterpoint.pages import views

app_name = "pages"
urlpatterns = [
    path("", views.welcome, name="welcome"),
    path("home/", views.home, name="home"),
    path("-/patterns/", views.patterns, name="patterns"),
    path("healthz", views.healthz, name="healthz"),
]
