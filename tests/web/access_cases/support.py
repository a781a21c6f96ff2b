"""Access cases for support requests, and the requests every web test's world holds."""

from __future__ import annotations

import uuid

from counterpoint.practices.support import services
from counterpoint.practices.support.models import SupportKind
from tests.web.access import AUTHOR_ONLY, COUPLE_ONLY, SIGNED_IN_ONLY, Case, expect
from tests.web.conftest import WORLD_SEEDERS

ONLY_B = {"A": 404, "B": 302, "C": 404, "T": 404, "anon": 302}


def seed(w) -> None:
    """Requests and an answer made through the support forms' services."""

    def request(author, details):
        made, _ = services.support_request_create(
            user=author,
            kind=SupportKind.LISTENING,
            details=details,
            submission_key=uuid.uuid4().hex,
        )
        return made

    w.objects["alice_support"] = request(w.alice, "Alice could use an ear")
    w.objects["bob_support"] = request(w.bob, "Bob could use a hand")
    services.support_request_answer(
        user=w.alice, support_request=w.objects["bob_support"], offer="yes", message="Tonight, yes."
    )
    w.objects["carol_support"] = request(w.carol, "Carol asks Dave")


if seed not in WORLD_SEEDERS:
    WORLD_SEEDERS.append(seed)


def _pk(name: str):
    return lambda w: {"pk": w.objects[name].pk}


CASES = [
    Case("support:list", SIGNED_IN_ONLY),
    Case("support:new", SIGNED_IN_ONLY),
    Case(
        "support:new",
        expect(SIGNED_IN_ONLY, A=302, B=302, C=302),  # Terry has no partner: the form explains
        method="post",
        data=lambda w: {"kind": "hug"},
        label="post",
    ),
    Case("support:detail", COUPLE_ONLY, kwargs=_pk("alice_support")),
    Case(
        "support:detail",
        {"A": 404, "B": 404, "C": 200, "T": 404, "anon": 302},
        kwargs=_pk("carol_support"),
        label="other couple",
    ),
    Case(
        "support:answer",
        ONLY_B,
        kwargs=_pk("alice_support"),
        method="post",
        data=lambda w: {"offer": "yes", "message": "I'm here", "when": "now"},
    ),
    Case(
        "support:land",
        ONLY_B,
        kwargs=_pk("bob_support"),
        method="post",
        data=lambda w: {"landed": "helped"},
    ),
    # Only the author takes a shared item back (issue 10); a GET changes nothing.
    Case(
        "support:make_private",
        expect(AUTHOR_ONLY, A=302),
        kwargs=_pk("alice_support"),
        method="post",
    ),
    Case(
        "support:make_private",
        expect(SIGNED_IN_ONLY, A=405, B=405, C=405, T=405),
        kwargs=_pk("alice_support"),
        label="GET",
    ),
]
