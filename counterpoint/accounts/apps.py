from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "counterpoint.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Registers the account's own exporters (profile, sign-ins, couples) and the receivers of
        # signals (alerts, reauth, signals, twofactor_views: a sign-in ends half-done ones).
        from counterpoint.accounts import (  # noqa: F401
            alerts,
            reauth,
            services,
            signals,
            twofactor_views,
        )
        from counterpoint.operations import versions

        # What the partner reads of a person's account: the name and email, whether it is active.
        # Not the password, the last sign-in, the session generation, nor the time zone: every
        # page shows days and times in the viewer's own zone, and a new zone says where someone
        # went (docs/privacy.md).
        shown = ("display_name", "email", "is_active")
        versions.partner_view(
            "accounts.User",
            lambda user: None if user is None else tuple(getattr(user, f) for f in shown),
            fields=shown,
        )
        versions.owner_only(
            "accounts.SignIn",
            "accounts.Passkey",
            "accounts.PendingSignup",
            "otp_totp.TOTPDevice",
            "otp_static.StaticDevice",
        )
