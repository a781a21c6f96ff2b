"""Access cases for commitments, and the commitments every web test's world holds."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from counterpoint.practices.commitments.models import Commitment, Outcome
from counterpoint.privacy.models import Visibility
from tests.web.access import AUTHOR_ONLY, COUPLE_ONLY, SIGNED_IN_ONLY, Case, expect
from tests.web.conftest import WORLD_SEEDERS

ONLY_B = {"A": 404, "B": 302, "C": 404, "T": 404, "anon": 302}


def seed(w) -> None:
    soon = timezone.localdate() + dt.timedelta(days=3)
    w.objects["alice_commitment"] = Commitment.objects.create(
        author=w.alice,
        couple=w.couple,
        visibility=Visibility.PARTNER,
        promise="book the train",
        due_on=soon,
    )
    w.objects["alice_commitment_kept"] = Commitment.objects.create(
        author=w.alice,
        couple=w.couple,
        visibility=Visibility.PARTNER,
        promise="water the plants",
        due_on=soon,
        outcome=Outcome.KEPT,
        marked_at=timezone.now(),
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
]
