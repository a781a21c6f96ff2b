"""Re-authentication: a fresh confirmation of identity before sensitive actions.

Signing in counts as a confirmation; so does the confirm page (password, plus a code when two-factor
sign-in is on). It stays fresh for ``REAUTH_MAX_AGE_SECONDS``. Views opt in with
:func:`require_recent_auth`, the one helper every sensitive view uses.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

SESSION_KEY = "counterpoint_reauth_at"
REPLAY_PREFIX = "replay__"
VISIBILITY_RANK = {"private": 0, "partner": 1, "couple": 2}


def reauth_mark(request: HttpRequest) -> None:
    """Record that the person has just confirmed who they are."""
    request.session[SESSION_KEY] = int(time.time())


def reauth_is_fresh(request: HttpRequest) -> bool:
    stamp = request.session.get(SESSION_KEY)
    if not isinstance(stamp, int):
        return False
    return 0 <= time.time() - stamp <= settings.REAUTH_MAX_AGE_SECONDS


def reauth_url(next_path: str) -> str:
    return f"{reverse('accounts:confirm')}?{urlencode({'next': next_path})}"


def require_recent_auth(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send the person to the confirm page first unless they confirmed within the last minutes.

    Goes inside ``login_required`` (anonymous visitors are sent to sign in, not to confirm).
    A POST that arrives stale is not carried out; the person confirms and does it again.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not reauth_is_fresh(request):
            return redirect(reauth_url(request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapped


def widens(old: str | None, new: str | None) -> bool:
    """Whether changing an item's visibility from ``old`` to ``new`` lets more people see it."""
    return VISIBILITY_RANK.get(new or "", 0) > VISIBILITY_RANK.get(old or "", 0)


def confirm_before_widening(request: HttpRequest, *, widening: bool) -> HttpResponse | None:
    """The one check every view runs before a change that shows more to someone else.

    Returns ``None`` when the change may go ahead; otherwise the confirm page, which carries the
    submitted form along so that, once confirmed, one press saves exactly what was entered.
    """
    from counterpoint.accounts.forms import ConfirmIdentityForm

    if not widening or reauth_is_fresh(request):
        return None
    replay = [
        (f"{REPLAY_PREFIX}{name}", value)
        for name in request.POST
        if name != "csrfmiddlewaretoken"
        for value in request.POST.getlist(name)
    ]
    return render(
        request,
        "accounts/confirm.html",
        {
            "form": ConfirmIdentityForm(user=request.user),  # type: ignore[arg-type]
            "next": request.get_full_path(),
            "replay": replay,
            "widening": True,
        },
    )


@receiver(user_logged_in, dispatch_uid="counterpoint.accounts.reauth.on_sign_in")
def _signed_in(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        reauth_mark(request)
