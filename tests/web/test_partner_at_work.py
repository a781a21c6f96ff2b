"""A partner who is also a professional or a researcher: their work tells the other nothing.

Sam is Alex's partner, and also a couple therapist and a researcher on the same installation.
Being linked by another couple, running a study and analysing it are Sam's work, about other
people; Alex reads nothing of it. Each act must leave Alex's version key, insights key, pages and
the speed of his kept pages as they were (the hostile-partner sweep's test, reused), or Alex could
time his own pages to learn when Sam works, and for whom.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from counterpoint.demo import DemoCouple
from counterpoint.professionals.models import CareLink
from counterpoint.professionals.services import link_invite
from counterpoint.research import analysis
from counterpoint.research.models import Study
from counterpoint.research.services import study_update
from tests.factories import make_couple, make_user
from tests.web.research.study_world import make_study
from tests.web.test_hostile_partner_sweep import (
    Hostile,
    _alex_observes_nothing,
    _professional_profile,
    _researcher_profile,
    _signed_in,
    _then,
)

pytestmark = pytest.mark.django_db


def _clients(h: Hostile) -> None:
    """Another couple, Carol and Dan, who will link Sam as their therapist."""
    carol = make_user("carol@clients.example", "Carol")
    dan = make_user("dan@clients.example", "Dan")
    make_couple(carol, dan)
    h.found["carol"], h.found["dan"] = carol, dan


def _linked_by_clients(h: Hostile) -> None:
    link_invite(user=h.found["carol"], email_or_code=h.demo.sam.email)
    h.found["link"] = CareLink.objects.get(professional=h.demo.sam).pk


def _clients_grant(h: Hostile) -> None:
    for person in ("carol", "dan"):
        client = _signed_in(h.found[person])
        url = reverse("professionals:grant", kwargs={"pk": h.found["link"]})
        assert client.post(url, {"scopes": ["practice_counts"]}).status_code == 302


def _sees_clients(h: Hostile) -> None:
    url = reverse("professionals:couple_view", kwargs={"pk": h.found["link"]})
    assert h.sam.get(url).status_code == 200


def _note_for_clients(h: Hostile) -> None:
    h.post("professionals:note", {"text": "See you Tuesday."}, pk=h.found["link"])


def _study_made(h: Hostile) -> None:
    h.found["study"] = make_study(h.demo.sam, open_now=False).pk


def _study_edited(h: Hostile) -> None:
    study_update(
        study=Study.objects.get(pk=h.found["study"]),
        title="Daily moods together, revised",
        description="How moods move through the day.",
        consent_text="Kept under a number.",
    )


def _study_opened(h: Hostile) -> None:
    h.post("research:study_status", {"status": "recruiting"}, pk=h.found["study"])


def _study_analysed(h: Hostile) -> None:
    study = Study.objects.get(pk=h.found["study"])
    analysis.analysis_run_start(user=h.demo.sam, study=study, var="mood", min_occasions=3)


# Sam's work in the order it happens, each step after the one before: Alex must observe nothing of
# any of them (one demo couple per list keeps the test quick).
PROFESSIONAL_WORK: list[tuple[str, Callable[[Hostile], None]]] = [
    ("is linked by a client couple", _linked_by_clients),
    ("is given access by the client couple", _clients_grant),
    ("opens the client couple's overview", _sees_clients),
    ("leaves the client couple a note", _note_for_clients),
]
RESEARCH_WORK: list[tuple[str, Callable[[Hostile], None]]] = [
    ("makes a study", _study_made),
    ("changes a study", _study_edited),
    ("opens a study to couples", _study_opened),
    ("analyses a study", _study_analysed),
]
CASES = {
    "as a professional": (_then(_professional_profile, _clients), PROFESSIONAL_WORK),
    "as a researcher": (_researcher_profile, RESEARCH_WORK),
}


@pytest.mark.parametrize("role", list(CASES))
def test_sams_work_as_professional_or_researcher_tells_alex_nothing(
    demo: DemoCouple, role: str, django_capture_on_commit_callbacks
) -> None:
    first, work = CASES[role]
    h = Hostile(demo, _signed_in(demo.alex), _signed_in(demo.sam), {})
    with django_capture_on_commit_callbacks(execute=True):
        first(h)
    for what, act in work:
        _alex_observes_nothing(h, act, f"{role}, Sam {what}", django_capture_on_commit_callbacks)
