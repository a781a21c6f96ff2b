from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from counterpoint.accounts.reauth import confirm_before_widening, widens
from counterpoint.couples.selectors import partner_of
from counterpoint.http import AuthedRequest
from counterpoint.practices.goals import selectors, services
from counterpoint.practices.goals.forms import EncourageForm, GoalForm, ProgressForm
from counterpoint.practices.goals.models import EncouragementKind, Goal
from counterpoint.privacy import access
from counterpoint.submissions import new_key


@login_required
def goal_list(request: AuthedRequest) -> HttpResponse:
    goals = list(selectors.goals_readable(request.user))
    return render(
        request,
        "goals/list.html",
        {
            "mine": [g for g in goals if not g.is_shared and g.author_id == request.user.pk],
            "ours": [g for g in goals if g.is_shared],
            "theirs": [g for g in goals if not g.is_shared and g.author_id != request.user.pk],
            "partner": partner_of(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_new(request: AuthedRequest) -> HttpResponse:
    form = GoalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            goal, created = services.goal_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if created:
                messages.success(request, _("Goal saved."))
            else:
                messages.info(request, _("That goal was already saved; here it is."))
            return redirect("goals:detail", pk=goal.pk)
    return render(request, "goals/form.html", {"form": form, "is_new": True})


def _context(
    request: AuthedRequest,
    goal: Goal,
    progress_form: ProgressForm | None = None,
    note_form: EncourageForm | None = None,
) -> dict[str, object]:
    partner = partner_of(request.user)
    can_change = access.can_edit(request.user, goal) and (not goal.is_shared or partner is not None)
    can_encourage = not goal.is_shared and access.is_partners_item(request.user, goal)
    return {
        "goal": goal,
        "can_change": can_change,
        "can_encourage": can_encourage,
        "checkins": selectors.goal_checkins(request.user, goal)[:20],
        "encouragements": selectors.goal_encouragements(request.user, goal)[:20],
        "progress_form": progress_form or ProgressForm(initial={"percent": goal.progress}),
        "note_form": note_form or EncourageForm(initial={"kind": EncouragementKind.NOTE}),
        "cheer_token": new_key(),
    }


def _detail(
    request: AuthedRequest,
    goal: Goal,
    progress_form: ProgressForm | None = None,
    note_form: EncourageForm | None = None,
) -> HttpResponse:
    context = _context(request, goal, progress_form, note_form)
    return render(request, "goals/detail.html", context)


@login_required
def goal_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail(request, access.get_readable_or_404(request.user, Goal, pk=pk))


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_writable_or_404(request.user, pk)
    initial = {"title": goal.title, "why": goal.why, "visibility": access.shown_visibility(goal)}
    form = GoalForm(
        request.POST if request.method == "POST" else None, initial=initial, shared=goal.is_shared
    )
    if request.method == "POST" and form.is_valid():
        gate = confirm_before_widening(
            request, widening=widens(goal.visibility, form.cleaned_data.get("visibility"))
        )
        if gate is not None:
            return gate
        try:
            services.goal_edit(
                user=request.user,
                goal=goal,
                title=form.cleaned_data["title"],
                why=form.cleaned_data["why"],
                visibility=form.cleaned_data.get("visibility"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("goals:detail", pk=goal.pk)
    return render(request, "goals/form.html", {"form": form, "goal": goal, "is_new": False})


@login_required
@require_POST
def goal_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_writable_or_404(request.user, pk)
    form = ProgressForm(request.POST)
    if not form.is_valid():
        return _detail(request, goal, progress_form=form)
    try:
        _checkin, created = services.goal_progress_add(
            user=request.user, goal=goal, **form.cleaned_data
        )
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
    else:
        if created:
            messages.success(request, _("Progress saved."))
        else:
            messages.info(request, _("That check-in was already saved."))
    return redirect("goals:detail", pk=goal.pk)


@login_required
@require_POST
def goal_complete(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_writable_or_404(request.user, pk)
    try:
        if request.POST.get("action") == "not_yet":
            services.goal_completion_withdraw(user=request.user, goal=goal)
            messages.info(request, _("Not yet — it stays open."))
        else:
            goal = services.goal_complete(user=request.user, goal=goal)
            if goal.is_complete:
                messages.success(request, _("Complete. Well done."))
            else:
                messages.info(request, _("Noted. It completes when your partner agrees too."))
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
    return redirect("goals:detail", pk=goal.pk)


@login_required
@require_POST
def goal_encourage(request: AuthedRequest, pk: int) -> HttpResponse:
    """A cheer or a note; with htmx only the encouragement part of the page is swapped."""
    goal = selectors.goal_encourageable_or_404(request.user, pk)
    form = EncourageForm(request.POST)
    invalid_form: EncourageForm | None = None if form.is_valid() else form
    status, level = "", messages.SUCCESS
    if invalid_form is None:
        try:
            _item, created = services.goal_encourage(
                user=request.user, goal=goal, **form.cleaned_data
            )
        except ValidationError as exc:
            status, level = " ".join(exc.messages), messages.WARNING
        else:
            status = _("Sent.") if created else _("That was already sent.")
    if request.htmx:
        context = _context(request, goal, note_form=invalid_form)
        context["sent_status"] = status
        return render(request, "goals/_encouragement.html", context)
    if invalid_form is not None:
        return _detail(request, goal, note_form=invalid_form)
    messages.add_message(request, level, status)
    return redirect("goals:detail", pk=goal.pk)
