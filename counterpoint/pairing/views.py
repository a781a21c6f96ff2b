from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from counterpoint.couples import selectors
from counterpoint.couples.models import Invite
from counterpoint.http import AnyRequest, AuthedRequest
from counterpoint.pairing import services
from counterpoint.pairing.forms import AcceptInviteForm, UnpairForm


@login_required
def couple_home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    couple = selectors.active_couple(user)
    invite = None
    if couple is None:
        invite = (
            Invite.objects.filter(inviter=user, used_at__isnull=True, revoked_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if invite is not None and not invite.is_open:
            invite = None
    former = selectors.couples_ever(user).exclude(ended_at__isnull=True).order_by("-ended_at")
    return render(
        request,
        "couples/home.html",
        {
            "couple": couple,
            "partner": selectors.partner_of(user),
            "invite": invite,
            "invite_url": request.build_absolute_uri(
                reverse("couples:join", kwargs={"token": invite.token})
            )
            if invite
            else None,
            "accept_form": AcceptInviteForm(),
            "former_couples": former,
        },
    )


@login_required
@require_POST
def invite_create(request: AuthedRequest) -> HttpResponse:
    try:
        services.invite_create(inviter=request.user)
    except services.PairingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Your invitation is ready. Send the link or the code to your partner.")
        )
    return redirect("couples:home")


@login_required
@require_POST
def invite_revoke(request: AuthedRequest) -> HttpResponse:
    services.invite_revoke(inviter=request.user)
    messages.info(request, _("Your invitation is withdrawn."))
    return redirect("couples:home")


@login_required
@require_POST
def invite_accept(request: AuthedRequest) -> HttpResponse:
    form = AcceptInviteForm(request.POST)
    if form.is_valid():
        try:
            services.invite_accept(user=request.user, code_or_token=form.cleaned_data["code"])
        except services.PairingError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, _("You are paired. Welcome, both of you."))
            return redirect("pages:home")
    couple = selectors.active_couple(request.user)
    return render(
        request,
        "couples/home.html",
        {
            "couple": couple,
            "partner": selectors.partner_of(request.user),
            "invite": None,
            "accept_form": form,
            "former_couples": [],
            # When paired, the accept form is not on the page: show the reason at the top.
            "error": form.errors.get("code", [""])[0] if couple else "",
        },
        status=400,
    )


@require_http_methods(["GET", "POST"])
def join(request: AnyRequest, token: str) -> HttpResponse:
    """The invitation link. A visitor without an account first learns who invited them and what
    Counterpoint is, signs up or in, then comes back here to accept."""
    invite = services.invite_find(code_or_token=token)
    if invite is None or invite.token != token:
        return render(request, "couples/join_invalid.html", status=404)
    back = reverse("couples:join", kwargs={"token": token})
    if not request.user.is_authenticated:
        if not invite.is_open:  # only an open invitation names the person who made it
            return render(request, "couples/join_invalid.html", status=404)
        if request.method == "POST":
            return redirect(f"{reverse('accounts:signup')}?{urlencode({'next': back})}")
        return render(
            request,
            "couples/join_welcome.html",
            {"invite": invite, "next_query": urlencode({"next": back})},
        )
    error = None
    if request.method == "POST":
        try:
            services.invite_accept(user=request.user, code_or_token=token)
        except services.PairingError as exc:
            error = str(exc)
        else:
            messages.success(request, _("You are paired. Welcome, both of you."))
            return redirect("pages:home")
    return render(
        request,
        "couples/join.html",
        {"invite": invite, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def unpair(request: AuthedRequest) -> HttpResponse:
    partner = selectors.partner_of(request.user)
    if partner is None:
        messages.info(request, _("You are not paired."))
        return redirect("couples:home")
    form = UnpairForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.couple_unpair(user=request.user)
        messages.success(request, _("You have unpaired. Your own data is still yours."))
        return redirect("couples:home")
    return render(request, "couples/unpair.html", {"form": form, "partner": partner})
