from __future__ import annotations

from django.urls import path

from counterpoint.practices.boundaries import views

app_name = "boundaries"
urlpatterns = [
    path("", views.boundary_list, name="list"),
    path("new/", views.boundary_new, name="new"),
    path("<int:pk>/", views.boundary_detail, name="detail"),
    path("<int:pk>/revise/", views.boundary_revise, name="revise"),
    path("<int:pk>/set-aside/", views.boundary_retire, name="retire"),
    path("<int:pk>/private/", views.boundary_make_private, name="make_private"),
    path("<int:pk>/acknowledge/", views.boundary_acknowledge, name="acknowledge"),
    path("<int:pk>/talk/", views.boundary_talk, name="talk"),
]
