"""The manifest, the service worker (served at the site root so its scope is the whole site),
the offline shell and the install help. None of them holds personal data."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from counterpoint.http import AnyRequest

# Bump when the offline shell's files change: the service worker then replaces its cache.
SHELL_VERSION = "1"


@require_safe
@cache_control(max_age=3600, public=True)
def manifest(request: AnyRequest) -> JsonResponse:
    data = {
        "name": "Counterpoint",
        "short_name": "Counterpoint",
        "description": _("Daily check-ins and practices for couples."),
        "id": "/",
        "start_url": "/home/?source=app",
        "scope": "/",
        "display": "standalone",
        "background_color": "#faf8f5",
        "theme_color": "#3d3a8c",
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("img/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
            {"src": static("img/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@require_safe
def service_worker(request: AnyRequest) -> HttpResponse:
    response = render(
        request,
        "pwa/sw.js",
        {"version": SHELL_VERSION},
        content_type="application/javascript; charset=utf-8",
    )
    # Browsers check for a new worker on every visit; never let a cache pin an old one.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
def offline(request: AnyRequest) -> HttpResponse:
    return render(request, "pwa/offline.html")


@require_safe
def install(request: AnyRequest) -> HttpResponse:
    return render(request, "pwa/install.html")
