"""A couple that ends leaves nothing waiting for either of them about what was theirs.

"Sam could use some support" waits in Alex's list until he answers. Once either of them unpairs,
nothing of the couple can be answered any more: what one shared "with my partner" is the author's
alone again (the other gets a 404), and what they co-owned is a read-only archive. A notice left
waiting would stay in "waiting for you" for good, leading to a page that is not there or that
takes no answer. It stops waiting when the couple ends, for both of them, whoever unpaired.

Every practice that asks the partner something is asked here through its own form, as people do
(the ``world`` fixture makes its items without notices).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from counterpoint.accounts.models import User
from counterpoint.activity.models import Notice
from counterpoint.activity.selectors import unread_counts, waiting_for
from counterpoint.couples.selectors import active_couple
from counterpoint.practices.boundaries.models import Boundary
from counterpoint.practices.commitments.models import Commitment
from counterpoint.practices.decisions.models import Decision
from counterpoint.practices.goals.models import Goal
from counterpoint.practices.moments.models import Moment
from counterpoint.practices.plans.models import Memory, Plan
from counterpoint.practices.repair.models import Repair
from counterpoint.practices.support.models import SupportRequest
from counterpoint.privacy.models import PersonalRecord
from tests.web.conftest import World

PASSWORD = "a-long-enough-passphrase-17"


def _posted(client: Client, name: str, data: dict[str, str], *args: int) -> None:
    response = client.post(reverse(name, args=list(args)), data)
    assert response.status_code == 302, response.content[:500]


def _support(client: Client, user: User, tag: str) -> PersonalRecord:
    _posted(client, "support:new", {"kind": "listening", "details": tag})
    return SupportRequest.objects.get(author=user, details=tag)


def _commitment(client: Client, user: User, tag: str) -> PersonalRecord:
    due = (user.local_today() + dt.timedelta(days=3)).isoformat()
    _posted(client, "commitments:new", {"promise": tag, "due_on": due})
    item = Commitment.objects.get(author=user, promise=tag)
    _posted(client, "commitments:mark", {"outcome": "kept", "note": ""}, item.pk)
    return item


def _boundary(client: Client, user: User, tag: str) -> PersonalRecord:
    _posted(client, "boundaries:new", {"what": tag, "why": "I wake slowly."})
    return Boundary.objects.get(author=user, what=tag)


def _moment(client: Client, user: User, tag: str) -> PersonalRecord:
    data = {"kind": "win", "text": tag, "visibility": "partner", "submission_key": tag}
    _posted(client, "moments:new", data)
    return Moment.objects.get(author=user, text=tag)


def _plan(client: Client, user: User, tag: str) -> PersonalRecord:
    data = {"title": tag, "kind": "trip", "shared": "yes", "submission_key": tag}
    _posted(client, "plans:new", data)
    return Plan.objects.get(author=user, title=tag)


def _memory(client: Client, user: User, tag: str) -> PersonalRecord:
    day = user.local_today().isoformat()
    data = {"title": tag, "happened_on": day, "shared": "yes", "submission_key": tag}
    _posted(client, "plans:memory_new", data)
    return Memory.objects.get(author=user, title=tag)


def _decision(client: Client, user: User, tag: str) -> PersonalRecord:
    _posted(client, "decisions:new", {"title": tag, "submission_key": tag})
    return Decision.objects.get(author=user, title=tag)


def _repair(client: Client, user: User, tag: str) -> PersonalRecord:
    _posted(client, "repair:new", {"topic": tag, "submission_key": tag})
    return Repair.objects.get(author=user, topic=tag)


def _goal(client: Client, user: User, tag: str) -> PersonalRecord:
    data = {"title": tag, "why": "", "visibility": "couple", "submission_key": tag}
    _posted(client, "goals:new", data)
    goal = Goal.objects.get(author=user, title=tag)
    _posted(client, "goals:complete", {}, goal.pk)  # "is it done? do you agree?"
    return goal


# every practice that asks the partner something: how one partner asks it through its form
ASKS: dict[str, Callable[[Client, User, str], PersonalRecord]] = {
    "support": _support,
    "commitments": _commitment,
    "boundaries": _boundary,
    "moments": _moment,
    "plans": _plan,
    "memories": _memory,
    "decisions": _decision,
    "repair": _repair,
    "goals": _goal,
}


def _link(item: PersonalRecord) -> str:
    return str(item.get_absolute_url())  # type: ignore[attr-defined]


def _waiting_about(user: User, item: PersonalRecord) -> list[Notice]:
    return [n for n in waiting_for(user) if n.link == _link(item)]


@pytest.mark.parametrize("who_unpairs", ["the one who asked", "the one asked"])
@pytest.mark.parametrize("practice", sorted(ASKS))
def test_nothing_of_an_ended_couple_waits_for_either_of_them(
    world: World, practice: str, who_unpairs: str
) -> None:
    alice, bob = world.client_for("A"), world.client_for("B")
    asked_bob = ASKS[practice](alice, world.alice, f"from Alice: {practice}")
    asked_alice = ASKS[practice](bob, world.bob, f"from Bob: {practice}")
    assert _waiting_about(world.bob, asked_bob), "Alice's item should wait for Bob"
    assert _waiting_about(world.alice, asked_alice), "Bob's item should wait for Alice"

    unpairing = alice if who_unpairs == "the one who asked" else bob
    _posted(unpairing, "couples:unpair", {"confirm": "on"})
    assert active_couple(world.alice) is None and active_couple(world.bob) is None

    for person, item in ((world.bob, asked_bob), (world.alice, asked_alice)):
        assert _waiting_about(person, item) == [], f"{item} still waits for {person}"
        # not read either: reading is the person's own act, and its exact time is in their export
        about = Notice.objects.filter(recipient=person, link=_link(item))
        assert about.exists() and not about.filter(read_at__isnull=False).exists()
        assert unread_counts(person)["waiting_for_you"] == 0


def test_a_co_owned_item_stays_readable_in_the_archive_but_waits_for_nobody(
    world: World,
) -> None:
    alice, bob = world.client_for("A"), world.client_for("B")
    decision = _decision(alice, world.alice, "Which sofa")
    assert _waiting_about(world.bob, decision)

    _posted(alice, "couples:unpair", {"confirm": "on"})

    assert bob.get(reverse("decisions:detail", args=[decision.pk])).status_code == 200  # archive
    assert _waiting_about(world.bob, decision) == []
    assert bob.post(reverse("decisions:view", args=[decision.pk]), {}).status_code == 404


def test_unpairing_leaves_alone_what_waits_about_anything_else(world: World) -> None:
    """Only the ended couple's items: a notice about anything else keeps waiting as it was."""
    alice = world.client_for("A")
    _support(alice, world.alice, "a hard week")
    elsewhere = Notice.objects.create(
        recipient=world.bob, kind="support_requested", message="x", link="/", needs_answer=True
    )

    _posted(alice, "couples:unpair", {"confirm": "on"})

    assert list(waiting_for(world.bob)) == [elsewhere]


@pytest.mark.parametrize("how", ["emergency reset", "deleting her account"])
def test_the_other_ways_a_couple_ends_leave_nothing_waiting_either(world: World, how: str) -> None:
    world.alice.set_password(PASSWORD)
    world.alice.save()
    alice = Client()
    alice.force_login(world.alice)  # a sign-in: a fresh confirmation for both forms
    asked = [ask(alice, world.alice, f"from Alice: {name}") for name, ask in ASKS.items()]
    assert all(_waiting_about(world.bob, item) for item in asked)

    if how == "emergency reset":
        new = "another-long-passphrase-29"
        data = {"new_password1": new, "new_password2": new, "unpair": "on"}
        _posted(alice, "safety:emergency_reset", data)
    else:
        _posted(alice, "accounts:delete", {"confirm": "delete my account", "password": PASSWORD})
    assert active_couple(world.bob) is None

    assert list(waiting_for(world.bob)) == []
    assert unread_counts(world.bob)["waiting_for_you"] == 0
