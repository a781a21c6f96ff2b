from __future__ import annotations

from django.urls import path

from counterpoint.practices.goals import views

app_name = "goals"
urlpatterns = [
    path("", views.goal_list, name="list"),
    path("new/", views.goal_new, name="new"),
    path("<int:pk>/", views.goal_detail, name="detail"),
    path("<int:pk>/edit/", views.goal_edit, name="edit"),
    path("<int:pk>/progress/", views.goal_progress, name="progress"),
    path("<int:pk>/complete/", views.goal_complete, name="complete"),
    path("<int:pk>/encourage/", views.goal_encourage, name="encourage"),
]
