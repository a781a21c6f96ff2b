"""Records for wins and struggles, decisions, repair, me/we time and notices, shared by the access
matrix and the feature tests, made through each practice's services as people make them. Alice's
unrevealed words carry ALICE_PRIVATE_MARKER: nobody else may ever see them, through any page, JSON,
export or notice."""

from __future__ import annotations

import uuid

from counterpoint.practices.decisions.services import decision_start, decision_view_enter
from counterpoint.practices.moments.services import moment_share
from counterpoint.practices.repair.services import repair_reflect, repair_share, repair_start
from counterpoint.practices.timebalance.services import time_block_add
from counterpoint.privacy.models import Visibility
from tests.web.conftest import ALICE_PRIVATE_MARKER


def _key() -> str:
    return uuid.uuid4().hex


def seed_together(w) -> None:
    a, b = w.alice, w.bob
    o = w.objects
    o["moment_private"], _ = moment_share(
        user=a,
        kind="struggle",
        text=f"{ALICE_PRIVATE_MARKER} a hard day I keep to myself",
        visibility=Visibility.PRIVATE,
        submission_key=_key(),
    )
    o["moment_shared"], _ = moment_share(
        user=a,
        kind="win",
        text="Got the job!",
        visibility=Visibility.PARTNER,
        submission_key=_key(),
    )
    o["decision"], _ = decision_start(
        user=a, title="Where to live", context="", submission_key=_key()
    )
    decision_view_enter(
        user=a,
        decision=o["decision"],
        preference=f"{ALICE_PRIVATE_MARKER} the city",
        reasons=f"{ALICE_PRIVATE_MARKER} reasons",
        importance=4,
    )
    o["repair"], _ = repair_start(user=a, topic="Saturday", submission_key=_key())
    repair_share(
        user=a,
        repair=o["repair"],
        feeling=f"{ALICE_PRIVATE_MARKER} hurt",
        need=f"{ALICE_PRIVATE_MARKER} time",
    )
    o["repair_reflecting"], _ = repair_start(user=b, topic="Money", submission_key=_key())
    repair_share(user=a, repair=o["repair_reflecting"], feeling="worried", need="a plan")
    repair_share(user=b, repair=o["repair_reflecting"], feeling="tired", need="rest")
    o["bob_reflection"] = repair_reflect(
        user=b, repair=o["repair_reflecting"], text="You are worried and want a plan."
    )
    today = a.local_today()
    o["me_private"], _ = time_block_add(
        user=a,
        kind="me",
        day=today,
        minutes=60,
        done=False,
        note=f"{ALICE_PRIVATE_MARKER} alone",
        visibility=Visibility.PRIVATE,
        submission_key=_key(),
    )
    o["we_block"], _ = time_block_add(
        user=a,
        kind="we",
        day=today,
        minutes=90,
        done=False,
        note="walk",
        submission_key=_key(),
    )
