from __future__ import annotations

from django.urls import path

from counterpoint.practices.commitments import views

app_name = "commitments"
urlpatterns = [
    path("", views.commitment_list, name="list"),
    path("new/", views.commitment_new, name="new"),
    path("<int:pk>/", views.commitment_detail, name="detail"),
    path("<int:pk>/mark/", views.commitment_mark, name="mark"),
    path("<int:pk>/confirm/", views.commitment_confirm, name="confirm"),
    path("<int:pk>/private/", views.commitment_make_private, name="make_private"),
]
