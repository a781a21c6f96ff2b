"""Request types for views, so the type checker knows what middleware adds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from counterpoint.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request behind ``login_required``: ``user`` is a signed-in person."""

    user: User
    htmx: HtmxDetails


class AnyRequest(HttpRequest):
    htmx: HtmxDetails
