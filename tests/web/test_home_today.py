"""Home shows today: whether each of us checked in (the partner only as far as they share it),
today's question and the partner's note; nothing about a partner before there is one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from counterpoint.checkins import services
from counterpoint.checkins.models import CheckIn, CheckInSettings
from tests.factories import make_user
from tests.web.access_cases import checkins as _seeds  # noqa: F401  (adds check-ins to the world)
from tests.web.conftest import World

pytestmark = pytest.mark.django_db


def _home(world: World, who: str) -> str:
    return world.client_for(who).get(reverse("pages:home")).content.decode()


def test_home_says_who_checked_in_and_shows_the_note(world: World) -> None:
    today = world.alice.local_today()
    CheckIn.objects.filter(day=today).delete()
    page = _home(world, "B")
    assert "You haven&#x27;t checked in yet." in page or "You haven't checked in yet." in page
    assert "No check-in from Alice to show yet." in page
    assert "Today&#x27;s question:" in page or "Today's question:" in page
    services.checkin_submit(user=world.alice, day=today, values={"mood": 6, "note": "HOME-NOTE hi"})
    page = _home(world, "B")
    assert "Alice has checked in." in page and "HOME-NOTE hi" in page
    # Alice keeps everything to herself: her check-in is not mentioned at all
    CheckInSettings.objects.create(
        user=world.alice,
        **dict.fromkeys(
            (
                "share_mood",
                "share_energy",
                "share_stress",
                "share_closeness",
                "share_support",
                "share_time",
                "share_note",
            ),
            False,
        ),
    )
    page = _home(world, "B")
    assert "Alice has checked in." not in page and "HOME-NOTE" not in page
    assert "No check-in from Alice to show yet." in page


def test_nothing_about_a_partner_before_there_is_one(client) -> None:
    solo = make_user("solo@example.org", "Solo")
    client.force_login(solo)
    page = client.get(reverse("pages:home")).content.decode()
    assert "From your partner" not in page and "No check-in from" not in page
    assert "checked in yet" in page
