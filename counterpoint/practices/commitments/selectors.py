"""Reads of commitments and the gentle reliability record, through the access layer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from counterpoint.accounts.models import User
from counterpoint.couples.selectors import active_couple
from counterpoint.practices.commitments.models import Commitment, Outcome
from counterpoint.privacy import access

RECORD_DAYS = 90


def commitments_readable(user: User) -> QuerySet[Commitment]:
    return access.readable(user, Commitment).select_related("author")


def commitment_confirmable_or_404(user: User, pk: int) -> Commitment:
    """A commitment the user's current partner made to them (only the partner confirms)."""
    return access.get_partners_or_404(user, Commitment, pk=pk)


def _record(items: QuerySet[Commitment], today: dt.date) -> dict[str, int]:
    """Kept out of those that came due: released ones and ones not yet due are left out."""
    since = today - dt.timedelta(days=RECORD_DAYS)
    came_due = (
        items.filter(due_on__gte=since)
        .filter(Q(due_on__lte=today) | Q(outcome__in=[Outcome.KEPT, Outcome.MISSED]))
        .exclude(outcome=Outcome.RELEASED)
    )
    return {
        "came_due": came_due.count(),
        "kept": came_due.filter(outcome=Outcome.KEPT).count(),
        "missed": came_due.filter(outcome=Outcome.MISSED).count(),
        "not_marked": came_due.filter(outcome=Outcome.OPEN).count(),
        "confirmed_by_partner": came_due.filter(confirmed_at__isnull=False).count(),
    }


def reliability_record(user: User) -> dict[str, Any]:
    """The user's own promises, and the couple's together — never the partner's alone, so the
    record can't be held over anyone."""
    today = user.local_today()
    readable = access.readable(user, Commitment)
    mine = _record(readable.filter(author=user), today)
    couple = active_couple(user)
    together = _record(readable.filter(couple=couple), today) if couple else None
    return {
        "meaning": (
            f"Promises that came due in the last {RECORD_DAYS} days and how many were kept. "
            "A gentle pattern for you to notice, not a score."
        ),
        "window_days": RECORD_DAYS,
        "mine": mine,
        "together": together,
        "data_counts": {"commitments": readable.filter(author=user).count()},
    }
