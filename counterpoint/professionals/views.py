from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from counterpoint.couples.selectors import active_couple
from counterpoint.http import AnyRequest, AuthedRequest
from counterpoint.professionals import aggregates, selectors, services
from counterpoint.professionals.forms import GrantForm, InviteForm, NoteForm, ProfileForm, TopicForm
from counterpoint.professionals.models import Scope

# The couple's side ---------------------------------------------------------------------------


def _couple_page(
    request: AuthedRequest,
    *,
    invite_form: InviteForm | None = None,
    grant_forms: dict[int, GrantForm] | None = None,
    topic_forms: dict[int, TopicForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    topic_forms = topic_forms or {}
    states = selectors.partner_link_states(request.user)
    forms = grant_forms or {}
    rows = []
    for state in states:
        mine = state.grant_of(request.user)
        rows.append(
            {
                "state": state,
                "mine": mine,
                "form": forms.get(state.link.pk)
                or GrantForm(initial={"scopes": mine.scopes if mine else []}),
                "notes": state.link.notes.all(),  # read with the links (partner_link_states)
                "topics": state.link.topics.all(),
                "topic_form": topic_forms.get(state.link.pk) or TopicForm(),
                "profile": getattr(state.link.professional, "professional_profile", None),
            }
        )
    return render(
        request,
        "professionals/couple.html",
        {
            "rows": rows,
            "paired": active_couple(request.user) is not None,
            "invite_form": invite_form or InviteForm(),
            "log": selectors.log_for_partner(request.user),
            "scope_labels": dict(Scope.choices),
        },
        status=status,
    )


@login_required
def couple_professionals(request: AuthedRequest) -> HttpResponse:
    return _couple_page(request)


@login_required
@require_POST
def professional_invite(request: AuthedRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.link_invite(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("email_or_code", exc.messages[0])
    if form.errors:
        return _couple_page(request, invite_form=form, status=400)
    messages.success(
        request,
        _("Linked. Nothing is shared until each of you chooses what to share, below."),
    )
    return redirect("professionals:couple")


@login_required
@require_POST
def grant_save(request: AuthedRequest, pk: int) -> HttpResponse:
    link = selectors.link_for_partner_or_404(request.user, pk)
    form = GrantForm(request.POST)
    if form.is_valid():
        try:
            services.grant_save(user=request.user, link=link, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("scopes", exc.messages[0])
    if form.errors:
        return _couple_page(request, grant_forms={link.pk: form}, status=400)
    messages.success(request, _("Saved. Your choice lasts 90 days unless you change it."))
    return redirect("professionals:couple")


@login_required
@require_POST
def topic_add(request: AuthedRequest, pk: int) -> HttpResponse:
    link = selectors.link_for_partner_or_404(request.user, pk)
    form = TopicForm(request.POST)
    if not form.is_valid():
        return _couple_page(request, topic_forms={link.pk: form}, status=400)
    services.topic_add(user=request.user, link=link, **form.cleaned_data)
    messages.success(request, _("Added for your next session."))
    return redirect("professionals:couple")


@login_required
@require_http_methods(["GET", "POST"])
def link_end(request: AuthedRequest, pk: int) -> HttpResponse:
    link = selectors.link_for_partner_or_404(request.user, pk)
    if request.method == "POST":
        services.link_end(user=request.user, link=link)
        messages.success(request, _("Ended. They no longer see anything of either of you."))
        return redirect("professionals:couple")
    return render(request, "professionals/end.html", {"link": link})


# The professional's side ---------------------------------------------------------------------


def for_professionals(request: AnyRequest) -> HttpResponse:
    """What a professional account is, and the professional's own couples once signed in."""
    if not request.user.is_authenticated:
        return render(request, "professionals/about.html", {})
    profile = selectors.profile_of(request.user)
    links = selectors.links_for_professional(request.user)
    states = selectors.link_states(links)
    return render(request, "professionals/home.html", {"profile": profile, "states": states})


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: AuthedRequest) -> HttpResponse:
    profile = selectors.profile_of(request.user)
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.profile_save(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your professional profile is saved."))
        return redirect("professionals:home")
    return render(request, "professionals/profile.html", {"form": form, "profile": profile})


def _overview(
    request: AuthedRequest,
    state: selectors.LinkState,
    note_form: NoteForm | None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    since = state.link.created_at
    last = selectors.access_log_for(state.link).first()
    data = {
        "trends": aggregates.checkin_trends(state, today=today)
        if Scope.CHECKIN_TRENDS in state.scopes
        else None,
        "coregulation": aggregates.coregulation(state)
        if Scope.COREGULATION in state.scopes
        else None,
        "positions": aggregates.map_positions(state) if Scope.MAP in state.scopes else None,
        "counts": aggregates.practice_counts(state, since=last.viewed_at if last else since)
        if Scope.PRACTICE_COUNTS in state.scopes
        else None,
    }
    services.view_log(state=state)
    return render(
        request,
        "professionals/overview.html",
        {
            "state": state,
            "data": data,
            "last_view": last,
            "notes": selectors.notes_for(state.link),
            "topics": selectors.topics_for(state.link),
            "note_form": note_form or NoteForm(),
            "scope_labels": dict(Scope.choices),
        },
        status=status,
    )


@login_required
def couple_view(request: AuthedRequest, pk: int) -> HttpResponse:
    if selectors.profile_of(request.user) is None:
        raise Http404
    return _overview(request, selectors.professional_link_or_404(request.user, pk), None)


@login_required
@require_POST
def note_add(request: AuthedRequest, pk: int) -> HttpResponse:
    if selectors.profile_of(request.user) is None:
        raise Http404
    state = selectors.professional_link_or_404(request.user, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _overview(request, state, form, status=400)
    services.note_add(state=state, **form.cleaned_data)
    messages.success(request, _("Your note is there for both of them."))
    return redirect("professionals:couple_view", pk=pk)
