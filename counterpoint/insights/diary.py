"""The couple's diary as the insights see it: built only from what the viewer may see.

Everything comes through ``counterpoint.checkins.selectors`` (per-field sharing applied), so an
insight can never use a partner's value the partner keeps to themselves. Role 0 is always the
viewer, role 1 their current partner. Two check-ins on one day are averaged into the day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from counterpoint.accounts.models import User
from counterpoint.checkins import selectors
from counterpoint.checkins.models import SoughtSupport
from counterpoint.couples.selectors import partner_of

SERIES = ("mood", "energy", "stress", "closeness", "me_minutes", "we_minutes")


@dataclass
class PersonDiary:
    """One person's days: ``values[name][i]`` is the day-mean on ``days[0] + i`` (NaN if unknown)."""

    name: str
    checkin_days: set[dt.date] = field(default_factory=set)
    values: dict[str, np.ndarray] = field(default_factory=dict)
    supported: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    support_known: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    hidden: set[str] = field(default_factory=set)
    reflections: list[tuple[dt.date, int | None, int | None]] = field(default_factory=list)


@dataclass
class CoupleDiary:
    today: dt.date
    start: dt.date  # first day with any check-in (or today)
    people: list[PersonDiary]  # [viewer] or [viewer, partner]

    @property
    def n_days(self) -> int:
        return (self.today - self.start).days + 1

    @property
    def paired(self) -> bool:
        return len(self.people) == 2

    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(self.n_days)]


def couple_diary(viewer: User) -> CoupleDiary:
    """The viewer's and their partner's visible check-ins and reflections, by day (cached per
    request on the user object)."""
    cached: CoupleDiary | None = getattr(viewer, "_insights_diary", None)
    if cached is not None:
        return cached
    today = viewer.local_today()
    partner = partner_of(viewer)
    series = selectors.visible_checkin_series(viewer, end=today)
    role = {viewer.pk: 0}
    if partner is not None:
        role[partner.pk] = 1
    keep = [i for i, a in enumerate(series.authors) if a in role]
    start = min((series.days[i] for i in keep), default=today)
    n = (today - start).days + 1
    people = [PersonDiary(name=viewer.display_name)]
    if partner is not None:
        people.append(PersonDiary(name=partner.display_name))
    g_idx = np.array([role[series.authors[i]] for i in keep], dtype=np.int64)
    d_idx = np.array([(series.days[i] - start).days for i in keep], dtype=np.int64)
    for i in keep:
        people[role[series.authors[i]]].checkin_days.add(series.days[i])
    for k in SERIES:
        column = [series.values[k][i] for i in keep]
        known = np.array([v is not None for v in column], dtype=bool)
        raw = np.array([v if v is not None else 0 for v in column], dtype=np.float64)
        sums = np.zeros((len(people), n))
        counts = np.zeros((len(people), n))
        np.add.at(sums, (g_idx[known], d_idx[known]), raw[known])
        np.add.at(counts, (g_idx[known], d_idx[known]), 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
        for g, person in enumerate(people):
            person.values[k] = mean[g]
    sought = [series.values["sought_support"][i] for i in keep]
    helped = {SoughtSupport.HELPED.value, SoughtSupport.PARTLY.value}
    for g, person in enumerate(people):
        mask = g_idx == g
        person.supported = np.zeros(n, dtype=bool)
        person.support_known = np.zeros(n, dtype=bool)
        for pos, day_i in zip(np.flatnonzero(mask), d_idx[mask], strict=True):
            if not sought[pos]:  # hidden (None) or not answered ("")
                continue
            person.support_known[day_i] = True
            if sought[pos] in helped:
                person.supported[day_i] = True
    for author, g in role.items():
        kept = series.hidden.get(author, frozenset())
        people[g].hidden.update(k for k in SERIES if k in kept)
        if "sought_support" in kept:
            people[g].hidden.add("support")
    for refl in selectors.visible_reflections(viewer):
        g = 0 if refl.mine else 1
        if g == 1 and (partner is None or refl.author_id != partner.pk):
            continue
        people[g].reflections.append(
            (refl.week_start, refl.life_satisfaction, refl.relationship_satisfaction)
        )
    diary = CoupleDiary(today=today, start=start, people=people)
    viewer._insights_diary = diary  # type: ignore[attr-defined]
    return diary
