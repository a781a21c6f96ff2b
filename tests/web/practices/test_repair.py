"""Repair: each side hidden until both have written; reflect back and confirm or correct; an agreed
next step (not agreed if it changed meanwhile); closed with how each feels now."""

from __future__ import annotations

import io
import zipfile

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format

import tests.web.access_cases.together  # noqa: F401  (adds this feature's records to the world)
from counterpoint.practices.repair.models import Repair, RepairReflection, RepairShare
from counterpoint.practices.repair.selectors import stage_of
from tests.web.conftest import ALICE_PRIVATE_MARKER, World


def _export_text(client: Client) -> str:
    response = client.get(reverse("accounts:export"))
    raw = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return "\n".join(
            archive.read(n).decode() for n in archive.namelist() if not n.startswith("photos/")
        )


def _url(name: str, repair: Repair, *extra: int) -> str:
    return reverse(f"repair:{name}", args=[repair.pk, *extra])


def test_alices_side_stays_hidden_from_bob_everywhere_until_he_writes(world: World) -> None:
    repair = world.objects["repair"]
    bob = world.client_for("B")
    for url in (
        _url("detail", repair),
        _url("json", repair),
        reverse("repair:list"),
        reverse("repair:list_json"),
        reverse("activity:feed"),
        reverse("activity:feed_json"),
        reverse("insights:json"),
    ):
        assert ALICE_PRIVATE_MARKER not in bob.get(url).content.decode(), url
    assert ALICE_PRIVATE_MARKER not in _export_text(bob)
    data = bob.get(_url("json", repair)).json()
    assert data["partner_has_shared"] is True and data["partner_share"] is None


def test_both_sides_are_revealed_together(world: World) -> None:
    repair = world.objects["repair"]
    bob = world.client_for("B")
    bob.post(_url("share", repair), {"feeling": "BOB-FEELS", "need": "BOB-NEEDS"})
    assert ALICE_PRIVATE_MARKER in bob.get(_url("detail", repair)).content.decode()
    assert "BOB-FEELS" in world.client_for("A").get(_url("detail", repair)).content.decode()
    assert stage_of(repair) == "reflect"
    assert world.new_notices().filter(recipient=world.alice, kind="repair_revealed").exists()
    assert ALICE_PRIVATE_MARKER not in _export_text(bob)


def test_a_side_cannot_be_written_twice_from_two_tabs(world: World) -> None:
    repair = world.objects["repair"]
    response = world.client_for("A").post(
        _url("share", repair), {"feeling": "again", "need": "again"}, follow=True
    )
    assert "already written your side" in response.content.decode()
    assert RepairShare.objects.filter(repair=repair, author=world.alice).count() == 1
    assert RepairShare.objects.get(repair=repair, author=world.alice).feeling.startswith(
        ALICE_PRIVATE_MARKER
    )


@pytest.mark.parametrize(
    "data, message",
    [
        ({"feeling": "", "need": "x"}, "be empty"),
        ({"feeling": "   ", "need": "x"}, "be empty"),
        ({"feeling": "x" * 2001, "need": "x"}, "at most 2000"),
    ],
)
def test_bad_sides_are_refused_and_nothing_saved(world: World, data: dict, message: str) -> None:
    repair = world.objects["repair"]
    response = world.client_for("B").post(_url("share", repair), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RepairShare.objects.filter(repair=repair, author=world.bob).exists()
    assert ALICE_PRIVATE_MARKER not in response.content.decode()


def test_reflect_confirm_or_correct(world: World) -> None:
    repair = world.objects["repair_reflecting"]  # Bob has sent what he heard; Alice answers
    alice, bob = world.client_for("A"), world.client_for("B")
    reflection = world.objects["bob_reflection"]
    # A correction must say what is different.
    empty = alice.post(_url("answer", repair, reflection.pk), {"confirmed": "no"})
    assert empty.status_code == 400 and "put differently" in empty.content.decode()
    alice.post(
        _url("answer", repair, reflection.pk),
        {"confirmed": "no", "correction": "More scared than worried."},
    )
    reflection.refresh_from_db()
    assert reflection.answer == "corrected"
    assert "More scared" in bob.get(_url("detail", repair)).content.decode()
    # Bob tries again; Alice says yes this time.
    bob.post(_url("reflect", repair), {"text": "You are scared and need a plan."})
    second = RepairReflection.objects.filter(repair=repair, author=world.bob).latest("created_at")
    alice.post(_url("answer", repair, second.pk), {"confirmed": "yes"})
    # Answering the same one again (second tab) changes nothing.
    again = alice.post(
        _url("answer", repair, second.pk), {"confirmed": "no", "correction": "x"}, follow=True
    )
    assert "already answered" in again.content.decode()
    second.refresh_from_db()
    assert second.answer == "confirmed"
    # Bob cannot confirm his own reflection.
    assert bob.post(_url("answer", repair, second.pk), {"confirmed": "yes"}).status_code == 404
    assert stage_of(repair) == "reflect"  # Alice has not reflected yet
    alice.post(_url("reflect", repair), {"text": "You're tired and need rest."})
    mine = RepairReflection.objects.get(repair=repair, author=world.alice)
    bob.post(_url("answer", repair, mine.pk), {"confirmed": "yes"})
    assert stage_of(repair) == "next_step"


def _to_next_step(world: World) -> Repair:
    repair = world.objects["repair_reflecting"]
    RepairReflection.objects.filter(repair=repair).update(answer="confirmed")
    RepairReflection.objects.create(repair=repair, author=world.alice, text="t", answer="confirmed")
    assert stage_of(repair) == "next_step"
    return repair


def test_a_next_step_is_agreed_only_as_seen(world: World) -> None:
    repair = _to_next_step(world)
    alice, bob = world.client_for("A"), world.client_for("B")
    alice.post(_url("step", repair), {"text": "Budget together on Sunday."})
    # Alice cannot agree to her own suggestion.
    own = alice.post(
        _url("agree", repair), {"seen_text": "Budget together on Sunday."}, follow=True
    )
    assert "Your partner is the one to agree" in own.content.decode()
    # Bob's tab shows the old text while Alice changes it: agreeing to the old text does nothing.
    alice.post(_url("step", repair), {"text": "Budget on Monday instead."})
    stale = bob.post(
        _url("agree", repair), {"seen_text": "Budget together on Sunday."}, follow=True
    )
    assert "changed while you were reading" in stale.content.decode()
    repair.refresh_from_db()
    assert repair.next_step_agreed_at is None
    bob.post(_url("agree", repair), {"seen_text": "Budget on Monday instead."})
    repair.refresh_from_db()
    assert repair.next_step_agreed_at is not None and stage_of(repair) == "close"


def test_closing_with_how_each_feels_now(world: World) -> None:
    repair = _to_next_step(world)
    Repair.objects.filter(pk=repair.pk).update(
        next_step="x", next_step_agreed_at="2026-01-01T00:00Z"
    )
    repair.refresh_from_db()
    alice, bob = world.client_for("A"), world.client_for("B")
    alice.post(_url("close", repair), {"feeling_now": "lighter", "note": "ALICE-NOW"})
    # Bob does not see how Alice feels now until he has said how he feels.
    assert "ALICE-NOW" not in bob.get(_url("detail", repair)).content.decode()
    assert bob.get(_url("json", repair)).json()["partner_feeling_now"] is None
    twice = alice.post(_url("close", repair), {"feeling_now": "raw"}, follow=True)
    assert "already said how you feel" in twice.content.decode()
    bob.post(_url("close", repair), {"feeling_now": "better"})
    repair.refresh_from_db()
    assert repair.closed_at is not None
    assert "ALICE-NOW" in bob.get(_url("detail", repair)).content.decode()


def test_steps_out_of_order_get_a_clear_message(world: World) -> None:
    repair = world.objects["repair"]  # still at the first step
    alice = world.client_for("A")
    for name, data in (
        ("reflect", {"text": "x"}),
        ("step", {"text": "x"}),
        ("close", {"feeling_now": "same"}),
    ):
        response = alice.post(_url(name, repair), data, follow=True)
        assert "has moved on" in response.content.decode(), name
    assert not RepairReflection.objects.filter(repair=repair).exists()


def test_another_couple_cannot_act_on_it(world: World) -> None:
    repair = world.objects["repair"]
    carol = world.client_for("C")
    assert carol.post(_url("share", repair), {"feeling": "x", "need": "y"}).status_code == 404
    assert not RepairShare.objects.filter(author=world.carol).exists()


def test_the_export_holds_only_ones_own_words(world: World) -> None:
    repair = world.objects["repair_reflecting"]
    alice = world.client_for("A")
    reflection = world.objects["bob_reflection"]
    alice.post(
        _url("answer", repair, reflection.pk), {"confirmed": "no", "correction": "ALICE-CORRECTION"}
    )
    bob_export = _export_text(world.client_for("B"))
    assert "ALICE-CORRECTION" not in bob_export and "You are worried and want a plan." in bob_export
    alice_export = _export_text(alice)
    assert (
        "ALICE-CORRECTION" in alice_export
        and "You are worried and want a plan." not in alice_export
    )


def test_starting_a_repair_twice_from_one_form_makes_one(world: World) -> None:
    alice = world.client_for("A")
    for _ in range(2):
        alice.post(reverse("repair:new"), {"topic": "Twice", "submission_key": "k"})
    assert Repair.objects.filter(topic="Twice").count() == 1
    assert world.new_notices().filter(recipient=world.bob, kind="repair_started").count() == 1


def test_a_repair_without_a_topic_is_named_by_its_day_everywhere(world: World) -> None:
    Repair.objects.all().delete()
    alice = world.client_for("A")
    alice.get(reverse("repair:new"))
    alice.post(reverse("repair:new"), {"topic": "", "submission_key": "untitled"})
    repair = Repair.objects.get()
    with time_machine.travel(repair.created_at):
        # Bob is in Auckland: he reads the day it was there
        world.bob.time_zone = "Pacific/Auckland"
        world.bob.save()
        for who, day in (("A", world.alice.local_today()), ("B", world.bob.local_today())):
            name = f"Repair on {date_format(day, 'j M Y')}"
            client = world.client_for(who)
            for url in (
                reverse("repair:list"),
                _url("detail", repair),
                reverse("safety:center"),
            ):
                page = client.get(url).content.decode()
                assert name in page, (who, url)
                assert f"repair {repair.pk}" not in page.lower(), (who, url)
