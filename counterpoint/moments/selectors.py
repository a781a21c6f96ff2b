"""Reads of wins and struggles, always through the access layer for the requesting person."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from counterpoint.accounts.models import User
from counterpoint.moments.models import Moment, MomentResponse
from counterpoint.privacy import access

PROMPT = dt.timedelta(hours=24)


def moments_for(user: User) -> QuerySet[Moment]:
    return (
        access.readable(user, Moment)
        .select_related("author", "response", "response__responder")
        .order_by("-created_at", "-id")
    )


def moment_for(user: User, pk: int) -> Moment:
    return access.get_readable_or_404(
        user, Moment.objects.select_related("author", "response"), pk=pk
    )


def waiting_for(user: User) -> QuerySet[Moment]:
    """The partner's shared moments this person has not responded to yet."""
    return moments_for(user).exclude(author=user).filter(response__isnull=True)


def responsiveness(user: User) -> dict[str, Any]:
    """How the person's shared moments were met, and how they met their partner's. Counts and a
    gentle share, never a score; only moments the person can read are counted."""

    def summary(responses: list[MomentResponse], shared: int) -> dict[str, Any]:
        within = sum(1 for r in responses if r.delay <= PROMPT)
        warm = sum(1 for r in responses if r.is_responsive)
        delays = sorted(r.delay.total_seconds() / 3600 for r in responses)
        return {
            "shared": shared,
            "responded": len(responses),
            "responded_within_a_day": within,
            "warm_responses": warm,
            "median_hours_to_respond": round(delays[len(delays) // 2], 1) if delays else None,
        }

    readable = moments_for(user).exclude(visibility="private")
    mine = [m for m in readable if m.author_id == user.pk]
    theirs = [m for m in readable if m.author_id != user.pk]
    mine_resp = [m.response for m in mine if hasattr(m, "response")]
    theirs_resp = [
        m.response for m in theirs if hasattr(m, "response") and m.response.responder_id == user.pk
    ]
    return {
        "how_my_moments_were_met": summary(mine_resp, len(mine)),
        "how_i_met_my_partners": summary(theirs_resp, len(theirs)),
        "n": len(mine) + len(theirs),
    }
