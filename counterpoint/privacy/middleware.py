"""Private pages are never stored by browsers or proxies (issue 10)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class NoStoreWhenSignedInMiddleware:
    """``Cache-Control: no-store, private`` on every response to a signed-in person, so the back
    button, a shared computer's cache or a proxy keeps nothing of their pages. Responses that say
    they are public (the Plotly bundle) keep their own caching."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in and "public" not in response.get("Cache-Control", ""):
            patch_cache_control(response, no_store=True, no_cache=True, private=True)
        return response
