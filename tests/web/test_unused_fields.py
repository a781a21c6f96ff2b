"""Forms where one answer decides which other fields matter, posted with the other fields filled
(as a browser sends them): the unused values are cleared, so they are never stored, shown to
anyone, exported, or brought back when the person switches the answer back. docs/conventions.md,
"Fields a choice makes unused". The study form's own tests are in
tests/web/research/test_study_unused_fields.py."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlsplit

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

import tests.web.access_cases.together  # noqa: F401  (adds the repairs to the world)
from counterpoint.checkins.forms import CheckInSettingsForm
from counterpoint.checkins.models import CheckInSettings
from counterpoint.checkins.reminders import reminder_link
from counterpoint.practices.goals.forms import EncourageForm
from counterpoint.practices.goals.models import Encouragement
from counterpoint.practices.goals.services import goal_create
from counterpoint.practices.plans import services as plan_services
from counterpoint.practices.plans.models import Memory, PlanKind
from counterpoint.practices.repair.forms import AnswerForm
from counterpoint.practices.repair.models import RepairReflection
from counterpoint.practices.timebalance.forms import TimeBlockForm
from counterpoint.practices.timebalance.models import TimeBlock
from counterpoint.privacy.models import Visibility
from counterpoint.research.forms import StudyForm
from counterpoint.unused_fields import ClearsUnusedFields
from tests.web.conftest import World
from tests.web.form_pages import export_files, form_values, page_text

FORMS_WITH_A_DECIDING_CHOICE: list[type[ClearsUnusedFields]] = [
    StudyForm,
    AnswerForm,
    EncourageForm,
    TimeBlockForm,
    CheckInSettingsForm,
]


@pytest.mark.parametrize("form_class", FORMS_WITH_A_DECIDING_CHOICE)
def test_each_rule_names_real_fields_and_real_choices(form_class: type[ClearsUnusedFields]) -> None:
    fields = form_class().fields
    assert form_class.fields_used_when
    for name, rule in form_class.fields_used_when.items():
        assert name in fields and rule.choice in fields and name != rule.choice
        choice = fields[rule.choice]
        if isinstance(choice, forms.ChoiceField):
            assert rule.values, (name, rule)
            assert all(choice.valid_value(value) for value in rule.values), (name, rule)


# Repair: "yes, that's it" has no correction ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "correction", ["UNUSED-CORRECTION-41", "UNUSED-CORRECTION-41" + "x" * 3000]
)
def test_yes_thats_it_keeps_no_correction(world: World, correction: str) -> None:
    repair = world.objects["repair_reflecting"]
    reflection = world.objects["bob_reflection"]
    alice, bob = world.client_for("A"), world.client_for("B")
    url = reverse("repair:answer", args=[repair.pk, reflection.pk])
    response = alice.post(url, {"confirmed": "yes", "correction": correction})
    assert response.status_code == 302  # too long for a correction, but none is being made
    reflection.refresh_from_db()
    assert (reflection.answer, reflection.correction) == ("confirmed", "")
    for client in (alice, bob):
        assert "UNUSED-CORRECTION" not in page_text(
            client, reverse("repair:detail", args=[repair.pk])
        )
        assert "UNUSED-CORRECTION" not in json.dumps(export_files(client))


@pytest.mark.django_db
def test_a_choice_not_made_yet_shows_back_what_was_written(world: World) -> None:
    repair = world.objects["repair_reflecting"]
    reflection = world.objects["bob_reflection"]
    url = reverse("repair:answer", args=[repair.pk, reflection.pk])
    response = world.client_for("A").post(url, {"correction": "Scared, more than worried."})
    assert response.status_code == 400
    assert "Scared, more than worried." in response.content.decode()
    reflection.refresh_from_db()
    assert reflection.answer == RepairReflection.Answer.PENDING


# Goals: a cheer has no note ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("note", ["UNUSED-NOTE-93", "UNUSED-NOTE-93" + "y" * 3000])
def test_a_cheer_keeps_no_note(world: World, note: str) -> None:
    goal, _ = goal_create(user=world.alice, title="Learn the cello", why="", visibility="partner")
    alice, bob = world.client_for("A"), world.client_for("B")
    url = reverse("goals:encourage", args=[goal.pk])
    response = bob.post(url, {"kind": "cheer", "note": note})
    assert response.status_code == 302
    assert list(Encouragement.objects.filter(goal=goal).values_list("kind", "note")) == [
        ("cheer", "")
    ]
    page = page_text(alice, reverse("goals:detail", args=[goal.pk]))
    assert "Bob cheered you on" in page and "UNUSED-NOTE" not in page
    assert "UNUSED-NOTE" not in json.dumps(export_files(bob))


# Time: we-time is always the couple's -----------------------------------------------------------


def _add_time(client: Client, **data: str):
    return client.post(reverse("timebalance:add"), data)


@pytest.mark.django_db
@pytest.mark.parametrize("visibility", ["private", "", "couple"])
def test_we_time_ignores_who_can_see_it(world: World, visibility: str) -> None:
    """Who can see it (only me, nothing, or a value the radio never offers) is cleared for
    we-time: it is the couple's, shown to both, exported as the couple's."""
    alice, bob = world.client_for("A"), world.client_for("B")
    today = world.alice.local_today().isoformat()
    response = _add_time(
        alice,
        kind="we",
        day=today,
        minutes="60",
        done="plan",
        note="Picnic by the lake",
        visibility=visibility,
    )
    assert response.status_code == 302
    block = TimeBlock.objects.get(note="Picnic by the lake")
    assert block.visibility == Visibility.COUPLE
    week = reverse("timebalance:week") + f"?week={today}"
    assert "Picnic by the lake" in page_text(bob, week)
    rows = [
        r for r in export_files(alice)["timebalance_timeblock"] if r["note"] == "Picnic by the lake"
    ]
    assert [r["visibility"] for r in rows] == ["couple"]


@pytest.mark.django_db
def test_me_time_keeps_who_can_see_it(world: World) -> None:
    """The same field is used, and checked, for me-time."""
    alice, bob = world.client_for("A"), world.client_for("B")
    today = world.alice.local_today().isoformat()
    base = {"kind": "me", "day": today, "minutes": "45", "done": "plan", "note": "Long run alone"}
    assert _add_time(alice, **base, visibility="couple").status_code == 400
    assert _add_time(alice, **base).status_code == 400
    assert not TimeBlock.objects.filter(note="Long run alone").exists()
    assert _add_time(alice, **base, visibility="private").status_code == 302
    assert TimeBlock.objects.get(note="Long run alone").visibility == Visibility.PRIVATE
    assert "Long run alone" not in page_text(bob, reverse("timebalance:week") + f"?week={today}")


# Plans: a private plan has no time together ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("minutes", ["3", "90", "99999"])
def test_a_private_plan_done_counts_no_time_together(world: World, minutes: str) -> None:
    plan, _ = plan_services.plan_add(
        user=world.alice, title="Solo sketching trip", kind=PlanKind.TRIP, shared=False
    )
    alice = world.client_for("A")
    detail = reverse("plans:detail", args=[plan.pk])
    assert "minutes_together" not in form_values(page_text(alice, detail))
    we_time_before = TimeBlock.objects.filter(author=world.alice, kind="we").count()
    today = world.alice.local_today().isoformat()
    response = alice.post(
        reverse("plans:done", args=[plan.pk]), {"happened_on": today, "minutes_together": minutes}
    )
    assert response.status_code == 302
    memory = Memory.objects.get(title="Solo sketching trip")
    assert memory.minutes_together == 0
    assert TimeBlock.objects.filter(author=world.alice, kind="we").count() == we_time_before
    rows = [r for r in export_files(alice)["plans_memory"] if r["title"] == "Solo sketching trip"]
    assert [r["minutes_together"] for r in rows] == [0]


@pytest.mark.django_db
def test_a_shared_plan_done_checks_its_time_together(world: World) -> None:
    plan, _ = plan_services.plan_add(user=world.alice, title="Ferry to the island", kind="trip")
    alice = world.client_for("A")
    assert "minutes_together" in form_values(
        page_text(alice, reverse("plans:detail", args=[plan.pk]))
    )
    today = world.alice.local_today().isoformat()
    url = reverse("plans:done", args=[plan.pk])
    response = alice.post(url, {"happened_on": today, "minutes_together": "3"})
    assert response.status_code == 400 and "at least 5 minutes" in response.content.decode()
    assert alice.post(url, {"happened_on": today, "minutes_together": "90"}).status_code == 302
    assert Memory.objects.get(title="Ferry to the island").minutes_together == 90


# Check-in settings: no reminder time, no reminder by email ---------------------------------------


def _settings(client: Client) -> dict[str, str]:
    return form_values(page_text(client, reverse("checkins:settings")))


def _stored(world: World) -> tuple[dt.time | None, bool]:
    s = CheckInSettings.objects.get(user=world.alice)
    return s.reminder_time, s.reminder_email


@pytest.mark.django_db
def test_no_reminder_time_means_no_reminder_by_email_and_it_does_not_come_back(
    world: World,
) -> None:
    alice = world.client_for("A")
    url = reverse("checkins:settings")
    # With a time and email: kept.
    shown = _settings(alice)
    assert (
        alice.post(url, {**shown, "reminder_time": "08:30", "reminder_email": "on"}).status_code
        == 302
    )
    assert _stored(world) == (dt.time(8, 30), True)
    # The time emptied; the box still ticked on the page is sent too: cleared.
    shown = _settings(alice)
    assert shown["reminder_email"] == "on"
    assert alice.post(url, {**shown, "reminder_time": ""}).status_code == 302
    assert _stored(world) == (None, False)
    shown = _settings(alice)
    assert "reminder_email" not in shown  # the box is shown unticked
    assert [r["reminder_email"] for r in export_files(alice)["checkin_settings"]] == [False]
    # A time again, the page as it is now: email stays off until ticked again.
    assert alice.post(url, {**shown, "reminder_time": "07:45"}).status_code == 302
    assert _stored(world) == (dt.time(7, 45), False)


@pytest.mark.django_db
def test_stopping_reminders_from_the_email_also_stops_them_by_email(world: World) -> None:
    alice = world.client_for("A")
    url = reverse("checkins:settings")
    alice.post(url, {**_settings(alice), "reminder_time": "08:30", "reminder_email": "on"})
    link = reminder_link(user=world.alice, action="stop")
    assert Client().post(urlsplit(link).path).status_code == 200
    assert _stored(world) == (None, False)
    assert "reminder_email" not in _settings(alice)
    alice.post(url, {**_settings(alice), "reminder_time": "09:00"})
    assert _stored(world) == (dt.time(9, 0), False)
