"""The demo couple's journal: two private entries and one shared with the partner."""

from __future__ import annotations

import datetime as dt

from counterpoint.couples.demo import DemoCouple
from counterpoint.journal.models import JournalEntry
from counterpoint.privacy.models import Visibility


def seed_journal(demo: DemoCouple) -> None:
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
