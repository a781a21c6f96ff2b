"""Reads of boundaries and their history, through the access layer."""

from __future__ import annotations

from django.db.models import QuerySet

from counterpoint.accounts.models import User
from counterpoint.practices.boundaries.models import Boundary, BoundaryEvent, EventKind
from counterpoint.privacy import access


def boundaries_readable(user: User) -> QuerySet[Boundary]:
    return access.readable(user, Boundary).select_related("author")


def boundary_history(user: User, boundary: Boundary) -> QuerySet[BoundaryEvent]:
    return access.readable(user, BoundaryEvent).filter(boundary=boundary).select_related("author")


def boundary_of_partner_or_404(user: User, pk: int) -> Boundary:
    """A boundary the user's current partner stated: the one the user may acknowledge or ask
    to talk about."""
    return access.get_partners_or_404(user, Boundary, pk=pk)


def partner_response(user: User, boundary: Boundary) -> BoundaryEvent | None:
    """The partner's latest answer to the current version (acknowledged or asked to talk)."""
    return (
        boundary_history(user, boundary)
        .filter(
            version=boundary.version, kind__in=[EventKind.ACKNOWLEDGED, EventKind.ASKED_TO_TALK]
        )
        .exclude(author_id=boundary.author_id)
        .order_by("-created_at", "-id")
        .first()
    )


def with_responses(user: User, boundaries: list[Boundary]) -> list[Boundary]:
    """Attach ``current_response`` (the partner's answer to the current version) to each."""
    events = (
        access.readable(user, BoundaryEvent)
        .filter(boundary__in=boundaries, kind__in=[EventKind.ACKNOWLEDGED, EventKind.ASKED_TO_TALK])
        .order_by("created_at", "id")
    )
    latest: dict[int, BoundaryEvent] = {}
    by_pk = {b.pk: b for b in boundaries}
    for event in events:
        b = by_pk[event.boundary_id]
        if event.version == b.version and event.author_id != b.author_id:
            latest[b.pk] = event
    for b in boundaries:
        b.current_response = latest.get(b.pk)  # type: ignore[attr-defined]
    return boundaries
