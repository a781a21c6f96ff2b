from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from counterpoint.activity.selectors import unread_counts, waiting_for
from counterpoint.couples.selectors import partner_of
from counterpoint.http import AnyRequest, AuthedRequest
from counterpoint.journal.forms import JournalEntryForm
from counterpoint.operations.health import health_problems, task_runner_state
from counterpoint.pages.first_steps import first_steps
from counterpoint.privacy.page_cache import per_viewer_page

HOME_WAITING_SHOWN = 5


def welcome(request: AnyRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("pages:home")
    return render(request, "pages/welcome.html")


@login_required
@per_viewer_page
def home(request: AuthedRequest) -> HttpResponse:
    # The oldest few of what waits; the count is Activity's (the same selector), so the two pages
    # always agree. Counted separately only when there are more than are shown.
    waiting = list(waiting_for(request.user)[: HOME_WAITING_SHOWN + 1])
    waiting_count = len(waiting)
    if waiting_count > HOME_WAITING_SHOWN:
        waiting_count = unread_counts(request.user)["waiting_for_you"]
    partner = partner_of(request.user)
    return render(
        request,
        "pages/home.html",
        {
            "partner": partner,
            "first_steps": first_steps(request.user) if partner is not None else None,
            "waiting": waiting[:HOME_WAITING_SHOWN],
            "waiting_for_you": waiting_count,
        },
    )


def patterns(request: AnyRequest) -> HttpResponse:
    """Every UI component on one page, for developers (DEBUG only)."""
    if not settings.DEBUG:
        raise Http404
    return render(
        request,
        "pages/patterns.html",
        {"form": JournalEntryForm(data={"body": "", "visibility": "private"})},
    )


@never_cache
def healthz(request: AnyRequest) -> HttpResponse:
    """For load balancers and monitors: 200 when the database answers, else 503 with the reasons.

    The body's first line is "ok", or "degraded" when the task runner's heartbeat is stale or
    missing (pages still work; emails and reminders wait); the next line says how old the heartbeat
    is. With ``?require=tasks`` (or ``HEALTHZ_REQUIRE_TASKS``) a stale task runner is a 503 too.
    """
    problems = health_problems()
    tasks = task_runner_state()
    required = settings.HEALTHZ_REQUIRE_TASKS or request.GET.get("require") == "tasks"
    if not tasks.healthy and required:
        problems.append(tasks.describe())
    if problems:
        return HttpResponse("\n".join(problems), content_type="text/plain", status=503)
    first = "ok" if tasks.healthy else "degraded"
    return HttpResponse(f"{first}\n{tasks.describe()}\n", content_type="text/plain")
