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
from counterpoint.practices.support import selectors, services
from counterpoint.practices.support.forms import (
    SupportAnswerForm,
    SupportLandingForm,
    SupportRequestForm,
)
from counterpoint.practices.support.models import SupportRequest
from counterpoint.practices.taking_back import item_make_private
from counterpoint.privacy import access


@login_required
def request_list(request: AuthedRequest) -> HttpResponse:
    threads = selectors.support_threads(request.user)
    waiting = [t for t in threads if t.author_id != request.user.pk and not t.visible_response]  # type: ignore[attr-defined]
    return render(
        request,
        "support/list.html",
        {"threads": threads, "waiting": waiting, "partner": partner_of(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: AuthedRequest) -> HttpResponse:
    partner = partner_of(request.user)
    form = SupportRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            item, created = services.support_request_create(
                user=request.user,
                kind=form.cleaned_data["kind"],
                details=form.cleaned_data["details"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if created:
                messages.success(request, _("Sent. Your partner will see it when they next look."))
            else:
                messages.info(request, _("That request was already sent; here it is."))
            return redirect("support:detail", pk=item.pk)
    return render(request, "support/new.html", {"form": form, "partner": partner})


def _detail(
    request: AuthedRequest,
    item: SupportRequest,
    answer_form: SupportAnswerForm | None = None,
    landing_form: SupportLandingForm | None = None,
) -> HttpResponse:
    response = selectors.support_response_for(request.user, item)
    is_mine = item.author_id == request.user.pk
    can_answer = not is_mine and response is None and partner_of(request.user) is not None
    can_land = is_mine and response is not None and not item.landed
    return render(
        request,
        "support/detail.html",
        {
            "item": item,
            "response": response,
            "is_mine": is_mine,
            "answer_form": (answer_form or SupportAnswerForm()) if can_answer else None,
            "landing_form": (landing_form or SupportLandingForm()) if can_land else None,
        },
    )


@login_required
def request_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    item = access.get_readable_or_404(request.user, SupportRequest, pk=pk)
    return _detail(request, item)


@login_required
@require_POST
def request_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.support_request_answerable_or_404(request.user, pk)
    form = SupportAnswerForm(request.POST)
    if not form.is_valid():
        return _detail(request, item, answer_form=form)
    try:
        services.support_request_answer(
            user=request.user, support_request=item, **form.cleaned_data
        )
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Answer sent."))
    return redirect("support:detail", pk=item.pk)


@login_required
@require_POST
def request_land(request: AuthedRequest, pk: int) -> HttpResponse:
    item = access.get_own_or_404(request.user, SupportRequest, pk=pk)
    form = SupportLandingForm(request.POST)
    if not form.is_valid():
        return _detail(request, item, landing_form=form)
    try:
        services.support_request_land(
            user=request.user,
            support_request=item,
            landed=form.cleaned_data["landed"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you for saying how it landed."))
    return redirect("support:detail", pk=item.pk)


@login_required
@require_POST
def request_make_private(request: AuthedRequest, pk: int) -> HttpResponse:
    """Take a support request back: "Only me" again, silently."""
    item = access.get_own_or_404(request.user, SupportRequest, pk=pk)
    item_make_private(user=request.user, item=item)
    messages.success(request, _("Only you can see it now. Nothing was sent to your partner."))
    return redirect("support:detail", pk=pk)
