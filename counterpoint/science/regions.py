"""The interdependence map: four regions of (connection, autonomy), uncertain positions, couples.

A position's region follows from each axis' cut-off (on a cut-off counts as high); it is **between
regions** when score ± z·SE on either axis contains that axis' cut-off. Two partners' regions make a
couple pattern, and the change of their mean connection since an earlier pair gives its trend.
Questionnaire scoring, which produces these positions, is in :mod:`~counterpoint.science.instrument`.

>>> Position(5.0, 3.0, 0.2, 0.2).decide().label
'dependent'
>>> Position(5.0, 4.1, 0.2, 0.2).decide().label
'between regions'
>>> couple_pattern(Position(5.0, 3.0, 0.2, 0.2), Position(3.0, 5.0, 0.2, 0.2)).pattern
'pursue_withdraw'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from counterpoint.science.numerics import Z95

__all__ = [
    "AXES",
    "PATTERNS",
    "REGIONS",
    "CouplePattern",
    "Position",
    "RegionDecision",
    "couple_pattern",
    "decide_region",
    "region_of",
]

AXES = ("connection", "autonomy")
# (connection high?, autonomy high?) -> region
REGIONS = {
    (True, True): "interdependent",
    (True, False): "dependent",
    (False, True): "distant",
    (False, False): "disengaged",
}
PATTERNS = (
    "both_interdependent",
    "pursue_withdraw",
    "both_enmeshed",
    "both_distant",
    "both_disengaged",
    "mixed",
)


def region_of(connection: float, autonomy: float, cutoffs: tuple[float, float]) -> str:
    """The region a point falls in (on a cut-off counts as high)."""
    return REGIONS[(connection >= cutoffs[0], autonomy >= cutoffs[1])]


@dataclass(frozen=True)
class RegionDecision:
    region: str  # the region of the point estimate
    plausible: tuple[str, ...]  # every region the uncertainty box touches
    between: bool  # the box straddles a boundary

    @property
    def label(self) -> str:
        return "between regions" if self.between else self.region


@dataclass(frozen=True)
class Position:
    """A place on the connection × autonomy map with its uncertainty."""

    connection: float
    autonomy: float
    se_connection: float
    se_autonomy: float
    cutoffs: tuple[float, float] = (4.0, 4.0)

    def decide(self, z: float = Z95) -> RegionDecision:
        return decide_region(self, z=z)


def decide_region(position: Position, z: float = Z95) -> RegionDecision:
    """Region of ``position``; "between regions" when score ± z·SE crosses a cut-off on either axis."""
    sides = []
    for value, se, cut in (
        (position.connection, position.se_connection, position.cutoffs[0]),
        (position.autonomy, position.se_autonomy, position.cutoffs[1]),
    ):
        low, high = value - z * se, value + z * se
        options = {value >= cut}
        if low < cut <= high:
            options = {False, True}
        sides.append(sorted(options, reverse=True))
    plausible = tuple(REGIONS[(c, a)] for c in sides[0] for a in sides[1])
    region = region_of(position.connection, position.autonomy, position.cutoffs)
    return RegionDecision(region=region, plausible=plausible, between=len(plausible) > 1)


@dataclass(frozen=True)
class CouplePattern:
    pattern: str  # one of PATTERNS
    tentative: bool  # a partner is between regions, so the pattern may read differently
    trend: str | None  # "together" / "apart" / "steady" / None (no earlier shared pair)
    connection_change: float | None = None
    connection_change_se: float | None = None


def couple_pattern(
    first: Position,
    second: Position,
    earlier: tuple[Position, Position] | None = None,
    z: float = Z95,
) -> CouplePattern:
    """What two positions make together, and whether the pair is growing together or apart.

    The trend compares the couple's mean connection now with an earlier pair of positions; it is
    "steady" unless the change is beyond z standard errors (the four SEs combined).
    """
    a, b = decide_region(first, z), decide_region(second, z)
    regions = {a.region, b.region}
    if regions == {"interdependent"}:
        pattern = "both_interdependent"
    elif regions == {"dependent", "distant"}:
        pattern = "pursue_withdraw"
    elif regions == {"dependent"}:
        pattern = "both_enmeshed"
    elif regions == {"distant"}:
        pattern = "both_distant"
    elif regions == {"disengaged"}:
        pattern = "both_disengaged"
    else:
        pattern = "mixed"
    trend = change = change_se = None
    if earlier is not None:
        change = (first.connection + second.connection) / 2 - (
            earlier[0].connection + earlier[1].connection
        ) / 2
        change_se = 0.5 * math.sqrt(
            first.se_connection**2
            + second.se_connection**2
            + earlier[0].se_connection ** 2
            + earlier[1].se_connection ** 2
        )
        if change > z * change_se:
            trend = "together"
        elif change < -z * change_se:
            trend = "apart"
        else:
            trend = "steady"
    return CouplePattern(pattern, a.between or b.between, trend, change, change_se)
