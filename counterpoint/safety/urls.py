from __future__ import annotations

from django.urls import path

from counterpoint.safety import views

app_name = "safety"
urlpatterns = [
    path("", views.center, name="center"),
    path("stop-sharing/", views.stop_sharing, name="stop_sharing"),
    path("reset/", views.emergency_reset, name="emergency_reset"),
    path("reset/done/", views.emergency_reset_done, name="emergency_reset_done"),
]
