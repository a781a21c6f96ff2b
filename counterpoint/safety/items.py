"""How the safety center names one item the partner can see: in the words of the pages it came
from, never a model's name, a stored code or a slug (a model's ``__str__`` is for developers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from counterpoint.interdependence.guides import region_label
from counterpoint.interdependence.instruments import get_version

SHORT = 40  # characters of someone's own words shown for one item


@dataclass(frozen=True)
class ItemKind:
    """How one kind of item is said, and what saying it reads besides the item (loaded with it)."""

    words: Callable[[Any], str]
    related: tuple[str, ...] = ()


def _day(value: dt.date) -> str:
    return date_format(value, "j M Y")


def _short(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(SHORT)


def _reaction(item: Any) -> str:
    kind = item.get_kind_display()
    if not item.words:
        return kind
    return _("%(kind)s: %(words)s") % {"kind": kind, "words": _short(item.words)}


def _taking(item: Any) -> str:
    instrument = get_version(item.instrument_key, item.instrument_version)
    title = instrument.title if instrument else _("A questionnaire")
    return _("%(title)s (%(status)s)") % {
        "title": title,
        "status": item.get_status_display().lower(),
    }


# Each kind of personal record (the kinds KIND_LABELS lists), said as its own pages say it.
ITEM_KINDS: dict[str, ItemKind] = {
    "checkins.CheckIn": ItemKind(lambda item: _("Check-in of %(day)s") % {"day": _day(item.day)}),
    "checkins.WeeklyReflection": ItemKind(
        lambda item: _("The week of %(day)s") % {"day": _day(item.week_start)}
    ),
    "checkins.QuestionAnswer": ItemKind(
        lambda item: _("A question you skipped") if item.skipped else _short(item.text)
    ),
    "checkins.Reaction": ItemKind(_reaction),
    "journal.JournalEntry": ItemKind(lambda item: _short(item.title or item.body)),
    "goals.Goal": ItemKind(lambda item: _short(item.title)),
    "goals.GoalProgress": ItemKind(
        lambda item: (
            _("%(percent)s%% of “%(goal)s”")
            % {"percent": item.percent, "goal": _short(item.goal.title)}
        ),
        related=("goal",),
    ),
    "goals.Encouragement": ItemKind(
        lambda item: (
            _("%(kind)s for “%(goal)s”")
            % {"kind": item.get_kind_display(), "goal": _short(item.goal.title)}
        ),
        related=("goal",),
    ),
    "boundaries.Boundary": ItemKind(lambda item: _short(item.what)),
    "boundaries.BoundaryEvent": ItemKind(
        lambda item: (
            _("“%(boundary)s”: %(step)s")
            % {"boundary": _short(item.what or item.boundary.what), "step": item.get_kind_display()}
        ),
        related=("boundary",),
    ),
    "commitments.Commitment": ItemKind(
        # as the promise's own pages say it to its author, whatever was stored before the form
        # took "I will" off (counterpoint/practices/commitments)
        lambda item: _short(_("I will %(words)s") % {"words": item.words_after_will})
    ),
    "support.SupportRequest": ItemKind(lambda item: item.get_kind_display()),
    "support.SupportResponse": ItemKind(lambda item: item.get_offer_display()),
    "moments.Moment": ItemKind(
        lambda item: (
            _("%(kind)s: %(words)s") % {"kind": item.get_kind_display(), "words": _short(item.text)}
        )
    ),
    "decisions.Decision": ItemKind(lambda item: _short(item.title)),
    "repair.Repair": ItemKind(lambda item: _short(item.label)),
    "timebalance.TimeBlock": ItemKind(
        lambda item: (
            _("%(kind)s, %(day)s: %(minutes)s minutes")
            % {"kind": item.get_kind_display(), "day": _day(item.day), "minutes": item.minutes}
        )
    ),
    "plans.Plan": ItemKind(lambda item: _short(item.title)),
    "plans.Memory": ItemKind(lambda item: _short(item.title)),
    "interdependence.Position": ItemKind(
        lambda item: (
            _("%(region)s, %(day)s")
            % {
                "region": region_label(item.region, item.between, item.plausible_regions),
                "day": _day(item.taken_on),
            }
        )
    ),
    "interdependence.Taking": ItemKind(_taking),
    "research.Response": ItemKind(
        lambda item: _("An answer for the study “%(title)s”") % {"title": _short(item.study.title)},
        related=("study",),
    ),
}


def item_related(label: str) -> tuple[str, ...]:
    """What saying an item of the kind ``label`` reads besides the item, to load with it."""
    kind = ITEM_KINDS.get(label)
    return kind.related if kind else ()


def item_words(item: Model) -> str:
    """One item as the person knows it (a kind not listed yet is "One item", not its model)."""
    kind = ITEM_KINDS.get(item._meta.label)
    return kind.words(item) if kind else _("One item")
