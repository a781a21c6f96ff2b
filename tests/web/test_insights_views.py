"""The insights page and GET /insights.json: every registered section, honest minimums, privacy."""

from __future__ import annotations

import pytest
from django.urls import reverse

from counterpoint.checkins.models import CheckInSettings
from counterpoint.demo import DemoCouple
from counterpoint.insights.registry import INSIGHT_SECTIONS, register_insight_section
from tests.factories import make_couple, make_user
from tests.web.conftest import build_demo_checkins
from tests.web.snapshot import restored

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db: None) -> DemoCouple:
    """Alex and Sam with the demo's check-ins, restored per test (tests/web/snapshot.py)."""
    return restored(build_demo_checkins)


def test_page_shows_charts_with_text_alternatives(client, demo: DemoCouple) -> None:
    client.force_login(demo.alex)
    response = client.get(reverse("insights:page"))
    assert response.status_code == 200
    html = response.content.decode()
    for div in (
        "chart-mood",
        "chart-mood-effects",
        "chart-stress",
        "chart-wellbeing",
        "chart-balance",
    ):
        assert f'id="{div}"' in html
    assert "All the numbers of this section" in html  # text alternative
    assert "vendor/plotly.min.js" in html and "js/charts.js" in html
    # the private journal lines never reach the insights
    assert "Felt a bit invisible" not in html


def test_json_has_every_registered_section_with_numbers_and_counts(
    client, demo: DemoCouple
) -> None:
    register_insight_section("test_extra", lambda user: {"title": "Extra", "n": 1})
    try:
        client.force_login(demo.sam)
        data = client.get(reverse("insights:json")).json()
    finally:
        INSIGHT_SECTIONS.pop("test_extra")
    assert set(data["sections"]) >= {
        "emotions",
        "coregulation",
        "stress_recovery",
        "wellbeing",
        "balance",
        "consistency",
        "test_extra",
    }
    emo = data["sections"]["emotions"]
    assert emo["status"] == "ok" and emo["n_occasions"] >= 80
    assert {"estimate", "ci_low", "ci_high"} <= set(emo["influence"]["partner_to_me"])
    assert data["sections"]["consistency"]["people"][0]["days_last_28"] >= 20


def test_below_the_minimum_insights_say_how_many_more_days(client) -> None:
    from counterpoint.checkins.services import checkin_submit

    a, b = make_user("a@example.org", "Ann"), make_user("b@example.org", "Ben")
    make_couple(a, b)
    values = {
        "mood": 5, "energy": 5, "stress": 4, "closeness": 4, "sought_support": "no",
        "gave_support": False, "me_minutes": 30, "we_minutes": 60,
    }  # fmt: skip
    for person in (a, b):
        checkin_submit(user=person, day=person.local_today(), values=values)
    client.force_login(a)
    data = client.get(reverse("insights:json")).json()["sections"]
    assert data["emotions"]["status"] == "needs_data"
    assert data["emotions"]["needs_days"] == 31
    assert "31 more days" in client.get(reverse("insights:page")).content.decode()


def test_partner_who_keeps_mood_private_is_not_analysed(client, demo: DemoCouple) -> None:
    CheckInSettings.objects.create(user=demo.sam, share_mood=False)
    client.force_login(demo.alex)
    data = client.get(reverse("insights:json")).json()["sections"]
    assert data["emotions"]["status"] == "not_shared"
    assert data["coregulation"]["status"] == "ok"  # stress is still shared
    # Sam still sees everything of their own and Alex's shared mood
    client.force_login(demo.sam)
    assert client.get(reverse("insights:json")).json()["sections"]["emotions"]["status"] == "ok"


def test_single_person_gets_their_own_sections_only(client) -> None:
    solo = make_user("solo@example.org", "Solo")
    client.force_login(solo)
    data = client.get(reverse("insights:json")).json()["sections"]
    assert data["emotions"]["status"] == "not_paired"
    assert len(data["balance"]["people"]) == 1
    assert client.get(reverse("insights:page")).status_code == 200


def test_another_couple_sees_nothing_of_the_demo(client, demo: DemoCouple) -> None:
    carol, dave = make_user("carol@example.org", "Carol"), make_user("dave@example.org", "Dave")
    make_couple(carol, dave)
    client.force_login(carol)
    data = client.get(reverse("insights:json")).json()["sections"]
    assert data["consistency"]["people"][0]["days_total"] == 0
    assert data["emotions"]["status"] == "needs_data"


def test_other_features_sections_show_their_words_not_empty_bullets(client) -> None:
    ann, ben = make_user("ann@x.org", "Ann"), make_user("ben@x.org", "Ben")
    make_couple(ann, ben)
    client.force_login(ann)
    page = client.get(reverse("insights:page")).content.decode()
    page = page.replace("&#x27;", "'")
    assert "Share a win or a struggle to start seeing how you meet each other." in page
    assert "<li></li>" not in page.replace("\n", "").replace(" ", "")
