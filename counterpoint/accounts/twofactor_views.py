"""Views for two-factor sign-in and passkeys (thin: the work is in twofactor.py and passkeys.py)."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from counterpoint.accounts import passkeys, services, twofactor
from counterpoint.accounts.forms import CODE_EMPTY
from counterpoint.accounts.models import User
from counterpoint.accounts.reauth import require_recent_auth
from counterpoint.http import AnyRequest, AuthedRequest, local_path

PENDING_KEY = "counterpoint_two_factor_pending"
PENDING_SECONDS = 300
PENDING_FAILURE_LIMIT = 5
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        help_text=gettext_lazy(
            "Six digits from your authenticator app, or one of your recovery codes."
        ),
        error_messages={"required": CODE_EMPTY},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class PasskeyNameForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name for this passkey"),
        max_length=60,
        initial=gettext_lazy("My phone"),
        help_text=gettext_lazy("Only you see it: it helps you tell your passkeys apart."),
        error_messages={"required": gettext_lazy("Give the passkey a name.")},
    )


def start_second_step(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    """Password was right and two-factor is on: ask for the code before signing in."""
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "at": int(time.time()),
        "next": next_url,
        "failures": 0,
    }
    return redirect("accounts:login_code")


@receiver(user_logged_in, dispatch_uid="counterpoint.accounts.twofactor_views.sign_in_ends")
def _sign_in_ends_half_done_ones(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """A sign-in, whichever way, ends the ones this browser had under way: a password step
    waiting for a code (perhaps someone else's) and a passkey challenge, with the short life a
    challenge gives a visitor's session. ``login()`` keeps the session's data when nobody was
    signed in, so they would otherwise stay."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(PENDING_KEY, None)
        request.session.pop(passkeys.SIGN_IN_KEY, None)
        request.session.set_expiry(None)  # SESSION_COOKIE_AGE


@require_http_methods(["GET", "POST"])
def login_code(request: AnyRequest) -> HttpResponse:
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        messages.info(request, _("Sign in again to go on."))
        return redirect("accounts:login")
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return redirect("accounts:login")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if twofactor.second_factor_verify(user=user, code=form.cleaned_data["code"]):
            request.session.pop(PENDING_KEY, None)
            login(request, user, backend=MODEL_BACKEND)
            services.signin_record(request=request, user=user)
            return redirect(pending["next"] or "pages:home")
        pending["failures"] += 1
        request.session[PENDING_KEY] = pending
        if pending["failures"] >= PENDING_FAILURE_LIMIT:
            request.session.pop(PENDING_KEY, None)
            messages.info(request, _("Too many wrong codes. Sign in again to go on."))
            return redirect("accounts:login")
        form.add_error("code", _("That code is not right, or it was already used."))
    return render(request, "accounts/login_code.html", {"form": form})


@login_required
@require_recent_auth
def two_factor(request: AuthedRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enabled": twofactor.two_factor_enabled(user),
            "codes_left": twofactor.recovery_codes_left(user),
            "passkeys": list(user.passkeys.all()),
            "name_form": PasskeyNameForm(),
        },
    )


@login_required
@require_recent_auth
@require_POST
def totp_start(request: AuthedRequest) -> HttpResponse:
    twofactor.totp_enrol_start(user=request.user)
    return redirect("accounts:totp_setup")


@login_required
@require_recent_auth
@require_http_methods(["GET", "POST"])
def totp_setup(request: AuthedRequest) -> HttpResponse:
    device = twofactor.totp_pending(request.user)
    if device is None:
        return redirect("accounts:two_factor")
    form = CodeForm(request.POST if request.method == "POST" else None)
    form.fields["code"].help_text = _("The six digits your authenticator app shows now.")
    form.fields["code"].error_messages["required"] = _(
        "Please enter the six digits your authenticator app shows now."
    )
    if request.method == "POST" and form.is_valid():
        codes = twofactor.totp_enrol_confirm(
            user=request.user, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            messages.success(request, _("Two-factor sign-in is on."))
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        form.add_error("code", _("That code is not right. Check the app's clock and try again."))
    return render(
        request,
        "accounts/totp_setup.html",
        {
            "form": form,
            "secret": twofactor.totp_secret(device),
            "qr_svg": twofactor.totp_qr_svg(device),
        },
    )


@login_required
@require_recent_auth
@require_POST
def two_factor_disable(request: AuthedRequest) -> HttpResponse:
    if twofactor.two_factor_disable(user=request.user):
        messages.success(request, _("Two-factor sign-in is off."))
    return redirect("accounts:two_factor")


@login_required
@require_recent_auth
@require_POST
def recovery_codes(request: AuthedRequest) -> HttpResponse:
    if not twofactor.two_factor_enabled(request.user):
        return redirect("accounts:two_factor")
    codes = twofactor.recovery_codes_new(user=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@login_required
@require_recent_auth
@require_POST
def passkey_register_options(request: AuthedRequest) -> HttpResponse:
    options = passkeys.passkey_registration_options(request=request, user=request.user)
    return HttpResponse(options, content_type="application/json")


@login_required
@require_recent_auth
@require_POST
def passkey_register(request: AuthedRequest) -> HttpResponse:
    form = PasskeyNameForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": form.errors["name"][0]}, status=400)
    try:
        passkeys.passkey_register(
            request=request,
            user=request.user,
            credential=request.POST.get("credential", ""),
            name=form.cleaned_data["name"],
        )
    except passkeys.PasskeyError:
        return JsonResponse({"error": _("The passkey could not be added. Try again.")}, status=400)
    messages.success(request, _("The passkey is added."))
    return JsonResponse({"redirect": reverse("accounts:two_factor")})


@login_required
@require_recent_auth
@require_http_methods(["GET", "POST"])
def passkey_rename(request: AuthedRequest, pk: int) -> HttpResponse:
    key = request.user.passkeys.filter(pk=pk).first()
    if key is None:
        return HttpResponse(status=404)
    form = PasskeyNameForm(
        request.POST if request.method == "POST" else None, initial={"name": key.name}
    )
    if request.method == "POST" and form.is_valid():
        if passkeys.passkey_rename(user=request.user, pk=pk, name=form.cleaned_data["name"]):
            messages.success(request, _("The passkey is renamed."))
            return redirect("accounts:two_factor")
        return HttpResponse(status=404)  # removed meanwhile (another tab)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "accounts/passkey_rename.html", {"key": key, "form": form}, status=status
    )


@login_required
@require_recent_auth
@require_POST
def passkey_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    if passkeys.passkey_remove(user=request.user, pk=pk):
        messages.success(request, _("The passkey is removed."))
        return redirect("accounts:two_factor")
    return HttpResponse(status=404)


@require_POST
def passkey_sign_in_options(request: AnyRequest) -> HttpResponse:
    return HttpResponse(
        passkeys.passkey_sign_in_options(request=request), content_type="application/json"
    )


@require_POST
def passkey_sign_in(request: AnyRequest) -> HttpResponse:
    try:
        user = passkeys.passkey_authenticate(
            request=request, credential=request.POST.get("credential", "")
        )
    except passkeys.PasskeyError:
        return JsonResponse(
            {"error": _("That passkey did not sign you in. Use your password instead.")},
            status=400,
        )
    login(request, user, backend=MODEL_BACKEND)
    services.signin_record(request=request, user=user)
    return JsonResponse({"redirect": local_path(request.POST.get("next"), reverse("pages:home"))})
