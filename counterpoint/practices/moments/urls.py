from __future__ import annotations

from django.urls import path

from counterpoint.practices.moments import views

app_name = "moments"
urlpatterns = [
    path("", views.moment_list, name="list"),
    path("moments.json", views.moments_json, name="json"),
    path("new/", views.moment_new, name="new"),
    path("<int:pk>/", views.moment_detail, name="detail"),
    path("<int:pk>/respond/", views.moment_respond, name="respond"),
    path("<int:pk>/delete/", views.moment_delete, name="delete"),
]
