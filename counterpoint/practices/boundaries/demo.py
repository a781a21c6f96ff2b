"""Alex and Sam's boundaries: acknowledged, talked about, revised, and one set aside.

Made through the boundaries' services as the two of them would, then dated back into the demo's
past.
"""

from __future__ import annotations

import datetime as dt

from counterpoint.couples.demo import DemoCouple
from counterpoint.practices.boundaries import services
from counterpoint.practices.boundaries.models import Boundary, BoundaryEvent


def seed_boundaries(demo: DemoCouple) -> None:
    now = demo.start + dt.timedelta(days=120)
    alex, sam = demo.alex, demo.sam

    def at(days: float) -> dt.datetime:
        return now - dt.timedelta(days=days)

    def dated(boundary: Boundary, days: float) -> None:
        """The step just taken on ``boundary`` happened ``days`` ago."""
        last = BoundaryEvent.objects.filter(boundary=boundary).order_by("-created_at", "-id")[:1]
        BoundaryEvent.objects.filter(pk__in=last).update(created_at=at(days))

    def state(who, what: str, why: str, helps: str, days: float) -> Boundary:
        boundary, _ = services.boundary_state(user=who, what=what, why=why, what_helps=helps)
        Boundary.objects.filter(pk=boundary.pk).update(created_at=at(days))
        dated(boundary, days)
        return boundary

    b1 = state(
        sam,
        "The first half hour after work is mine",
        "I come home wound up, and I need to land before I can be good company.",
        "A wave hello is perfect; the news of the day can wait.",
        100,
    )
    services.boundary_acknowledge(user=alex, boundary=b1, version=1)
    dated(b1, 99.5)

    why = "I want to share things with you because I choose to, not because you saw them."
    b2 = state(alex, "Don't read my messages over my shoulder", why, "", 80)
    services.boundary_ask_to_talk(
        user=sam,
        boundary=b2,
        note="Fair. Can we talk about the time I glanced at it? I want to explain.",
    )
    dated(b2, 79)
    b2 = services.boundary_revise(
        user=alex,
        boundary=b2,
        what="My phone is mine to read",
        why=why,
        what_helps="Ask me — I'll almost always just tell you.",
        note="Reworded after our talk.",
    )
    dated(b2, 75)
    services.boundary_acknowledge(user=sam, boundary=b2, version=2)
    dated(b2, 74)

    state(  # stated; Alex hasn't acknowledged it yet
        sam,
        "Sundays with my friends stay on the calendar",
        "Those friendships were mine before us, and they keep me me.",
        "",
        30,
    )

    b4 = state(alex, "No work talk after 10pm", "I can't sleep after it.", "", 110)
    services.boundary_acknowledge(user=sam, boundary=b4, version=1)
    dated(b4, 109)
    services.boundary_retire(user=alex, boundary=b4, note="New job; it isn't an issue any more.")
    dated(b4, 20)
    Boundary.objects.filter(pk=b4.pk).update(retired_at=at(20))
