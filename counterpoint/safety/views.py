"""Safety center views (thin: selectors, forms and the two services)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from counterpoint.accounts.reauth import require_recent_auth
from counterpoint.couples.selectors import active_couple
from counterpoint.http import AuthedRequest
from counterpoint.safety import selectors, services
from counterpoint.safety.forms import EmergencyResetForm
from counterpoint.safety.sharing import sharing_stop_all


@login_required
def center(request: AuthedRequest) -> HttpResponse:
    """Who sees what, and the way out: stop sharing, emergency reset, quick exit."""
    return render(request, "safety/center.html", {"view": selectors.who_sees_what(request.user)})


@login_required
@require_POST
def stop_sharing(request: AuthedRequest) -> HttpResponse:
    """Narrowing needs no fresh confirmation: someone in danger must be able to do it at once."""
    sharing_stop_all(user=request.user)
    messages.success(
        request,
        _("You now share nothing with your partner. They are not told; they simply see less."),
    )
    return redirect("safety:center")


@login_required
@require_recent_auth
@require_http_methods(["GET", "POST"])
def emergency_reset(request: AuthedRequest) -> HttpResponse:
    paired = active_couple(request.user) is not None
    form = EmergencyResetForm(
        request.user, request.POST if request.method == "POST" else None, paired=paired
    )
    if request.method == "POST" and form.is_valid():
        services.emergency_reset(
            request=request,
            user=request.user,
            new_password=form.cleaned_data["new_password1"],
            unpair=bool(form.cleaned_data.get("unpair")),
            remove_sign_in_methods=bool(form.cleaned_data.get("remove_sign_in_methods")),
        )
        return redirect("safety:emergency_reset_done")
    return render(request, "safety/emergency_reset.html", {"form": form, "paired": paired})


@login_required
def emergency_reset_done(request: AuthedRequest) -> HttpResponse:
    return render(request, "safety/emergency_reset_done.html")
