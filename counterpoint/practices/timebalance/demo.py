"""Alex and Sam's weeks: Alex's climbing and reading, Sam's runs and quiet evenings, time together."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from counterpoint.accounts.models import User
from counterpoint.couples.demo import DemoCouple
from counterpoint.practices.timebalance import services
from counterpoint.practices.timebalance.models import TimeBlock
from counterpoint.privacy.models import Visibility
from counterpoint.submissions import new_key


def seed_time(demo: DemoCouple) -> None:
    """Planned and logged through the time service as the two of them would: what already happened
    is logged (dated back to the evening of its day), the coming week is planned."""
    rng = random.Random(6)
    today = demo.alex.local_today()

    def add(*, user: User, day: dt.date, done: bool, **values: Any) -> None:
        block, _ = services.time_block_add(
            user=user, day=day, done=done, submission_key=new_key(), **values
        )
        if done:  # logged that evening
            when = dt.datetime.combine(day, dt.time(20, 0), tzinfo=user.tzinfo)
            TimeBlock.objects.filter(pk=block.pk).update(created_at=when, updated_at=when)

    for days_ago in range(70, -8, -1):
        day = today - dt.timedelta(days=days_ago)
        done = days_ago > 0
        if day.weekday() in (1, 4) and rng.random() < 0.85:
            add(
                user=demo.alex,
                visibility=Visibility.PARTNER,
                kind="me",
                day=day,
                minutes=rng.choice([90, 120, 150]),
                done=done,
                note="Climbing",
            )
        if day.weekday() in (0, 2, 5) and rng.random() < 0.7:
            add(
                user=demo.sam,
                visibility=Visibility.PARTNER,
                kind="me",
                day=day,
                minutes=rng.choice([40, 50, 60]),
                done=done,
                note="Run",
            )
        if day.weekday() == 3 and rng.random() < 0.6:
            add(
                user=demo.sam,
                visibility=Visibility.PRIVATE,
                kind="me",
                day=day,
                minutes=120,
                done=done,
                note="Evening alone",
            )
        if day.weekday() in (5, 6) and rng.random() < (0.5 if days_ago > 35 else 0.8):
            add(
                user=rng.choice([demo.alex, demo.sam]),
                visibility=Visibility.COUPLE,
                kind="we",
                day=day,
                minutes=rng.choice([120, 180, 240]),
                done=done,
                note=rng.choice(
                    ["Long walk", "Cooking together", "Market and lunch", "Film night"]
                ),
            )
