"""Access cases for commitments, and the commitments every web test's world holds."""

from __future__ import annotations

import datetime as dt
import uuid

from counterpoint.practices.commitments import services
from counterpoint.practices.commitments.models import Outcome
from tests.web.access import AUTHOR_ONLY, COUPLE_ONLY, SIGNED_IN_ONLY, Case, expect
from tests.web.conftest import WORLD_SEEDERS

ONLY_B = {"A": 404, "B": 302, "C": 404, "T": 404, "anon": 302}


def seed(w) -> None:
    """Alice makes two promises through the commitment form's service and keeps one."""
    soon = w.alice.local_today() + dt.timedelta(days=3)
    w.objects["alice_commitment"], _ = services.commitment_make(
        user=w.alice, promise="book the train", due_on=soon, submission_key=uuid.uuid4().hex
    )
    kept, _ = services.commitment_make(
        user=w.alice, promise="water the plants", due_on=soon, submission_key=uuid.uuid4().hex
    )
    w.objects["alice_commitment_kept"] = services.commitment_mark(
        user=w.alice, commitment=kept, outcome=Outcome.KEPT
    )


if seed not in WORLD_SEEDERS:
    WORLD_SEEDERS.append(seed)


def _pk(name: str):
    return lambda w: {"pk": w.objects[name].pk}


CASES = [
    Case("commitments:list", SIGNED_IN_ONLY),
    Case("commitments:new", SIGNED_IN_ONLY),
    Case(
        "commitments:new",
        expect(SIGNED_IN_ONLY, A=302, B=302, C=302),  # Terry has no partner: the form explains
        method="post",
        data=lambda w: {"promise": "cook on Friday", "due_on": "2099-01-01"},
        label="post",
    ),
    Case("commitments:detail", COUPLE_ONLY, kwargs=_pk("alice_commitment")),
    Case(
        "commitments:mark",
        expect(AUTHOR_ONLY, A=302),
        kwargs=_pk("alice_commitment"),
        method="post",
        data=lambda w: {"outcome": "kept"},
    ),
    Case(
        "commitments:confirm",
        ONLY_B,
        kwargs=_pk("alice_commitment_kept"),
        method="post",
        data=lambda w: {"view": "agree"},
    ),
    # Only the author takes a shared item back (issue 10); a GET changes nothing.
    Case(
        "commitments:make_private",
        expect(AUTHOR_ONLY, A=302),
        kwargs=_pk("alice_commitment"),
        method="post",
    ),
    Case(
        "commitments:make_private",
        expect(SIGNED_IN_ONLY, A=405, B=405, C=405, T=405),
        kwargs=_pk("alice_commitment"),
        label="GET",
    ),
]
