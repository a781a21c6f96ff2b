"""Access cases for the safety center and re-authentication."""

from __future__ import annotations

from tests.web.access import SIGNED_IN_ONLY, Case, expect

SIGNED_IN_REDIRECT = expect(SIGNED_IN_ONLY, A=302, B=302, C=302, T=302)

CASES = [
    Case("safety:center", SIGNED_IN_ONLY),
    Case("safety:stop_sharing", SIGNED_IN_REDIRECT, method="post"),
    Case("safety:stop_sharing", dict.fromkeys(SIGNED_IN_ONLY, 405) | {"anon": 302}, label="get"),
    Case("safety:emergency_reset", SIGNED_IN_ONLY),
    Case(
        "safety:emergency_reset",
        SIGNED_IN_ONLY,
        method="post",
        data=lambda w: {"new_password1": "short", "new_password2": "other"},
        label="bad password",
    ),
    Case("safety:emergency_reset_done", SIGNED_IN_ONLY),
    Case("accounts:confirm", SIGNED_IN_ONLY),
    Case(
        "accounts:confirm",
        SIGNED_IN_ONLY,
        method="post",
        data=lambda w: {"password": "not-the-password"},
        label="wrong password",
    ),
]
