from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from counterpoint import palette
from counterpoint.accounts.reauth import confirm_before_widening
from counterpoint.http import AuthedRequest
from counterpoint.interdependence import guides, instruments, selectors, services
from counterpoint.interdependence.charts import ChartPoint, map_chart
from counterpoint.interdependence.forms import TakingForm
from counterpoint.interdependence.models import Position
from counterpoint.privacy import access
from counterpoint.privacy.page_cache import per_own_page
from counterpoint.science.instrument import Instrument, InstrumentError
from counterpoint.science.numerics import Z95

ME_COLOR, PARTNER_COLOR = palette.ME, palette.PARTNER


def _chart(viewer: int, points: list[ChartPoint], instrument: Instrument | None) -> str:
    names = {k: str(v) for k, v in guides.REGION_NAMES.items()}
    titles = (
        (instrument.axis_labels["connection"], instrument.axis_labels["autonomy"])
        if instrument
        else (_("Connection"), _("Autonomy"))
    )
    cutoffs = instrument.cutoffs if instrument else (4.0, 4.0)
    scale = (instrument.scale_min, instrument.scale_max) if instrument else (1, 7)
    return map_chart(
        points,
        viewer=viewer,
        region_names=names,
        axis_titles=titles,
        cutoffs=cutoffs,
        scale=scale,
    )


def _row(position: Position) -> dict[str, object]:
    """A position as the numbers a person reads: score, 95% range, region in words."""
    z = Z95
    return {
        "position": position,
        "label": guides.region_label(position.region, position.between, position.plausible_regions),
        "connection": position.connection,
        "connection_low": position.connection - z * position.se_connection,
        "connection_high": position.connection + z * position.se_connection,
        "autonomy": position.autonomy,
        "autonomy_low": position.autonomy - z * position.se_autonomy,
        "autonomy_high": position.autonomy + z * position.se_autonomy,
    }


def _points(positions: list[Position], name: str, color: str) -> list[ChartPoint]:
    ordered = sorted(positions, key=lambda p: (p.taken_on, p.created_at))
    return [
        ChartPoint(
            name, p.connection, p.autonomy, p.se_connection, p.se_autonomy, color, p is ordered[-1]
        )
        for p in ordered
    ]


@login_required
# the person's own places, drafts and check-in minutes: the partner's writes leave it kept
@per_own_page(reads=("interdependence", "checkins", "activity"))
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    positions = list(selectors.own_positions(user).select_related("taking"))
    latest = positions[0] if positions else None
    offered = [(inst, selectors.draft_for(user, inst)) for inst in instruments.available()]
    context: dict[str, object] = {
        "latest": latest,
        "latest_row": _row(latest) if latest else None,
        "history_rows": [(_("You"), _row(p)) for p in positions],
        "offered": offered,
    }
    if latest is not None:
        instrument = selectors.instrument_of(latest)
        same_version = [
            p
            for p in positions
            if p.instrument_key == latest.instrument_key
            and p.instrument_version == latest.instrument_version
        ]
        context["chart"] = _chart(
            request.user.pk, _points(same_version, _("You"), ME_COLOR), instrument
        )
        if instrument is not None:
            context["instrument"] = instrument
            context["subscale_rows"] = selectors.subscale_rows(instrument, latest)
            context["practise"] = [
                (sub, guides.GUIDES.get(sub.practice))
                for sub in selectors.weakest_subscales(instrument, latest)
            ]
        context["region_texts"] = guides.region_texts(
            latest.region, latest.between, latest.plausible_regions
        )
        context["between_text"] = guides.BETWEEN_TEXT
    context["region_names"] = guides.REGION_NAMES
    context["signal"] = selectors.me_we_signal(user)
    return render(request, "interdependence/home.html", context)


def _statement_url(instrument: Instrument, item_id: str) -> str:
    """The questionnaire, scrolled to one statement."""
    return f"{reverse('interdependence:take', args=[instrument.key])}#statement-{item_id}"


@login_required
@require_http_methods(["GET", "POST"])
def take(request: AuthedRequest, key: str) -> HttpResponse:
    instrument = instruments.current(key)
    if instrument is None:
        raise Http404
    user = request.user
    draft = selectors.draft_for(user, instrument)
    if request.method == "POST":
        if request.POST.get("respondent") != str(user.pk):
            # Someone answering for another account: say so plainly and keep nothing.
            return render(request, "interdependence/not_yours.html", status=403)
        form = TakingForm(request.POST, instrument=instrument)
        if form.is_valid():
            answers = form.answers()
            unanswered = [item.id for item in instrument.items if item.id not in answers]
            if not answers:
                # Nothing to keep: no empty draft, back to the first statement.
                messages.info(request, _("Nothing saved yet: start with the first statement."))
                return redirect(_statement_url(instrument, unanswered[0]))
            if request.POST.get("action") == "draft" or unanswered:
                services.taking_save_draft(user=user, instrument=instrument, answers=answers)
                counts = {"n": len(unanswered), "total": len(instrument.items)}
                if request.POST.get("action") == "draft":
                    messages.success(
                        request,
                        _("Saved for later: %(n)s of %(total)s statements still to answer.")
                        % counts
                        if unanswered
                        else _("Saved as a draft. Come back any time to finish."),
                    )
                    return redirect("interdependence:home")
                messages.warning(
                    request,
                    _(
                        "Your answers are saved. %(n)s of %(total)s statements still need an "
                        "answer; the first of them is below. Your map appears once every one is "
                        "answered."
                    )
                    % counts,
                )
                return redirect(_statement_url(instrument, unanswered[0]))
            try:
                services.taking_submit(
                    user=user,
                    instrument=instrument,
                    answers=answers,
                    share=form.cleaned_data["share"],
                )
            except InstrumentError:
                messages.error(request, _("Something in the answers could not be scored."))
            else:
                messages.success(request, _("Done. Here is where you are on the map today."))
                return redirect("interdependence:home")
    else:
        initial = {"respondent": user.pk, **(draft.answers if draft else {})}
        form = TakingForm(initial=initial, instrument=instrument)
    answered = len(draft.answers) if draft else 0
    return render(
        request,
        "interdependence/take.html",
        {"form": form, "instrument": instrument, "draft": draft, "answered": answered},
    )


@login_required
@require_POST
def share(request: AuthedRequest, pk: int) -> HttpResponse:
    position = access.get_own_or_404(request.user, Position, pk=pk)
    choice = request.POST.get("share")
    if choice not in ("0", "1"):
        messages.warning(
            request, _("That didn't say whether to share it or not, so nothing changed.")
        )
        return redirect("interdependence:home")
    on = choice == "1"
    gate = confirm_before_widening(request, widening=on and not position.is_shared)
    if gate is not None:
        return gate
    position = services.position_share(user=request.user, position=position, share=on)
    if on and not position.is_shared:
        messages.warning(
            request, _("You are not paired right now, so there is nobody to share with.")
        )
    elif on:
        messages.success(
            request, _("Shared. Your partner can see this place on the map, never your answers.")
        )
    else:
        messages.success(request, _("This result is private again."))
    return redirect("interdependence:home")


@login_required
def couple(request: AuthedRequest) -> HttpResponse:
    view = selectors.couple_map(request.user)
    context: dict[str, object] = {"view": view}
    if view.pattern is not None and view.mine and view.theirs and view.partner:
        instrument = selectors.instrument_of(view.mine)
        points = _points(view.mine_history[:2], _("You"), ME_COLOR) + _points(
            view.theirs_history[:2], view.partner.display_name, PARTNER_COLOR
        )
        context["chart"] = _chart(request.user.pk, points, instrument)
        context["mine_row"] = _row(view.mine)
        context["theirs_row"] = _row(view.theirs)
        context["couple_rows"] = [
            (_("You"), context["mine_row"]),
            (view.partner.display_name, context["theirs_row"]),
        ]
        context["pattern_name"] = guides.PATTERN_NAMES[view.pattern.pattern]
        context["pattern_text"] = guides.PATTERN_TEXT[view.pattern.pattern]
        context["trend_text"] = guides.TREND_TEXT.get(view.pattern.trend or "", "")
    context["region_names"] = guides.REGION_NAMES
    return render(request, "interdependence/couple.html", context)


@login_required
def guide(request: AuthedRequest, slug: str) -> HttpResponse:
    found = guides.GUIDES.get(slug)
    if found is None:
        raise Http404
    return render(
        request, "interdependence/guide.html", {"guide": found, "feature_url": found.feature_url()}
    )


@login_required
@require_GET
def map_json(request: AuthedRequest) -> JsonResponse:
    return JsonResponse(selectors.map_json(request.user))
