from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from counterpoint.activity.models import Notice
from counterpoint.activity.services import notices_mark_read
from counterpoint.couples.selectors import partner_of
from counterpoint.http import AnyRequest, AuthedRequest
from counterpoint.journal.forms import JournalEntryForm


def welcome(request: AnyRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("pages:home")
    return render(request, "pages/welcome.html")


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    return render(request, "pages/home.html", {"partner": partner_of(request.user)})


@login_required
def notices(request: AuthedRequest) -> HttpResponse:
    items = list(Notice.objects.filter(recipient=request.user)[:50])
    return render(request, "pages/notices.html", {"notices": items})


@login_required
@require_POST
def notices_read(request: AuthedRequest) -> HttpResponse:
    notices_mark_read(user=request.user)
    if request.htmx:
        return HttpResponse("")
    return redirect("pages:notices")


def patterns(request: AnyRequest) -> HttpResponse:
    """Every UI component on one page, for developers (DEBUG only)."""
    if not settings.DEBUG:
        raise Http404
    return render(
        request,
        "pages/patterns.html",
        {"form": JournalEntryForm(data={"body": "", "visibility": "private"})},
    )


def healthz(request: AnyRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
