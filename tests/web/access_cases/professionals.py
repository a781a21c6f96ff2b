"""Access cases for professionals: the couple's side and the professional's side."""

from __future__ import annotations

from tests.web.access import Case, expect
from tests.web.conftest import WORLD_SEEDERS
from tests.web.professionals_world import seed_professionals

WORLD_SEEDERS.append(seed_professionals)

EVERYONE = {"A": 200, "B": 200, "C": 200, "T": 200, "anon": 302}
PARTNER_POST = {"A": 302, "B": 302, "C": 404, "T": 404, "anon": 302}
# Only the consented professional sees the couple's overview; everyone else, including the
# partners themselves and every other professional, gets a 404.
ONLY_CONSENTED = {
    "A": 404,
    "B": 404,
    "C": 404,
    "T": 404,
    "anon": 302,
    "T_ok": 200,
    "T_one": 404,
    "T_rev": 404,
    "T_exp": 404,
}


def _link(name: str):
    return lambda w: {"pk": w.objects[name].pk}


CASES = [
    # the couple's side
    Case("professionals:couple", EVERYONE),
    Case(
        "professionals:invite",
        expect(EVERYONE, A=400, B=400, C=400, T=400),
        method="post",
        data=lambda w: {"email_or_code": "nobody@example.org"},
    ),
    Case(
        "professionals:grant",
        PARTNER_POST,
        kwargs=_link("link_one"),
        method="post",
        data=lambda w: {"scopes": ["checkin_trends"]},
    ),
    Case(
        "professionals:bring",
        PARTNER_POST,
        kwargs=_link("link_ok"),
        method="post",
        data=lambda w: {"text": "How we talk about money"},
    ),
    Case("professionals:end", expect(PARTNER_POST, A=200, B=200), kwargs=_link("link_ok")),
    Case("professionals:end", PARTNER_POST, kwargs=_link("link_ok"), method="post", label="post"),
    # the professional's side
    Case("professionals:home", {"A": 200, "B": 200, "C": 200, "T": 200, "anon": 200}),
    Case("professionals:profile", EVERYONE),
    Case("professionals:couple_view", ONLY_CONSENTED, kwargs=_link("link_ok")),
    Case(
        "professionals:couple_view",
        expect(ONLY_CONSENTED, T_ok=404),
        kwargs=_link("link_one"),
        label="one partner",
    ),
    Case(
        "professionals:couple_view",
        expect(ONLY_CONSENTED, T_ok=404),
        kwargs=_link("link_rev"),
        label="revoked",
    ),
    Case(
        "professionals:couple_view",
        expect(ONLY_CONSENTED, T_ok=404),
        kwargs=_link("link_exp"),
        label="expired",
    ),
    Case(
        "professionals:note",
        expect(ONLY_CONSENTED, T_ok=302),
        kwargs=_link("link_ok"),
        method="post",
        data=lambda w: {"text": "Try a ten-minute check-in on Sundays"},
    ),
]
