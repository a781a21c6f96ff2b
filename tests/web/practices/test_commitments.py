"""Commitments: no past dates, only the maker marks, only the partner confirms, a gentle record."""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid
from importlib import import_module

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from counterpoint.practices.commitments.models import NO_WORDS, ONLY_I_WILL, Commitment
from counterpoint.practices.commitments.selectors import reliability_record
from counterpoint.practices.commitments.services import (
    commitment_confirm,
    commitment_make,
    commitment_mark,
)
from tests.web.concurrency import at_once, needs_row_locks
from tests.web.conftest import World


@pytest.fixture(autouse=True)
def _clean_slate(world: World) -> None:
    """Start each test without the rows the access matrix seeds into the shared world."""
    Commitment.objects.all().delete()


NOON = dt.datetime(2026, 5, 10, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 5, 10)


def text(response) -> str:
    return html.unescape(response.content.decode())


def promise(w: World, days: int = 2, who=None) -> Commitment:
    item, _ = commitment_make(
        user=who or w.alice, promise="book the tickets", due_on=TODAY + dt.timedelta(days=days)
    )
    return item


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOON, tick=False):
        yield


def test_making_one_tells_the_partner(world: World, alice_client) -> None:
    response = alice_client.post(
        reverse("commitments:new"), {"promise": "fix the shelf", "due_on": "2026-05-12"}
    )
    item = Commitment.objects.get(author=world.alice)
    assert response["Location"] == reverse("commitments:detail", args=[item.pk])
    assert item.visibility == "partner" and item.outcome == "open"
    notice = world.new_notices().get(recipient=world.bob, kind="commitment_made")
    assert "shelf" not in notice.message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"promise": "fix it", "due_on": "2026-05-09"}, "already passed"),
        ({"promise": "   ", "due_on": "2026-05-12"}, "Say what you will do"),
        ({"promise": "x" * 301, "due_on": "2026-05-12"}, "at most 300 characters"),
        ({"promise": "fix it", "due_on": "next week"}, "Enter a valid date"),
        ({"promise": "fix it"}, "Pick the day"),
    ],
)
def test_bad_commitments_explain_and_save_nothing(
    world: World, alice_client, data, message
) -> None:
    response = alice_client.post(reverse("commitments:new"), data)
    assert response.status_code == 200 and message in text(response)
    assert not Commitment.objects.exists()


@pytest.mark.parametrize(
    "typed", ["I will call my sister", "i WILL call my sister", "I’ll call my sister"]
)
def test_a_typed_i_will_is_not_said_twice(world: World, alice_client, bob_client, typed) -> None:
    """The form's label and every page already say "I will" (or "Alice will")."""
    alice_client.post(reverse("commitments:new"), {"promise": typed, "due_on": "2026-05-12"})
    item = Commitment.objects.get(author=world.alice)
    assert item.promise == "call my sister"
    mine = text(alice_client.get(reverse("commitments:detail", args=[item.pk])))
    theirs = text(bob_client.get(reverse("commitments:list")))
    assert "I will call my sister" in mine and "Alice will call my sister" in theirs
    assert "will I" not in mine + theirs and "will i" not in mine + theirs


def test_a_promise_that_only_starts_like_i_will_is_kept_whole(world: World) -> None:
    item, _ = commitment_make(
        user=world.alice, promise="I willingly take the bins out", due_on=TODAY
    )
    assert item.promise == "I willingly take the bins out"


@pytest.mark.parametrize(
    "typed",
    ["I will", "I will ", "i will.", "I WILL...", "I’ll", "I will I will", "i will, i will!"],
)
def test_a_promise_of_only_i_will_is_refused_and_changes_nothing(
    world: World, alice_client, typed: str
) -> None:
    notices = world.new_notices().count()
    response = alice_client.post(
        reverse("commitments:new"), {"promise": typed, "due_on": "2026-05-12"}
    )
    assert response.status_code == 200 and str(ONLY_I_WILL) in text(response)
    assert not Commitment.objects.exists()
    assert world.new_notices().count() == notices
    with pytest.raises(ValidationError) as refused:
        commitment_make(user=world.alice, promise=typed, due_on=TODAY)
    assert refused.value.messages == [str(ONLY_I_WILL)]
    assert not Commitment.objects.exists()


def test_an_i_will_typed_twice_is_dropped_twice(world: World) -> None:
    item, _ = commitment_make(
        user=world.alice, promise="I will I will call my sister", due_on=TODAY
    )
    assert item.promise == "call my sister"


def _saved_before_the_fix(w: World, typed: str) -> Commitment:
    """A promise as the form stored it before it dropped a typed "I will": word for word."""
    item, _ = commitment_make(user=w.alice, promise="placeholder", due_on=TODAY)
    Commitment.objects.filter(pk=item.pk).update(promise=typed)
    return Commitment.objects.get(pk=item.pk)


def test_promises_saved_before_the_fix_lose_their_doubled_i_will(
    world: World, alice_client, bob_client
) -> None:
    migration = import_module(
        "counterpoint.practices.commitments.migrations.0003_promise_without_i_will"
    )
    typed = {
        "I will call my sister": "call my sister",
        "i WILL  ring the bank": "ring the bank",
        "I’ll fix the shelf": "fix the shelf",
        "I willingly take the bins out": "I willingly take the bins out",
        "I will": "I will",  # nothing would be left: kept as it was
        "water the plants": "water the plants",
    }
    old = {words: _saved_before_the_fix(world, words) for words in typed}
    migration.promise_without_i_will(apps, None)
    migration.promise_without_i_will(apps, None)  # a second run changes nothing more
    for words, item in old.items():
        now = Commitment.objects.get(pk=item.pk)
        assert now.promise == typed[words]
        assert now.updated_at == item.updated_at  # not an edit by anyone
    sister = old["I will call my sister"]
    mine = text(alice_client.get(reverse("commitments:detail", args=[sister.pk])))
    theirs = text(bob_client.get(reverse("commitments:list")))
    assert "I will call my sister" in mine and "Alice will call my sister" in theirs
    assert "will I will call" not in mine + theirs and "will i WILL" not in theirs
    assert "Alice will ring the bank" in theirs and "Alice will fix the shelf" in theirs


def test_today_counts_in_the_makers_own_time_zone(world: World) -> None:
    # 12:00 UTC is already the next day in Auckland: "yesterday" by UTC is in the past there.
    world.alice.time_zone = "Pacific/Auckland"
    world.alice.save()
    with pytest.raises(ValidationError):
        commitment_make(user=world.alice, promise="call", due_on=TODAY)
    item, _ = commitment_make(user=world.alice, promise="call", due_on=TODAY + dt.timedelta(1))
    assert item.pk


def test_service_refuses_past_dates_and_no_partner(world: World) -> None:
    with pytest.raises(ValidationError):
        commitment_make(user=world.alice, promise="x", due_on=TODAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        commitment_make(user=world.terry, promise="x", due_on=TODAY)


def test_double_submission_saves_one(world: World, alice_client) -> None:
    data = {"promise": "once", "due_on": "2026-05-11", "submission_key": str(uuid.uuid4())}
    alice_client.post(reverse("commitments:new"), data)
    again = alice_client.post(reverse("commitments:new"), data, follow=True)
    assert "already saved" in text(again)
    assert Commitment.objects.count() == 1


def test_only_the_maker_marks_it_and_only_once(world: World, alice_client, bob_client) -> None:
    item = promise(world)
    url = reverse("commitments:mark", args=[item.pk])
    assert bob_client.post(url, {"outcome": "missed"}).status_code == 404
    with pytest.raises(PermissionDenied):
        commitment_mark(user=world.bob, commitment=item, outcome="missed")
    alice_client.post(url, {"outcome": "kept", "note": "Done Tuesday"})
    second_tab = alice_client.post(url, {"outcome": "missed"}, follow=True)
    assert "already marked kept" in text(second_tab)
    item.refresh_from_db()
    assert item.outcome == "kept" and item.outcome_note == "Done Tuesday"
    assert world.new_notices().filter(recipient=world.bob, kind="commitment_marked").count() == 1


def test_the_partner_confirms_once_after_it_is_marked(world: World, bob_client) -> None:
    item = promise(world)
    url = reverse("commitments:confirm", args=[item.pk])
    early = bob_client.post(url, {"view": "agree"}, follow=True)
    assert "nothing to confirm" in text(early)
    commitment_mark(user=world.alice, commitment=item, outcome="kept")
    bob_client.post(url, {"view": "different"})
    again = bob_client.post(url, {"view": "agree"}, follow=True)
    assert "already confirmed" in text(again)
    item.refresh_from_db()
    assert item.partner_view == "different" and item.confirmed_at is not None
    with pytest.raises(PermissionDenied):
        commitment_confirm(user=world.alice, commitment=item, view="agree")
    assert world.client_for("A").post(url, {"view": "agree"}).status_code == 404
    assert world.client_for("C").post(url, {"view": "agree"}).status_code == 404


def test_released_commitments_leave_the_record(world: World) -> None:
    item = promise(world, days=0)
    commitment_mark(user=world.alice, commitment=item, outcome="released")
    assert reliability_record(world.alice)["mine"]["came_due"] == 0


def test_reliability_is_mine_and_ours_never_the_partners_alone(world: World, alice_client) -> None:
    kept = promise(world, days=0)
    missed = promise(world, days=1)
    promise(world, days=9)  # not due yet
    bobs = promise(world, days=0, who=world.bob)
    commitment_mark(user=world.alice, commitment=kept, outcome="kept")
    commitment_mark(user=world.alice, commitment=missed, outcome="missed")
    commitment_mark(user=world.bob, commitment=bobs, outcome="kept")
    alice = reliability_record(world.alice)
    assert alice["mine"] == {
        "came_due": 2,
        "kept": 1,
        "missed": 1,
        "not_marked": 0,
        "confirmed_by_partner": 0,
    }
    assert alice["together"]["came_due"] == 3 and alice["together"]["kept"] == 2
    assert set(alice) == {"meaning", "window_days", "mine", "together", "data_counts"}
    assert alice["data_counts"] == {"commitments": 3}
    page = text(alice_client.get(reverse("commitments:list")))
    assert "1 of the 2 promises you made" in page and "not a score" in page
    assert reliability_record(world.carol)["mine"]["came_due"] == 0


def test_overdue_unmarked_promises_are_shown_gently(world: World, alice_client) -> None:
    promise(world, days=0)
    with time_machine.travel(NOON + dt.timedelta(days=3), tick=False):
        page = text(alice_client.get(reverse("commitments:list")))
        record = reliability_record(world.alice)
    assert record["mine"]["not_marked"] == 1
    assert "mark it when you can" in page


@pytest.mark.django_db(transaction=True)
def test_marking_from_two_tabs_at_once_keeps_one_outcome(world: World) -> None:
    needs_row_locks()
    item = promise(world, days=0)
    results = at_once(
        lambda: commitment_mark(user=world.alice, commitment=item, outcome="kept"),
        lambda: commitment_mark(user=world.alice, commitment=item, outcome="missed"),
    )
    winners = [r for r in results if isinstance(r, Commitment)]
    assert len(winners) == 1 and sum(isinstance(r, ValidationError) for r in results) == 1
    item.refresh_from_db()
    assert item.outcome == winners[0].outcome


def test_marking_asks_the_partner_to_confirm(world: World) -> None:
    item = promise(world)
    commitment_mark(user=world.alice, commitment=item, outcome="kept")
    assert world.new_notices().get(recipient=world.bob, kind="commitment_marked").needs_answer


def test_the_same_promise_from_two_tabs_is_made_once(world: World, alice_client) -> None:
    for _tab in range(2):
        data = {"promise": "call Gran", "due_on": "2026-05-11", "submission_key": str(uuid.uuid4())}
        response = alice_client.post(reverse("commitments:new"), data, follow=True)
    assert "already saved" in text(response)
    assert Commitment.objects.count() == 1


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("I will", str(NO_WORDS)),
        ("I will ", str(NO_WORDS)),
        ("i will.", str(NO_WORDS)),
        ("I’ll", str(NO_WORDS)),
        ("I will I will", str(NO_WORDS)),
        ("I will I will call my sister", "call my sister"),
        ("I willingly take the bins out", "I willingly take the bins out"),
    ],
)
def test_no_stored_promise_reads_will_i_will(
    world: World, alice_client, bob_client, stored: str, shown: str
) -> None:
    """Whatever an older version stored, the pages never say "Alice will I will"."""
    item = _saved_before_the_fix(world, stored)
    pages = {
        "mine": text(alice_client.get(reverse("commitments:detail", args=[item.pk]))),
        "my list": text(alice_client.get(reverse("commitments:list"))),
        "theirs": text(bob_client.get(reverse("commitments:detail", args=[item.pk]))),
        "their list": text(bob_client.get(reverse("commitments:list"))),
    }
    for name, page in pages.items():
        said = "I will" if name.startswith("my") or name == "mine" else "Alice will"
        assert f"{said} {shown}" in page, name
        assert not re.search(r"will\s+i(?:\s+will|['’]ll)\b", page, re.IGNORECASE), name
    assert Commitment.objects.get(pk=item.pk).promise == stored  # reading changes nothing
