"""Issue 10: the partner's exact times are not visible. Partner-facing times are days ("today",
"yesterday", a date) in the feed, on pages and in JSON; response times are only the person's own;
a person who shares no check-in field shows nothing, not even whether they checked in."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import time_machine
from django.urls import reverse

from counterpoint.accounts.services import account_time_zone_set
from counterpoint.checkins.services import checkin_settings_update, checkin_submit
from counterpoint.practices.decisions.services import decision_view_enter
from counterpoint.practices.moments.services import moment_respond
from tests.web.conftest import World

# A time of day: "14:05", or an ISO timestamp "2026-11-30T14:05".
CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")

PARTNER_JSON: list[tuple[str, dict[str, Any]]] = [
    ("activity:feed_json", {}),
    ("moments:json", {}),
    ("repair:list_json", {}),
    ("decisions:list_json", {}),
    ("interdependence:json", {}),
    ("insights:json", {}),
    ("timebalance:week_json", {}),
    ("timebalance:balance_json", {}),
]


def test_partner_facing_json_has_days_not_clock_times(world: World) -> None:
    moment_respond(
        user=world.bob, moment=world.objects["moment_shared"], reaction="celebrate", note="yay"
    )
    for person in ("A", "B"):
        client = world.client_for(person)
        for name, kwargs in PARTNER_JSON:
            text = client.get(reverse(name, kwargs=kwargs)).content.decode()
            assert not CLOCK.search(text), f"{name} as {person}: {CLOCK.search(text)}"
        for name, obj in (("repair:json", "repair"), ("decisions:json", "decision")):
            url = reverse(name, kwargs={"pk": world.objects[obj].pk})
            text = client.get(url).content.decode()
            assert not CLOCK.search(text), f"{name} as {person}"


def test_the_feed_and_pages_show_the_partners_actions_as_days(world: World) -> None:
    bob = world.client_for("B")
    feed = bob.get(reverse("activity:feed")).content.decode()
    assert "today" in feed.lower()
    assert not CLOCK.search(feed), CLOCK.search(feed)
    moment = bob.get(reverse("moments:detail", kwargs={"pk": world.objects["moment_shared"].pk}))
    assert not CLOCK.search(moment.content.decode())
    for key in ("alice_support", "bob_support"):
        page = bob.get(reverse("support:detail", kwargs={"pk": world.objects[key].pk}))
        assert not CLOCK.search(page.content.decode())
    assert not CLOCK.search(bob.get(reverse("support:list")).content.decode())


def test_response_times_are_only_the_persons_own(world: World) -> None:
    """How fast the partner answered is theirs: no figure of it reaches the other."""
    moment_respond(
        user=world.bob, moment=world.objects["moment_shared"], reaction="celebrate", note="yay"
    )
    alice = world.client_for("A")
    moments = json.loads(alice.get(reverse("moments:json")).content)
    answered = [r for r in moments["moments"] if r["response"] is not None]
    assert answered and all("hours_to_respond" not in r["response"] for r in answered)
    sections = json.loads(alice.get(reverse("insights:json")).content)["sections"]
    met = sections["wins_and_struggles_responsiveness"]["how_my_moments_were_met"]
    assert met["responded"] == 1
    assert "median_hours_to_respond" not in met and "responded_within_a_day" not in met
    asked = json.dumps(sections).split('"asked"')[1].split('"offered"')[0]
    assert "minutes_to_answer" not in asked
    # One's own pace stays one's own to see.
    bob = json.loads(world.client_for("B").get(reverse("insights:json")).content)["sections"]
    assert (
        "median_hours_to_respond"
        in bob["wins_and_struggles_responsiveness"]["how_i_met_my_partners"]
    )


def test_someone_who_shares_no_checkin_field_shows_nothing_not_even_that_they_checked_in(
    world: World,
) -> None:
    nothing = dict.fromkeys(
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
    )
    checkin_settings_update(user=world.alice, values=nothing)
    bob = world.client_for("B")
    # CSRF tokens, CSP nonces and the fresh key each form carries for saving once differ from one
    # response to the next, whoever checked in: they say nothing about Alice.
    strip = re.compile(r'[A-Za-z0-9]{64}|nonce="[^"]+"|name="submission_key" value="[^"]*"')
    pages = ("checkins:today", "checkins:history", "insights:json", "insights:page")

    def bobs_view() -> dict[str, str]:
        return {name: strip.sub("", bob.get(reverse(name)).content.decode()) for name in pages}

    before = bobs_view()
    assert "hasn't checked in yet" not in bob.get(reverse("checkins:today")).content.decode()
    assert "Alice checked in" not in before["insights:json"]
    checkin_submit(
        user=world.alice,
        day=world.alice.local_today(),
        values={"mood": 7, "energy": 6, "stress": 2, "closeness": 6, "note": "fine"},
    )
    after = bobs_view()
    for name in pages:
        assert after[name] == before[name], f"{name} changed when Alice checked in"


def test_a_partners_view_is_dated_by_the_viewers_own_day(world: World) -> None:
    """A day is the viewer's local day, in JSON as on pages: a view Bob entered at 20:00 UTC fell
    on the next day for Alice in Auckland (the JSON once gave the UTC date)."""
    decision = world.objects["decision"]
    account_time_zone_set(user=world.alice, time_zone="Pacific/Auckland")
    moment = dt.datetime(2031, 3, 3, 20, 0, tzinfo=dt.UTC)  # 4 March, 09:00 in Auckland
    with time_machine.travel(moment, tick=False):
        decision_view_enter(
            user=world.bob, decision=decision, preference="the coast", reasons="", importance=3
        )
        data = world.client_for("A").get(reverse("decisions:json", kwargs={"pk": decision.pk}))
    days = {v["entered_on"] for v in data.json()["partner_views"]}
    assert days == {"2031-03-04"}, days
