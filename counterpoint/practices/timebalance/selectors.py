"""Reads of me-time and we-time: the week view and each partner's balance over time.

Only blocks the requesting person may read are counted, so a partner's private me-time never
shows up in the other's view of their balance. Check-in minutes (from the check-ins app, when it
provides ``me_we_minutes``) are joined only for the requesting person themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from counterpoint.accounts.models import User
from counterpoint.couples.selectors import partner_of
from counterpoint.practices.timebalance.models import TimeBlock, TimeKind
from counterpoint.privacy import access

# Weeks one can page to, and how far ahead one can plan: far enough for any real plan, and far
# from the ends of the calendar (where "next week" does not exist).
YEARS_BACK = 100
PLAN_AHEAD = dt.timedelta(days=366)


def week_in_reach(day: dt.date, today: dt.date) -> bool:
    return today.replace(year=max(today.year - YEARS_BACK, 1), day=1) <= day <= today + PLAN_AHEAD


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def blocks_for(user: User) -> QuerySet[TimeBlock]:
    return access.readable(user, TimeBlock).select_related("author")


def block_for(user: User, pk: int) -> TimeBlock:
    return access.get_readable_or_404(user, TimeBlock, pk=pk)


def block_writable_or_404(user: User, pk: int) -> TimeBlock:
    """Own me-time, or the couple's we-time while still together; anything else is a 404."""
    block = block_for(user, pk)
    if not access.can_edit(user, block):
        raise Http404
    return block


@dataclass
class Day:
    date: dt.date
    blocks: list[TimeBlock] = field(default_factory=list)


def week_for(user: User, monday: dt.date) -> list[Day]:
    days = [Day(monday + dt.timedelta(days=i)) for i in range(7)]
    for block in blocks_for(user).filter(day__gte=monday, day__lt=monday + dt.timedelta(days=7)):
        days[(block.day - monday).days].blocks.append(block)
    return days


def _checkin_minutes(
    days: dict[dt.date, Any], start: dt.date, end: dt.date
) -> dict[str, int] | None:
    """Me/we minutes the person reported in their own check-ins that week (None: no check-ins),
    from ``me_we_minutes`` read once for all the weeks."""
    week = [minutes for day, minutes in days.items() if start <= day <= end]
    if not week:
        return None
    return {
        "me": sum(d.me for d in week),
        "we": sum(d.we for d in week),
        "days": len(week),
    }


def done_blocks(
    viewer: User, first: dt.date
) -> list[tuple[dt.date, str, int | None, int, int | None]]:
    """(day, kind, author_id, minutes, couple_id) of the done blocks ``viewer`` may read from
    ``first`` on, read once per read-only request (the me/we balance and the plans insight both
    count them; the balance page asks for both partners)."""
    from counterpoint.operations.memo import memoized

    return memoized(
        ("timebalance_done_blocks", viewer.pk, first),
        lambda: list(
            blocks_for(viewer)
            .filter(done=True, day__gte=first)
            .values_list("day", "kind", "author_id", "minutes", "couple_id")
        ),
    )


def balance_for(viewer: User, person: User, *, weeks: int, today: dt.date) -> list[dict[str, Any]]:
    """Done me-time and we-time minutes per week for ``person``, as ``viewer`` may see them."""
    from counterpoint.checkins.selectors import me_we_minutes

    first = week_start(today) - dt.timedelta(weeks=weeks - 1)
    rows = []
    readable = [
        (day, kind, by, minutes) for day, kind, by, minutes, _ in done_blocks(viewer, first)
    ]
    own = viewer.pk == person.pk
    checkins = (
        me_we_minutes(person, first, first + dt.timedelta(weeks=weeks, days=-1)) if own else {}
    )
    for i in range(weeks):
        start = first + dt.timedelta(weeks=i)
        end = start + dt.timedelta(days=6)
        in_week = [
            (kind, by, minutes) for day, kind, by, minutes in readable if start <= day <= end
        ]
        me = sum(m for kind, by, m in in_week if kind == TimeKind.ME and by == person.pk)
        we = sum(m for kind, _by, m in in_week if kind == TimeKind.WE)
        counted = sum(1 for kind, by, _m in in_week if kind == TimeKind.WE or by == person.pk)
        row: dict[str, Any] = {"week_of": start, "me": me, "we": we, "n": counted}
        if own:
            row["checkins"] = _checkin_minutes(checkins, start, end)
        rows.append(row)
    return rows


def balance_overview(user: User, *, weeks: int = 8) -> dict[str, Any]:
    today = user.local_today()
    partner = partner_of(user)
    return {
        "me": balance_for(user, user, weeks=weeks, today=today),
        "partner": partner,
        "partner_rows": balance_for(user, partner, weeks=weeks, today=today) if partner else [],
    }


def me_we_insight(user: User) -> dict[str, Any]:
    """The me/we balance section of /insights.json: the last four weeks, with data counts."""
    rows = balance_for(user, user, weeks=4, today=user.local_today())
    me = sum(r["me"] for r in rows)
    we = sum(r["we"] for r in rows)
    checkin = [r["checkins"] for r in rows if r.get("checkins")]
    words = [
        _("Over the last four weeks: %(me)s hours of your own time and %(we)s hours together.")
        % {"me": round(me / 60, 1), "we": round(we / 60, 1)}
        if me + we
        else _("Log some me-time or we-time to see your balance here.")
    ]
    return {
        "title": _("Time you planned and logged"),
        "words": words,
        "weeks": 4,
        "me_minutes": me,
        "we_minutes": we,
        "me_share": round(me / (me + we), 2) if me + we else None,
        "n_logged_blocks": sum(r["n"] for r in rows),
        "checkin_me_minutes": sum(c["me"] for c in checkin) if checkin else None,
        "checkin_we_minutes": sum(c["we"] for c in checkin) if checkin else None,
        "n_weeks_with_checkin_data": len(checkin),
    }
