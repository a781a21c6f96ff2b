"""Security alerts to the account's own email address.

Fixed texts only: an alert never carries anything a person wrote (no names of passkeys, no notes),
so an email read over someone's shoulder says what happened to the account and nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from counterpoint.accounts.models import User
from counterpoint.notify.services import push_device_added

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ALERTS: dict[str, tuple[StrOrPromise, StrOrPromise]] = {
    "password_changed": (
        gettext_lazy("Your Counterpoint password was changed"),
        gettext_lazy("The password of your Counterpoint account was changed."),
    ),
    "two_factor_on": (
        gettext_lazy("Two-factor sign-in is now on"),
        gettext_lazy("An authenticator app was set up for signing in to your account."),
    ),
    "two_factor_off": (
        gettext_lazy("Two-factor sign-in was turned off"),
        gettext_lazy("The authenticator app and recovery codes of your account were removed."),
    ),
    "recovery_codes_new": (
        gettext_lazy("New recovery codes were made"),
        gettext_lazy("New recovery codes were made for your account; the old ones no longer work."),
    ),
    "passkey_added": (
        gettext_lazy("A new passkey was added"),
        gettext_lazy("A new passkey (a device that can sign in to your account) was added."),
    ),
    "device_added": (
        gettext_lazy("A new device gets your notifications"),
        gettext_lazy("A browser was set up to receive your Counterpoint notifications."),
    ),
    "passkey_removed": (
        gettext_lazy("A passkey was removed"),
        gettext_lazy("A passkey was removed from your account."),
    ),
    "passkey_copied": (
        gettext_lazy("A passkey may have been copied"),
        gettext_lazy(
            "A passkey of your account answered a sign-in with a lower count of its uses than it "
            "had reported before, which is what a copy of it does. The sign-in was refused and "
            "the passkey removed: it no longer signs anyone in. If it was yours, sign in with "
            "your password and add it again."
        ),
    ),
}


def security_alert_send(*, user: User, event: str) -> None:
    """Email the owner that ``event`` happened. The email is stored with the current transaction
    (a rolled-back event sends nothing; a committed one is never lost between its commit and the
    queue) and delivered once it commits."""
    subject, line = ALERTS[event]
    body = _(
        "%(line)s\n\nIf that was you, there is nothing to do. If not, reset your password "
        "(%(url)s/account/password/reset/), then use the emergency reset in the safety center: "
        "%(url)s/safety/"
    ) % {"line": line, "url": settings.SITE_URL}
    email = user.email

    with transaction.atomic():  # a savepoint: an email that cannot be stored never undoes the event
        send_mail(
            subject=str(subject),
            message=body,
            from_email=None,
            recipient_list=[email],
            fail_silently=True,
        )


@receiver(push_device_added, dispatch_uid="counterpoint.accounts.alerts.device_added")
def _device_added(sender: Any, user: User, **kwargs: Any) -> None:
    security_alert_send(user=user, event="device_added")
