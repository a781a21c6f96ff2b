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
    rows = selectors.visible_checkins(viewer, end=today)
    if partner is not None:
        rows = [r for r in rows if r.mine or r.author_id == partner.pk]
    else:
        rows = [r for r in rows if r.mine]
    start = min((r.day for r in rows), default=today)
    n = (today - start).days + 1
    people = [PersonDiary(name=viewer.display_name)]
    if partner is not None:
        people.append(PersonDiary(name=partner.display_name))
    sums = {k: np.zeros((len(people), n)) for k in SERIES}
    counts = {k: np.zeros((len(people), n)) for k in SERIES}
    supported = np.zeros((len(people), n), dtype=bool)
    support_known = np.zeros((len(people), n), dtype=bool)
    for r in rows:
        g = 0 if r.mine else 1
        i = (r.day - start).days
        people[g].checkin_days.add(r.day)
        for k in SERIES:
            value = getattr(r, k)
            if value is None:
                people[g].hidden.add(k)
                continue
            sums[k][g, i] += value
            counts[k][g, i] += 1
        if r.sought_support is not None:
            support_known[g, i] = True
            if r.sought_support in (SoughtSupport.HELPED, SoughtSupport.PARTLY):
                supported[g, i] = True
        else:
            people[g].hidden.add("support")
    with np.errstate(invalid="ignore", divide="ignore"):
        for k in SERIES:
            mean = np.where(counts[k] > 0, sums[k] / np.maximum(counts[k], 1), np.nan)
            for g, person in enumerate(people):
                person.values[k] = mean[g]
    for g, person in enumerate(people):
        person.supported = supported[g]
        person.support_known = support_known[g]
        # a series a person shares nowhere is hidden, not "partly hidden"
        person.hidden = {k for k in person.hidden if np.all(np.isnan(person.values.get(k, [])))}
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
