"""Research mode's pages: the participant's (consent, my studies, answer, withdraw) and the
researcher's (profile, studies, the study page with its link, couples and log)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from counterpoint.couples.selectors import active_couple
from counterpoint.http import AnyRequest, AuthedRequest
from counterpoint.research import schedules, selectors, services
from counterpoint.research.forms import (
    ConsentForm,
    ProfileForm,
    StatusForm,
    StudyForm,
    WithdrawForm,
    answer_form,
)
from counterpoint.research.models import Item, Participant, PromptState, Study

# -- participants -----------------------------------------------------------------------------------


@login_required
def my_studies(request: AuthedRequest) -> HttpResponse:
    now = timezone.now()
    rows = []
    for row in selectors.participations_with_progress(request.user, now):
        rows.append(
            {
                "p": row.participant,
                "next_at": row.next_at,
                "answered": row.answered,
                "data_url": _optional_url("research:my_data", row.participant.pk),
            }
        )
    waiting = [
        (prompt, prompt.seconds_left(now))
        for prompt in selectors.open_prompts(request.user, now)
        if prompt.seconds_left(now) > 0
    ]
    return render(request, "research/mine.html", {"rows": rows, "waiting": waiting})


def _study_by_code_or_404(user: Any, code: str) -> Study:
    """The study a link names; a draft only for its researcher (to preview the consent page)."""
    study = Study.objects.filter(code=code).first()
    if study is None or (study.status == Study.Status.DRAFT and study.researcher_id != user.pk):
        raise Http404
    return study


@login_required
@require_http_methods(["GET", "POST"])
def join(request: AuthedRequest, code: str) -> HttpResponse:
    """The study link: what the study asks, the consent text, and agreeing to it."""
    study = _study_by_code_or_404(request.user, code)
    consent = study.current_consent()
    mine = selectors.participations(request.user).filter(study=study).first()
    form = ConsentForm(
        request.POST if request.method == "POST" else None,
        initial={"version": consent.version if consent else 0},
    )
    status = 200
    if request.method == "POST" and mine is None:
        if form.is_valid():
            try:
                services.study_consent(
                    user=request.user, study=study, consent_version=form.cleaned_data["version"]
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages[0])
            else:
                messages.success(request, _("Thank you. Your consent is recorded."))
                return redirect("research:mine")
        status = 400
    profile = getattr(study.researcher, "researcher_profile", None)
    return render(
        request,
        "research/join.html",
        {
            "study": study,
            "consent": consent,
            "form": form,
            "mine": mine,
            "paired": active_couple(request.user) is not None,
            "profile": profile,
            "items": list(study.items.all()),
            "schedule_text": schedules.describe(study.parsed_schedule()),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: AuthedRequest, pk: int) -> HttpResponse:
    """Answer one prompt. Opening the page opens the prompt (its grace period starts to count)."""
    prompt = selectors.prompt_of_participant_or_404(request.user, pk)
    items = list(prompt.study.items.all())
    now = timezone.now()
    if prompt.state == PromptState.SUBMITTED:
        return render(request, "research/answered.html", {"prompt": prompt}, status=200)
    if request.method == "POST":
        form = answer_form(items, request.POST)
        if form.is_valid():
            try:
                services.prompt_submit(prompt=prompt, answers=form.cleaned_data, now=now)
            except services.PromptClosed:
                prompt.refresh_from_db()
                return render(request, "research/closed.html", {"prompt": prompt}, status=410)
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(request, _("Thank you — your answer is in."))
                return redirect("research:mine")
        return _answer_page(request, prompt, items, form, status=400)
    try:
        prompt = services.prompt_open(prompt=prompt, now=now)
    except services.PromptClosed:
        prompt.refresh_from_db()
        return render(request, "research/closed.html", {"prompt": prompt}, status=410)
    return _answer_page(request, prompt, items, answer_form(items))


def _answer_page(
    request: AuthedRequest, prompt, items: list[Item], form, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    seconds = prompt.seconds_left(now)
    fields = [{"item": item, "field": form[item.name], "range": item.scale_range} for item in items]
    return render(
        request,
        "research/answer.html",
        {
            "prompt": prompt,
            "fields": fields,
            "form": form,
            "seconds_left": seconds,
            "minutes_left": (seconds + 59) // 60,
            "ends_at": prompt.answer_by(now),
            "in_grace": now >= prompt.closes_at,
            "tz": request.user.tzinfo,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    participant = selectors.participation_or_404(request.user, pk)
    if participant.withdrawn_at is not None:
        return redirect("research:mine")
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            services.participant_withdraw(
                participant=participant, choice=form.cleaned_data["choice"]
            )
            if form.cleaned_data["choice"] == Participant.Withdrawal.DELETE:
                messages.success(
                    request, _("You have left the study. What you answered is deleted.")
                )
            else:
                messages.success(request, _("You have left the study. No more prompts will come."))
            return redirect("research:mine")
        return render(
            request, "research/withdraw.html", {"p": participant, "form": form}, status=400
        )
    return render(request, "research/withdraw.html", {"p": participant, "form": form})


# -- researchers ------------------------------------------------------------------------------------


def _optional_url(name: str, pk: int) -> str:
    """A data page's URL when it exists (the data side adds them; see urls.py)."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def researcher_home(request: AnyRequest) -> HttpResponse:
    """What research mode is; for a researcher, their studies."""
    user = request.user
    studies = []
    profile = None
    if user.is_authenticated:
        profile = selectors.researcher_profile(user)
        studies = list(
            selectors.studies_run_by(user).annotate(
                couples=Count("enrolments", filter=Q(enrolments__enrolled_at__isnull=False))
            )
        )
    return render(request, "research/home.html", {"profile": profile, "studies": studies})


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: AuthedRequest) -> HttpResponse:
    profile = selectors.researcher_profile(request.user)
    initial = (
        {"name": profile.name, "institution": profile.institution, "contact": profile.contact}
        if profile
        else {"name": request.user.display_name, "contact": request.user.email}
    )
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            services.researcher_profile_save(user=request.user, **form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect("research:home")
        return render(request, "research/profile.html", {"form": form}, status=400)
    return render(request, "research/profile.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def study_new(request: AuthedRequest) -> HttpResponse:
    if selectors.researcher_profile(request.user) is None:
        messages.info(request, _("Set up your researcher profile first."))
        return redirect("research:profile")
    form = StudyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                study = services.study_create(researcher=request.user, **form.service_kwargs())
            except ValidationError as exc:
                form.add_error(None, exc.messages[0])
            else:
                messages.success(request, _("Study created. Open it to couples when it is ready."))
                return redirect("research:study", pk=study.pk)
        return render(request, "research/study_form.html", {"form": form}, status=400)
    return render(request, "research/study_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def study_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    study = selectors.study_for_researcher_or_404(request.user, pk)
    form = StudyForm(
        request.POST if request.method == "POST" else None, initial=StudyForm.initial_for(study)
    )
    started = services.study_has_enrolments(study)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.study_update(study=study, **form.service_kwargs())
            except ValidationError as exc:
                form.add_error(None, exc.messages[0])
            else:
                messages.success(request, _("Saved."))
                return redirect("research:study", pk=study.pk)
        return render(
            request,
            "research/study_form.html",
            {"form": form, "study": study, "started": started},
            status=400,
        )
    return render(
        request, "research/study_form.html", {"form": form, "study": study, "started": started}
    )


@login_required
def study_page(request: AuthedRequest, pk: int) -> HttpResponse:
    study = selectors.study_for_researcher_or_404(request.user, pk)
    enrolments = []
    for enrolment in selectors.study_enrolments(request.user, study):
        people = list(enrolment.participants.all())
        enrolments.append({"e": enrolment, "people": people})
    link = request.build_absolute_uri(reverse("research:join", args=[study.code]))
    data_links = [
        (label, url)
        for label, url in (
            (_("Compliance"), _optional_url("research:compliance", study.pk)),
            (_("Export the data"), _optional_url("research:export", study.pk)),
            (_("Analyse in place"), _optional_url("research:analysis", study.pk)),
        )
        if url
    ]
    return render(
        request,
        "research/study.html",
        {
            "study": study,
            "link": link,
            "enrolments": enrolments,
            "consent": study.current_consent(),
            "items": list(study.items.all()),
            "schedule_text": schedules.describe(study.parsed_schedule()),
            "status_form": StatusForm(initial={"status": study.status}),
            "data_links": data_links,
        },
    )


@login_required
@require_POST
def study_status(request: AuthedRequest, pk: int) -> HttpResponse:
    study = selectors.study_for_researcher_or_404(request.user, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose draft, open or closed."))
        return redirect("research:study", pk=study.pk)
    services.study_set_status(study=study, status=form.cleaned_data["status"])
    messages.success(request, _("Saved."))
    return redirect("research:study", pk=study.pk)


@login_required
def study_log(request: AuthedRequest, pk: int) -> HttpResponse:
    """The delivery log: every transition of every prompt (newest first, the latest 500)."""
    study = selectors.study_for_researcher_or_404(request.user, pk)
    events = (
        selectors.study_events(request.user, study)
        .select_related("prompt__participant")
        .order_by("-at", "-logged_at", "-id")[:500]
    )
    return render(request, "research/log.html", {"study": study, "events": events})
