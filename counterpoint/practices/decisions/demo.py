"""Alex and Sam's decisions: one made, one revisited, one waiting for Sam's view."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from counterpoint.activity.models import Notice
from counterpoint.practices.decisions.models import Decision, DecisionOutcome, DecisionView
from counterpoint.privacy.models import Visibility


def seed_decisions(demo) -> None:
    now = demo.start + dt.timedelta(days=120)
    alex, sam = demo.alex, demo.sam

    def decision(days_ago: int, author, title: str, context: str, **extra) -> Decision:
        return Decision.objects.create(
            author=author,
            couple=demo.couple,
            visibility=Visibility.COUPLE,
            title=title,
            context=context,
            created_at=now - dt.timedelta(days=days_ago),
            **extra,
        )

    def view(d: Decision, author, rnd: int, pref: str, why: str, imp: int, days_ago: float) -> None:
        DecisionView.objects.create(
            decision=d,
            author=author,
            round=rnd,
            preference=pref,
            reasons=why,
            importance=imp,
            created_at=now - dt.timedelta(days=days_ago),
        )

    summer = decision(
        80,
        sam,
        "Where do we go in August?",
        "Two weeks off, modest budget.",
        status=Decision.Status.DECIDED,
    )
    view(summer, sam, 1, "The coast in Portugal.", "Sea, slow days, I need to switch off.", 4, 79)
    view(summer, alex, 1, "Hiking in the Dolomites.", "I want something a bit adventurous.", 3, 78)
    DecisionOutcome.objects.create(
        decision=summer,
        round=1,
        text="One week walking, one week by the sea in Portugal.",
        reasons="Sam cares more about rest; Alex gets a few big days out first.",
        recorded_by=alex,
        recorded_at=now - dt.timedelta(days=76),
    )

    hosting = decision(
        50,
        alex,
        "Hosting Christmas this year?",
        "Both families asked.",
        status=Decision.Status.OPEN,
        round=2,
    )
    view(hosting, alex, 1, "Yes, at ours.", "We have the space now.", 2, 49)
    view(hosting, sam, 1, "Not this year.", "Work ends late; I'd be exhausted.", 5, 48)
    DecisionOutcome.objects.create(
        decision=hosting,
        round=1,
        text="Not this year; we visit Alex's parents.",
        reasons="It matters a lot more to Sam than to Alex.",
        recorded_by=sam,
        recorded_at=now - dt.timedelta(days=47),
    )
    view(hosting, alex, 2, "Maybe host Boxing Day only?", "A smaller version could work.", 2, 6)

    dog = decision(3, alex, "Should we get a dog next spring?", "We keep coming back to this.")
    for d, message, days_ago in (
        (hosting, "Alex would like to revisit a decision.", 6.5),
        (
            hosting,
            "Alex has entered their view on a decision. Theirs stays hidden until you add yours.",
            6,
        ),
        (dog, "Alex asked for your view on a decision.", 3),
    ):
        Notice.objects.create(
            recipient=sam,
            kind="decision",
            message=message,
            needs_answer=True,
            link=reverse("decisions:detail", args=[d.pk]),
            created_at=now - dt.timedelta(days=days_ago),
        )
