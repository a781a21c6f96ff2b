"""Saving once: every practice's create form uses the one per-author submission key."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse

from counterpoint.pairing.services import couple_unpair
from counterpoint.practices.boundaries.models import Boundary
from counterpoint.practices.commitments.models import Commitment
from counterpoint.practices.decisions.models import Decision
from counterpoint.practices.goals.models import Goal
from counterpoint.practices.moments.models import Moment
from counterpoint.practices.repair.models import Repair
from counterpoint.practices.support.models import SupportRequest
from counterpoint.practices.timebalance.models import TimeBlock
from counterpoint.privacy.access import personal_record_models
from counterpoint.submissions import SubmissionKeyField, SubmittedRecord
from tests.factories import make_couple, make_user
from tests.web.conftest import World

# The hidden form field every create form carries.
FIELD = "submission_key"


def _soon(w: World) -> str:
    return (w.alice.local_today() + dt.timedelta(days=3)).isoformat()


# (url name, the model it creates, the form data a person would send)
CREATE_FORMS: list[tuple[str, type[models.Model], Callable[[World], dict[str, Any]]]] = [
    ("boundaries:new", Boundary, lambda w: {"what": "Quiet mornings", "why": "I wake slowly"}),
    ("goals:new", Goal, lambda w: {"title": "Run 5k", "visibility": "private"}),
    ("commitments:new", Commitment, lambda w: {"promise": "Call Gran", "due_on": _soon(w)}),
    ("support:new", SupportRequest, lambda w: {"kind": "hug", "details": ""}),
    (
        "moments:new",
        Moment,
        lambda w: {"kind": "win", "text": "Got the job", "visibility": "partner"},
    ),
    ("decisions:new", Decision, lambda w: {"title": "Which sofa to buy"}),
    ("repair:new", Repair, lambda w: {"topic": "Sunday"}),
    (
        "timebalance:add",
        TimeBlock,
        lambda w: {
            "kind": "me",
            "day": w.alice.local_today().isoformat(),
            "minutes": "60",
            "done": "plan",
            "visibility": "partner",
            "note": "Pottery",
        },
    ),
]


@pytest.mark.parametrize(("url", "model", "data"), CREATE_FORMS, ids=[c[0] for c in CREATE_FORMS])
def test_a_key_someone_else_used_is_a_fresh_submission(world: World, url, model, data) -> None:
    """A shared device or a restored tab may send another person's key: never a 500."""
    key = uuid.uuid4().hex
    before = model._default_manager.count()
    first = world.client_for("A").post(reverse(url), {**data(world), FIELD: key})
    assert first.status_code in (200, 302)
    second = world.client_for("B").post(reverse(url), {**data(world), FIELD: key})
    assert second.status_code in (200, 302)
    assert model._default_manager.filter(author=world.alice).count() >= 1
    assert model._default_manager.filter(author=world.bob, submission_key=key).count() == 1
    assert model._default_manager.count() == before + 2


@pytest.mark.parametrize(("url", "model", "data"), CREATE_FORMS, ids=[c[0] for c in CREATE_FORMS])
def test_the_same_key_sent_twice_by_one_person_saves_once(world: World, url, model, data) -> None:
    key = uuid.uuid4().hex
    alice = world.client_for("A")
    alice.post(reverse(url), {**data(world), FIELD: key})
    alice.post(reverse(url), {**data(world), FIELD: key})
    assert model._default_manager.filter(author=world.alice, submission_key=key).count() == 1


def test_every_create_form_shows_a_fresh_key(world: World) -> None:
    field = SubmissionKeyField()
    assert field.initial() != field.initial()
    assert field.clean("a" * 41) == "" and field.clean("<script>") == ""
    assert field.clean(" 0b8e-AZ_9 ") == "0b8e-AZ_9"


def test_every_submitted_record_is_unique_per_author_in_the_database() -> None:
    submitted = [m for m in personal_record_models() if issubclass(m, SubmittedRecord)]
    assert len(submitted) >= 8
    for model in submitted:
        rules = [
            c
            for c in model._meta.constraints
            if isinstance(c, models.UniqueConstraint)
            and tuple(c.fields) == ("author", "submission_key")
        ]
        assert rules, f"{model.__name__} lost the per-author submission rule"
        assert not model._meta.get_field("submission_key").unique


# (url name, the model, the form data, the field and its private and shared values, the page the
# partner reads it on)
PRIVATE_THEN_SHARED = [
    ("plans:new", "Plan", {"title": "Learn to sail", "kind": "other"}, "shared", "no", "yes"),
    (
        "plans:memory_new",
        "Memory",
        {"title": "The lake at dawn", "happened_on": "2026-01-10"},
        "shared",
        "no",
        "yes",
    ),
    (
        "moments:new",
        "Moment",
        {"kind": "win", "text": "Ran 5k"},
        "visibility",
        "private",
        "partner",
    ),
    ("goals:new", "Goal", {"title": "Read more"}, "visibility", "private", "partner"),
]


@pytest.mark.parametrize(
    ("url", "name", "data", "field", "private", "shared"),
    PRIVATE_THEN_SHARED,
    ids=[c[0] for c in PRIVATE_THEN_SHARED],
)
def test_kept_private_then_shared_a_minute_later_is_two_things_and_the_partner_gets_one(
    world: World, url, name, data, field, private, shared
) -> None:
    """The "same item twice" rule is for a double tap, not for changing one's mind about who
    sees it: the shared copy must be saved and reach the partner, the private one stays hers."""
    model = next(m for m in personal_record_models() if m.__name__ == name)
    alice = world.client_for("A")
    keys = [uuid.uuid4().hex, uuid.uuid4().hex]
    first = alice.post(reverse(url), {**data, field: private, FIELD: keys[0]})
    second = alice.post(reverse(url), {**data, field: shared, FIELD: keys[1]})
    assert first.status_code == second.status_code == 302
    mine = model._default_manager.filter(author=world.alice, submission_key__in=keys)
    kept = sorted(mine.values_list("visibility", flat=True))
    assert len(kept) == 2 and "private" in kept and kept != ["private", "private"]
    shared_one = mine.exclude(visibility="private").get()
    as_partner = world.client_for("B").get(shared_one.get_absolute_url())  # type: ignore[attr-defined]
    assert as_partner.status_code == 200
    private_one = mine.get(visibility="private")
    url_private = private_one.get_absolute_url()  # type: ignore[attr-defined]
    assert world.client_for("B").get(url_private).status_code == 404


def test_the_same_boundary_told_a_new_partner_minutes_after_a_parting_reaches_them(
    world: World,
) -> None:
    """Within the "same item twice" window Alice unpairs from Bob, pairs with Nora and states
    the boundary she had told Bob: it is a new boundary, Nora's to read, not Bob's old one."""
    data = {"what": "Quiet mornings", "why": "I wake slowly"}
    alice = world.client_for("A")
    alice.post(reverse("boundaries:new"), {**data, FIELD: uuid.uuid4().hex})
    told_bob = Boundary.objects.get(author=world.alice, what=data["what"])
    couple_unpair(user=world.alice)
    nora = make_user("nora@example.org", "Nora")
    make_couple(world.alice, nora)
    alice.post(reverse("boundaries:new"), {**data, FIELD: uuid.uuid4().hex})
    told_nora = Boundary.objects.exclude(pk=told_bob.pk).get(author=world.alice, what=data["what"])
    assert told_nora.couple_id != told_bob.couple_id
    as_nora = Client()
    as_nora.force_login(nora)
    page = as_nora.get(reverse("boundaries:detail", args=[told_nora.pk]))
    assert page.status_code == 200 and data["what"] in page.content.decode()
    assert as_nora.get(reverse("boundaries:detail", args=[told_bob.pk])).status_code == 404
