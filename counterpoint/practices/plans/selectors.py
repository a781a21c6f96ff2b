"""Reading plans and memories. The reveal rule lives here: a partner's interest in a plan and a
partner's words about a memory are visible only once both have answered. Pages, JSON, export,
notices and the home card all read through these functions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from counterpoint.accounts.models import User
from counterpoint.practices.plans.models import Interest, Memory, MemoryWords, Plan, PlanInterest
from counterpoint.privacy import access
from counterpoint.privacy.models import Visibility

# How the list orders shared plans once both have answered: what both would love comes first.
_INTEREST_SCORE = {Interest.LOVE: 2, Interest.MAYBE: 1, Interest.NOT_FOR_ME: 0}


@dataclass
class InterestState:
    mine: PlanInterest | None
    partner_has_answered: bool
    revealed: bool
    others: list[PlanInterest] = field(default_factory=list)  # empty until revealed

    @property
    def both_love(self) -> bool:
        return (
            self.revealed
            and self.mine is not None
            and self.mine.answer == Interest.LOVE
            and all(o.answer == Interest.LOVE for o in self.others)
        )

    @property
    def score(self) -> int:
        if not self.revealed or self.mine is None:
            return -1
        return sum(_INTEREST_SCORE[Interest(i.answer)] for i in [self.mine, *self.others])


@dataclass
class WordsState:
    mine: MemoryWords | None
    partner_has_written: bool
    revealed: bool
    others: list[MemoryWords] = field(default_factory=list)


# -- what a write changes for the partner (operations.versions.partner_view) ----------------------
def interest_partner_view(interest: PlanInterest | None) -> object:
    """What the author's partner may read of an answer to a shared plan: that it was given, and
    the answer once the partner has answered too. Until then it can be changed freely, and the
    partner must not learn (by the speed of their next page) that it was."""
    if (
        interest is None
        or not Plan.objects.filter(pk=interest.plan_id, visibility=Visibility.COUPLE).exists()
    ):
        return None
    others = PlanInterest.objects.filter(plan_id=interest.plan_id).exclude(
        author_id=interest.author_id
    )
    return (interest.plan_id, interest.answer if others.exists() else None)


def words_partner_view(words: MemoryWords | None) -> object:
    """What the author's partner may read of their words on a memory: that they were written, and
    the words once the partner has written theirs too (``words_for``)."""
    if (
        words is None
        or not Memory.objects.filter(pk=words.memory_id, visibility=Visibility.COUPLE).exists()
    ):
        return None  # words on a private memory: only its author ever reads them
    others = MemoryWords.objects.filter(memory_id=words.memory_id).exclude(
        author_id=words.author_id
    )
    return (words.memory_id, words.text if others.exists() else None)


def plans_for(user: User) -> QuerySet[Plan]:
    return access.readable(user, Plan).select_related("author")


def plans_with_answers(user: User) -> QuerySet[Plan]:
    """:func:`plans_for`, with each plan's answers and memory read with it (:func:`plan_row`)."""
    return plans_for(user).select_related("memory").prefetch_related("interests")


def plan_for(user: User, pk: int) -> Plan:
    return access.get_readable_or_404(user, Plan, pk=pk)


def is_shared(record: Plan | Memory) -> bool:
    return record.visibility == Visibility.COUPLE


def interest_for(
    user: User, plan: Plan, interests: list[PlanInterest] | None = None
) -> InterestState:
    """The interest answers of ``plan`` as ``user`` may see them. Assumes ``user`` may read it."""
    rows = interests if interests is not None else list(plan.interests.all())
    mine = next((i for i in rows if i.author_id == user.pk), None)
    others = [i for i in rows if i.author_id != user.pk]
    revealed = mine is not None and bool(others)
    return InterestState(
        mine=mine,
        partner_has_answered=bool(others),
        revealed=revealed,
        others=others if revealed else [],
    )


@dataclass
class PlanRow:
    plan: Plan
    interest: InterestState


def open_plans_for(user: User) -> list[PlanRow]:
    """Open plans, what both would love first, then the newest."""
    plans = list(plans_for(user).filter(status=Plan.Status.OPEN).prefetch_related("interests"))
    rows = [PlanRow(p, interest_for(user, p, list(p.interests.all()))) for p in plans]
    rows.sort(key=lambda r: (-r.interest.score, -r.plan.created_at.timestamp(), -r.plan.pk))
    return rows


def plans_waiting_for(user: User) -> list[Plan]:
    """Shared open plans of the person's current couple that still need their answer."""
    from counterpoint.couples.selectors import active_couple

    couple = active_couple(user)
    if couple is None:
        return []
    return list(
        plans_for(user)
        .filter(status=Plan.Status.OPEN, visibility=Visibility.COUPLE, couple=couple)
        .exclude(interests__author=user)
    )


def memories_for(user: User) -> QuerySet[Memory]:
    return access.readable(user, Memory).select_related("author")


def memory_for(user: User, pk: int) -> Memory:
    return access.get_readable_or_404(user, Memory, pk=pk)


def memories_with_words(user: User) -> QuerySet[Memory]:
    """:func:`memories_for`, with each memory's words read with it (:func:`memory_row`)."""
    return memories_for(user).prefetch_related(
        Prefetch("words", queryset=MemoryWords.objects.select_related("author"))
    )


def words_for(user: User, memory: Memory) -> WordsState:
    words = memory.words.all()
    if "words" not in getattr(memory, "_prefetched_objects_cache", {}):
        words = words.select_related("author")  # (read with the memory, it came so)
    rows = list(words)
    mine = next((w for w in rows if w.author_id == user.pk), None)
    others = [w for w in rows if w.author_id != user.pk]
    revealed = mine is not None and bool(others)
    return WordsState(
        mine=mine,
        partner_has_written=bool(others),
        revealed=revealed,
        others=others if revealed else [],
    )


def on_this_day(user: User, today: dt.date) -> Memory | None:
    """A shared memory from this day of the month in an earlier month or year, if there is one.

    Only co-owned memories qualify (never a private one, so the home card is the same for both
    partners). A different one is picked on different days when several match.
    """
    candidates = list(
        memories_for(user)
        .filter(visibility=Visibility.COUPLE, happened_on__day=today.day, happened_on__lt=today)
        .order_by("happened_on", "created_at", "pk")
    )
    if not candidates:
        return None
    same_date = [m for m in candidates if m.happened_on.month == today.month]
    pool = same_date or candidates
    return pool[today.toordinal() % len(pool)]


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def plan_row(user: User, plan: Plan) -> dict[str, Any]:
    state = interest_for(user, plan)
    return {
        "id": plan.pk,
        "title": plan.title,
        "kind": plan.kind,
        "details": plan.details,
        "when_date": _iso(plan.when_date),
        "when_text": plan.when_text,
        "status": plan.status,
        "shared": is_shared(plan),
        "suggested_by_me": plan.author_id == user.pk,
        "my_interest": state.mine.answer if state.mine else None,
        "partner_has_answered": state.partner_has_answered,
        "revealed": state.revealed,
        "partner_interest": [o.answer for o in state.others],
        "memory": getattr(plan, "memory", None) and plan.memory.pk,
    }


def memory_row(user: User, memory: Memory) -> dict[str, Any]:
    state = words_for(user, memory)
    return {
        "id": memory.pk,
        "title": memory.title,
        "happened_on": memory.happened_on.isoformat(),
        "shared": is_shared(memory),
        "plan": memory.plan_id,
        "minutes_together": memory.minutes_together,
        "has_photo": bool(memory.photo),
        "my_words": state.mine.text if state.mine else None,
        "partner_has_written": state.partner_has_written,
        "revealed": state.revealed,
        "partner_words": [w.text for w in state.others],
    }


def plan_writable_or_404(user: User, pk: int) -> Plan:
    """A plan ``user`` may change: a shared one of their current couple, or their own private one.
    A former couple's plans stay readable in the archive but answer 404 here."""
    plan = plan_for(user, pk)
    if not access.can_edit(user, plan):
        raise Http404
    return plan


def memory_writable_or_404(user: User, pk: int) -> Memory:
    memory = memory_for(user, pk)
    if not access.can_edit(user, memory):
        raise Http404
    return memory


def plans_insight(user: User, *, weeks: int = 4) -> dict[str, Any]:
    """Plans and memories for the me/we part of the insights: shared plans made and done, and the
    share of the couple's logged we-time that went to plans that happened (last ``weeks`` weeks,
    the same window as the me/we balance)."""
    from django.db.models import Sum
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from counterpoint.couples.selectors import active_couple
    from counterpoint.practices.timebalance.models import TimeKind
    from counterpoint.practices.timebalance.selectors import done_blocks

    couple = active_couple(user)
    today = user.local_today()
    first = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks - 1)
    if couple is None:
        return {"title": _("Plans and memories"), "words": [], "paired": False}
    # the couple's shared plans, read once and counted here (a plan has at most one memory)
    shared = list(
        access.readable(user, Plan)
        .filter(visibility=Visibility.COUPLE, couple=couple)
        .values_list("created_at", "status", "memory__happened_on")
    )
    made = sum(timezone.localtime(created).date() >= first for created, _, _ in shared)
    done = sum(
        status == Plan.Status.DONE and happened is not None and happened >= first
        for _, status, happened in shared
    )
    still_open = sum(status == Plan.Status.OPEN for _, status, _ in shared)
    on_plans = (
        memories_for(user)
        .filter(
            visibility=Visibility.COUPLE, couple=couple, plan__isnull=False, happened_on__gte=first
        )
        .aggregate(total=Sum("minutes_together"))["total"]
        or 0
    )
    # the done blocks the me/we balance reads too (read once per request)
    we_total = sum(
        minutes
        for _day, kind, _by, minutes, couple_id in done_blocks(user, first)
        if kind == TimeKind.WE and couple_id == couple.pk
    )
    share = round(min(1.0, on_plans / we_total), 2) if we_total else None
    words = []
    if made or done:
        words.append(
            _(
                "In the last %(weeks)s weeks you made %(made)s new plans together and %(done)s happened."
            )
            % {"weeks": weeks, "made": made, "done": done}
        )
    else:
        words.append(
            _("No new plans in the last few weeks. Is there something you'd both love to do?")
        )
    if share is not None and on_plans:
        words.append(
            _("About %(pct)s%% of the time you logged together went to plans you had made.")
            % {"pct": round(100 * share)}
        )
    return {
        "title": _("Plans and memories"),
        "words": words,
        "paired": True,
        "weeks": weeks,
        "plans_made": made,
        "plans_done": done,
        "plans_open": still_open,
        "we_minutes_on_plans": on_plans,
        "we_minutes_logged": we_total,
        "share_of_we_time_on_plans": share,
    }
