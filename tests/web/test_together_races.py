"""Two tabs or two devices acting at the same instant (PostgreSQL row locks; skipped on SQLite)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

import tests.web.access_cases.together  # noqa: F401  (adds this feature's records to the world)
from counterpoint.practices.decisions.models import DecisionOutcome, DecisionView
from counterpoint.practices.decisions.services import decision_record, decision_view_enter
from counterpoint.practices.moments.models import MomentResponse
from counterpoint.practices.moments.services import moment_respond
from counterpoint.practices.repair.models import RepairShare
from counterpoint.practices.repair.services import repair_share
from tests.web.concurrency import at_once, needs_row_locks
from tests.web.conftest import World

pytestmark = pytest.mark.django_db(transaction=True)


def _one_each(results: list, kind: type) -> None:
    assert sum(isinstance(r, kind) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results


def test_one_view_from_two_tabs_at_once(world: World) -> None:
    needs_row_locks()
    decision = world.objects["decision"]

    def enter(words: str):
        return lambda: decision_view_enter(
            user=world.bob, decision=decision, preference=words, reasons="r", importance=3
        )

    results = at_once(enter("phone"), enter("laptop"))
    _one_each(results, DecisionView)
    assert DecisionView.objects.filter(decision=decision, author=world.bob).count() == 1


def test_one_joint_decision_when_both_record_at_once(world: World) -> None:
    needs_row_locks()
    decision = world.objects["decision"]
    decision_view_enter(
        user=world.bob, decision=decision, preference="p", reasons="r", importance=2
    )
    results = at_once(
        lambda: decision_record(user=world.alice, decision=decision, text="A's", reasons="r"),
        lambda: decision_record(user=world.bob, decision=decision, text="B's", reasons="r"),
    )
    _one_each(results, DecisionOutcome)
    assert DecisionOutcome.objects.filter(decision=decision).count() == 1


def test_one_side_from_two_tabs_at_once(world: World) -> None:
    needs_row_locks()
    repair = world.objects["repair"]

    def share(words: str):
        return lambda: repair_share(user=world.bob, repair=repair, feeling=words, need="n")

    results = at_once(share("phone"), share("laptop"))
    _one_each(results, RepairShare)
    assert RepairShare.objects.filter(repair=repair, author=world.bob).count() == 1


def test_one_response_from_two_devices_at_once(world: World) -> None:
    needs_row_locks()
    moment = world.objects["moment_shared"]

    def respond(reaction: str):
        return lambda: moment_respond(user=world.bob, moment=moment, reaction=reaction, note="")

    results = at_once(respond("warm"), respond("brief"))
    _one_each(results, MomentResponse)
    assert MomentResponse.objects.filter(moment=moment).count() == 1
