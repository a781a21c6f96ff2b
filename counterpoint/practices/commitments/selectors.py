"""Reads of commitments and the gentle reliability record, through the access layer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

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


def _record(rows: list[tuple[dt.date, str, Any]], today: dt.date) -> dict[str, int]:
    """Kept out of those that came due: released ones and ones not yet due are left out.
    ``rows`` are (due_on, outcome, confirmed_at) of the promises counted."""
    since = today - dt.timedelta(days=RECORD_DAYS)
    came_due = [
        (outcome, confirmed_at)
        for due_on, outcome, confirmed_at in rows
        if due_on >= since
        and (due_on <= today or outcome in (Outcome.KEPT, Outcome.MISSED))
        and outcome != Outcome.RELEASED
    ]
    return {
        "came_due": len(came_due),
        "kept": sum(outcome == Outcome.KEPT for outcome, _ in came_due),
        "missed": sum(outcome == Outcome.MISSED for outcome, _ in came_due),
        "not_marked": sum(outcome == Outcome.OPEN for outcome, _ in came_due),
        "confirmed_by_partner": sum(confirmed is not None for _, confirmed in came_due),
    }


def reliability_record(user: User) -> dict[str, Any]:
    """The user's own promises, and the couple's together — never the partner's alone, so the
    record can't be held over anyone. One read of what ``user`` may read, counted here."""
    today = user.local_today()
    couple = active_couple(user)
    rows = list(
        access.readable(user, Commitment).values_list(
            "author_id", "couple_id", "due_on", "outcome", "confirmed_at"
        )
    )
    mine = [
        (due, outcome, confirmed)
        for author, _, due, outcome, confirmed in rows
        if author == user.pk
    ]
    together = (
        _record([(d, o, c) for _, couple_id, d, o, c in rows if couple_id == couple.pk], today)
        if couple
        else None
    )
    return {
        "meaning": (
            f"Promises that came due in the last {RECORD_DAYS} days and how many were kept. "
            "A gentle pattern for you to notice, not a score."
        ),
        "window_days": RECORD_DAYS,
        "mine": _record(mine, today),
        "together": together,
        "data_counts": {"commitments": len(mine)},
    }
