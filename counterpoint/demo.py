"""The demo couple, Alex and Sam, for trying Counterpoint locally (``manage.py demo``).

Apps that want demo data append a seeder to ``DEMO_SEEDERS`` from their ``AppConfig.ready()``;
each seeder gets the two people and their couple and fills in a believable history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from counterpoint.accounts.models import User
from counterpoint.couples.models import Couple, Membership
from counterpoint.journal.models import JournalEntry
from counterpoint.privacy.models import Visibility

DEMO_PASSWORD = "counterpoint-demo"
DEMO_DAYS = 120


@dataclass(frozen=True)
class DemoCouple:
    alex: User
    sam: User
    couple: Couple
    start: dt.datetime  # when the couple started using the app (DEMO_DAYS ago)


Seeder = Callable[[DemoCouple], None]
DEMO_SEEDERS: list[Seeder] = []


def _journal(demo: DemoCouple) -> None:
    today = demo.alex.local_today()
    JournalEntry.objects.bulk_create(
        [
            JournalEntry(
                author=demo.alex,
                couple=demo.couple,
                visibility=Visibility.PRIVATE,
                title="Before the climbing trip",
                body="Nervous about leading the route. Not telling Sam yet — I want to sit with it first.",
                written_on=today - dt.timedelta(days=3),
            ),
            JournalEntry(
                author=demo.alex,
                couple=demo.couple,
                visibility=Visibility.PARTNER,
                title="Sunday",
                body="Loved the slow morning. More of those, please.",
                written_on=today - dt.timedelta(days=1),
            ),
            JournalEntry(
                author=demo.sam,
                couple=demo.couple,
                visibility=Visibility.PRIVATE,
                title="",
                body="Work is loud this week. I need an evening to myself, and that's fine.",
                written_on=today - dt.timedelta(days=2),
            ),
        ]
    )


def demo_create() -> DemoCouple | None:
    """Create Alex and Sam with their history. Returns None when they already exist."""
    if User.objects.filter(email__in=["alex@example.com", "sam@example.com"]).exists():
        return None
    with transaction.atomic():
        start = timezone.now() - dt.timedelta(days=DEMO_DAYS)
        alex = User.objects.create_user(
            "alex@example.com", DEMO_PASSWORD, display_name="Alex", time_zone="Europe/London"
        )
        sam = User.objects.create_user(
            "sam@example.com", DEMO_PASSWORD, display_name="Sam", time_zone="Europe/London"
        )
        User.objects.filter(pk__in=[alex.pk, sam.pk]).update(date_joined=start)
        couple = Couple.objects.create(created_at=start)
        Membership.objects.create(couple=couple, user=alex, joined_at=start)
        Membership.objects.create(couple=couple, user=sam, joined_at=start)
        demo = DemoCouple(alex=alex, sam=sam, couple=couple, start=start)
        _journal(demo)
        for seeder in DEMO_SEEDERS:
            seeder(demo)
        return demo
