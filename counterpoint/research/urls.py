"""Research mode's URLs (namespace ``research``), all under /research/.

For the data side (exports, compliance, analysis in place: ``urls_data.py``, owned by the data
pages): their patterns are added below under the same namespace. The study page
(``research:study``, kwarg ``pk``) links to them by these names when they exist:
``research:compliance``, ``research:export``, ``research:analysis`` (each with ``pk``), and the
participant's page (``research:mine``) to ``research:my_data`` (kwarg ``pk``: the Participant).
"""

from __future__ import annotations

from django.urls import path

from counterpoint.research import views
from counterpoint.research.urls_data import urlpatterns as data_urlpatterns

app_name = "research"
urlpatterns = [
    # participants
    path("", views.my_studies, name="mine"),
    path("join/<str:code>/", views.join, name="join"),
    path("prompts/<int:pk>/", views.answer, name="answer"),
    path("mine/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    # researchers
    path("studies/", views.researcher_home, name="home"),
    path("profile/", views.profile_edit, name="profile"),
    path("studies/new/", views.study_new, name="study_new"),
    path("studies/<int:pk>/", views.study_page, name="study"),
    path("studies/<int:pk>/edit/", views.study_edit, name="study_edit"),
    path("studies/<int:pk>/status/", views.study_status, name="study_status"),
    path("studies/<int:pk>/log/", views.study_log, name="study_log"),
    *data_urlpatterns,
]
