"""Every page of the load test's mix reads the database at most 15 times (insights: once computed).

The budget keeps pages fast under many partners at once (docs/capacity.md). Insights are computed
once per new data; the first view after a write costs more and is measured by ``make bench``.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from counterpoint.demo import DemoCouple
from tests.web.checkin_form import checkin_values
from tests.web.kept_pages import KEPT_PAGES

pytestmark = pytest.mark.django_db
BUDGET = 15
# A check-in saves a few rows; each save also moves its people's data versions (operations).
WRITE_BUDGET = 25
MIX = [*KEPT_PAGES, "pages:healthz"]


@pytest.mark.parametrize("name", MIX)
def test_each_page_of_the_mix_stays_within_the_query_budget(
    name: str, demo: DemoCouple, django_assert_max_num_queries
) -> None:
    client = Client()
    client.force_login(demo.alex)
    assert client.get(reverse(name)).status_code == 200  # computes what is computed once
    with django_assert_max_num_queries(BUDGET):
        assert client.get(reverse(name)).status_code == 200


def test_sign_in_form_and_check_in_submission_stay_within_the_budget(
    demo: DemoCouple, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(BUDGET):
        assert Client().get(reverse("accounts:login")).status_code == 200
    client = Client()
    client.force_login(demo.sam)
    today = demo.sam.local_today().isoformat()
    values = checkin_values(today, 6)
    with django_assert_max_num_queries(WRITE_BUDGET):
        response = client.post(reverse("checkins:today"), values)
    assert response.status_code == 302


def test_a_new_check_in_reaches_both_partners_insights_at_once(demo: DemoCouple) -> None:
    """Cached insights are never stale: a write by either partner is seen on the next view."""
    alex, sam = Client(), Client()
    alex.force_login(demo.alex)
    sam.force_login(demo.sam)
    before_alex = alex.get(reverse("insights:json")).json()
    before_sam = sam.get(reverse("insights:json")).json()
    assert alex.get(reverse("insights:json")).json() == before_alex  # served from the cache
    today = demo.sam.local_today().isoformat()
    response = sam.post(
        reverse("checkins:today"),
        {
            "day": today,
            "mood": 0,
            "energy": 0,
            "stress": 10,
            "closeness": 1,
            "sought_support": "no",
            "me_minutes": 0,
            "we_minutes": 0,
        },
    )
    assert response.status_code == 302
    after_alex = alex.get(reverse("insights:json")).json()
    after_sam = sam.get(reverse("insights:json")).json()
    # (insights.json carries no timestamp any more: partner-facing JSON has days, not times)
    assert after_alex["sections"] != before_alex["sections"]
    assert after_sam["sections"] != before_sam["sections"]
