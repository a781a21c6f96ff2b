"""Reads of check-ins, answers and reflections: the only way views, JSON, insights and export see them.

Who may see a row at all is decided by :mod:`counterpoint.privacy.access`; on top of that the
author's :class:`CheckInSettings` decides which *fields* their partner sees, the journal line is the
author's alone, and a daily-question answer stays hidden from the partner until both have answered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, Sum

from counterpoint.accounts.models import User
from counterpoint.checkins.models import (
    SHAREABLE_FIELDS,
    CheckIn,
    CheckInSettings,
    DailyQuestion,
    QuestionAnswer,
    WeeklyReflection,
)
from counterpoint.checkins.questions import QUESTIONS_BY_KEY, Question
from counterpoint.couples.selectors import active_couple, partner_of
from counterpoint.operations.memo import memo_of_request
from counterpoint.privacy import access
from counterpoint.privacy.models import Visibility


@dataclass(frozen=True)
class MeWe:
    me: int
    we: int


def me_we_minutes(user: User, start: dt.date, end: dt.date) -> dict[dt.date, MeWe]:
    """The person's OWN me-time and we-time minutes per local day, ``start`` to ``end`` inclusive.

    Days without a check-in, or whose check-in left both times unanswered, are absent (not zero: a missed day is unknown, not "no time"). With two
    check-ins a day the minutes are added up. Only the person's own rows are read, so any feature
    may use this for the person it is showing.
    """
    if not user.is_authenticated:
        return {}
    rows = (
        CheckIn.objects.filter(author=user, day__gte=start, day__lte=end)
        .filter(Q(me_minutes__isnull=False) | Q(we_minutes__isnull=False))
        .values("day")
        .annotate(me=Sum("me_minutes"), we=Sum("we_minutes"))
        .order_by("day")
    )
    return {row["day"]: MeWe(me=int(row["me"] or 0), we=int(row["we"] or 0)) for row in rows}


def settings_for(user: User) -> CheckInSettings:
    """The person's check-in settings (defaults, unsaved, when they never changed them)."""
    found = CheckInSettings.objects.filter(user=user).first()
    return found if found is not None else CheckInSettings(user=user)


# Fields of a check-in each sharing switch covers.
CHECKIN_FIELD_SWITCH: dict[str, str] = {
    "mood": "share_mood",
    "energy": "share_energy",
    "stress": "share_stress",
    "closeness": "share_closeness",
    "sought_support": "share_support",
    "gave_support": "share_support",
    "me_minutes": "share_time",
    "we_minutes": "share_time",
    "note": "share_note",
}
REFLECTION_FIELD_SWITCH: dict[str, str] = {
    "life_satisfaction": "share_reflection",
    "relationship_satisfaction": "share_reflection",
    "helped": "share_helped",
}


@dataclass(frozen=True)
class VisibleCheckIn:
    """A check-in as one viewer may see it: a hidden field is None (and listed in ``hidden``)."""

    pk: int
    author_id: int
    mine: bool
    day: dt.date
    slot: int
    mood: int | None
    energy: int | None
    stress: int | None
    closeness: int | None
    sought_support: str | None
    gave_support: bool | None
    me_minutes: int | None
    we_minutes: int | None
    note: str | None
    journal_line: str | None
    hidden: frozenset[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "slot": self.slot,
            "mine": self.mine,
            **{f: getattr(self, f) for f in CHECKIN_FIELD_SWITCH},
            **({"journal_line": self.journal_line} if self.mine else {}),
        }


@dataclass(frozen=True)
class VisibleReflection:
    pk: int
    author_id: int
    mine: bool
    week_start: dt.date
    life_satisfaction: int | None
    relationship_satisfaction: int | None
    helped: str | None


_CHECKIN_COLUMNS = ("pk", "author_id", "day", "slot", *CHECKIN_FIELD_SWITCH, "journal_line")
_REFLECTION_COLUMNS = ("pk", "author_id", "week_start", *REFLECTION_FIELD_SWITCH)


def _switch_values(author_ids: set[int]) -> dict[int, dict[str, bool]]:
    """Each author's sharing switches (defaults for people who never changed them)."""
    defaults = {
        f.name: f.default for f in CheckInSettings._meta.fields if f.name.startswith("share_")
    }
    found = {
        row["user_id"]: row
        for row in CheckInSettings.objects.filter(user_id__in=author_ids).values(
            "user_id", *defaults
        )
    }
    return {uid: found.get(uid, defaults) for uid in author_ids}


def _shares_nothing(switches: dict[str, bool]) -> bool:
    return not any(switches[sw] for sw in set(CHECKIN_FIELD_SWITCH.values()))


def _switch_values_once(author_ids: set[int]) -> dict[int, dict[str, bool]]:
    """``_switch_values``, each person's read at most once per read-only request (a page asks
    for the viewer's, the partner's, or both, several times)."""
    memo = memo_of_request()
    if memo is None:
        return _switch_values(author_ids)
    known: dict[int, dict[str, bool]] = memo.setdefault("checkin_switches", {})
    missing = author_ids - known.keys()
    if missing:
        known.update(_switch_values(missing))
    return {uid: known[uid] for uid in author_ids}


# -- what a write changes for the partner (operations.versions.partner_view) ----------------------
def _switches_shown_to_partner(record: CheckIn | WeeklyReflection | None) -> dict[str, bool] | None:
    """The author's sharing switches for a record the partner might read (None: a private or
    authorless record, or none at all: nothing to read)."""
    if record is None or record.visibility == Visibility.PRIVATE or record.author_id is None:
        return None
    return _switch_values({record.author_id})[record.author_id]


def _fields_shown(record: object, switches: dict[str, bool], field_switch: dict[str, str]) -> tuple:
    return tuple((name, getattr(record, name)) for name, sw in field_switch.items() if switches[sw])


def _unanswered(value: object) -> bool:
    """A check-in field left alone: no number, no words, the support box not ticked (0 minutes is
    an answer)."""
    return value is None or value == "" or value is False


def checkin_partner_view(checkin: CheckIn | None) -> object:
    """What the author's partner may read of ``checkin`` (None: nothing, not even that it exists,
    as when every field they may read was left unanswered)."""
    switches = _switches_shown_to_partner(checkin)
    if checkin is None or switches is None or _shares_nothing(switches):
        return None
    shown = _fields_shown(checkin, switches, CHECKIN_FIELD_SWITCH)
    if all(_unanswered(value) for _name, value in shown):
        return None
    return (checkin.couple_id, checkin.visibility, checkin.day, checkin.slot, shown)


def reflection_partner_view(reflection: WeeklyReflection | None) -> object:
    """What the author's partner may read of a weekly reflection (None: nothing, no row)."""
    switches = _switches_shown_to_partner(reflection)
    if reflection is None or switches is None:
        return None
    shown = _fields_shown(reflection, switches, REFLECTION_FIELD_SWITCH)
    if not shown:
        return None
    return (reflection.couple_id, reflection.visibility, reflection.week_start, shown)


def answer_partner_view(answer: QuestionAnswer | None) -> object:
    """What the author's partner may read of an answer to the daily question: that it was given
    (a skip shows nothing), and its words only once the partner's own answer reveals them."""
    if answer is None or answer.skipped:
        return None
    theirs = (
        QuestionAnswer.objects.filter(question_id=answer.question_id)
        .exclude(author_id=answer.author_id)
        .first()
    )
    revealed = theirs is not None and not theirs.skipped
    return (answer.question_id, answer.visibility, answer.text if revealed else None)


def switches_partner_view(settings: CheckInSettings | None) -> object:
    """What the partner's pages depend on of a person's check-in settings: the sharing switches
    (a missing row is the defaults), never the reminders or the twice-a-day choice."""
    row = settings if settings is not None else CheckInSettings()
    return tuple(getattr(row, name) for name in SHAREABLE_FIELDS)


def shares_any_checkin_field(user: User) -> bool:
    """Whether ``user`` shares any check-in field at all. Someone who shares none shows nothing to
    the partner, not even whether they checked in (issue 10)."""
    return not _shares_nothing(_switch_values_once({user.pk})[user.pk])


def visible_checkins(
    viewer: User, *, start: dt.date | None = None, end: dt.date | None = None
) -> list[VisibleCheckIn]:
    """Check-ins ``viewer`` may read (their own and their current partner's shared ones), each
    with only the fields its author shares; oldest first."""
    qs = access.readable(viewer, CheckIn)
    if start is not None:
        qs = qs.filter(day__gte=start)
    if end is not None:
        qs = qs.filter(day__lte=end)
    rows = list(qs.order_by("day", "slot", "author_id").values_list(*_CHECKIN_COLUMNS))
    others = {r[1] for r in rows if r[1] and r[1] != viewer.pk}
    switches = _switch_values_once(others)
    silent = {uid for uid in others if _shares_nothing(switches[uid])}
    rows = [r for r in rows if r[1] not in silent]
    # per author: which fields to blank (the journal line always, for anyone but its author)
    blanked: dict[int, frozenset[str]] = {
        uid: frozenset(f for f, sw in CHECKIN_FIELD_SWITCH.items() if not switches[uid][sw])
        for uid in others
    }
    out = []
    for row in rows:
        values = dict(zip(_CHECKIN_COLUMNS, row, strict=True))
        author = values["author_id"] or 0
        mine = author == viewer.pk
        hidden = frozenset() if mine else blanked.get(author, frozenset(CHECKIN_FIELD_SWITCH))
        for field in hidden:
            values[field] = None
        if not mine and all(_unanswered(values[f]) for f in CHECKIN_FIELD_SWITCH):
            # nothing the viewer may read was answered (only the private journal line, or only
            # fields the author keeps to themselves): indistinguishable from no check-in at all
            continue
        if not mine:
            values["journal_line"] = None
        values["author_id"] = author
        out.append(VisibleCheckIn(mine=mine, hidden=hidden, **values))
    return out


NUMERIC_SERIES = ("mood", "energy", "stress", "closeness", "me_minutes", "we_minutes")


@dataclass(frozen=True)
class VisibleSeries:
    """Check-in values for analysis, column-wise: ``values[field][i]`` belongs to ``authors[i]`` on
    ``days[i]``; None where the author does not share that field. Rows are oldest first."""

    authors: list[int]
    days: list[dt.date]
    values: dict[str, list[Any]]
    # per author, the fields they keep to themselves (a None elsewhere is simply "not answered")
    hidden: dict[int, frozenset[str]] = dataclasses.field(default_factory=dict)


def visible_checkin_series(viewer: User, *, end: dt.date | None = None) -> VisibleSeries:
    """The numbers and support answers of the check-ins ``viewer`` may read, with the same per-field
    sharing as :func:`visible_checkins` (no notes or journal lines: insights never need them)."""
    fields = (*NUMERIC_SERIES, "sought_support")
    qs = access.readable(viewer, CheckIn)
    if end is not None:
        qs = qs.filter(day__lte=end)
    columns_read = ("author_id", "day", *fields, "gave_support", "note")
    found = list(qs.order_by("day", "slot", "author_id").values_list(*columns_read))
    others = {r[0] for r in found if r[0] and r[0] != viewer.pk}
    # What the current partner keeps to themselves is said whether or not they ever checked in:
    # taken only from their rows, "keeps this private" would appear with their first check-in
    # and tell the viewer (or a professional reading as the viewer) that one was made, even one
    # showing nothing (docs/privacy.md).
    partner = partner_of(viewer)
    if partner is not None:
        others.add(partner.pk)
    switches = _switch_values_once(others)
    silent = {uid for uid in others if _shares_nothing(switches[uid])}

    def shows_something(row: tuple[Any, ...]) -> bool:
        """A partner's check-in in which something the viewer may read was answered (as
        ``visible_checkins``: one with only the private journal line is left out)."""
        if not row[0] or row[0] == viewer.pk:
            return True
        shared = switches[row[0]]
        return any(
            not _unanswered(value) and shared[CHECKIN_FIELD_SWITCH[name]]
            for name, value in zip(columns_read[2:], row[2:], strict=True)
        )

    rows = [r[:-2] for r in found if r[0] not in silent and shows_something(r)]
    columns = list(zip(*rows, strict=True)) if rows else [()] * (2 + len(fields))
    authors = [a or 0 for a in columns[0]]
    values = {f: list(columns[2 + k]) for k, f in enumerate(fields)}
    hidden: dict[int, frozenset[str]] = {}
    for uid in others:
        kept = {f for f in fields if not switches[uid][CHECKIN_FIELD_SWITCH[f]]}
        hidden[uid] = frozenset(kept)
        for f in kept:
            column = values[f]
            for i, author in enumerate(authors):
                if author == uid:
                    column[i] = None
    return VisibleSeries(authors=authors, days=list(columns[1]), values=values, hidden=hidden)


def visible_reflections(viewer: User) -> list[VisibleReflection]:
    rows = list(
        access.readable(viewer, WeeklyReflection)
        .order_by("week_start", "author_id")
        .values_list(*_REFLECTION_COLUMNS)
    )
    others = {r[1] for r in rows if r[1] and r[1] != viewer.pk}
    switches = _switch_values_once(others)
    out = []
    for row in rows:
        values = dict(zip(_REFLECTION_COLUMNS, row, strict=True))
        author = values["author_id"] or 0
        mine = author == viewer.pk
        if not mine:
            sw = switches.get(author)
            for field, switch in REFLECTION_FIELD_SWITCH.items():
                if sw is None or not sw[switch]:
                    values[field] = None
        if not mine and all(values[field] is None for field in REFLECTION_FIELD_SWITCH):
            continue  # nothing shared: indistinguishable from no reflection at all
        values["author_id"] = author
        out.append(VisibleReflection(mine=mine, **values))
    return out


def own_checkin(user: User, day: dt.date, slot: int) -> CheckIn | None:
    return CheckIn.objects.filter(author=user, day=day, slot=slot).first()


def own_reflection(user: User, week_start: dt.date) -> WeeklyReflection | None:
    return WeeklyReflection.objects.filter(author=user, week_start=week_start).first()


# -- the daily question ---------------------------------------------------------------------------
@dataclass(frozen=True)
class QuestionView:
    """A daily question as one partner sees it, with the reveal rule applied."""

    daily: DailyQuestion
    question: Question
    mine: QuestionAnswer | None
    partner_answered: bool
    partner_answer: QuestionAnswer | None  # only once both have answered (not skipped)

    @property
    def revealed(self) -> bool:
        return self.partner_answer is not None and self.mine is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.daily.day.isoformat(),
            "question": self.question.text,
            "theme": self.question.theme,
            "my_answer": None if self.mine is None or self.mine.skipped else self.mine.text,
            "i_skipped": bool(self.mine and self.mine.skipped),
            "partner_answered": self.partner_answered,
            "partner_answer": self.partner_answer.text if self.partner_answer else None,
        }


def question_view(viewer: User, daily: DailyQuestion) -> QuestionView:
    """The reveal rule: the partner's answer shows only when the viewer has answered (not skipped)
    and the partner has answered too (not skipped)."""
    return _question_view(
        viewer, daily, list(access.readable(viewer, QuestionAnswer).filter(question=daily))
    )


def _question_view(
    viewer: User, daily: DailyQuestion, answers: list[QuestionAnswer]
) -> QuestionView:
    mine = next((a for a in answers if a.author_id == viewer.pk), None)
    theirs = next((a for a in answers if a.author_id != viewer.pk), None)
    partner_answered = theirs is not None and not theirs.skipped
    reveal = mine is not None and not mine.skipped and partner_answered
    return QuestionView(
        daily=daily,
        question=QUESTIONS_BY_KEY[daily.question_key],
        mine=mine,
        partner_answered=partner_answered,
        partner_answer=theirs if reveal else None,
    )


def question_history(viewer: User, limit: int = 60) -> list[QuestionView]:
    """The couple's questions up to the viewer's today that either answered (a skip of the
    partner's shows nothing). A question is made when either first opens a page that asks for
    it: one nobody answered, or one of a day of the partner's still ahead, would only tell the
    viewer that the partner opened the app."""
    couple = active_couple(viewer)
    if couple is None:
        return []
    today = viewer.local_today()
    dailies = list(
        DailyQuestion.objects.filter(couple=couple, day__lte=today).order_by("-day")[:limit]
    )
    answers: dict[int, list[QuestionAnswer]] = defaultdict(list)
    readable = access.readable(viewer, QuestionAnswer).filter(question__in=[d.pk for d in dailies])
    for answer in readable:
        answers[answer.question_id].append(answer)
    views = [_question_view(viewer, d, answers[d.pk]) for d in dailies]
    return [qv for qv in views if qv.mine is not None or qv.partner_answered]


def get_couple_question_or_none(viewer: User, pk: int) -> DailyQuestion | None:
    """A daily question of the viewer's current couple (None for anyone else's)."""
    couple = active_couple(viewer)
    if couple is None:
        return None
    return DailyQuestion.objects.filter(pk=pk, couple=couple).first()
