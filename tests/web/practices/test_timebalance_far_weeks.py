"""Issue 10 (lower): far-off weeks and far-off plans get a clear answer, never a server error."""

from __future__ import annotations

import pytest
from django.urls import reverse

from counterpoint.practices.timebalance.models import TimeBlock
from tests.web.conftest import World

FAR = ["9999-12-31", "0001-01-01", "9999-12-27", "1000-01-01"]


@pytest.mark.parametrize("week", FAR)
def test_far_off_weeks_do_not_fail(world: World, week: str) -> None:
    client = world.client_for("A")
    page = client.get(reverse("timebalance:week"), {"week": week})
    assert page.status_code == 200
    assert "too far" in page.content.decode()
    data = client.get(reverse("timebalance:week_json"), {"week": week})
    assert data.status_code == 400
    assert "too far" in data.json()["error"]


def test_planning_on_the_last_day_of_the_calendar_is_refused_clearly(world: World) -> None:
    client = world.client_for("A")
    before = TimeBlock.objects.count()
    response = client.post(
        reverse("timebalance:add"),
        {
            "kind": "me",
            "day": "9999-12-31",
            "minutes": 60,
            "done": "plan",
            "note": "",
            "visibility": "private",
        },
    )
    assert response.status_code == 400
    assert "a year ahead" in response.content.decode()
    assert TimeBlock.objects.count() == before
