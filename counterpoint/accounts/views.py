from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from counterpoint.accounts import services
from counterpoint.accounts.alerts import security_alert_send
from counterpoint.accounts.deletion import deletes_in_the_background
from counterpoint.accounts.forms import (
    ChangePasswordForm,
    ConfirmIdentityForm,
    DeleteAccountForm,
    NewPasswordForm,
    ResetPasswordForm,
    SettingsForm,
    SignInForm,
    SignupForm,
    TimeZoneForm,
)
from counterpoint.accounts.reauth import REPLAY_PREFIX, reauth_mark, require_recent_auth
from counterpoint.accounts.twofactor import two_factor_enabled
from counterpoint.accounts.twofactor_views import start_second_step
from counterpoint.couples.selectors import partner_of
from counterpoint.http import AnyRequest, AuthedRequest, local_path
from counterpoint.privacy.export import export_zip


@require_http_methods(["GET", "POST"])
def signup(request: AnyRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("pages:home")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.signup_request(**form.cleaned_data, next_url=request.GET.get("next", ""))
        return redirect("accounts:signup_sent")
    return render(request, "accounts/signup.html", {"form": form})


def signup_sent(request: AnyRequest) -> HttpResponse:
    """The one answer to every sign-up, whether or not the address has an account."""
    return render(request, "accounts/signup_sent.html")


@require_http_methods(["GET", "POST"])
def signup_confirm(request: AnyRequest, token: str) -> HttpResponse:
    """The link in the sign-up email. Opening it shows a button; pressing it creates the account
    (mail scanners that open links do not create accounts or sign anyone in)."""
    if request.user.is_authenticated:
        return redirect("pages:home")
    pending = services.signup_pending(token=token)
    if pending is None:
        return render(request, "accounts/signup_link_invalid.html", status=404)
    if request.method == "POST":
        next_url = local_path(pending.next_url, reverse("pages:home"))
        user = services.signup_finish(pending=pending)
        if user is None:
            messages.info(request, _("This address already has an account. Sign in to go on."))
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        services.signin_record(request=request, user=user)
        messages.success(request, _("Welcome to Counterpoint, %(name)s.") % {"name": user})
        return redirect(next_url)
    return render(request, "accounts/signup_confirm.html", {"email": pending.email})


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if two_factor_enabled(user):
            return start_second_step(self.request, user, self.get_success_url())
        response = super().form_valid(form)  # login() rotates the session key
        services.signin_record(request=self.request, user=user)
        return response


# Sent with every sign-out: the browser drops what it holds of this site besides cookies (its
# HTTP cache, and its storage: check-ins the offline queue kept, the service worker and its push
# subscription). On a shared device the next person finds nothing of the last one's there.
CLEAR_SITE_DATA = '"cache", "storage"'


def _device_cleared(response: HttpResponse) -> HttpResponse:
    response["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


@require_POST
def sign_out(request: AnyRequest) -> HttpResponse:
    services.sign_out(request=request)
    messages.info(request, _("You are signed out."))
    return _device_cleared(redirect("pages:welcome"))


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: AuthedRequest) -> HttpResponse:
    form = SettingsForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your settings are saved."))
        return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})


@login_required
@require_POST
def time_zone(request: AuthedRequest) -> HttpResponse:
    """Switch to the time zone this device is in (the offer on every page, static/js/app.js)."""
    form = TimeZoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That is not a time zone Counterpoint knows; nothing changed."))
        return redirect("accounts:settings")
    services.account_time_zone_set(user=request.user, time_zone=form.cleaned_data["time_zone"])
    messages.success(
        request,
        _("Counterpoint now uses %(zone)s for your days and times.")
        % {"zone": form.cleaned_data["time_zone"]},
    )
    return redirect(local_path(request.POST.get("next"), reverse("accounts:settings")))


@login_required
@require_recent_auth
def security(request: AuthedRequest) -> HttpResponse:
    sign_ins = list(request.user.sign_ins.all()[:20])
    live_keys = set(
        Session.objects.filter(
            session_key__in=[s.session_key for s in sign_ins if s.session_key],
            expire_date__gt=timezone.now(),
        ).values_list("session_key", flat=True)
    )
    active = [s for s in sign_ins if s.session_key in live_keys]
    return render(
        request,
        "accounts/security.html",
        {
            "sign_ins": sign_ins,
            "active_sessions": active,
            "current_key": request.session.session_key,
        },
    )


@login_required
@require_POST
def sign_out_everywhere(request: AuthedRequest) -> HttpResponse:
    services.sign_out_everywhere(request=request, user=request.user)
    messages.success(request, _("Every other session of your account is now signed out."))
    return redirect("accounts:security")


@login_required
@require_recent_auth
def my_data(request: AuthedRequest) -> HttpResponse:
    return render(request, "accounts/my_data.html")


@login_required
@require_recent_auth
def export_download(request: AuthedRequest) -> HttpResponse:
    now = timezone.now()
    payload = export_zip(request.user, now=now)
    response = HttpResponse(payload, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="counterpoint-export-{now:%Y%m%d-%H%M}.zip"'
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_recent_auth
@require_http_methods(["GET", "POST"])
def delete_account(request: AuthedRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        done = services.account_delete(
            user=user, remove_couple_items=form.cleaned_data["remove_couple_items"]
        )
        if done:
            messages.info(request, _("Your account and your data have been deleted."))
        else:
            messages.info(
                request,
                _(
                    "Your account is closed and your data is being deleted. Your studies hold a "
                    "lot of answers, so that finishes in the background, in a few minutes; "
                    "nobody can sign in to the account meanwhile."
                ),
            )
        return _device_cleared(redirect("pages:welcome"))
    return render(
        request,
        "accounts/delete.html",
        {
            "form": form,
            "partner": partner_of(request.user),
            "in_the_background": deletes_in_the_background(request.user),
        },
    )


CONFIRM_FAILURES_KEY = "counterpoint_confirm_failures"
CONFIRM_FAILURE_LIMIT = 5


@login_required
@require_http_methods(["GET", "POST"])
def confirm_identity(request: AuthedRequest) -> HttpResponse:
    """The re-authentication page; five wrong answers in one session sign it out.

    Once confirmed, the person goes where they were going: a GET to its address; a POST that was
    waiting for this confirmation to a page whose one button sends it again (with what was
    entered, minus passwords and codes, which its form asks for again).
    """
    next_url = local_path(
        request.POST.get("next") or request.GET.get("next"), reverse("accounts:security")
    )
    form = ConfirmIdentityForm(
        request.POST if request.method == "POST" else None, user=request.user
    )
    replay = [
        (name, value)
        for name in request.POST
        if name.startswith(REPLAY_PREFIX)
        for value in request.POST.getlist(name)
    ]
    repeat_post = request.POST.get("repeat_post") == "1" or bool(replay)
    widening = request.POST.get("widening") == "1"
    if request.method == "POST":
        if form.is_valid():
            request.session.pop(CONFIRM_FAILURES_KEY, None)
            reauth_mark(request)
            if repeat_post:  # a form that was waiting for this confirmation: one press sends it
                fields = [(name.removeprefix(REPLAY_PREFIX), value) for name, value in replay]
                return render(
                    request,
                    "accounts/confirmed_continue.html",
                    {"fields": fields, "next": next_url, "widening": widening},
                )
            return redirect(next_url)
        failures = int(request.session.get(CONFIRM_FAILURES_KEY, 0)) + 1
        request.session[CONFIRM_FAILURES_KEY] = failures
        if failures >= CONFIRM_FAILURE_LIMIT:
            services.sign_out(request=request)
            messages.info(request, _("You are signed out. Sign in again to go on."))
            return _device_cleared(redirect("accounts:login"))
    return render(
        request,
        "accounts/confirm.html",
        {
            "form": form,
            "next": next_url,
            "replay": replay,
            "repeat_post": repeat_post,
            "widening": widening,
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        security_alert_send(user=form.user, event="password_changed")
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        security_alert_send(user=form.user, event="password_changed")
        return response


password_change = login_required(PasswordChangeView.as_view())
password_change_done = login_required(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)


class PasswordResetView(auth_views.PasswordResetView):
    """The reset link is built from SITE_URL (the public address), not from the request's host."""

    form_class = ResetPasswordForm

    def form_valid(self, form: Any) -> HttpResponse:
        self.extra_email_context = {"site_url": django_settings.SITE_URL}
        return super().form_valid(form)


password_reset = PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
