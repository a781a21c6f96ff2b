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
    """Personal growth: progress on the user's individual goals and how much they were encouraged."""
    since = timezone.now() - dt.timedelta(days=GROWTH_DAYS)
    mine = access.readable(user, Goal).filter(author=user).exclude(visibility=Visibility.COUPLE)
    active = [g.progress for g in mine.filter(completed_at__isnull=True)]
    couple = active_couple(user)
    ours = access.readable(user, Goal).filter(visibility=Visibility.COUPLE)
    checkins = access.readable(user, GoalProgress).filter(
        goal__in=mine, author=user, created_at__gte=since
    )
    received = access.readable(user, Encouragement).filter(goal__in=mine)
    given = access.readable(user, Encouragement).filter(author=user)
    return {
        "meaning": (
            "How your own goals are moving and how much encouragement has flowed between you. "
            "Growth at your own pace; nothing here is a grade."
        ),
        "my_goals": {
            "active": len(active),
            "completed": mine.filter(completed_at__isnull=False).count(),
            "mean_progress_percent": round(sum(active) / len(active)) if active else None,
            "progress_checkins_last_90_days": checkins.count(),
        },
        "our_goals": {
            "active": ours.filter(couple=couple, completed_at__isnull=True).count()
            if couple
            else 0,
            "completed": ours.filter(completed_at__isnull=False).count(),
        },
        "encouragement": {
            "received": received.count(),
            "received_last_90_days": received.filter(created_at__gte=since).count(),
            "given": given.count(),
        },
        "data_counts": {
            "goals": mine.count() + ours.count(),
            "progress_checkins": access.readable(user, GoalProgress).filter(author=user).count(),
            "encouragements": received.count() + given.count(),
        },
    }
