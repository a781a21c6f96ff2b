from __future__ import annotations

from django.urls import path

from counterpoint.pairing import views

app_name = "couples"
urlpatterns = [
    path("", views.couple_home, name="home"),
    path("invite/", views.invite_create, name="invite_create"),
    path("invite/withdraw/", views.invite_revoke, name="invite_revoke"),
    path("accept/", views.invite_accept, name="invite_accept"),
    path("join/<str:token>/", views.join, name="join"),
    path("unpair/", views.unpair, name="unpair"),
]
