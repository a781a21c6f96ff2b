"""Alex and Sam's history of asking each other for support."""

from __future__ import annotations

import datetime as dt

from counterpoint.couples.demo import DemoCouple
from counterpoint.practices.support.models import (
    Landing,
    Offer,
    SupportKind,
    SupportRequest,
    SupportResponse,
)
from counterpoint.privacy.models import Visibility

# (days ago, who asks, kind, details, minutes to answer, offer, message, when, landed)
_HISTORY = [
    (
        95,
        "sam",
        SupportKind.SPACE,
        "Big week at work. I need Thursday evening to myself.",
        40,
        Offer.YES,
        "Of course. I'll see my sister that night.",
        "Thursday",
        Landing.HELPED_A_LOT,
    ),
    (
        70,
        "alex",
        SupportKind.LISTENING,
        "The climbing club thing is still bothering me.",
        180,
        Offer.YES,
        "Walk after dinner? I'll just listen.",
        "tonight",
        Landing.HELPED,
    ),
    (
        52,
        "alex",
        SupportKind.HELP,
        "Could you look over my cover letter?",
        900,
        Offer.PARTLY,
        "Saturday morning I can, not before.",
        "Saturday morning",
        Landing.HELPED,
    ),
    (33, "sam", SupportKind.HUG, "", 12, Offer.YES, "Coming over.", "now", Landing.HELPED_A_LOT),
    (
        18,
        "sam",
        SupportKind.LISTENING,
        "Dad's appointment went badly.",
        300,
        Offer.NOT_NOW,
        "I'm on the late shift, can we talk tomorrow?",
        "tomorrow",
        Landing.NOT_QUITE,
    ),
    (
        6,
        "alex",
        SupportKind.HELP,
        "Help me plan the move of the bookcase?",
        95,
        Offer.YES,
        "Yes, let's do Sunday.",
        "Sunday",
        "",
    ),
    (
        1,
        "sam",
        SupportKind.LISTENING,
        "Can I tell you about today's meeting?",
        None,
        "",
        "",
        "",
        "",
    ),
]


def seed_support(demo: DemoCouple) -> None:
    now = demo.start + dt.timedelta(days=120)
    people = {"alex": demo.alex, "sam": demo.sam}
    for days, who, kind, details, minutes, offer, message, when, landed in _HISTORY:
        asker = people[who]
        other = demo.sam if asker == demo.alex else demo.alex
        asked_at = now - dt.timedelta(
            days=days, hours=2 + (days * 7) % 11, minutes=(days * 13) % 60
        )
        item = SupportRequest.objects.create(
            author=asker,
            couple=demo.couple,
            visibility=Visibility.PARTNER,
            kind=kind,
            details=details,
            created_at=asked_at,
        )
        if minutes is None:
            continue
        answered_at = asked_at + dt.timedelta(minutes=minutes)
        SupportResponse.objects.create(
            author=other,
            couple=demo.couple,
            visibility=Visibility.PARTNER,
            request=item,
            offer=offer,
            message=message,
            when=when,
            created_at=answered_at,
        )
        if landed:
            SupportRequest.objects.filter(pk=item.pk).update(
                landed=landed, landed_at=answered_at + dt.timedelta(hours=20)
            )
