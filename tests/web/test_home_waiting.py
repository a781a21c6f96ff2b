"""Home's "what waits for me": the oldest first with its age, and the same count as Activity's."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from counterpoint.practices.decisions.services import decision_start
from counterpoint.practices.moments.services import moment_share
from counterpoint.practices.support.services import support_request_create
from tests.web.conftest import World

pytestmark = pytest.mark.django_db

WAITING = re.compile(r"(\d+) waiting for you")


def _page(world: World, who: str, name: str) -> str:
    return world.client_for(who).get(reverse(name)).content.decode()


def _asks_on_three_days(world: World) -> None:
    """Alice asks Bob three things, four days ago, two days ago and today (all through services)."""
    now = dt.datetime.now(dt.UTC)
    with time_machine.travel(now - dt.timedelta(days=4), tick=False):
        moment_share(user=world.alice, kind="struggle", text="OLDEST-ASK", visibility="partner")
    with time_machine.travel(now - dt.timedelta(days=2), tick=False):
        decision_start(user=world.alice, title="MIDDLE-ASK which sofa", context="")
    support_request_create(user=world.alice, kind="hug", details="NEWEST-ASK")


def test_home_and_activity_show_the_same_waiting_count(world: World) -> None:
    _asks_on_three_days(world)
    home, feed = _page(world, "B", "pages:home"), _page(world, "B", "activity:feed")
    on_home, on_feed = WAITING.findall(home), WAITING.findall(feed)
    assert on_home and on_feed
    assert on_home[0] == on_feed[0]
    assert int(on_home[0]) >= 3  # the three asks above, plus what making the world asked


def test_home_shows_the_oldest_first_with_its_age(world: World) -> None:
    _asks_on_three_days(world)
    home = _page(world, "B", "pages:home")
    start = home.index('class="waiting-list"')
    listed = home[start : home.index("</ol>", start)]
    items = listed.split("<li>")[1:]
    assert "shared something hard with you" in items[0] and "asked 4 days ago" in items[0]
    assert "asked for your view on a decision" in items[1] and "asked 2 days ago" in items[1]
    assert all("asked today" in item for item in items[2:])


def test_nothing_waiting_says_so_and_the_asker_is_not_asked(world: World) -> None:
    _asks_on_three_days(world)
    feed = _page(world, "A", "activity:feed")
    home = _page(world, "A", "pages:home")
    waiting_on_feed = WAITING.findall(feed)
    if waiting_on_feed:  # making the world may have asked Alice something too
        assert WAITING.findall(home)[0] == waiting_on_feed[0]
    else:
        assert "Nothing waiting for you" in home
    assert "shared something hard with you" not in home
