"""Records for wins and struggles, decisions, repair, me/we time and notices, shared by the access
matrix and the feature tests. Alice's unrevealed words carry ALICE_PRIVATE_MARKER: nobody else may
ever see them, through any page, JSON, export or notice."""

from __future__ import annotations

from counterpoint.practices.decisions.models import Decision, DecisionView
from counterpoint.practices.moments.models import Moment
from counterpoint.practices.repair.models import Repair, RepairReflection, RepairShare
from counterpoint.practices.timebalance.models import TimeBlock
from counterpoint.privacy.models import Visibility
from tests.web.conftest import ALICE_PRIVATE_MARKER


def seed_together(w) -> None:
    a, b, couple = w.alice, w.bob, w.couple
    o = w.objects
    o["moment_private"] = Moment.objects.create(
        author=a,
        couple=couple,
        visibility=Visibility.PRIVATE,
        kind="struggle",
        text=f"{ALICE_PRIVATE_MARKER} a hard day I keep to myself",
    )
    o["moment_shared"] = Moment.objects.create(
        author=a, couple=couple, visibility=Visibility.PARTNER, kind="win", text="Got the job!"
    )
    o["decision"] = Decision.objects.create(
        author=a, couple=couple, visibility=Visibility.COUPLE, title="Where to live"
    )
    DecisionView.objects.create(
        decision=o["decision"],
        author=a,
        round=1,
        preference=f"{ALICE_PRIVATE_MARKER} the city",
        reasons=f"{ALICE_PRIVATE_MARKER} reasons",
        importance=4,
    )
    o["repair"] = Repair.objects.create(
        author=a, couple=couple, visibility=Visibility.COUPLE, topic="Saturday"
    )
    RepairShare.objects.create(
        repair=o["repair"],
        author=a,
        feeling=f"{ALICE_PRIVATE_MARKER} hurt",
        need=f"{ALICE_PRIVATE_MARKER} time",
    )
    o["repair_reflecting"] = Repair.objects.create(
        author=b, couple=couple, visibility=Visibility.COUPLE, topic="Money"
    )
    RepairShare.objects.create(
        repair=o["repair_reflecting"], author=a, feeling="worried", need="a plan"
    )
    RepairShare.objects.create(
        repair=o["repair_reflecting"], author=b, feeling="tired", need="rest"
    )
    o["bob_reflection"] = RepairReflection.objects.create(
        repair=o["repair_reflecting"], author=b, text="You are worried and want a plan."
    )
    today = a.local_today()
    o["me_private"] = TimeBlock.objects.create(
        author=a,
        couple=couple,
        visibility=Visibility.PRIVATE,
        kind="me",
        day=today,
        minutes=60,
        note=f"{ALICE_PRIVATE_MARKER} alone",
    )
    o["we_block"] = TimeBlock.objects.create(
        author=a,
        couple=couple,
        visibility=Visibility.COUPLE,
        kind="we",
        day=today,
        minutes=90,
        note="walk",
    )
