"""A study's pages read the database as often for sixty couples as for one.

With 60 couples (``benchmarks/bench_account_delete.py``'s world, opened page by page), the study
page made 128 queries: one for each participant's consent version. Every page a researcher opens
for a study (each page of ``research.urls`` taking only the study's number, each export file, the
page of an analysis run) is counted here with one couple, then again with three; the counts must
not move.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse
from django.utils import timezone

from counterpoint.research.models import Prompt, Study
from counterpoint.research.runs.models import AnalysisRun
from counterpoint.research.urls import urlpatterns
from counterpoint.research.views_data import FILES
from tests.web.research.study_world import (
    couples_take_part,
    days_go_by,
    enrol,
    make_researcher,
    make_study,
)

pytestmark = pytest.mark.django_db


def _study_pages(study: Study) -> list[str]:
    pages = [reverse("research:home")]
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        name = pattern.name or ""
        # each page of the study that takes only its number (its status is a POST)
        if (
            set(pattern.pattern.converters) == {"pk"}
            and name.startswith("study_") | (name == "study")
            and name != "study_status"
        ):
            pages.append(reverse(f"research:{name}", args=[study.pk]))
    pages += [reverse("research:compliance", args=[study.pk])]
    pages += [reverse("research:export", args=[study.pk])]
    pages += [reverse("research:analysis", args=[study.pk])]
    pages += [reverse("research:export_file", args=[study.pk, name]) for name in FILES]
    run = AnalysisRun.objects.filter(study=study).latest("created_at")
    pages.append(reverse("research:analysis_run", args=[study.pk, run.pk]))
    return pages


def _answer(prompt: Prompt, i: int) -> dict[str, Any] | None:
    """Most prompts answered, each person in their own way; every fourth time left to expire."""
    if i % 4 == 3:
        return None
    own = sum(map(ord, prompt.participant.person_code))
    return {"mood": (i * 3 + own) % 11, "calm": (i * 7 + 2 * own) % 11, "where": 1, "note": "ok"}


def _counts(client: Client, pages: list[str]) -> dict[str, int]:
    counts = {}
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page)
        assert response.status_code == 200, page
        counts[page] = len(queries)
    return counts


def test_every_page_of_a_study_reads_as_often_for_three_couples_as_for_one() -> None:
    researcher = make_researcher("rhea@uni.example", "Rhea")
    study = make_study(researcher)
    start = timezone.now() - dt.timedelta(days=10)
    couples_take_part(study, range(1), start)
    days_go_by(study, start, _answer)
    client = Client()
    client.force_login(researcher)
    analysis = {"var": "mood", "min_occasions": 3}
    assert client.post(reverse("research:analysis", args=[study.pk]), analysis).status_code == 302
    pages = _study_pages(study)
    client.get(pages[0])  # what the first page of a session reads once
    one = _counts(client, pages)

    couples_take_part(study, range(1, 3), start)
    days_go_by(study, start, _answer)
    assert client.post(reverse("research:analysis", args=[study.pk]), analysis).status_code == 302
    three = _counts(client, _study_pages(study))
    assert list(three.values()) == list(one.values()), {
        page: (one[page], count) for page, count in zip(one, three.values(), strict=True)
    }


def test_a_participants_pages_read_as_often_for_three_studies_as_for_one() -> None:
    """The safety centre lists each study the person is in (who runs it, what it collects, how
    many answers it holds); their studies page lists them too."""
    from counterpoint.accounts.models import User

    start = timezone.now() - dt.timedelta(days=10)
    first = make_study(make_researcher("r0@uni.example", "R0"))
    couples_take_part(first, range(1), start)
    days_go_by(first, start, _answer, days=2)
    alice = User.objects.get(email="a0@example.org")
    bob = User.objects.get(email="b0@example.org")
    pages = [reverse("safety:center"), reverse("research:mine")]
    client = Client()
    client.force_login(alice)
    client.get(pages[0])
    one = _counts(client, pages)
    for n in (1, 2):
        study = make_study(make_researcher(f"r{n}@uni.example", f"R{n}"))
        enrol(study, alice, bob, now=start)
        days_go_by(study, start, _answer, days=2)
    three = _counts(client, pages)
    assert list(three.values()) == list(one.values()), (one, three)
