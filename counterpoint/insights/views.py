from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from counterpoint.http import AuthedRequest


@login_required
def page(request: AuthedRequest) -> HttpResponse:
    return render(request, "insights/page.html", {})


@login_required
def as_json(request: AuthedRequest) -> JsonResponse:
    return JsonResponse({})


def plotly_js(request: AuthedRequest) -> HttpResponse:
    return HttpResponse("")
