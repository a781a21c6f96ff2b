from __future__ import annotations

from django.urls import path

from counterpoint.interdependence import views

app_name = "interdependence"
urlpatterns = [
    path("map/", views.home, name="home"),
    path("map/take/<slug:key>/", views.take, name="take"),
    path("map/position/<int:pk>/share/", views.share, name="share"),
    path("map/couple/", views.couple, name="couple"),
    path("map/practise/<slug:slug>/", views.guide, name="guide"),
    path("map.json", views.map_json, name="json"),
]
