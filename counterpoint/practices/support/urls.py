from __future__ import annotations

from django.urls import path

from counterpoint.practices.support import views

app_name = "support"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_new, name="new"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/answer/", views.request_answer, name="answer"),
    path("<int:pk>/landed/", views.request_land, name="land"),
    path("<int:pk>/private/", views.request_make_private, name="make_private"),
]
