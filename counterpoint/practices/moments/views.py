from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from counterpoint.activity.services import notices_seen
from counterpoint.http import AuthedRequest
from counterpoint.practices.moments import selectors, services
from counterpoint.practices.moments.forms import MomentForm, ResponseForm
from counterpoint.practices.moments.models import Moment
from counterpoint.privacy.days import day_iso


@login_required
def moment_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "moments/list.html",
        {
            "moments": selectors.moments_for(request.user)[:100],
            "waiting": selectors.waiting_for(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def moment_new(request: AuthedRequest) -> HttpResponse:
    form = MomentForm(
        request.POST if request.method == "POST" else None,
        initial={"kind": request.GET.get("kind", "")},
    )
    if request.method == "POST" and form.is_valid():
        moment, created = services.moment_share(user=request.user, **form.cleaned_data)
        if created:
            messages.success(request, _("Shared."))
        else:
            messages.info(request, _("That was already shared — nothing was sent twice."))
        return redirect("moments:detail", pk=moment.pk)
    return render(request, "moments/new.html", {"form": form})


def _detail_context(request: AuthedRequest, moment: Moment, form: ResponseForm | None) -> dict:
    response = getattr(moment, "response", None)
    can_respond = moment.author_id != request.user.pk and response is None
    return {
        "moment": moment,
        "response": response,
        "form": (form or ResponseForm()) if can_respond else None,
    }


@login_required
def moment_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    notices_seen(user=request.user, link=request.path)
    moment = selectors.moment_for(request.user, pk)
    return render(request, "moments/detail.html", _detail_context(request, moment, None))


@login_required
@require_POST
def moment_respond(request: AuthedRequest, pk: int) -> HttpResponse:
    moment = selectors.moment_for(request.user, pk)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.moment_respond(user=request.user, moment=moment, **form.cleaned_data)
        except ValidationError as exc:
            messages.warning(request, exc.messages[0])
        else:
            messages.success(request, _("Your response is on its way."))
        return redirect("moments:detail", pk=moment.pk)
    return render(
        request, "moments/detail.html", _detail_context(request, moment, form), status=400
    )


@login_required
@require_http_methods(["GET", "POST"])
def moment_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    moment = selectors.own_moment_or_404(request.user, pk)
    if request.method == "POST":
        services.moment_delete(user=request.user, moment=moment)
        messages.success(request, _("Deleted."))
        return redirect("moments:list")
    return render(request, "moments/confirm_delete.html", {"moment": moment})


@login_required
def moments_json(request: AuthedRequest) -> JsonResponse:
    rows = []
    for m in selectors.moments_for(request.user)[:200]:
        response = getattr(m, "response", None)
        rows.append(
            {
                "id": m.pk,
                "kind": m.kind,
                "text": m.text,
                "mine": m.author_id == request.user.pk,
                "visibility": m.visibility,
                "day": day_iso(m.created_at, request.user),
                "response": None
                if response is None
                else {
                    "reaction": response.reaction,
                    "note": response.note,
                    "day": day_iso(response.responded_at, request.user),
                },
            }
        )
    return JsonResponse({"moments": rows})
