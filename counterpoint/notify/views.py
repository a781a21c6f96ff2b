"""Notifications and devices: quiet hours, push on this device, the list of devices (thin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from counterpoint.http import AuthedRequest, BadJSON, json_body
from counterpoint.notify import selectors, services
from counterpoint.notify.forms import NotifyPreferenceForm
from counterpoint.notify.keys import vapid_public_key


@login_required
@require_http_methods(["GET", "POST"])
def devices(request: AuthedRequest) -> HttpResponse:
    prefs = services.notify_preferences(user=request.user)
    form = NotifyPreferenceForm(request.POST if request.method == "POST" else None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        services.notify_preferences_update(user=request.user, values=form.cleaned_data)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notify:devices")
    return render(
        request,
        "notify/devices.html",
        {
            "form": form,
            "prefs": prefs,
            "devices": list(selectors.devices_of(request.user)),
            "vapid_public_key": vapid_public_key(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def subscribe(request: AuthedRequest) -> JsonResponse:
    """The browser's push subscription for this device (JSON, from static/js/push.js)."""
    try:
        data = json_body(request)
    except BadJSON as exc:
        return JsonResponse(
            {
                "error": _("This browser sent a subscription that is not readable: %(why)s.")
                % {"why": exc}
            },
            status=400,
        )
    keys = data.get("keys")
    keys = keys if isinstance(keys, dict) else {}
    try:
        sub = services.push_subscription_save(
            user=request.user,
            endpoint=_text(data.get("endpoint")),
            p256dh=_text(keys.get("p256dh")),
            auth=_text(keys.get("auth")),
            label=_text(data.get("label")),
        )
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    services.session_device_add(session=request.session, pk=sub.pk)
    return JsonResponse({"id": sub.pk}, status=201)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


@login_required
@require_POST
def device_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    if not services.push_subscription_remove(user=request.user, pk=pk):
        raise Http404  # not one of this person's devices (or already removed)
    messages.success(request, _("That device no longer gets notifications."))
    return redirect("notify:devices")


@login_required
@require_POST
def reminders_resume(request: AuthedRequest) -> HttpResponse:
    services.reminders_resume(user=request.user)
    messages.success(request, _("Reminders are back on."))
    return redirect("notify:devices")
