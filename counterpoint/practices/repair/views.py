from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from counterpoint.activity.services import notices_seen
from counterpoint.http import AuthedRequest
from counterpoint.practices.repair import selectors, services
from counterpoint.practices.repair.forms import (
    AgreeForm,
    AnswerForm,
    CloseForm,
    NextStepForm,
    ReflectForm,
    RepairStartForm,
    ShareForm,
)
from counterpoint.practices.repair.models import Repair
from counterpoint.privacy import access


@login_required
def repair_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "repair/list.html",
        {
            "repairs": selectors.repairs_for(request.user),
            "waiting": selectors.waiting_for(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def repair_new(request: AuthedRequest) -> HttpResponse:
    form = RepairStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            repair, created = services.repair_start(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            if not created:
                messages.info(request, _("That repair was already started — here it is."))
            return redirect("repair:detail", pk=repair.pk)
    return render(request, "repair/new.html", {"form": form})


def _detail(
    request: AuthedRequest,
    repair: Repair,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    state = selectors.state_for(request.user, repair)
    can_act = access.can_edit(request.user, repair)
    bound = bound or {}
    context: dict[str, Any] = {
        "repair": repair,
        "state": state,
        "can_act": can_act,
        "stages": [
            ("share", _("Each side")),
            ("reflect", _("Heard")),
            ("next_step", _("Next step")),
            ("close", _("How we feel now")),
        ],
        "share_form": bound.get("share", ShareForm()),
        "reflect_form": bound.get("reflect", ReflectForm()),
        "answer_form": bound.get("answer", AnswerForm()),
        "step_form": bound.get("step", NextStepForm()),
        "close_form": bound.get("close", CloseForm()),
    }
    return render(request, "repair/detail.html", context, status=status)


@login_required
def repair_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    notices_seen(user=request.user, link=request.path)
    return _detail(request, selectors.repair_for(request.user, pk))


def _act(
    request: AuthedRequest,
    pk: int,
    form_class: type[forms.Form],
    key: str,
    action: Callable[[Repair, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    repair = access.get_couple_writable_or_404(request.user, Repair, pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _detail(request, repair, {key: form}, status=400)
    try:
        action(repair, form.cleaned_data)
    except ValidationError as exc:
        messages.warning(request, exc.messages[0])
    else:
        messages.success(request, done)
    return redirect("repair:detail", pk=repair.pk)


@login_required
@require_POST
def repair_share(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        ShareForm,
        "share",
        lambda r, d: services.repair_share(user=request.user, repair=r, **d),
        _("Saved. Your partner can't read it until they've written theirs."),
    )


@login_required
@require_POST
def repair_reflect(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        ReflectForm,
        "reflect",
        lambda r, d: services.repair_reflect(user=request.user, repair=r, **d),
        _("Sent. Your partner will say whether that's it."),
    )


@login_required
@require_POST
def repair_answer(request: AuthedRequest, pk: int, reflection_pk: int) -> HttpResponse:
    repair = access.get_couple_writable_or_404(request.user, Repair, pk=pk)
    reflection = selectors.reflection_to_answer_or_404(request.user, repair, reflection_pk)
    return _act(
        request,
        pk,
        AnswerForm,
        "answer",
        lambda r, d: services.repair_reflection_answer(
            user=request.user, reflection=reflection, **d
        ),
        _("Thank you. Your answer is saved."),
    )


@login_required
@require_POST
def repair_step(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        NextStepForm,
        "step",
        lambda r, d: services.repair_next_step_propose(user=request.user, repair=r, **d),
        _("Suggested. Your partner can agree or suggest something else."),
    )


@login_required
@require_POST
def repair_agree(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        AgreeForm,
        "agree",
        lambda r, d: services.repair_next_step_agree(user=request.user, repair=r, **d),
        _("Agreed."),
    )


@login_required
@require_POST
def repair_close(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        CloseForm,
        "close",
        lambda r, d: services.repair_close(user=request.user, repair=r, **d),
        _("Saved."),
    )


@login_required
def repair_json(request: AuthedRequest, pk: int) -> JsonResponse:
    repair = selectors.repair_for(request.user, pk)
    return JsonResponse(selectors.repair_row(request.user, repair))


@login_required
def repairs_json(request: AuthedRequest) -> JsonResponse:
    return JsonResponse(
        {
            "repairs": [
                selectors.repair_row(request.user, r) for r in selectors.repairs_for(request.user)
            ]
        }
    )
