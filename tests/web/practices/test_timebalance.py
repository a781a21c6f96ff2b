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


def test_removing_time_asks_first_and_only_the_confirmed_post_removes_it(world: World) -> None:
    """A removed block cannot be brought back, so the week links to a question, as every other
    removal does; the partner's we-time page loses it only once the answer is yes."""
    today = world.alice.local_today()
    alice, bob = world.client_for("A"), world.client_for("B")
    _add(alice, kind="we", day=today.isoformat(), note="Lake swim", minutes="45")
    swim = TimeBlock.objects.get(note="Lake swim")
    confirm_url = reverse("timebalance:delete", args=[swim.pk])
    week = alice.get(reverse("timebalance:week") + f"?week={today}").content.decode()
    assert f'href="{confirm_url}"' in week
    asked = bob.get(confirm_url)  # we-time: either partner may remove it
    text = asked.content.decode()
    assert asked.status_code == 200
    assert "Remove this time together?" in text and "Lake swim" in text and "45 min" in text
    assert "removed for both of you" in text
    assert TimeBlock.objects.filter(pk=swim.pk).exists()
    assert "Lake swim" in alice.get(reverse("timebalance:week") + f"?week={today}").content.decode()
    removed = bob.post(confirm_url)
    assert removed.status_code == 302
    assert (
        removed["Location"]
        == reverse("timebalance:week") + f"?week={swim.day - dt.timedelta(days=swim.day.weekday())}"
    )
    assert not TimeBlock.objects.filter(pk=swim.pk).exists()
    page = alice.get(reverse("timebalance:week") + f"?week={today}").content.decode()
    assert "Lake swim" not in page
    # asked again once it is gone (another tab, the partner): nothing there to remove
    assert bob.get(confirm_url).status_code == 404


def test_removing_own_time_is_asked_in_its_own_words_and_hidden_from_the_partner(
    world: World,
) -> None:
    me = world.objects["me_private"]
    confirm_url = reverse("timebalance:delete", args=[me.pk])
    text = world.client_for("A").get(confirm_url).content.decode()
    assert "Remove this time of your own?" in text and "for both of you" not in text
    assert world.client_for("B").get(confirm_url).status_code == 404
    assert world.client_for("B").post(confirm_url).status_code == 404
    assert TimeBlock.objects.filter(pk=me.pk).exists()
