from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from counterpoint.http import AuthedRequest
from counterpoint.practices.hub import PRACTICE_LINKS


@login_required
def hub(request: AuthedRequest) -> HttpResponse:
    return render(request, "practices/hub.html", {"practices": PRACTICE_LINKS})
