"""Alex and Sam's boundaries: acknowledged, talked about, revised, and one set aside."""

from __future__ import annotations

import datetime as dt

from counterpoint.couples.demo import DemoCouple
from counterpoint.practices.boundaries.models import Boundary, BoundaryEvent, EventKind
from counterpoint.privacy.models import Visibility


def seed_boundaries(demo: DemoCouple) -> None:
    now = demo.start + dt.timedelta(days=120)
    alex, sam, couple = demo.alex, demo.sam, demo.couple

    def at(days: float) -> dt.datetime:
        return now - dt.timedelta(days=days)

    def event(
        b: Boundary, who, kind: str, days: float, version: int, note: str = "", **text: str
    ) -> None:
        BoundaryEvent.objects.create(
            boundary=b,
            author=who,
            couple=couple,
            visibility=Visibility.PARTNER,
            kind=kind,
            version=version,
            note=note,
            created_at=at(days),
            **text,
        )

    def boundary(who, what: str, why: str, helps: str, days: float, **extra: object) -> Boundary:
        return Boundary.objects.create(
            author=who,
            couple=couple,
            visibility=Visibility.PARTNER,
            what=what,
            why=why,
            what_helps=helps,
            created_at=at(days),
            **extra,
        )

    b1 = boundary(
        sam,
        "The first half hour after work is mine",
        "I come home wound up, and I need to land before I can be good company.",
        "A wave hello is perfect; the news of the day can wait.",
        100,
    )
    event(b1, sam, EventKind.STATED, 100, 1, what=b1.what, why=b1.why, what_helps=b1.what_helps)
    event(b1, alex, EventKind.ACKNOWLEDGED, 99.5, 1)

    old_what = "Don't read my messages over my shoulder"
    b2 = boundary(
        alex,
        "My phone is mine to read",
        "I want to share things with you because I choose to, not because you saw them.",
        "Ask me — I'll almost always just tell you.",
        80,
        version=2,
    )
    event(b2, alex, EventKind.STATED, 80, 1, what=old_what, why=b2.why)
    event(
        b2,
        sam,
        EventKind.ASKED_TO_TALK,
        79,
        1,
        note="Fair. Can we talk about the time I glanced at it? I want to explain.",
    )
    event(
        b2,
        alex,
        EventKind.REVISED,
        75,
        2,
        note="Reworded after our talk.",
        what=b2.what,
        why=b2.why,
        what_helps=b2.what_helps,
    )
    event(b2, sam, EventKind.ACKNOWLEDGED, 74, 2)

    b3 = boundary(
        sam,
        "Sundays with my friends stay on the calendar",
        "Those friendships were mine before us, and they keep me me.",
        "",
        30,
    )
    event(b3, sam, EventKind.STATED, 30, 1, what=b3.what, why=b3.why)

    b4 = boundary(
        alex, "No work talk after 10pm", "I can't sleep after it.", "", 110, retired_at=at(20)
    )
    event(b4, alex, EventKind.STATED, 110, 1, what=b4.what, why=b4.why)
    event(b4, sam, EventKind.ACKNOWLEDGED, 109, 1)
    event(b4, alex, EventKind.RETIRED, 20, 1, note="New job; it isn't an issue any more.")
