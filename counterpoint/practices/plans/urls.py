from __future__ import annotations

from django.urls import path

from counterpoint.practices.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("plans.json", views.plans_json, name="list_json"),
    path("new/", views.plan_new, name="new"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>.json", views.plan_json, name="json"),
    path("<int:pk>/edit/", views.plan_edit, name="edit"),
    path("<int:pk>/interest/", views.plan_interest, name="interest"),
    path("<int:pk>/done/", views.plan_done, name="done"),
    path("<int:pk>/delete/", views.plan_delete, name="delete"),
    path("memories/", views.memory_list, name="memories"),
    path("memories/memories.json", views.memories_json, name="memories_json"),
    path("memories/new/", views.memory_new, name="memory_new"),
    path("memories/<int:pk>/", views.memory_detail, name="memory"),
    path("memories/<int:pk>.json", views.memory_json, name="memory_json"),
    path("memories/<int:pk>/words/", views.memory_words, name="memory_words"),
    path("memories/<int:pk>/photo/", views.memory_photo_upload, name="memory_photo_upload"),
    path("memories/<int:pk>/photo.jpg", views.memory_photo, name="memory_photo"),
    path("memories/<int:pk>/photo/remove/", views.memory_photo_remove, name="memory_photo_remove"),
    path("memories/<int:pk>/delete/", views.memory_delete, name="memory_delete"),
]
