from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from counterpoint.activity import selectors, services
from counterpoint.activity.forms import NoticePreferenceForm
from counterpoint.activity.models import Notice
from counterpoint.http import AuthedRequest
from counterpoint.privacy.page_cache import per_own_page


@login_required
@per_own_page(reads=("activity",))
def feed(request: AuthedRequest) -> HttpResponse:
    raw = request.GET.get("page") or "1"
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 6 else 0
    if number < 1:
        raise Http404(_("There is no such page of activity."))
    page = selectors.feed_page(request.user, number)
    if number > 1 and not page.notices:
        raise Http404(_("There is no such page of activity."))
    return render(
        request,
        "activity/feed.html",
        {"page": page, "notices": page.notices, **selectors.unread_counts(request.user)},
    )


@login_required
def feed_json(request: AuthedRequest) -> JsonResponse:
    return JsonResponse(
        {**selectors.unread_counts(request.user), "notices": selectors.notice_rows(request.user)}
    )


@login_required
@require_POST
def open_notice(request: AuthedRequest, pk: int) -> HttpResponse:
    """A notice opened from Activity or Home."""
    return _follow(request, selectors.notice_for_recipient_or_404(request.user, pk))


@login_required
@require_GET
def follow_notice(request: AuthedRequest, pk: int) -> HttpResponse:
    """A notice's link in its email: the same as opening it in the app (signed out, sign-in comes
    first). Only its recipient can follow it; anyone else gets the 404 an unknown number gets."""
    return _follow(request, selectors.notice_for_recipient_or_404(request.user, pk))


def _follow(request: AuthedRequest, notice: Notice) -> HttpResponse:
    """Mark the notice read and go where it points, or back to Activity with a line when what it
    was about is no longer there for the person."""
    services.notice_open(user=request.user, notice=notice)
    if not notice.link or not url_has_allowed_host_and_scheme(notice.link, allowed_hosts=None):
        return redirect("activity:feed")
    if not selectors.leads_somewhere(request.user, notice.link):
        messages.info(
            request,
            _(
                "What this notice was about is no longer there for you: it was deleted, or its "
                "author kept it to themselves."
            ),
        )
        return redirect("activity:feed")
    return redirect(notice.link)


@login_required
@require_POST
def mark_all_read(request: AuthedRequest) -> HttpResponse:
    services.notices_mark_read(user=request.user)
    return redirect("activity:feed")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthedRequest) -> HttpResponse:
    prefs = services.notice_preferences(user=request.user)
    form = NoticePreferenceForm(request.POST if request.method == "POST" else None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        services.notice_preferences_update(
            user=request.user,
            email_when_asked=form.cleaned_data["email_when_asked"],
            email_everything=form.cleaned_data["email_everything"],
        )
        messages.success(request, _("Saved."))
        return redirect("activity:preferences")
    return render(request, "activity/preferences.html", {"form": form})
