"""Alex and Sam's weeks: Alex's climbing and reading, Sam's runs and quiet evenings, time together."""

from __future__ import annotations

import datetime as dt
import random

from counterpoint.practices.timebalance.models import TimeBlock
from counterpoint.privacy.models import Visibility


def seed_time(demo) -> None:
    rng = random.Random(6)
    today = demo.alex.local_today()
    blocks = []
    for days_ago in range(70, -8, -1):
        day = today - dt.timedelta(days=days_ago)
        done = days_ago > 0
        if day.weekday() in (1, 4) and rng.random() < 0.85:
            blocks.append(
                TimeBlock(
                    author=demo.alex,
                    couple=demo.couple,
                    visibility=Visibility.PARTNER,
                    kind="me",
                    day=day,
                    minutes=rng.choice([90, 120, 150]),
                    done=done,
                    note="Climbing",
                )
            )
        if day.weekday() in (0, 2, 5) and rng.random() < 0.7:
            blocks.append(
                TimeBlock(
                    author=demo.sam,
                    couple=demo.couple,
                    visibility=Visibility.PARTNER,
                    kind="me",
                    day=day,
                    minutes=rng.choice([40, 50, 60]),
                    done=done,
                    note="Run",
                )
            )
        if day.weekday() == 3 and rng.random() < 0.6:
            blocks.append(
                TimeBlock(
                    author=demo.sam,
                    couple=demo.couple,
                    visibility=Visibility.PRIVATE,
                    kind="me",
                    day=day,
                    minutes=120,
                    done=done,
                    note="Evening alone",
                )
            )
        if day.weekday() in (5, 6) and rng.random() < (0.5 if days_ago > 35 else 0.8):
            blocks.append(
                TimeBlock(
                    author=rng.choice([demo.alex, demo.sam]),
                    couple=demo.couple,
                    visibility=Visibility.COUPLE,
                    kind="we",
                    day=day,
                    minutes=rng.choice([120, 180, 240]),
                    done=done,
                    note=rng.choice(
                        ["Long walk", "Cooking together", "Market and lunch", "Film night"]
                    ),
                )
            )
    TimeBlock.objects.bulk_create(blocks)
