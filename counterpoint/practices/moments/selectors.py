"""Reads of wins and struggles, always through the access layer for the requesting person."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from counterpoint.accounts.models import User
from counterpoint.practices.moments.models import RESPONSIVE_REACTIONS, Moment
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


def own_moment_or_404(user: User, pk: int) -> Moment:
    return access.get_own_or_404(user, Moment, pk=pk)


def waiting_for(user: User) -> QuerySet[Moment]:
    """The partner's shared moments this person has not responded to yet."""
    return moments_for(user).exclude(author=user).filter(response__isnull=True)


def responsiveness(user: User) -> dict[str, Any]:
    """How the person's shared moments were met, and how they met their partner's. Counts and a
    gentle share, never a score; only moments the person can read are counted (one read)."""

    def summary(
        responses: list[tuple[dt.timedelta, str]], shared: int, *, own: bool
    ) -> dict[str, Any]:
        warm = sum(1 for _delay, reaction in responses if reaction in RESPONSIVE_REACTIONS)
        row: dict[str, Any] = {
            "shared": shared,
            "responded": len(responses),
            "warm_responses": warm,
        }
        if own:  # how fast someone answered is theirs alone: never shown to the partner
            delays = sorted(delay.total_seconds() / 3600 for delay, _reaction in responses)
            row["responded_within_a_day"] = sum(1 for delay, _r in responses if delay <= PROMPT)
            row["median_hours_to_respond"] = round(delays[len(delays) // 2], 1) if delays else None
        return row

    readable = list(
        access.readable(user, Moment)
        .exclude(visibility="private")
        .values_list(
            "author_id",
            "created_at",
            "response__responder_id",
            "response__responded_at",
            "response__reaction",
        )
    )
    mine = [m for m in readable if m[0] == user.pk]
    theirs = [m for m in readable if m[0] != user.pk]
    mine_resp = [
        (at - created, reaction) for _, created, by, at, reaction in mine if by is not None
    ]
    theirs_resp = [
        (at - created, reaction) for _, created, by, at, reaction in theirs if by == user.pk
    ]
    met = summary(mine_resp, len(mine), own=False)
    given = summary(theirs_resp, len(theirs), own=True)
    words = []
    if met["shared"]:
        words.append(
            _("Of the %(n)s moments you shared, %(r)s got a response.")
            % {"n": met["shared"], "r": met["responded"]}
        )
    if given["shared"]:
        words.append(
            _("You responded to %(r)s of the %(n)s your partner shared, %(w)s of them warmly.")
            % {"n": given["shared"], "r": given["responded"], "w": given["warm_responses"]}
        )
    if not words:
        words.append(_("Share a win or a struggle to start seeing how you meet each other."))
    return {
        "title": _("Wins and struggles: how you meet each other"),
        "how_my_moments_were_met": met,
        "how_i_met_my_partners": given,
        "n_moments": len(mine) + len(theirs),
        "words": words,
    }
