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
from counterpoint.practices.commitments import selectors, services
from counterpoint.practices.commitments.forms import CommitmentForm, ConfirmForm, MarkForm
from counterpoint.practices.commitments.models import Commitment
from counterpoint.practices.taking_back import item_make_private
from counterpoint.privacy import access


@login_required
def commitment_list(request: AuthedRequest) -> HttpResponse:
    items = list(selectors.commitments_readable(request.user))
    mine = [c for c in items if c.author_id == request.user.pk]
    to_me = [c for c in items if c.author_id != request.user.pk]
    to_confirm = [c for c in to_me if c.is_marked and not c.confirmed_at]
    return render(
        request,
        "commitments/list.html",
        {
            "open_mine": [c for c in mine if c.is_open],
            "open_to_me": [c for c in to_me if c.is_open],
            "to_confirm": to_confirm,
            "done": sorted(
                (c for c in items if not c.is_open and c not in to_confirm),
                key=lambda c: (c.due_on, c.pk),
                reverse=True,
            ),
            "record": selectors.reliability_record(request.user),
            "partner": partner_of(request.user),
            "today": request.user.local_today(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def commitment_new(request: AuthedRequest) -> HttpResponse:
    today = request.user.local_today()
    form = CommitmentForm(request.POST if request.method == "POST" else None, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            item, created = services.commitment_make(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if created:
                messages.success(request, _("Commitment made."))
            else:
                messages.info(request, _("That commitment was already saved; here it is."))
            return redirect("commitments:detail", pk=item.pk)
    return render(
        request,
        "commitments/new.html",
        {"form": form, "partner": partner_of(request.user), "today": today},
    )


def _detail(
    request: AuthedRequest,
    item: Commitment,
    mark_form: MarkForm | None = None,
    confirm_form: ConfirmForm | None = None,
) -> HttpResponse:
    is_mine = item.author_id == request.user.pk
    partner = partner_of(request.user)
    can_confirm = (
        not is_mine and partner is not None and item.is_marked and item.confirmed_at is None
    )
    return render(
        request,
        "commitments/detail.html",
        {
            "item": item,
            "is_mine": is_mine,
            "mark_form": (mark_form or MarkForm()) if is_mine and item.is_open else None,
            "confirm_form": (confirm_form or ConfirmForm()) if can_confirm else None,
        },
    )


@login_required
def commitment_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, access.get_readable_or_404(request.user, Commitment, pk=pk))


@login_required
@require_POST
def commitment_mark(request: AuthedRequest, pk: int) -> HttpResponse:
    item = access.get_own_or_404(request.user, Commitment, pk=pk)
    form = MarkForm(request.POST)
    if not form.is_valid():
        return _detail(request, item, mark_form=form)
    try:
        services.commitment_mark(user=request.user, commitment=item, **form.cleaned_data)
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Marked. Thank you for being straight about it."))
    return redirect("commitments:detail", pk=item.pk)


@login_required
@require_POST
def commitment_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.commitment_confirmable_or_404(request.user, pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _detail(request, item, confirm_form=form)
    try:
        services.commitment_confirm(
            user=request.user, commitment=item, view=form.cleaned_data["view"]
        )
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Confirmed."))
    return redirect("commitments:detail", pk=item.pk)


@login_required
@require_POST
def commitment_make_private(request: AuthedRequest, pk: int) -> HttpResponse:
    """Take a shared commitment back: "Only me" again, silently."""
    item = access.get_own_or_404(request.user, Commitment, pk=pk)
    item_make_private(user=request.user, item=item)
    messages.success(request, _("Only you can see it now. Nothing was sent to your partner."))
    return redirect("commitments:detail", pk=pk)
