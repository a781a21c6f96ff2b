"""Alex and Sam's repairs: one closed after the "late again" evening, one they are in the middle of."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from counterpoint.activity.models import Notice
from counterpoint.practices.repair.models import (
    Repair,
    RepairClosing,
    RepairReflection,
    RepairShare,
)
from counterpoint.privacy.models import Visibility


def seed_repairs(demo) -> None:
    now = demo.start + dt.timedelta(days=120)
    alex, sam = demo.alex, demo.sam
    at = now - dt.timedelta(days=40)

    def later(hours: float) -> dt.datetime:
        return at + dt.timedelta(hours=hours)

    done = Repair.objects.create(
        author=sam,
        couple=demo.couple,
        visibility=Visibility.COUPLE,
        topic="Dinner on Friday",
        created_at=at,
        next_step="Alex texts if running more than 15 minutes late; Sam eats without waiting.",
        next_step_by=alex,
        next_step_agreed_at=later(20),
        closed_at=later(26),
    )
    RepairShare.objects.create(
        repair=done,
        author=sam,
        created_at=later(1),
        feeling="Hurt and a bit invisible when I waited an hour.",
        need="To know when plans change, even by a quick message.",
    )
    RepairShare.objects.create(
        repair=done,
        author=alex,
        created_at=later(5),
        feeling="Defensive, then guilty. Work ran over and I panicked.",
        need="Some room to mess up without it meaning I don't care.",
    )
    RepairReflection.objects.create(
        repair=done,
        author=alex,
        created_at=later(6),
        text="You felt forgotten, and you need a heads-up.",
        answer="confirmed",
        answered_at=later(7),
    )
    RepairReflection.objects.create(
        repair=done,
        author=sam,
        created_at=later(6.5),
        text="You felt attacked.",
        answer="corrected",
        correction="Not attacked — guilty. And I need slack, not a pass.",
        answered_at=later(8),
    )
    RepairReflection.objects.create(
        repair=done,
        author=sam,
        created_at=later(9),
        text="You felt guilty, and you need me to trust that a slip isn't a sign you don't care.",
        answer="confirmed",
        answered_at=later(10),
    )
    RepairClosing.objects.create(
        repair=done, author=alex, feeling_now="lighter", created_at=later(25)
    )
    RepairClosing.objects.create(
        repair=done,
        author=sam,
        feeling_now="better",
        note="Glad we did this properly.",
        created_at=later(26),
    )

    ongoing = Repair.objects.create(
        author=alex,
        couple=demo.couple,
        visibility=Visibility.COUPLE,
        topic="The weekend plans",
        created_at=now - dt.timedelta(days=1),
    )
    RepairShare.objects.create(
        repair=ongoing,
        author=alex,
        created_at=now - dt.timedelta(hours=20),
        feeling="Disappointed that the weekend filled up without me.",
        need="To plan the weekend together on Thursdays.",
    )
    for message, hours_ago in (
        ("Alex would like to repair things with you, when you're ready.", 24),
        ("Alex has written their side. It stays hidden until you've written yours.", 20),
    ):
        Notice.objects.create(
            recipient=sam,
            kind="repair",
            message=message,
            needs_answer=True,
            link=reverse("repair:detail", args=[ongoing.pk]),
            created_at=now - dt.timedelta(hours=hours_ago),
        )
