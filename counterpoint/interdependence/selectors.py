"""Reads for the map. Item answers are only ever read by their author; a partner reaches a
position only through ``counterpoint.privacy.access`` (shared, same couple, still together)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from counterpoint.accounts.models import User
from counterpoint.checkins.selectors import me_we_minutes
from counterpoint.couples.selectors import partner_of
from counterpoint.interdependence.instruments import get_version
from counterpoint.interdependence.models import Position, Taking
from counterpoint.privacy import access
from counterpoint.privacy.models import Visibility
from counterpoint.science.instrument import (
    AXES,
    Z95,
    CouplePattern,
    Instrument,
    Subscale,
    couple_pattern,
)
from counterpoint.science.instrument import Position as MapPoint


def own_takings(user: User) -> QuerySet[Taking]:
    return access.own(user, Taking)


def draft_for(user: User, instrument: Instrument) -> Taking | None:
    return (
        own_takings(user)
        .filter(
            status=Taking.Status.DRAFT,
            instrument_key=instrument.key,
            instrument_version=instrument.version,
        )
        .first()
    )


def own_positions(user: User) -> QuerySet[Position]:
    return access.own(user, Position)


def partner_positions(user: User) -> QuerySet[Position]:
    """The partner's positions this person may see: only those the partner shared."""
    partner = partner_of(user)
    if partner is None:
        return Position.objects.none()
    return access.readable(user, Position).filter(author=partner)


def subscale_rows(
    instrument: Instrument, position: Position
) -> list[tuple[str, str, list[tuple[Subscale, float, float]]]]:
    """Per axis: (axis, label, [(subscale, score, 95% margin)]) of one's OWN result."""
    scores = position.taking.subscale_scores
    return [
        (
            axis,
            instrument.axis_labels[axis],
            [
                (sub, scores[sub.key]["score"], Z95 * scores[sub.key]["se"])
                for sub in instrument.subscales.values()
                if sub.axis == axis and sub.key in scores
            ],
        )
        for axis in AXES
    ]


def weakest_subscales(instrument: Instrument, position: Position, n: int = 2) -> list[Subscale]:
    """The dimensions of one's OWN result with the most room to grow."""
    scores = {k: v["score"] for k, v in position.taking.subscale_scores.items()}
    return [instrument.subscales[k] for k in instrument.weakest(scores, n=n)]


def as_point(position: Position) -> MapPoint:
    return MapPoint(
        connection=position.connection,
        autonomy=position.autonomy,
        se_connection=position.se_connection,
        se_autonomy=position.se_autonomy,
        cutoffs=(position.cutoff_connection, position.cutoff_autonomy),
    )


@dataclass(frozen=True)
class CoupleMap:
    partner: User | None
    mine: Position | None  # my latest shared position
    theirs: Position | None  # partner's latest shared position
    pattern: CouplePattern | None  # only when both have shared
    mine_history: list[Position]
    theirs_history: list[Position]


def couple_map(user: User) -> CoupleMap:
    """Both partners' shared positions and their pattern (only once both have shared one)."""
    partner = partner_of(user)
    mine = list(own_positions(user).filter(visibility=Visibility.PARTNER))
    theirs = list(partner_positions(user)) if partner else []
    if partner is None or not mine or not theirs:
        return CoupleMap(
            partner, mine[0] if mine else None, theirs[0] if theirs else None, None, mine, theirs
        )
    earlier = None
    if len(mine) > 1 and len(theirs) > 1:
        earlier = (as_point(mine[1]), as_point(theirs[1]))
    pattern = couple_pattern(as_point(mine[0]), as_point(theirs[0]), earlier=earlier)
    return CoupleMap(partner, mine[0], theirs[0], pattern, mine, theirs)


def position_dict(position: Position, *, with_subscales: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "taken_on": position.taken_on.isoformat(),
        "instrument": position.instrument_key,
        "instrument_version": position.instrument_version,
        "connection": {"score": position.connection, "se": position.se_connection},
        "autonomy": {"score": position.autonomy, "se": position.se_autonomy},
        "region": position.region,
        "between_regions": position.between,
        "plausible_regions": position.plausible_regions,
        "shared_with_partner": position.is_shared,
        "reference_parameters": position.parameters_version,
    }
    if with_subscales:
        data["subscales"] = position.taking.subscale_scores
    return data


def map_json(user: User) -> dict[str, Any]:
    """``GET /map.json``: own positions over time; the partner's only where they shared them."""
    partner = partner_of(user)
    mine = own_positions(user).select_related("taking").order_by("taken_on", "created_at")
    theirs = partner_positions(user).order_by("taken_on", "created_at")
    couple = couple_map(user)
    return {
        "me": {
            "name": user.display_name,
            "positions": [position_dict(p, with_subscales=True) for p in mine],
        },
        "partner": None
        if partner is None
        else {
            "name": partner.display_name,
            "positions": [position_dict(p, with_subscales=False) for p in theirs],
        },
        "couple": None
        if couple.pattern is None
        else {
            "pattern": couple.pattern.pattern,
            "tentative": couple.pattern.tentative,
            "trend": couple.pattern.trend,
        },
    }


@dataclass(frozen=True)
class BalanceSignal:
    available: bool
    me_minutes: float | None = None
    we_minutes: float | None = None
    days: int = 28
    reason: str = ""
    n_days: int = 0  # days with a check-in behind the numbers

    @property
    def me_hours(self) -> float:
        return (self.me_minutes or 0) / 60

    @property
    def we_hours(self) -> float:
        return (self.we_minutes or 0) / 60

    @property
    def me_share(self) -> float | None:
        total = (self.me_minutes or 0) + (self.we_minutes or 0)
        return None if not total else 100 * (self.me_minutes or 0) / total


def me_we_signal(user: User, days: int = 28) -> BalanceSignal:
    """The person's own me-time and we-time from their check-ins, beside the self-report."""
    end = user.local_today()
    start = end - dt.timedelta(days=days - 1)
    per_day = me_we_minutes(
        user, start, end
    )  # {day: MeWe(me=, we=)}; days without a check-in are absent
    me = sum(v.me for v in per_day.values())
    we = sum(v.we for v in per_day.values())
    if not per_day or (me == 0 and we == 0):
        return BalanceSignal(False, days=days, reason="no-data")
    return BalanceSignal(True, float(me), float(we), days, n_days=len(per_day))


def instrument_of(position: Position | Taking) -> Instrument | None:
    return get_version(position.instrument_key, position.instrument_version)
