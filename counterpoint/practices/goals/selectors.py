"""Reads of goals, and who may do what to them. Autonomy is enforced here: an individual goal is
changed only through ``access.get_own_or_404``; the partner's one action is encouragement."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from counterpoint.accounts.models import User
from counterpoint.couples.selectors import active_couple
from counterpoint.practices.goals.models import Encouragement, Goal, GoalProgress
from counterpoint.privacy import access
from counterpoint.privacy.models import Visibility

GROWTH_DAYS = 90


def goals_readable(user: User) -> QuerySet[Goal]:
    return access.readable(user, Goal).select_related("author", "completion_proposed_by")


def goal_writable_or_404(user: User, pk: int) -> Goal:
    """A goal the user may edit, progress or complete: their own individual goal, or a shared
    goal of the couple they are in now. A partner's individual goal is a 404 here."""
    goal = access.get_readable_or_404(user, Goal, pk=pk)
    if goal.is_shared:
        return access.get_couple_writable_or_404(user, Goal, pk=pk)
    return access.get_own_or_404(user, Goal.objects.exclude(visibility=Visibility.COUPLE), pk=pk)


def goal_encourageable_or_404(user: User, pk: int) -> Goal:
    """The current partner's individual goal that they shared: the only thing one may encourage."""
    return access.get_partners_or_404(
        user, Goal.objects.exclude(visibility=Visibility.COUPLE), pk=pk
    )


def goal_checkins(user: User, goal: Goal) -> QuerySet[GoalProgress]:
    return access.readable(user, GoalProgress).filter(goal=goal).select_related("author")


def goal_encouragements(user: User, goal: Goal) -> QuerySet[Encouragement]:
    """Encouragement on a goal, for the goal's owner and the partner who wrote it."""
    return access.readable(user, Encouragement).filter(goal=goal).select_related("author")


def growth_summary(user: User) -> dict[str, Any]:
    """Personal growth: progress on the user's individual goals and how much they were encouraged.
    Three reads of what ``user`` may read (goals, progress check-ins, encouragements), counted
    here."""
    since = timezone.now() - dt.timedelta(days=GROWTH_DAYS)
    couple = active_couple(user)
    goals = list(
        access.readable(user, Goal).values(
            "pk", "author_id", "visibility", "couple_id", "completed_at", "progress"
        )
    )
    mine = [g for g in goals if g["author_id"] == user.pk and g["visibility"] != Visibility.COUPLE]
    mine_ids = {g["pk"] for g in mine}
    active = [g["progress"] for g in mine if g["completed_at"] is None]
    ours = [g for g in goals if g["visibility"] == Visibility.COUPLE]
    progress = list(access.own(user, GoalProgress).values_list("goal_id", "created_at"))
    encouragements = list(
        access.readable(user, Encouragement).values_list("goal_id", "author_id", "created_at")
    )
    received = [created for goal, _, created in encouragements if goal in mine_ids]
    given = [author for _, author, _ in encouragements if author == user.pk]
    return {
        "meaning": (
            "How your own goals are moving and how much encouragement has flowed between you. "
            "Growth at your own pace; nothing here is a grade."
        ),
        "my_goals": {
            "active": len(active),
            "completed": sum(g["completed_at"] is not None for g in mine),
            "mean_progress_percent": round(sum(active) / len(active)) if active else None,
            "progress_checkins_last_90_days": sum(
                goal in mine_ids and created >= since for goal, created in progress
            ),
        },
        "our_goals": {
            "active": sum(g["couple_id"] == couple.pk and g["completed_at"] is None for g in ours)
            if couple
            else 0,
            "completed": sum(g["completed_at"] is not None for g in ours),
        },
        "encouragement": {
            "received": len(received),
            "received_last_90_days": sum(created >= since for created in received),
            "given": len(given),
        },
        "data_counts": {
            "goals": len(mine) + len(ours),
            "progress_checkins": len(progress),
            "encouragements": len(received) + len(given),
        },
    }
