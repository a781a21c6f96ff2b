"""Me-time and we-time: plan and log on a week view; the balance per partner, joined with check-ins."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

import tests.web.access_cases.together  # noqa: F401  (adds this feature's records to the world)
from counterpoint.checkins.models import CheckIn
from counterpoint.practices.timebalance.models import TimeBlock
from counterpoint.practices.timebalance.selectors import balance_overview, me_we_insight
from counterpoint.privacy.models import Visibility
from tests.web.conftest import ALICE_PRIVATE_MARKER, World


def _add(client, **data):
    base = {"kind": "me", "minutes": "60", "done": "plan", "visibility": "partner", "note": ""}
    return client.post(reverse("timebalance:add"), {**base, **data})


def test_plan_and_log_show_on_the_week(world: World) -> None:
    alice = world.client_for("A")
    today = world.alice.local_today()
    monday = today - dt.timedelta(days=today.weekday())
    _add(alice, day=monday.isoformat(), note="Pottery class", done="log")
    _add(alice, kind="we", day=today.isoformat(), note="Picnic")
    picnic = TimeBlock.objects.get(note="Picnic")
    assert picnic.visibility == Visibility.COUPLE and not picnic.done
    page = (
        world.client_for("B").get(reverse("timebalance:week") + f"?week={today}").content.decode()
    )
    assert "Pottery class" in page and "Picnic" in page
    assert ALICE_PRIVATE_MARKER not in page
    data = world.client_for("B").get(reverse("timebalance:week_json") + f"?week={today}").json()
    notes = [b["note"] for d in data["days"] for b in d["blocks"]]
    assert "Pottery class" in notes and "Picnic" in notes and len(notes) == 3


@pytest.mark.parametrize(
    "data, message",
    [
        ({"minutes": "0"}, "greater than or equal to 5"),
        ({"minutes": "2000"}, "less than or equal to 1440"),
        ({"note": "x" * 201}, "at most 200"),
        ({"day": "not-a-date"}, "Enter a valid date"),
        ({"done": "log", "day": "2999-01-01"}, "hasn"),
        ({"done": "plan", "day": "2001-01-01"}, "has passed"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(world: World, data: dict, message: str) -> None:
    before = TimeBlock.objects.count()
    response = _add(world.client_for("A"), **{"day": world.alice.local_today().isoformat(), **data})
    assert response.status_code == 400 and message in response.content.decode()
    assert TimeBlock.objects.count() == before


def test_double_submission_adds_once(world: World) -> None:
    alice = world.client_for("A")
    day = world.alice.local_today().isoformat()
    _add(alice, day=day, note="Once", submission_key="k")
    _add(alice, day=day, note="Once", submission_key="k")
    assert TimeBlock.objects.filter(note="Once").count() == 1


def test_only_the_owner_ticks_off_me_time_and_both_we_time(world: World) -> None:
    me = world.objects["me_private"]
    we = world.objects["we_block"]
    bob = world.client_for("B")
    assert bob.post(reverse("timebalance:done", args=[me.pk])).status_code == 404
    bob.post(reverse("timebalance:done", args=[we.pk]))
    we.refresh_from_db()
    me.refresh_from_db()
    assert we.done and not me.done
    carol = world.client_for("C")
    assert carol.post(reverse("timebalance:delete", args=[we.pk])).status_code == 404
    assert TimeBlock.objects.filter(pk=we.pk).exists()


def test_balance_counts_partner_time_only_as_shared(world: World) -> None:
    TimeBlock.objects.filter(
        pk__in=[world.objects["me_private"].pk, world.objects["we_block"].pk]
    ).update(done=True)
    alice_view = balance_overview(world.alice)
    assert alice_view["me"][-1]["me"] == 60 and alice_view["me"][-1]["we"] == 90
    bob_view = balance_overview(world.bob)
    assert bob_view["partner_rows"][-1]["me"] == 0  # Alice's me-time is private
    assert bob_view["partner_rows"][-1]["we"] == 90
    data = world.client_for("B").get(reverse("timebalance:balance_json")).json()
    assert (
        data["partner"]["weeks"][-1]["me"] == 0 and "checkins" not in data["partner"]["weeks"][-1]
    )


def test_balance_is_joined_with_the_persons_own_checkins(world: World) -> None:
    today = world.alice.local_today()
    CheckIn.objects.filter(author=world.alice).delete()
    CheckIn.objects.create(
        author=world.alice,
        couple=world.couple,
        visibility=Visibility.PARTNER,
        day=today,
        mood=5,
        energy=5,
        stress=5,
        closeness=5,
        me_minutes=45,
        we_minutes=120,
    )
    rows = balance_overview(world.alice)["me"]
    assert rows[-1]["checkins"] == {"me": 45, "we": 120, "days": 1}
    insight = me_we_insight(world.alice)
    assert insight["checkin_me_minutes"] == 45 and insight["n_weeks_with_checkin_data"] == 1
    sections = world.client_for("A").get(reverse("insights:json")).json()["sections"]
    assert "me_we_balance" in sections and "n_logged_blocks" in sections["me_we_balance"]
