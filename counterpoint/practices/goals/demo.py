"""Alex and Sam's goals: each has their own, they share two, and they cheer each other on.

Made through the goals' services as the two of them would, then dated back into the demo's past.
"""

from __future__ import annotations

import datetime as dt

from counterpoint.couples.demo import DemoCouple
from counterpoint.practices.goals import services
from counterpoint.practices.goals.models import Encouragement, EncouragementKind, Goal, GoalProgress
from counterpoint.privacy.models import Visibility


def seed_goals(demo: DemoCouple) -> None:
    now = demo.start + dt.timedelta(days=120)
    alex, sam = demo.alex, demo.sam

    def ago(days: float) -> dt.datetime:
        return now - dt.timedelta(days=days)

    def goal(author, title, why, visibility, started, steps, done=None, proposed=None):
        g, _ = services.goal_create(user=author, title=title, why=why, visibility=visibility)
        for days, percent, who, note in steps:
            step, _ = services.goal_progress_add(
                user=who or author, goal=g, percent=percent, note=note
            )
            GoalProgress.objects.filter(pk=step.pk).update(created_at=ago(days))
        if done is not None:
            g = services.goal_complete(user=author, goal=g)
            Goal.objects.filter(pk=g.pk).update(completed_at=ago(done))
        if proposed is not None:
            g = services.goal_complete(user=proposed, goal=g)
        Goal.objects.filter(pk=g.pk).update(created_at=ago(started))
        return g

    climb = goal(
        alex,
        "Lead a 6a outdoors",
        "I want to trust my own judgement on the wall.",
        Visibility.PARTNER,
        110,
        [
            (90, 20, None, "Indoor leads twice a week."),
            (60, 45, None, ""),
            (30, 60, None, "Led a 5c outside!"),
            (8, 70, None, ""),
        ],
    )
    goal(
        alex,
        "Read twelve novels this year",
        "",
        Visibility.PRIVATE,
        100,
        [(70, 30, None, ""), (20, 50, None, "")],
    )
    spanish = goal(
        sam,
        "Hold a conversation in Spanish",
        "For the trip to Valencia, and for me.",
        Visibility.PARTNER,
        115,
        [
            (100, 10, None, "Started evening classes."),
            (50, 40, None, ""),
            (12, 55, None, "Ordered lunch without English."),
        ],
    )
    goal(
        sam,
        "Run 10 km",
        "",
        Visibility.PARTNER,
        105,
        [(80, 40, None, ""), (40, 80, None, ""), (25, 100, None, "Done in 58 minutes.")],
        done=25,
    )
    goal(
        alex,
        "Save for Valencia",
        "Two weeks in spring.",
        Visibility.COUPLE,
        90,
        [(60, 30, alex, ""), (30, 60, sam, "Moved the bonus in."), (5, 85, alex, "")],
        proposed=None,
    )
    goal(
        sam,
        "Clear out the spare room",
        "So it can be a study for us both.",
        Visibility.COUPLE,
        60,
        [(40, 50, sam, ""), (10, 100, alex, "Last box gone!")],
        proposed=alex,
    )
    for g, who, days, kind, note in [
        (climb, sam, 88, EncouragementKind.CHEER, ""),
        (climb, sam, 29, EncouragementKind.NOTE, "Watching you lead that was amazing."),
        (climb, sam, 7, EncouragementKind.CHEER, ""),
        (spanish, alex, 99, EncouragementKind.NOTE, "¡Vamos! Proud of you for starting."),
        (spanish, alex, 11, EncouragementKind.CHEER, ""),
    ]:
        cheer, _ = services.goal_encourage(user=who, goal=g, kind=kind, note=note)
        Encouragement.objects.filter(pk=cheer.pk).update(created_at=ago(days))
