from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "counterpoint.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Registers the account's own exporters (profile, sign-ins, couples).
        from counterpoint.accounts import alerts, reauth, services, signals  # noqa: F401
