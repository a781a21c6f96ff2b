"""Tell an account's owner, by email, about repeated failed sign-in attempts (issue 10)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.core.mail import send_mail
from django.dispatch import receiver
from django.utils.translation import gettext as _

from counterpoint.accounts.models import User


@receiver(user_locked_out, dispatch_uid="counterpoint.accounts.locked_out_email")
def tell_owner_about_failed_attempts(
    sender: Any,
    *,
    request: Any = None,
    username: str | None = None,
    ip_address: str | None = None,
    **_kw: Any,
) -> None:
    """Axes sends this on the attempt that pauses sign-in and on every later one while paused;
    the owner hears once, on the attempt that reached the limit (what was typed never travels)."""
    failures = getattr(request, "axes_failures_since_start", None)
    if not username or failures != settings.AXES_FAILURE_LIMIT:
        return
    user = User.objects.filter(email__iexact=username.strip(), is_active=True).first()
    if user is None:
        return  # no account: nobody to tell, and nothing said that reveals it
    send_mail(
        subject=_("Failed sign-in attempts on your Counterpoint account"),
        message=_(
            "Someone tried to sign in to your Counterpoint account several times with a wrong "
            "password, from the address %(address)s. Sign-in from that address is paused for an "
            "hour; you can still sign in from your own devices.\n\n"
            "If that was not you, consider changing your password: %(url)s/account/password/"
        )
        % {"address": ip_address or _("an unknown address"), "url": settings.SITE_URL},
        from_email=None,
        recipient_list=[user.email],
        fail_silently=True,
    )
