from __future__ import annotations

from django.urls import path

from counterpoint.professionals import views

app_name = "professionals"
urlpatterns = [
    # the couple's side (under /couple/professionals/)
    path("couple/professionals/", views.couple_professionals, name="couple"),
    path("couple/professionals/invite/", views.professional_invite, name="invite"),
    path("couple/professionals/<int:pk>/grant/", views.grant_save, name="grant"),
    path("couple/professionals/<int:pk>/end/", views.link_end, name="end"),
    path("couple/professionals/<int:pk>/bring/", views.topic_add, name="bring"),
    # the professional's side (under /pro/)
    path("pro/", views.for_professionals, name="home"),
    path("pro/profile/", views.profile_edit, name="profile"),
    path("pro/couples/<int:pk>/", views.couple_view, name="couple_view"),
    path("pro/couples/<int:pk>/note/", views.note_add, name="note"),
]
