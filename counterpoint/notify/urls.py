from __future__ import annotations

from django.urls import path

from counterpoint.notify import views

app_name = "notify"
urlpatterns = [
    path("", views.devices, name="devices"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("devices/<int:pk>/remove/", views.device_remove, name="device_remove"),
    path("reminders/resume/", views.reminders_resume, name="reminders_resume"),
]
