"""Reads of support requests, always through the access layer for the requesting user."""

from __future__ import annotations

import statistics
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

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


def support_waiting_for(user: User) -> list[SupportRequest]:
    """Requests others made that ``user`` may read and that have no answer ``user`` may read (in
    one query: the home page asks on every view)."""
    answered = access.readable(user, SupportResponse).filter(request=OuterRef("pk"))
    return list(support_requests_readable(user).exclude(author=user).exclude(Exists(answered)))


def support_request_answerable_or_404(user: User, pk: int) -> SupportRequest:
    """A request the user's current partner made of them (only the partner answers)."""
    return access.get_partners_or_404(user, SupportRequest, pk=pk)


def support_summary(user: User) -> dict[str, Any]:
    """Responsiveness of support, for the resilience insight: counts, not a score."""
    from django.db.models import Q

    landed = list(access.own(user, SupportRequest).values_list("landed", flat=True))
    # the answers the person gave and the ones their requests got, read together
    responses = list(
        access.readable(user, SupportResponse)
        .filter(Q(author=user) | Q(request__author=user))
        .values_list(
            "author_id", "offer", "created_at", "request__author_id", "request__created_at"
        )
    )
    given = [
        max(0, int((at - asked_at).total_seconds()))
        for by, _, at, _, asked_at in responses
        if by == user.pk
    ]
    received = [offer for _, offer, _, asker, _ in responses if asker == user.pk]

    def median_minutes(seconds: list[int]) -> float | None:
        # SupportResponse.response_seconds, from the columns read above
        if not seconds:
            return None
        return round(statistics.median(seconds) / 60, 1)

    return {
        "meaning": (
            "How asking for support has gone: whether it was answered and how it landed (how "
            "quickly is shown only for your own answers). "
            "A pattern to notice together, not a score."
        ),
        "asked": {
            "requests": len(landed),
            "answered": len(received),
            "answered_yes": sum(offer == Offer.YES for offer in received),
            "answered_partly": sum(offer == Offer.PARTLY for offer in received),
            "answered_not_now": sum(offer == Offer.NOT_NOW for offer in received),
            "said_how_it_landed": sum(bool(how) for how in landed),
            "landed_well": sum(how in LANDED_WELL for how in landed),
        },
        "offered": {
            "answers_given": len(given),
            "median_minutes_to_answer": median_minutes(given),
        },
        "data_counts": {"requests": len(landed), "answers": len(received) + len(given)},
    }
