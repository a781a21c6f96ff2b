"""Access cases for boundaries, and the boundary every web test's world holds."""

from __future__ import annotations

import uuid

from counterpoint.practices.boundaries import services
from tests.web.access import AUTHOR_ONLY, COUPLE_ONLY, SIGNED_IN_ONLY, Case, expect
from tests.web.conftest import WORLD_SEEDERS

ONLY_B = {"A": 404, "B": 302, "C": 404, "T": 404, "anon": 302}


def seed(w) -> None:
    """Alice states a boundary through the boundary form's service."""
    w.objects["alice_boundary"], _ = services.boundary_state(
        user=w.alice,
        what="Saturday mornings are mine",
        why="I recharge alone.",
        submission_key=uuid.uuid4().hex,
    )


if seed not in WORLD_SEEDERS:
    WORLD_SEEDERS.append(seed)


def _pk(name: str):
    return lambda w: {"pk": w.objects[name].pk}


CASES = [
    Case("boundaries:list", SIGNED_IN_ONLY),
    Case("boundaries:new", SIGNED_IN_ONLY),
    Case(
        "boundaries:new",
        expect(SIGNED_IN_ONLY, A=302, B=302, C=302),  # Terry has no partner: the form explains
        method="post",
        data=lambda w: {"what": "Quiet mornings", "why": "I think better."},
        label="post",
    ),
    Case("boundaries:detail", COUPLE_ONLY, kwargs=_pk("alice_boundary")),
    Case("boundaries:revise", AUTHOR_ONLY, kwargs=_pk("alice_boundary")),
    Case(
        "boundaries:revise",
        expect(AUTHOR_ONLY, A=302),
        kwargs=_pk("alice_boundary"),
        method="post",
        data=lambda w: {"what": "Saturday mornings are mine", "why": "I recharge alone, slowly."},
        label="post",
    ),
    Case(
        "boundaries:retire",
        expect(AUTHOR_ONLY, A=302),
        kwargs=_pk("alice_boundary"),
        method="post",
    ),
    Case(
        "boundaries:acknowledge",
        ONLY_B,
        kwargs=_pk("alice_boundary"),
        method="post",
        data=lambda w: {"version": 1},
    ),
    Case(
        "boundaries:talk",
        ONLY_B,
        kwargs=_pk("alice_boundary"),
        method="post",
        data=lambda w: {"note": "Can we talk about brunch?"},
    ),
    # Only the author takes a shared item back (issue 10); a GET changes nothing.
    Case(
        "boundaries:make_private",
        expect(AUTHOR_ONLY, A=302),
        kwargs=_pk("alice_boundary"),
        method="post",
    ),
    Case(
        "boundaries:make_private",
        expect(SIGNED_IN_ONLY, A=405, B=405, C=405, T=405),
        kwargs=_pk("alice_boundary"),
        label="GET",
    ),
]
