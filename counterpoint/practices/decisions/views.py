from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from counterpoint.activity.services import notices_seen
from counterpoint.http import AuthedRequest
from counterpoint.practices.decisions import selectors, services
from counterpoint.practices.decisions.forms import DecisionForm, OutcomeForm, ViewForm
from counterpoint.practices.decisions.models import Decision
from counterpoint.privacy import access


@login_required
def decision_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "decisions/list.html",
        {
            "decisions": selectors.decisions_for(request.user),
            "waiting": selectors.waiting_for(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_new(request: AuthedRequest) -> HttpResponse:
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            decision, created = services.decision_start(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            if not created:
                messages.info(request, _("That decision was already started — here it is."))
            return redirect("decisions:detail", pk=decision.pk)
    return render(request, "decisions/new.html", {"form": form})


def _detail(
    request: AuthedRequest,
    decision: Decision,
    *,
    view_form: ViewForm | None = None,
    outcome_form: OutcomeForm | None = None,
    status: int = 200,
    unsaved: dict[str, Any] | None = None,
) -> HttpResponse:
    state = selectors.round_for(request.user, decision)
    can_act = access.can_edit(request.user, decision)
    context: dict[str, Any] = {
        "decision": decision,
        "state": state,
        "history": selectors.history_for(request.user, decision),
        "can_act": can_act,
        "view_form": (view_form or ViewForm())
        if can_act and decision.status == Decision.Status.OPEN and state.mine is None
        else None,
        "outcome_form": (outcome_form or OutcomeForm())
        if can_act and state.revealed and state.outcome is None
        else None,
        "unsaved": unsaved,
    }
    return render(request, "decisions/detail.html", context, status=status)


@login_required
def decision_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    notices_seen(user=request.user, link=request.path)
    return _detail(request, selectors.decision_for(request.user, pk))


@login_required
@require_POST
def decision_view_enter(request: AuthedRequest, pk: int) -> HttpResponse:
    decision = access.get_couple_writable_or_404(request.user, Decision, pk=pk)
    form = ViewForm(request.POST)
    if not form.is_valid():
        return _detail(request, decision, view_form=form, status=400)
    try:
        services.decision_view_enter(user=request.user, decision=decision, **form.cleaned_data)
    except ValidationError as exc:
        # E.g. a second tab: keep what was just typed on screen so nothing is lost.
        messages.warning(request, exc.messages[0])
        return _detail(request, decision, unsaved=form.cleaned_data, status=409)
    else:
        messages.success(request, _("Your view is saved."))
    return redirect("decisions:detail", pk=decision.pk)


@login_required
@require_POST
def decision_record(request: AuthedRequest, pk: int) -> HttpResponse:
    decision = access.get_couple_writable_or_404(request.user, Decision, pk=pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        return _detail(request, decision, outcome_form=form, status=400)
    try:
        services.decision_record(user=request.user, decision=decision, **form.cleaned_data)
    except ValidationError as exc:
        messages.warning(request, exc.messages[0])
    else:
        messages.success(request, _("Decision recorded."))
    return redirect("decisions:detail", pk=decision.pk)


@login_required
@require_POST
def decision_revisit(request: AuthedRequest, pk: int) -> HttpResponse:
    decision = access.get_couple_writable_or_404(request.user, Decision, pk=pk)
    try:
        services.decision_revisit(user=request.user, decision=decision)
    except ValidationError as exc:
        messages.warning(request, exc.messages[0])
    else:
        messages.success(request, _("Reopened. Each of you can enter a fresh view."))
    return redirect("decisions:detail", pk=decision.pk)


@login_required
def decision_json(request: AuthedRequest, pk: int) -> JsonResponse:
    decision = selectors.decision_for(request.user, pk)
    return JsonResponse(selectors.decision_row(request.user, decision))


@login_required
def decisions_json(request: AuthedRequest) -> JsonResponse:
    return JsonResponse(
        {
            "decisions": [
                selectors.decision_row(request.user, d)
                for d in selectors.decisions_for(request.user)
            ]
        }
    )
