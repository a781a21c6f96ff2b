from __future__ import annotations

from django.urls import path

from counterpoint.activity import views

app_name = "activity"
urlpatterns = [
    path("", views.feed, name="feed"),
    path("feed.json", views.feed_json, name="feed_json"),
    path("<int:pk>/", views.follow_notice, name="follow"),
    path("<int:pk>/open/", views.open_notice, name="open"),
    path("read/", views.mark_all_read, name="mark_all_read"),
    path("preferences/", views.preferences, name="preferences"),
]
