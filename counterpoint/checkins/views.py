from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from counterpoint.http import AuthedRequest


@login_required
def today(request: AuthedRequest) -> HttpResponse:
    return render(request, "checkins/today.html", {})
