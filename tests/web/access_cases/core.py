"""Access cases for pages, accounts, couples and the journal."""

from __future__ import annotations

import itertools

from tests.web.access import (
    AUTHOR_ONLY,
    COUPLE_ONLY,
    PUBLIC,
    SIGNED_IN_ONLY,
    Case,
    expect,
)


def _pk(name: str):
    return lambda w: {"pk": w.objects[name].pk}


_signups = itertools.count()


def _signup_token(w):
    """A live sign-up link for a new address, made as the sign-up form makes it (a new address
    each time: one address gets at most three sign-up emails an hour)."""
    from counterpoint.accounts.services import signup_request
    from tests.factories import signup_link_path

    email = f"dana{next(_signups)}@example.org"
    signup_request(email=email, password="a long passphrase", display_name="Dana")
    return {"token": signup_link_path(email).split("/")[-2]}


def _terry_invite_token(w):
    from counterpoint.pairing.services import invite_create

    return {"token": invite_create(inviter=w.terry).token}


CASES = [
    # pages
    Case("pages:welcome", expect(PUBLIC, A=302, B=302, C=302, T=302)),
    Case("pages:home", SIGNED_IN_ONLY),
    # DEBUG-only; tests run with DEBUG off (tests/web/test_pages.py renders it with DEBUG on).
    Case("pages:patterns", {"A": 404, "B": 404, "C": 404, "T": 404, "anon": 404}),
    Case("pages:healthz", PUBLIC),
    # accounts
    Case("accounts:signup", expect(PUBLIC, A=302, B=302, C=302, T=302)),
    Case("accounts:signup_sent", PUBLIC),
    Case(
        "accounts:signup_confirm", expect(PUBLIC, A=302, B=302, C=302, T=302), kwargs=_signup_token
    ),
    Case(
        "accounts:signup_confirm",
        {"A": 302, "B": 302, "C": 302, "T": 302, "anon": 404},
        kwargs=lambda w: {"token": "not-a-signed-token"},
        label="bad link",
    ),
    Case("accounts:login", expect(PUBLIC, A=302, B=302, C=302, T=302)),
    Case("accounts:logout", expect(PUBLIC, A=302, B=302, C=302, T=302, anon=302), method="post"),
    Case("accounts:settings", SIGNED_IN_ONLY),
    Case("accounts:security", SIGNED_IN_ONLY),
    Case(
        "accounts:sign_out_everywhere",
        expect(SIGNED_IN_ONLY, A=302, B=302, C=302, T=302),
        method="post",
    ),
    Case("accounts:my_data", SIGNED_IN_ONLY),
    Case("accounts:export", SIGNED_IN_ONLY),
    Case("accounts:delete", SIGNED_IN_ONLY),
    Case(
        "accounts:delete",
        expect(SIGNED_IN_ONLY, A=200, B=200, C=200, T=200),
        method="post",
        data=lambda w: {"confirm": "nope", "password": "x"},
        label="wrong confirmation",
    ),
    Case("accounts:password_change", SIGNED_IN_ONLY),
    Case("accounts:password_change_done", SIGNED_IN_ONLY),
    Case("accounts:password_reset", PUBLIC),
    Case("accounts:password_reset_done", PUBLIC),
    Case(
        "accounts:password_reset_confirm",
        PUBLIC,
        kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"},
    ),
    Case("accounts:password_reset_complete", PUBLIC),
    # couples
    Case("couples:home", SIGNED_IN_ONLY),
    Case(
        "couples:invite_create",
        expect(SIGNED_IN_ONLY, A=302, B=302, C=302, T=302),
        method="post",
    ),
    Case(
        "couples:invite_revoke",
        expect(SIGNED_IN_ONLY, A=302, B=302, C=302, T=302),
        method="post",
    ),
    Case(
        "couples:invite_accept",
        expect(SIGNED_IN_ONLY, A=400, B=400, C=400, T=400),
        method="post",
        data=lambda w: {"code": "NOSUCHCD"},
    ),
    # A visitor with the link learns who invited them and what Counterpoint is (a public page).
    Case("couples:join", PUBLIC, kwargs=_terry_invite_token),
    Case(
        "couples:join",
        expect(SIGNED_IN_ONLY, A=404, B=404, C=404, T=404, anon=404),
        kwargs=lambda w: {"token": "not-a-real-token"},
        label="unknown token",
    ),
    Case("couples:unpair", expect(SIGNED_IN_ONLY, T=302)),
    # journal
    Case("journal:list", SIGNED_IN_ONLY),
    Case("journal:new", SIGNED_IN_ONLY),
    Case("journal:detail", AUTHOR_ONLY, kwargs=_pk("alice_private"), label="private"),
    Case("journal:detail", COUPLE_ONLY, kwargs=_pk("alice_shared"), label="partner-shared"),
    Case("journal:edit", AUTHOR_ONLY, kwargs=_pk("alice_private"), label="private"),
    Case("journal:edit", AUTHOR_ONLY, kwargs=_pk("alice_shared"), label="partner-shared"),
    Case("journal:delete", AUTHOR_ONLY, kwargs=_pk("alice_shared")),
    Case(
        "journal:edit",
        expect(AUTHOR_ONLY, A=302),
        kwargs=_pk("alice_shared"),
        method="post",
        data=lambda w: {"body": "changed", "visibility": "partner"},
        label="post",
    ),
    Case(
        "journal:delete",
        expect(AUTHOR_ONLY, A=302),
        kwargs=_pk("alice_private"),
        method="post",
        label="post",
    ),
]

CASES += [Case("practices:hub", SIGNED_IN_ONLY)]
