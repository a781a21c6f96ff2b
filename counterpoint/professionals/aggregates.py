"""The aggregate views a professional may be granted. Each partner's numbers are what the OTHER
partner can see of them (their shared fields and records, through the access layer), so nothing a
person keeps private ever reaches a professional — not even as part of an average or a count."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import numpy as np
from django.db.models import Q

from counterpoint.accounts.models import User
from counterpoint.checkins.selectors import visible_checkin_series
from counterpoint.insights.diary import CoupleDiary, PersonDiary, couple_diary
from counterpoint.insights.sections import couple_var_fit
from counterpoint.privacy import access
from counterpoint.privacy.models import Visibility
from counterpoint.professionals.selectors import LinkState
from counterpoint.science.numerics import Z95

TREND_WEEKS = 12
TREND_SERIES = ("mood", "stress", "closeness", "energy")


def _other(state: LinkState, person: User) -> User:
    return next(m for m in state.members if m.pk != person.pk)


def checkin_trends(state: LinkState, *, today: dt.date) -> dict[str, Any]:
    """Weekly averages per partner over the last twelve weeks, of the fields each shares."""
    first = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=TREND_WEEKS - 1)
    weeks = [first + dt.timedelta(weeks=i) for i in range(TREND_WEEKS)]
    people = []
    for person in state.members:
        series = visible_checkin_series(_other(state, person), end=today)
        hidden = series.hidden.get(person.pk, frozenset())
        rows: dict[str, list[float | None]] = {}
        ranges: dict[str, list[float | None]] = {}
        days: list[int] = []
        for name in TREND_SERIES:
            if name in hidden:
                continue
            sums = np.zeros(TREND_WEEKS)
            squares = np.zeros(TREND_WEEKS)
            counts = np.zeros(TREND_WEEKS)
            for author, day, value in zip(
                series.authors, series.days, series.values[name], strict=True
            ):
                if author != person.pk or value is None or day < first:
                    continue
                w = (day - first).days // 7
                sums[w] += value
                squares[w] += value * value
                counts[w] += 1
            rows[name] = [
                round(float(s / c), 1) if c else None for s, c in zip(sums, counts, strict=True)
            ]
            # The uncertainty of each weekly mean: half the width of its 95% range (normal
            # approximation, from the week's own spread); none for a week with fewer than 2 days.
            with np.errstate(invalid="ignore", divide="ignore"):
                var = (squares - sums * sums / np.maximum(counts, 1)) / np.maximum(counts - 1, 1)
                half = Z95 * np.sqrt(np.maximum(var, 0) / np.maximum(counts, 1))
            ranges[name] = [
                round(float(h), 1) if c >= 2 else None for h, c in zip(half, counts, strict=True)
            ]
        for w in range(TREND_WEEKS):
            start, end = weeks[w], weeks[w] + dt.timedelta(days=6)
            days.append(
                len(
                    {
                        d
                        for a, d in zip(series.authors, series.days, strict=True)
                        if a == person.pk and start <= d <= end
                    }
                )
                if len(rows)
                else 0
            )
        columns = list(rows)
        table = [
            {
                "week": weeks[w].isoformat(),
                "values": [rows[c][w] for c in columns],
                "ranges": [ranges[c][w] for c in columns],
                "cells": [_cell(rows[c][w], ranges[c][w]) for c in columns],
                "days": days[w],
            }
            for w in range(TREND_WEEKS)
        ]
        people.append(
            {
                "name": person.display_name,
                "series": rows,
                "ranges": ranges,
                "days_per_week": days,
                "columns": columns,
                "table": table,
            }
        )
    return {"weeks": [w.isoformat() for w in weeks], "people": people}


def _cell(mean: float | None, half: float | None) -> str:
    if mean is None:
        return "—"
    return f"{mean:.1f}" if half is None else f"{mean:.1f} ± {half:.1f}"


def _realign(person: PersonDiary, src_start: dt.date, start: dt.date, n: int) -> PersonDiary:
    offset = (src_start - start).days
    values = {}
    for name, old in person.values.items():
        new = np.full(n, np.nan)
        new[offset : offset + len(old)] = old
        values[name] = new
    supported = np.zeros(n, dtype=bool)
    known = np.zeros(n, dtype=bool)
    supported[offset : offset + len(person.supported)] = person.supported
    known[offset : offset + len(person.support_known)] = person.support_known
    return replace(person, values=values, supported=supported, support_known=known)


def shared_couple_diary(state: LinkState) -> CoupleDiary:
    """Both partners as each is seen by the other: only shared fields, never private ones."""
    a, b = state.members
    seen_by_b = couple_diary(User.objects.get(pk=b.pk))  # [b in full, a as b sees a]
    seen_by_a = couple_diary(User.objects.get(pk=a.pk))  # [a in full, b as a sees b]
    start = min(seen_by_a.start, seen_by_b.start)
    today = max(seen_by_a.today, seen_by_b.today)
    n = (today - start).days + 1
    return CoupleDiary(
        today=today,
        start=start,
        people=[
            _realign(seen_by_b.people[1], seen_by_b.start, start, n),
            _realign(seen_by_a.people[1], seen_by_a.start, start, n),
        ],
    )


def coregulation(state: LinkState) -> dict[str, Any]:
    """The per-couple VAR of mood and of stress on what both share (with 95% ranges)."""
    diary = shared_couple_diary(state)
    out: dict[str, Any] = {"names": [p.name for p in diary.people]}
    for var in ("mood", "stress"):
        if any(var in p.hidden for p in diary.people):
            out[var] = {"status": "not_shared"}
        else:
            out[var] = couple_var_fit(diary, var)
    return out


def map_positions(state: LinkState) -> list[dict[str, Any]]:
    """Each partner's latest interdependence-map position that they shared with their partner."""
    from counterpoint.interdependence.models import Position

    rows = []
    for person in state.members:
        latest = (
            access.readable(_other(state, person), Position)
            .filter(author=person)
            .exclude(visibility=Visibility.PRIVATE)
            .order_by("-taken_on", "-created_at", "-id")
            .first()
        )
        rows.append(
            {
                "name": person.display_name,
                "shared": latest is not None,
                "taken_on": latest.taken_on.isoformat() if latest else None,
                "connection": round(latest.connection, 2) if latest else None,
                "autonomy": round(latest.autonomy, 2) if latest else None,
                "se_connection": round(latest.se_connection, 2) if latest else None,
                "se_autonomy": round(latest.se_autonomy, 2) if latest else None,
                "region": latest.region if latest else None,
            }
        )
    return rows


def practice_counts(state: LinkState, *, since: dt.datetime) -> list[dict[str, Any]]:
    """How many shared or co-owned items of each practice the couple made since ``since``.
    Private items are not counted: a count would tell that they exist."""
    from counterpoint.practices.boundaries.models import Boundary
    from counterpoint.practices.commitments.models import Commitment
    from counterpoint.practices.decisions.models import Decision
    from counterpoint.practices.goals.models import Goal
    from counterpoint.practices.moments.models import Moment
    from counterpoint.practices.plans.models import Memory, Plan
    from counterpoint.practices.repair.models import Repair
    from counterpoint.practices.support.models import SupportRequest
    from counterpoint.practices.timebalance.models import TimeBlock

    kinds = [
        ("Boundaries stated", Boundary),
        ("Goals", Goal),
        ("Commitments made", Commitment),
        ("Support requests", SupportRequest),
        ("Wins and struggles shared", Moment),
        ("Decisions made together", Decision),
        ("Repairs after conflict", Repair),
        ("Me-time and we-time logged", TimeBlock),
        ("Plans", Plan),
        ("Memories", Memory),
    ]
    a, b = state.members
    rows = []
    for label, model in kinds:
        seen = Q(pk__in=access.readable(a, model).values("pk")) & Q(
            pk__in=access.readable(b, model).values("pk")
        )
        count = (
            model._default_manager.filter(seen, couple=state.link.couple, created_at__gte=since)
            .exclude(visibility=Visibility.PRIVATE)
            .count()
        )
        rows.append({"kind": label, "count": count})
    return rows
