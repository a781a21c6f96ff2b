"""Request types for views, so the type checker knows what middleware adds."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from counterpoint.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request behind ``login_required``: ``user`` is a signed-in person."""

    user: User
    htmx: HtmxDetails


class AnyRequest(HttpRequest):
    htmx: HtmxDetails


def client_ip(request: HttpRequest) -> str | None:
    """The address of the person making the request.

    Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each of which appends the address it received
    the request from to ``X-Forwarded-For``, the client is the entry that many places from the
    right; anything further left was written by the client and is not trusted. With no trusted
    proxy the header is ignored (anyone can send it) and ``REMOTE_ADDR`` is the client.
    """
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR") or None
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part
    ]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote  # the proxies did not say: fall back to the nearest peer
    candidate = forwarded[-count]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return remote
    return candidate


def local_path(value: str | None, default: str) -> str:
    """``value`` when it is a path on this site, otherwise ``default`` (never an open redirect).

    A path starts with one slash; ``//host``, ``/\\host`` and anything with a scheme or host are
    refused (browsers read a backslash as a slash).
    """
    if (
        value
        and value.startswith("/")
        and not value.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(value, allowed_hosts=None, require_https=False)
    ):
        return value
    return default
