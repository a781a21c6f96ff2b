"""Alex and Sam's wins and struggles over the demo months."""

from __future__ import annotations

import datetime as dt

from counterpoint.activity.models import Notice
from counterpoint.activity.services import notices_seen
from counterpoint.couples.demo import DemoCouple
from counterpoint.practices.moments import services
from counterpoint.practices.moments.models import Moment, MomentResponse
from counterpoint.privacy.models import Visibility
from counterpoint.submissions import new_key

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


def _happened(link: str, when: dt.datetime) -> None:
    """The step just taken about ``link`` happened at ``when``, and so did the notices it sent or
    answered (a step's notices are the ones newer than it: the history is written in order)."""
    Notice.objects.filter(link=link, created_at__gt=when).update(created_at=when)
    Notice.objects.filter(link=link, read_at__gt=when).update(read_at=when)


def seed_moments(demo: DemoCouple) -> None:
    """Shared and responded to through the moments' services as the two of them would, then dated
    back into the demo's past."""
    now = demo.start + dt.timedelta(days=120)
    people = {"alex": demo.alex, "sam": demo.sam}
    for days_ago, who, kind, text, reaction, hours, note in _STORIES:
        author = people[who]
        shared_at = now - dt.timedelta(days=days_ago, hours=3)
        moment, _ = services.moment_share(
            user=author,
            kind=kind,
            text=text,
            visibility=Visibility.PARTNER,
            submission_key=new_key(),
        )
        link = moment.get_absolute_url()
        Moment.objects.filter(pk=moment.pk).update(created_at=shared_at, updated_at=shared_at)
        _happened(link, shared_at)
        if not reaction:
            continue
        responder = demo.sam if who == "alex" else demo.alex
        responded_at = shared_at + dt.timedelta(hours=hours)
        response = services.moment_respond(
            user=responder, moment=moment, reaction=reaction, note=note
        )
        MomentResponse.objects.filter(pk=response.pk).update(responded_at=responded_at)
        _happened(link, responded_at)
        if days_ago > 12:  # the older responses were read a little later
            seen_at = responded_at + dt.timedelta(hours=2)
            notices_seen(user=author, link=link)
            _happened(link, seen_at)
