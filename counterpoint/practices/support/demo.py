"""Alex and Sam's history of asking each other for support."""

from __future__ import annotations

import datetime as dt

from counterpoint.activity.models import Notice
from counterpoint.couples.demo import DemoCouple
from counterpoint.practices.support import services
from counterpoint.practices.support.models import (
    Landing,
    Offer,
    SupportKind,
    SupportRequest,
    SupportResponse,
)
from counterpoint.submissions import new_key

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


def _happened(item: SupportRequest, when: dt.datetime) -> None:
    """The step just taken on ``item`` happened at ``when``, and so did the notices it sent or
    answered (the ones newer than it: the history is written in order)."""
    link = item.get_absolute_url()
    Notice.objects.filter(link=link, created_at__gt=when).update(created_at=when)
    Notice.objects.filter(link=link, read_at__gt=when).update(read_at=when)


def seed_support(demo: DemoCouple) -> None:
    """Asked, answered and landed through the support services as the two of them would, then
    dated back into the demo's past."""
    now = demo.start + dt.timedelta(days=120)
    people = {"alex": demo.alex, "sam": demo.sam}
    for days, who, kind, details, minutes, offer, message, when, landed in _HISTORY:
        asker = people[who]
        other = demo.sam if asker == demo.alex else demo.alex
        asked_at = now - dt.timedelta(
            days=days, hours=2 + (days * 7) % 11, minutes=(days * 13) % 60
        )
        item, _ = services.support_request_create(
            user=asker, kind=kind, details=details, submission_key=new_key()
        )
        SupportRequest.objects.filter(pk=item.pk).update(created_at=asked_at, updated_at=asked_at)
        _happened(item, asked_at)
        if minutes is None:
            continue
        answered_at = asked_at + dt.timedelta(minutes=minutes)
        response = services.support_request_answer(
            user=other, support_request=item, offer=offer, message=message, when=when
        )
        SupportResponse.objects.filter(pk=response.pk).update(
            created_at=answered_at, updated_at=answered_at
        )
        _happened(item, answered_at)
        if landed:
            landed_at = answered_at + dt.timedelta(hours=20)
            services.support_request_land(user=asker, support_request=item, landed=landed)
            SupportRequest.objects.filter(pk=item.pk).update(
                landed_at=landed_at, updated_at=landed_at
            )
            _happened(item, landed_at)
