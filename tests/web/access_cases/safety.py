"""Access cases for the safety center and re-authentication."""

from __future__ import annotations

from tests.web.access import PUBLIC, SIGNED_IN_ONLY, Case, expect

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

ALL_302 = dict.fromkeys(SIGNED_IN_ONLY, 302)

CASES += [
    # two-factor sign-in: the code step only exists after a right password
    Case("accounts:login_code", ALL_302),
    Case("accounts:two_factor", SIGNED_IN_ONLY),
    Case("accounts:totp_start", ALL_302, method="post"),
    Case("accounts:totp_setup", ALL_302, label="nothing being set up"),
    Case("accounts:two_factor_disable", ALL_302, method="post"),
    Case("accounts:recovery_codes", ALL_302, method="post", label="two-factor is off"),
    # passkeys
    Case("accounts:passkey_register_options", SIGNED_IN_ONLY, method="post"),
    Case(
        "accounts:passkey_register",
        expect(SIGNED_IN_ONLY, A=400, B=400, C=400, T=400),
        method="post",
        data=lambda w: {"name": "Phone", "credential": "{}"},
        label="no ceremony under way",
    ),
    Case(
        "accounts:passkey_rename",
        expect(SIGNED_IN_ONLY, A=404, B=404, C=404, T=404),
        kwargs=lambda w: {"pk": 987654},
    ),
    Case(
        "accounts:passkey_rename",
        expect(SIGNED_IN_ONLY, A=404, B=404, C=404, T=404),
        method="post",
        data=lambda w: {"name": "Mine now"},
        kwargs=lambda w: {"pk": 987654},
    ),
    Case(
        "accounts:passkey_remove",
        expect(SIGNED_IN_ONLY, A=404, B=404, C=404, T=404),
        method="post",
        kwargs=lambda w: {"pk": 987654},
    ),
    Case("accounts:passkey_sign_in_options", PUBLIC, method="post"),
    Case(
        "accounts:passkey_sign_in",
        dict.fromkeys(SIGNED_IN_ONLY, 400),
        method="post",
        data=lambda w: {"credential": '{"id": "AAAA"}'},
        label="forged answer",
    ),
]
