"""Check-in, daily question, weekly reflection and settings views (thin: forms + services)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from counterpoint.accounts.models import User
from counterpoint.accounts.reauth import confirm_before_widening
from counterpoint.checkins import charts, reminders, selectors, services
from counterpoint.checkins.forms import (
    IOS_PICTURES,
    MINUTE_PRESETS,
    AnswerForm,
    CheckInForm,
    CheckInSettingsForm,
    ReactionForm,
    ReflectionForm,
    offline_queue_owner,
)
from counterpoint.checkins.models import SHAREABLE_FIELDS, Slot, week_start_of
from counterpoint.checkins.reactions import (
    partner_answer_or_404,
    partner_note_or_404,
    reaction_give,
)
from counterpoint.couples.selectors import partner_of
from counterpoint.http import AnyRequest, AuthedRequest
from counterpoint.notify import selectors as notify_selectors
from counterpoint.privacy.page_cache import changes_at, per_viewer_page


def _slot_for(request: AuthedRequest, twice_daily: bool) -> int:
    raw = request.POST.get("slot") or request.GET.get("slot")
    if raw in ("0", "1"):
        return int(raw)
    if not twice_daily:
        return Slot.DAY
    now = request.user.local_now()
    # the page turns to the evening's check-in at 15:00 and back at midnight
    turn = now.replace(hour=15, minute=0, second=0, microsecond=0)
    changes_at(turn if now < turn else turn.replace(hour=0) + dt.timedelta(days=1))
    return Slot.EVENING if now >= turn else Slot.DAY


def _queued_for_someone_else(request: AuthedRequest) -> bool:
    """Whether this is a form the offline queue kept on a device for another person (or for
    nobody it can name): such a form is never saved as the one now signed in."""
    if "edited_ms_ago" not in request.POST and "queued_for" not in request.POST:
        return False  # sent from the page, as it was written
    mark = request.POST.get("queued_for", "")
    return not constant_time_compare(mark, offline_queue_owner(request.user))


def _existed_before(user: User, day: dt.date) -> bool:
    """Whether the account already existed on ``day`` (no "missed yesterday?" on a first day)."""
    return bool(user.date_joined) and user.date_joined.astimezone(user.tzinfo).date() <= day


@login_required
@require_http_methods(["GET", "POST"])
@per_viewer_page
def today(request: AuthedRequest) -> HttpResponse:
    """The day in one form (check-in + today's answer); once saved, a short summary and what's next."""
    user = request.user
    if request.method == "POST" and _queued_for_someone_else(request):
        # 403: the queue keeps the form for its owner (static/js/offline.js)
        return HttpResponseForbidden(
            _("This check-in was kept on this device by someone else. Nothing was saved."),
            content_type="text/plain; charset=utf-8",
        )
    settings = selectors.settings_for(user)
    first, last = services.allowed_days(user)
    day = last
    if (request.POST.get("day") or request.GET.get("day")) in ("yesterday", first.isoformat()):
        day = first
    slot = _slot_for(request, settings.twice_daily)
    existing = selectors.own_checkin(user, day, slot)
    daily = services.daily_question_get(user=user) if day == last else None
    qv = selectors.question_view(user, daily) if daily else None
    answerable = qv is not None and (qv.mine is None or qv.mine.skipped)
    initial: dict[str, object] = {"day": day}
    if existing is not None:
        initial.update({f: getattr(existing, f) for f in services.CHECKIN_VALUE_FIELDS})
    form = CheckInForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and request.POST.get("slot", "0") not in ("0", "1"):
        form.add_error(None, _("This form was for a check-in time that doesn't exist. Try again."))
    stale = False
    if request.method == "POST" and form.is_valid():
        values = {f: form.cleaned_data[f] for f in services.CHECKIN_VALUE_FIELDS}
        ago = form.cleaned_data.get("edited_ms_ago")
        edited_at = timezone.now() - dt.timedelta(milliseconds=ago) if ago else None
        try:
            saved, answer = services.checkin_day_submit(
                user=user,
                day=form.cleaned_data["day"],
                slot=slot,
                values=values,
                question_pk=qv.daily.pk if qv is not None and answerable else None,
                answer=form.cleaned_data["answer"],
                skip_question="skip_question" in request.POST,
                submission_key=form.cleaned_data["submission_key"],
                edited_at=edited_at,
            )
        except ValidationError as exc:
            stale = isinstance(exc, services.StaleEdit)
            form.add_error(None, exc)
        else:
            if saved is not None:
                messages.success(request, _("Checked in. Thank you."))
            if answer is not None:
                messages.success(
                    request, _("Skipped for today.") if answer.skipped else _("Answer saved.")
                )
            query = []
            if day == first:
                query.append("day=yesterday")
            if settings.twice_daily:
                query.append(f"slot={slot}")
            url = reverse("checkins:today")
            return redirect(url + ("?" + "&".join(query) if query else ""))
    editing = request.method == "POST" or existing is None or "edit" in request.GET
    partner = partner_of(user)
    if partner is not None and not selectors.shares_any_checkin_field(partner):
        partner = None  # shares no check-in field: nothing about their check-ins shows at all
    # both days the form may be for, read once
    rows = selectors.visible_checkins(user, start=first, end=last)
    partner_today = [c for c in rows if c.day == last and not c.mine]
    mine = next((c for c in rows if c.mine and c.day == day and c.slot == slot), None)
    yesterday_done = any(c.mine and c.day == first and c.slot == Slot.DAY for c in rows)
    return render(
        request,
        "checkins/today.html",
        {
            "form": form,
            "editing": editing,
            "day": day,
            "is_today": day == last,
            "slot": slot,
            "twice_daily": settings.twice_daily,
            "existing": existing,
            "mine": mine if existing is not None else None,
            "yesterday_missing": _existed_before(user, first) and not yesterday_done,
            "partner": partner,
            "partner_today": partner_today,
            "qv": qv,
            "answerable": answerable,
            "more_open": any(
                form[f].value() not in (None, "", False, []) or form[f].errors
                for f in (
                    "energy",
                    "sought_support",
                    "gave_support",
                    "me_minutes",
                    "we_minutes",
                    "journal_line",
                )
            ),
            "queue_owner": offline_queue_owner(user),
            "ios_pictures": IOS_PICTURES,
            "minute_presets": MINUTE_PRESETS,
        },
        # 409: an older offline copy of a check-in saved since (the offline queue says so)
        status=409 if stale else 400 if request.method == "POST" else 200,
    )


@login_required
def history(request: AuthedRequest) -> HttpResponse:
    end = request.user.local_today()
    start = end - dt.timedelta(days=27)
    rows = selectors.visible_checkins(request.user, start=start, end=end)
    partner = partner_of(request.user)
    series = [(_("You"), {r.day: r.mood for r in rows if r.mine and r.mood is not None})]
    if partner is not None:
        series.append(
            (
                partner.display_name,
                {r.day: r.mood for r in rows if not r.mine and r.mood is not None},
            )
        )
    return render(
        request,
        "checkins/history.html",
        {
            "days": charts.by_day(rows),
            "chart": charts.mood_chart(series, start, end, _("Mood, day by day (0–10)")),
            "partner": partner,
        },
    )


@login_required
def question(request: AuthedRequest) -> HttpResponse:
    user = request.user
    daily = services.daily_question_get(user=user)
    history = [qv for qv in selectors.question_history(user) if daily is None or qv.daily != daily]
    return render(
        request,
        "checkins/question.html",
        {
            "qv": selectors.question_view(user, daily) if daily else None,
            "history": history,
            "answer_form": AnswerForm(),
            "partner": partner_of(user),
        },
    )


@login_required
@require_POST
def question_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    form = AnswerForm(request.POST)
    skip = "skip" in request.POST
    if form.is_valid():
        try:
            services.question_answer(
                user=request.user, question_pk=pk, text=form.cleaned_data["text"], skip=skip
            )
        except ValidationError as exc:
            mine = selectors.get_couple_question_or_none(request.user, pk) is not None
            return render(
                request,
                "checkins/answer_refused.html",
                {"reason": " ".join(exc.messages)},
                status=400 if mine else 404,
            )
        messages.success(request, _("Skipped for today.") if skip else _("Answer saved."))
        return redirect(
            (request.POST.get("next") == "today" and "checkins:today") or "checkins:question"
        )
    return render(
        request,
        "checkins/answer_refused.html",
        {"reason": " ".join(str(e) for errs in form.errors.values() for e in errs)},
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def reflection(request: AuthedRequest) -> HttpResponse:
    user = request.user
    this_week = week_start_of(user.local_today())
    week = this_week - dt.timedelta(days=7) if request.GET.get("week") == "last" else this_week
    existing = selectors.own_reflection(user, week)
    initial: dict[str, object] = {"week_start": week}
    if existing is not None:
        initial.update(
            life_satisfaction=existing.life_satisfaction,
            relationship_satisfaction=existing.relationship_satisfaction,
            helped=existing.helped,
        )
    form = ReflectionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.reflection_submit(user=user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Reflection saved."))
            return redirect("checkins:reflection")
    reflections = list(selectors.visible_reflections(user))[-8:]
    return render(
        request,
        "checkins/reflection.html",
        {
            "form": form,
            "week": week,
            "is_this_week": week == this_week,
            "existing": existing,
            "reflections": list(reversed(reflections)),
            "partner": partner_of(user),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings(request: AuthedRequest) -> HttpResponse:
    current = selectors.settings_for(request.user)
    was_shared = {name: getattr(current, name) for name in SHAREABLE_FIELDS}
    form = CheckInSettingsForm(request.POST if request.method == "POST" else None, instance=current)
    if request.method == "POST" and form.is_valid():
        widening = any(
            form.cleaned_data.get(name) and not shared for name, shared in was_shared.items()
        )
        gate = confirm_before_widening(request, widening=widening)
        if gate is not None:
            return gate
        services.checkin_settings_update(
            user=request.user, values={f: form.cleaned_data[f] for f in form.Meta.fields}
        )
        messages.success(request, _("Settings saved."))
        return redirect("checkins:settings")
    return render(
        request,
        "checkins/settings.html",
        {
            "form": form,
            "devices": list(notify_selectors.devices_of(request.user)),
            "notify_prefs": notify_selectors.preferences_of(request.user),
        },
    )


@csrf_exempt  # the signed token is the credential; mail apps post here for one-click unsubscribe
@require_http_methods(["GET", "POST"])
def reminder_link(request: AnyRequest, action: str, token: str) -> HttpResponse:
    """Stop or pause reminders from the reminder itself, without signing in."""
    user = reminders.reminder_link_user(action=action, token=token)
    if user is None:
        return render(request, "checkins/reminder_link.html", {"invalid": True}, status=400)
    if request.method == "POST":
        resume = reminders.reminder_link_apply(user=user, action=action)
        return render(
            request,
            "checkins/reminder_link.html",
            {"done": True, "action": action, "resume": resume},
        )
    return render(request, "checkins/reminder_link.html", {"action": action})


def _react(request: AuthedRequest, **target: object) -> HttpResponse:
    form = ReactionForm(request.POST)
    back = request.POST.get("next", "")
    if form.is_valid():
        reaction_give(
            user=request.user,
            kind=form.cleaned_data["kind"],
            words=form.cleaned_data["words"],
            **target,  # type: ignore[arg-type]
        )
        messages.success(request, _("Sent."))
    else:
        messages.error(request, _("Choose one of the reactions to send."))
    return redirect(
        {"home": "pages:home", "today": "checkins:today"}.get(back, "checkins:question")
    )


@login_required
@require_POST
def react_to_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    return _react(request, answer=partner_answer_or_404(request.user, pk))


@login_required
@require_POST
def react_to_note(request: AuthedRequest, pk: int) -> HttpResponse:
    return _react(request, checkin=partner_note_or_404(request.user, pk))
