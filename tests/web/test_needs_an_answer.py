"""One "needs an answer" rule for every practice: answering resolves the ask, reading does not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from counterpoint.activity.models import Notice
from counterpoint.activity.selectors import unread_counts
from counterpoint.practices.boundaries.services import (
    boundary_acknowledge,
    boundary_ask_to_talk,
    boundary_retire,
    boundary_state,
)
from counterpoint.practices.commitments.services import (
    commitment_confirm,
    commitment_make,
    commitment_mark,
)
from counterpoint.practices.decisions.services import decision_start, decision_view_enter
from counterpoint.practices.goals.services import (
    goal_complete,
    goal_completion_withdraw,
    goal_create,
)
from counterpoint.practices.moments.services import moment_delete, moment_respond, moment_share
from counterpoint.practices.plans.services import (
    memory_add,
    memory_delete,
    memory_words_write,
    plan_add,
    plan_delete,
    plan_done,
    plan_interest_answer,
)
from counterpoint.practices.repair.services import repair_share, repair_start
from counterpoint.practices.support.services import support_request_answer, support_request_create
from tests.web.conftest import World


def _boundary(w: World) -> Any:
    return boundary_state(user=w.alice, what="Quiet mornings", why="I wake slowly")[0]


def _shared_goal_proposed(w: World) -> Any:
    goal = goal_create(user=w.alice, title="Paint the hall", why="", visibility="couple")[0]
    return goal_complete(user=w.alice, goal=goal)


def _commitment_marked(w: World) -> Any:
    item = commitment_make(user=w.alice, promise="Call Gran", due_on=w.alice.local_today())[0]
    return commitment_mark(user=w.alice, commitment=item, outcome="kept")


# practice: (Alice asks Bob something, Bob answers it)
ASKS: dict[str, tuple[Callable[[World], Any], Callable[[World, Any], Any]]] = {
    "boundaries": (
        _boundary,
        lambda w, b: boundary_acknowledge(user=w.bob, boundary=b, version=b.version),
    ),
    "goals": (_shared_goal_proposed, lambda w, g: goal_complete(user=w.bob, goal=g)),
    "commitments": (
        _commitment_marked,
        lambda w, c: commitment_confirm(user=w.bob, commitment=c, view="agree"),
    ),
    "support": (
        lambda w: support_request_create(user=w.alice, kind="hug", details="")[0],
        lambda w, r: support_request_answer(
            user=w.bob, support_request=r, offer="yes", message="Come here"
        ),
    ),
    "moments": (
        lambda w: moment_share(user=w.alice, kind="win", text="Got it", visibility="partner")[0],
        lambda w, m: moment_respond(user=w.bob, moment=m, reaction="with_you", note=""),
    ),
    "decisions": (
        lambda w: decision_start(user=w.alice, title="Which sofa", context="")[0],
        lambda w, d: decision_view_enter(
            user=w.bob, decision=d, preference="The green one", reasons="Comfy", importance=3
        ),
    ),
    "plans": (
        lambda w: plan_add(user=w.alice, title="Night swim", kind="date")[0],
        lambda w, p: plan_interest_answer(user=w.bob, plan=p, answer="maybe"),
    ),
    "memories": (
        lambda w: memory_add(user=w.alice, title="Snow day", happened_on=w.alice.local_today())[0],
        lambda w, m: memory_words_write(user=w.bob, memory=m, text="Cold hands, warm soup"),
    ),
    "repair": (
        lambda w: repair_start(user=w.alice, topic="Sunday")[0],
        lambda w, r: repair_share(user=w.bob, repair=r, feeling="Tired", need="A walk"),
    ),
}


def waiting(user: Any) -> int:
    return unread_counts(user)["waiting_for_you"]


@pytest.mark.parametrize("practice", sorted(ASKS))
def test_answering_resolves_the_ask_and_reading_does_not(world: World, practice: str) -> None:
    ask, answer = ASKS[practice]
    Notice.objects.filter(recipient=world.bob).delete()
    item = ask(world)
    assert waiting(world.bob) == 1
    bob = world.client_for("B")
    notice = Notice.objects.get(recipient=world.bob, needs_answer=True)
    assert bob.post(reverse("activity:open", args=[notice.pk])).status_code == 302
    assert bob.get(notice.link).status_code == 200
    assert bob.get(reverse("activity:feed")).status_code == 200
    assert bob.post(reverse("activity:mark_all_read")).status_code == 302
    assert waiting(world.bob) == 1, "reading is not answering"
    read_at = Notice.objects.get(pk=notice.pk).read_at
    assert read_at is not None
    answer(world, item)
    assert waiting(world.bob) == 0
    assert Notice.objects.get(pk=notice.pk).read_at == read_at, "answering is not reading again"


def test_asking_to_talk_is_an_answer_too(world: World) -> None:
    Notice.objects.filter(recipient=world.bob).delete()  # the world's own asks aside
    boundary = _boundary(world)
    boundary_ask_to_talk(user=world.bob, boundary=boundary, note="Weekends too?")
    assert waiting(world.bob) == 0


def test_setting_a_boundary_aside_leaves_nothing_to_answer(world: World) -> None:
    Notice.objects.filter(recipient=world.bob).delete()  # the world's own asks aside
    boundary = _boundary(world)
    boundary_retire(user=world.alice, boundary=boundary)
    assert waiting(world.bob) == 0


def test_taking_back_a_proposed_completion_leaves_nothing_to_answer(world: World) -> None:
    Notice.objects.filter(recipient=world.bob).delete()  # the world's own asks aside
    goal = _shared_goal_proposed(world)
    assert waiting(world.bob) == 1
    goal_completion_withdraw(user=world.alice, goal=goal)
    assert waiting(world.bob) == 0


# Alice's act that leaves Bob nothing to answer about what she asked him
ENDED_BY_HER: dict[str, tuple[Callable[[World], Any], Callable[[World, Any], Any]]] = {
    "boundary set aside": (_boundary, lambda w, b: boundary_retire(user=w.alice, boundary=b)),
    "completion taken back": (
        _shared_goal_proposed,
        lambda w, g: goal_completion_withdraw(user=w.alice, goal=g),
    ),
    "plan done": (
        lambda w: plan_add(user=w.alice, title="Night swim", kind="date")[0],
        lambda w, p: plan_done(user=w.alice, plan=p, happened_on=w.alice.local_today()),
    ),
    "plan deleted": (
        lambda w: plan_add(user=w.alice, title="Night swim", kind="date")[0],
        lambda w, p: plan_delete(user=w.alice, plan=p),
    ),
    "moment deleted": (
        lambda w: moment_share(user=w.alice, kind="win", text="Got it", visibility="partner")[0],
        lambda w, m: moment_delete(user=w.alice, moment=m),
    ),
    "memory deleted": (
        lambda w: memory_add(user=w.alice, title="Snow day", happened_on=w.alice.local_today())[0],
        lambda w, m: memory_delete(user=w.alice, memory=m),
    ),
}


@pytest.mark.parametrize("act", sorted(ENDED_BY_HER))
def test_what_her_act_ends_stops_waiting_but_stays_unread(world: World, act: str) -> None:
    """Bob's notice stops waiting, and is not marked read: reading is his own act, and his export
    gives its time to the second, which would be the exact moment of hers."""
    ask, end = ENDED_BY_HER[act]
    Notice.objects.filter(recipient=world.bob).delete()  # the world's own asks aside
    item = ask(world)
    asked = Notice.objects.get(recipient=world.bob, needs_answer=True)
    end(world, item)
    asked.refresh_from_db()
    assert not asked.needs_answer
    assert asked.read_at is None, "Bob's export would time Alice's act"
