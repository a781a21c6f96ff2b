"""The couple's insights page, the same numbers as JSON, and how they are computed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from counterpoint.http import AuthedRequest
from counterpoint.insights import charts
from counterpoint.insights.cache import Computed, insights_cached, insights_computed
from counterpoint.insights.sections import SECTIONS
from counterpoint.insights.wording import answer_value
from counterpoint.privacy.page_cache import per_viewer_page


@login_required
@per_viewer_page
def page(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context = insights_cached(user, "page", lambda: _page_context(insights_computed(user)))
    return render(request, "insights/page.html", context)


def _page_context(computed: Computed) -> dict[str, Any]:
    """Everything the page shows, from the sections the JSON shows too: computed once per new data
    (the charts and tables are cached beside the sections)."""
    diary, sections = computed.diary, computed.sections
    chart = {
        "mood": charts.daily_lines(diary, "mood", "Mood, day by day", "0–10", "chart-mood"),
        "mood_effects": charts.effects(
            sections["emotions"], "Mood: carry-over, influence", "chart-mood-effects"
        ),
        "stress": charts.daily_lines(diary, "stress", "Stress, day by day", "0–10", "chart-stress"),
        "stress_effects": charts.effects(
            sections["coregulation"], "Stress: carry-over, influence", "chart-stress-effects"
        ),
        "wellbeing": charts.weekly_lines(diary, "chart-wellbeing"),
        "balance": charts.balance_bars(sections["balance"], "chart-balance"),
    }
    recent = []
    for i in range(min(diary.n_days, 14)):
        idx = diary.n_days - 1 - i
        recent.append(
            {
                "day": diary.today - dt.timedelta(days=i),
                "values": [
                    (answer_value(p.values["mood"][idx]), answer_value(p.values["stress"][idx]))
                    for p in diary.people
                ],
            }
        )
    # other features' sections: shown when they bring words; all of them are in the JSON
    # ("items" is always set: in a template a dict without it would answer with dict.items)
    others = {
        k: {"items": [], **v}
        for k, v in sections.items()
        if k not in SECTIONS and isinstance(v, dict) and (v.get("words") or v.get("message"))
    }
    return {
        "s": sections,
        "chart": chart,
        "diary": diary,
        "days_with_checkins": len(set().union(*(p.checkin_days for p in diary.people))),
        "people": diary.people,
        "recent": recent,
        "others": others,
        "has_charts": any(chart.values()),
    }


@login_required
def how(request: AuthedRequest) -> HttpResponse:
    """How each insight is computed, in plain words (the page's "how this is computed" link)."""
    return render(request, "insights/how.html")


@login_required
@require_GET
@per_viewer_page
def as_json(request: AuthedRequest) -> JsonResponse:
    user = request.user
    today = user.local_today().isoformat()
    return JsonResponse(
        {"generated_on": today, "today": today, "sections": insights_computed(user).sections}
    )
