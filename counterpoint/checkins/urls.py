from __future__ import annotations

from django.urls import path

from counterpoint.checkins import views

app_name = "checkins"
urlpatterns = [
    path("", views.today, name="today"),
    path("history/", views.history, name="history"),
    path("question/", views.question, name="question"),
    path("question/<int:pk>/answer/", views.question_answer, name="question_answer"),
    path("answers/<int:pk>/react/", views.react_to_answer, name="react_answer"),
    path("notes/<int:pk>/react/", views.react_to_note, name="react_note"),
    path("reflection/", views.reflection, name="reflection"),
    path("settings/", views.settings, name="settings"),
    path("reminders/<str:action>/<str:token>/", views.reminder_link, name="reminder_link"),
]
