"""The demo's study: Riley's, joined by Alex and Sam ten days ago, with a believable history that
the study's own pages show."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from counterpoint.couples.demo import DemoCouple
from counterpoint.research.models import Participant, Prompt, PromptState, Study

pytestmark = pytest.mark.django_db


def test_the_demo_researcher_sees_a_running_study_with_answers_and_misses(
    demo: DemoCouple,
) -> None:
    study = Study.objects.get(researcher__email="riley@example.com")
    assert study.status == Study.Status.RECRUITING
    people = Participant.objects.filter(study=study)
    assert set(people.values_list("user__email", flat=True)) == {
        "alex@example.com",
        "sam@example.com",
    }
    states = set(Prompt.objects.filter(study=study).values_list("state", flat=True))
    assert {PromptState.SUBMITTED, PromptState.EXPIRED, PromptState.SCHEDULED} <= states
    client = Client()
    client.force_login(study.researcher)
    page = client.get(reverse("research:study", args=[study.pk])).content.decode()
    assert "1A" in page and "1B" in page
    log = client.get(reverse("research:study_log", args=[study.pk])).content.decode()
    assert "window closed, not opened" in log and "submitted in the window" in log
