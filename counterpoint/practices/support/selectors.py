"""Reads of support requests, always through the access layer for the requesting user."""

from __future__ import annotations

import statistics
from typing import Any

from django.db.models import QuerySet

from counterpoint.accounts.models import User
from counterpoint.practices.support.models import (
    LANDED_WELL,
    Offer,
    SupportRequest,
    SupportResponse,
)
from counterpoint.privacy import access


def support_requests_readable(user: User) -> QuerySet[SupportRequest]:
    return access.readable(user, SupportRequest).select_related("author")


def support_response_for(user: User, support_request: SupportRequest) -> SupportResponse | None:
    """The answer to a request, if there is one the user may read."""
    return (
        access.readable(user, SupportResponse)
        .select_related("author")
        .filter(request=support_request)
        .first()
    )


def support_threads(user: User) -> list[SupportRequest]:
    """Requests the user may read, each with ``visible_response`` attached."""
    requests = list(support_requests_readable(user))
    responses = {
        r.request_id: r for r in access.readable(user, SupportResponse).filter(request__in=requests)
    }
    for item in requests:
        item.visible_response = responses.get(item.pk)  # type: ignore[attr-defined]
    return requests


def support_request_answerable_or_404(user: User, pk: int) -> SupportRequest:
    """A request the user's current partner made of them (only the partner answers)."""
    return access.get_partners_or_404(user, SupportRequest, pk=pk)


def support_summary(user: User) -> dict[str, Any]:
    """Responsiveness of support, for the resilience insight: counts, not a score."""
    asked = list(access.readable(user, SupportRequest).filter(author=user))
    given = list(
        access.readable(user, SupportResponse).filter(author=user).select_related("request")
    )
    received = list(
        access.readable(user, SupportResponse)
        .filter(request__author=user)
        .select_related("request")
    )

    def median_minutes(responses: list[SupportResponse]) -> float | None:
        if not responses:
            return None
        return round(statistics.median(r.response_seconds for r in responses) / 60, 1)

    return {
        "meaning": (
            "How asking for support has gone: whether it was answered and how it landed (how "
            "quickly is shown only for your own answers). "
            "A pattern to notice together, not a score."
        ),
        "asked": {
            "requests": len(asked),
            "answered": len(received),
            "answered_yes": sum(r.offer == Offer.YES for r in received),
            "answered_partly": sum(r.offer == Offer.PARTLY for r in received),
            "answered_not_now": sum(r.offer == Offer.NOT_NOW for r in received),
            "said_how_it_landed": sum(bool(r.landed) for r in asked),
            "landed_well": sum(r.landed in LANDED_WELL for r in asked),
        },
        "offered": {
            "answers_given": len(given),
            "median_minutes_to_answer": median_minutes(given),
        },
        "data_counts": {"requests": len(asked), "answers": len(received) + len(given)},
    }
