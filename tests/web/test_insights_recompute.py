"""What a new check-in costs the insights: one computation per viewer, in a bounded number of reads.

The page and ``/insights.json`` show the same sections, cached once per viewer and data version
(``counterpoint/insights/cache.py``); the first view after new data recomputes them, and that
recompute reads the database a bounded number of times (docs/capacity.md, "CPU per page").
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.urls import reverse

from counterpoint.demo import DemoCouple
from counterpoint.insights.registry import INSIGHT_SECTIONS, register_insight_section
from counterpoint.journal.services import journal_entry_write
from counterpoint.privacy.models import Visibility

pytestmark = pytest.mark.django_db
# The recompute: what a cached view reads (session, user, the two partners' memberships,
# versions, notices) plus the couple's diary and every section, each model read once (14).
# It was 49 reads before the sections read each model once.
RECOMPUTE_BUDGET = 20


@pytest.fixture
def computations() -> Iterator[list[int]]:
    """A registered section that notes each time it is computed (and for whom)."""
    calls: list[int] = []

    def counted(user: Any) -> dict[str, Any]:
        calls.append(user.pk)
        return {"title": "Counted", "n": len(calls)}

    register_insight_section("test_counted", counted)
    try:
        yield calls
    finally:
        INSIGHT_SECTIONS.pop("test_counted")


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _check_in(client: Client, day: str, mood: int) -> None:
    values = {
        "day": day,
        "mood": mood,
        "energy": 5,
        "stress": 4,
        "closeness": 5,
        "sought_support": "no",
        "me_minutes": 30,
        "we_minutes": 60,
    }
    assert client.post(reverse("checkins:today"), values).status_code == 302


def test_the_page_and_the_json_compute_the_sections_once(
    demo: DemoCouple, computations: list[int]
) -> None:
    alex, sam = _signed_in(demo.alex), _signed_in(demo.sam)
    assert alex.get(reverse("insights:page")).status_code == 200
    data = alex.get(reverse("insights:json")).json()
    assert computations == [demo.alex.pk]  # the JSON used the page's sections
    assert data["sections"]["test_counted"] == {"title": "Counted", "n": 1}

    # Sam checks in: Alex's sections are computed once more, whichever Alex opens first
    _check_in(sam, demo.sam.local_today().isoformat(), mood=2)
    after = alex.get(reverse("insights:json")).json()
    assert alex.get(reverse("insights:page")).status_code == 200
    assert alex.get(reverse("insights:json")).json() == after
    assert computations == [demo.alex.pk, demo.alex.pk]
    assert after["sections"]["consistency"] != data["sections"]["consistency"]

    # each viewer has their own entry: Sam's first view computes Sam's
    assert sam.get(reverse("insights:page")).status_code == 200
    assert sam.get(reverse("insights:json")).status_code == 200
    assert computations == [demo.alex.pk, demo.alex.pk, demo.sam.pk]


def test_the_page_after_new_data_shows_what_the_json_shows(demo: DemoCouple) -> None:
    """Built from the shared sections, the page carries the JSON's numbers (no older copy)."""
    alex, sam = _signed_in(demo.alex), _signed_in(demo.sam)
    alex.get(reverse("insights:page"))
    _check_in(sam, demo.sam.local_today().isoformat(), mood=9)
    data = alex.get(reverse("insights:json")).json()["sections"]
    shown = alex.get(reverse("insights:page")).context["s"]
    assert json.loads(json.dumps(shown, cls=DjangoJSONEncoder)) == data
    assert data["emotions"]["status"] == "ok"


def test_a_recompute_reads_the_database_a_bounded_number_of_times(
    demo: DemoCouple, django_assert_max_num_queries
) -> None:
    alex = _signed_in(demo.alex)
    assert alex.get(reverse("insights:page")).status_code == 200
    journal_entry_write(user=demo.sam, body="for us", visibility=Visibility.PARTNER)
    with django_assert_max_num_queries(RECOMPUTE_BUDGET):
        assert alex.get(reverse("insights:page")).status_code == 200
    journal_entry_write(user=demo.sam, body="for us, again", visibility=Visibility.PARTNER)
    with django_assert_max_num_queries(RECOMPUTE_BUDGET):
        assert alex.get(reverse("insights:json")).status_code == 200
