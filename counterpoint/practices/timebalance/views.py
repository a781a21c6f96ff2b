from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from counterpoint.http import AuthedRequest
from counterpoint.practices.timebalance import selectors, services
from counterpoint.practices.timebalance.charts import balance_chart
from counterpoint.practices.timebalance.forms import TimeBlockForm

TOO_FAR = gettext_lazy("That week is too far away to show; here is this week.")


def _monday(request: AuthedRequest) -> tuple[dt.date, bool]:
    """The Monday of the week asked for, and whether it was too far off to show (then this week's)."""
    today = request.user.local_today()
    try:
        day = dt.date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        return selectors.week_start(today), False
    if not selectors.week_in_reach(day, today):
        return selectors.week_start(today), True
    return selectors.week_start(day), False


def _week_url(day: dt.date) -> str:
    return reverse("timebalance:week") + f"?week={selectors.week_start(day).isoformat()}"


@login_required
def week(request: AuthedRequest) -> HttpResponse:
    monday, too_far = _monday(request)
    if too_far:
        messages.info(request, TOO_FAR)
    return render(
        request,
        "timebalance/week.html",
        {
            "days": selectors.week_for(request.user, monday),
            "monday": monday,
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
            "today": request.user.local_today(),
            "form": TimeBlockForm(initial={"day": request.user.local_today()}),
        },
    )


@login_required
def week_json(request: AuthedRequest) -> JsonResponse:
    monday, too_far = _monday(request)
    if too_far:
        return JsonResponse({"error": str(TOO_FAR)}, status=400)
    return JsonResponse(
        {
            "week_of": monday.isoformat(),
            "days": [
                {
                    "day": day.date.isoformat(),
                    "blocks": [
                        {
                            "id": b.pk,
                            "kind": b.kind,
                            "mine": b.author_id == request.user.pk,
                            "minutes": b.minutes,
                            "done": b.done,
                            "note": b.note,
                            "visibility": b.visibility,
                        }
                        for b in day.blocks
                    ],
                }
                for day in selectors.week_for(request.user, monday)
            ],
        }
    )


@login_required
@require_http_methods(["GET", "POST"])
def block_add(request: AuthedRequest) -> HttpResponse:
    form = TimeBlockForm(
        request.POST if request.method == "POST" else None,
        initial={"day": request.user.local_today()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            block, created = services.time_block_add(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            if created:
                messages.success(request, _("Added."))
            else:
                messages.info(request, _("That was already added — nothing was saved twice."))
            return redirect(_week_url(block.day))
    status = 400 if request.method == "POST" else 200
    return render(request, "timebalance/add.html", {"form": form}, status=status)


@login_required
@require_POST
def block_done(request: AuthedRequest, pk: int) -> HttpResponse:
    block = selectors.block_writable_or_404(request.user, pk)
    try:
        services.time_block_mark_done(user=request.user, block=block)
    except ValidationError as exc:
        messages.warning(request, exc.messages[0])
    return redirect(_week_url(block.day))


@login_required
@require_http_methods(["GET", "POST"])
def block_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Asks first (GET), then removes (POST): a removed block cannot be brought back."""
    block = selectors.block_writable_or_404(request.user, pk)
    if request.method == "POST":
        services.time_block_delete(user=request.user, block=block)
        messages.success(request, _("Removed."))
        return redirect(_week_url(block.day))
    return render(
        request,
        "timebalance/confirm_delete.html",
        {"time_block": block, "week_url": _week_url(block.day)},
    )


@login_required
def balance(request: AuthedRequest) -> HttpResponse:
    overview = selectors.balance_overview(request.user)
    partner = overview["partner"]
    charts = {
        "me": balance_chart(overview["me"], _("You: hours per week"), "chart-me-we-mine"),
        "partner": balance_chart(
            overview["partner_rows"],
            _("%(name)s: hours per week (what they share)") % {"name": partner.display_name},
            "chart-me-we-partner",
        )
        if partner
        else None,
    }
    return render(
        request,
        "timebalance/balance.html",
        {**overview, "charts": charts},
    )


@login_required
def balance_json(request: AuthedRequest) -> JsonResponse:
    overview = selectors.balance_overview(request.user)

    def rows(items: list[dict]) -> list[dict]:
        return [{**r, "week_of": r["week_of"].isoformat()} for r in items]

    partner = overview["partner"]
    return JsonResponse(
        {
            "me": rows(overview["me"]),
            "partner": None
            if partner is None
            else {"name": partner.display_name, "weeks": rows(overview["partner_rows"])},
        }
    )
