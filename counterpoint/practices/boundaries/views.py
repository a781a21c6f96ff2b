from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from counterpoint.couples.selectors import partner_of
from counterpoint.http import AuthedRequest
from counterpoint.practices.boundaries import selectors, services
from counterpoint.practices.boundaries.forms import (
    AcknowledgeForm,
    BoundaryForm,
    ReviseForm,
    TalkForm,
)
from counterpoint.practices.boundaries.models import Boundary, EventKind
from counterpoint.privacy import access


@login_required
def boundary_list(request: AuthedRequest) -> HttpResponse:
    items = selectors.with_responses(
        request.user, list(selectors.boundaries_readable(request.user))
    )
    return render(
        request,
        "boundaries/list.html",
        {
            "mine": [b for b in items if b.author_id == request.user.pk and b.is_active],
            "theirs": [b for b in items if b.author_id != request.user.pk and b.is_active],
            "set_aside": [b for b in items if not b.is_active],
            "partner": partner_of(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def boundary_new(request: AuthedRequest) -> HttpResponse:
    form = BoundaryForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            boundary, created = services.boundary_state(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if created:
                messages.success(request, _("Shared. Your partner will see it."))
            else:
                messages.info(request, _("That boundary was already shared; here it is."))
            return redirect("boundaries:detail", pk=boundary.pk)
    return render(
        request,
        "boundaries/form.html",
        {"form": form, "is_new": True, "partner": partner_of(request.user)},
    )


def _detail(
    request: AuthedRequest, boundary: Boundary, talk_form: TalkForm | None = None
) -> HttpResponse:
    is_mine = boundary.author_id == request.user.pk
    is_partners = boundary.is_active and access.is_partners_item(request.user, boundary)
    response = selectors.partner_response(request.user, boundary)
    acknowledged = response is not None and response.kind == EventKind.ACKNOWLEDGED
    return render(
        request,
        "boundaries/detail.html",
        {
            "boundary": boundary,
            "is_mine": is_mine,
            "is_partners": is_partners,
            "response": response,
            "acknowledged": acknowledged,
            "history": selectors.boundary_history(request.user, boundary),
            "talk_form": talk_form or TalkForm(),
        },
    )


@login_required
def boundary_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, access.get_readable_or_404(request.user, Boundary, pk=pk))


@login_required
@require_http_methods(["GET", "POST"])
def boundary_revise(request: AuthedRequest, pk: int) -> HttpResponse:
    boundary = access.get_own_or_404(request.user, Boundary, pk=pk)
    initial = {"what": boundary.what, "why": boundary.why, "what_helps": boundary.what_helps}
    form = ReviseForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.boundary_revise(
                user=request.user,
                boundary=boundary,
                what=data["what"],
                why=data["why"],
                what_helps=data["what_helps"],
                note=data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Revised. Your partner will read the new version."))
            return redirect("boundaries:detail", pk=boundary.pk)
    return render(
        request, "boundaries/form.html", {"form": form, "boundary": boundary, "is_new": False}
    )


@login_required
@require_POST
def boundary_retire(request: AuthedRequest, pk: int) -> HttpResponse:
    boundary = access.get_own_or_404(request.user, Boundary, pk=pk)
    try:
        services.boundary_retire(user=request.user, boundary=boundary)
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Set aside. It stays in your history."))
    return redirect("boundaries:detail", pk=boundary.pk)


@login_required
@require_POST
def boundary_acknowledge(request: AuthedRequest, pk: int) -> HttpResponse:
    boundary = selectors.boundary_of_partner_or_404(request.user, pk)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():  # without the version read, a rewording since could pass unread
        messages.warning(
            request, _("That didn't say which wording you read, so nothing was saved. Try again.")
        )
        return redirect("boundaries:detail", pk=boundary.pk)
    try:
        services.boundary_acknowledge(
            user=request.user, boundary=boundary, version=form.cleaned_data["version"]
        )
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you. Your partner will know you read it."))
    return redirect("boundaries:detail", pk=boundary.pk)


@login_required
@require_POST
def boundary_talk(request: AuthedRequest, pk: int) -> HttpResponse:
    boundary = selectors.boundary_of_partner_or_404(request.user, pk)
    form = TalkForm(request.POST)
    if not form.is_valid():
        return _detail(request, boundary, talk_form=form)
    try:
        _event, created = services.boundary_ask_to_talk(
            user=request.user, boundary=boundary, **form.cleaned_data
        )
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
    else:
        if created:
            messages.success(request, _("Sent. Find a good moment to talk."))
        else:
            messages.info(request, _("That was already sent."))
    return redirect("boundaries:detail", pk=boundary.pk)


@login_required
@require_POST
def boundary_make_private(request: AuthedRequest, pk: int) -> HttpResponse:
    """Take a shared boundary back: "Only me" again, silently."""
    boundary = access.get_own_or_404(request.user, Boundary, pk=pk)
    services.boundary_make_private(user=request.user, boundary=boundary)
    messages.success(request, _("Only you can see it now. Nothing was sent to your partner."))
    return redirect("boundaries:detail", pk=pk)
