"""The demo couple's journal: two private entries and one shared with the partner, written through
the journal's service as the two of them would."""

from __future__ import annotations

import datetime as dt

from counterpoint.couples.demo import DemoCouple
from counterpoint.journal.services import journal_entry_write
from counterpoint.privacy.models import Visibility


def seed_journal(demo: DemoCouple) -> None:
    today = demo.alex.local_today()
    for who, visibility, title, body, days in [
        (
            demo.alex,
            Visibility.PRIVATE,
            "Before the climbing trip",
            "Nervous about leading the route. Not telling Sam yet — I want to sit with it first.",
            3,
        ),
        (
            demo.alex,
            Visibility.PARTNER,
            "Sunday",
            "Loved the slow morning. More of those, please.",
            1,
        ),
        (
            demo.sam,
            Visibility.PRIVATE,
            "",
            "Work is loud this week. I need an evening to myself, and that's fine.",
            2,
        ),
    ]:
        journal_entry_write(
            user=who,
            title=title,
            body=body,
            visibility=visibility,
            written_on=today - dt.timedelta(days=days),
        )
