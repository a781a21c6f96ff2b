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
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

SESSION_KEY = "counterpoint_reauth_at"
REPLAY_PREFIX = "replay__"
NOT_REPLAYED = frozenset({"csrfmiddlewaretoken", "code", "credential"})
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
    """Ask for a fresh confirmation first unless the person confirmed within the last minutes.

    Goes inside ``login_required`` (anonymous visitors are sent to sign in, not to confirm).
    A stale GET goes to the confirm page and back to the same address. A stale POST is not carried
    out: the confirm page carries the submitted form along (:func:`confirm_page`) and, once
    confirmed, one press sends it again. A stale request from a script (``Accept:
    application/json``) gets a 403 with a message to show.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated or reauth_is_fresh(request):
            return view(request, *args, **kwargs)
        if request.method == "POST":
            if "application/json" in request.headers.get("Accept", ""):
                return JsonResponse(
                    {"error": _("For your safety, confirm it's you first: reload this page.")},
                    status=403,
                )
            return confirm_page(request)
        return redirect(reauth_url(request.get_full_path()))

    return wrapped


def _replayable(request: HttpRequest) -> list[tuple[str, str]]:
    """The submitted fields to carry through the confirm page: never the CSRF token, a password
    or a one-time code (they are not written into a page; the form asks for them again)."""
    return [
        (f"{REPLAY_PREFIX}{name}", value)
        for name in request.POST
        if name not in NOT_REPLAYED and "password" not in name
        for value in request.POST.getlist(name)
    ]


def confirm_page(request: HttpRequest, *, widening: bool = False) -> HttpResponse:
    """The confirm page in answer to a POST: it carries the form along to be sent again."""
    from counterpoint.accounts.forms import ConfirmIdentityForm

    return render(
        request,
        "accounts/confirm.html",
        {
            "form": ConfirmIdentityForm(user=request.user),  # type: ignore[arg-type]
            "next": request.get_full_path(),
            "replay": _replayable(request),
            "repeat_post": True,
            "widening": widening,
        },
    )


def widens(old: str | None, new: str | None) -> bool:
    """Whether changing an item's visibility from ``old`` to ``new`` lets more people see it."""
    return VISIBILITY_RANK.get(new or "", 0) > VISIBILITY_RANK.get(old or "", 0)


def confirm_before_widening(request: HttpRequest, *, widening: bool) -> HttpResponse | None:
    """The one check every view runs before a change that shows more to someone else.

    Returns ``None`` when the change may go ahead; otherwise the confirm page, which carries the
    submitted form along so that, once confirmed, one press saves exactly what was entered.
    """
    if not widening or reauth_is_fresh(request):
        return None
    return confirm_page(request, widening=True)


@receiver(user_logged_in, dispatch_uid="counterpoint.accounts.reauth.on_sign_in")
def _signed_in(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        reauth_mark(request)
