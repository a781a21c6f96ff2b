from __future__ import annotations

from django.urls import path

from counterpoint.practices.timebalance import views

app_name = "timebalance"
urlpatterns = [
    path("", views.week, name="week"),
    path("week.json", views.week_json, name="week_json"),
    path("add/", views.block_add, name="add"),
    path("<int:pk>/done/", views.block_done, name="done"),
    path("<int:pk>/delete/", views.block_delete, name="delete"),
    path("balance/", views.balance, name="balance"),
    path("balance.json", views.balance_json, name="balance_json"),
]
