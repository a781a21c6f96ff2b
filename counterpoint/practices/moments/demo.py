"""Alex and Sam's wins and struggles over the demo months."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from counterpoint.activity.models import Notice
from counterpoint.practices.moments.models import Moment, MomentResponse
from counterpoint.privacy.models import Visibility

_STORIES = [
    # (days ago, author, kind, text, reaction or None, hours to respond, note)
    (
        95,
        "alex",
        "win",
        "Got through the whole presentation without reading the notes.",
        "with_you",
        2,
        "I knew you would. Dinner's on me.",
    ),
    (
        88,
        "sam",
        "struggle",
        "My sister and I argued again about Mum's care. I feel stuck in the middle.",
        "with_you",
        1,
        "Want to talk it through tonight, or just sit together?",
    ),
    (70, "sam", "win", "Ran 10k for the first time!", "warm", 5, "That's huge. Proud of you."),
    (
        61,
        "alex",
        "struggle",
        "Lost the bid at work. Weeks of effort for nothing, it feels like.",
        "brief",
        30,
        "",
    ),
    (
        44,
        "alex",
        "win",
        "Finished the chair I've been building in the shed.",
        "with_you",
        3,
        "Can I be the first to sit on it?",
    ),
    (
        30,
        "sam",
        "struggle",
        "Couldn't sleep, kept replaying the meeting with my manager.",
        "warm",
        8,
        "That sounds exhausting. I'm around if you want to talk.",
    ),
    (
        12,
        "sam",
        "win",
        "My team shipped the release on time.",
        "with_you",
        1,
        "Celebration pancakes on Saturday?",
    ),
    (4, "alex", "struggle", "Feeling low today, no clear reason.", None, 0, ""),
]


def seed_moments(demo) -> None:
    now = demo.start + dt.timedelta(days=120)
    people = {"alex": demo.alex, "sam": demo.sam}
    for days_ago, who, kind, text, reaction, hours, note in _STORIES:
        author = people[who]
        shared_at = now - dt.timedelta(days=days_ago, hours=3)
        moment = Moment.objects.create(
            author=author,
            couple=demo.couple,
            visibility=Visibility.PARTNER,
            kind=kind,
            text=text,
            created_at=shared_at,
        )
        responder = demo.sam if who == "alex" else demo.alex
        link = reverse("moments:detail", args=[moment.pk])
        Notice.objects.create(
            recipient=responder,
            kind="moment_shared",
            message=f"{author.display_name} shared "
            + ("a win with you." if kind == "win" else "something hard with you."),
            link=link,
            needs_answer=not reaction,
            created_at=shared_at,
            read_at=shared_at + dt.timedelta(hours=hours) if reaction else None,
        )
        if reaction:
            Notice.objects.create(
                recipient=author,
                kind="moment_answered",
                message=f"{responder.display_name} responded to what you shared.",
                link=link,
                created_at=shared_at + dt.timedelta(hours=hours),
                read_at=shared_at + dt.timedelta(hours=hours + 2) if days_ago > 12 else None,
            )
            MomentResponse.objects.create(
                moment=moment,
                responder=responder,
                reaction=reaction,
                note=note,
                responded_at=shared_at + dt.timedelta(hours=hours),
            )
