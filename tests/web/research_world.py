"""A study around Alice and Bob, made through the services as people do it.

``R`` (Rhea) runs "Moods through the day", which Alice and Bob both consented to; one prompt of
each is open now. ``R_other`` (Rowan) runs a study of his own, still a draft. Objects for cases:
``study``, ``study_other``, ``participant_alice``, ``participant_bob``, ``prompt_alice``,
``prompt_bob``.
"""

from __future__ import annotations

import datetime as dt

import time_machine
from django.utils import timezone

from counterpoint.activity.models import Notice
from counterpoint.research import services
from counterpoint.research.measures import ItemSpec
from counterpoint.research.models import Participant, Prompt, Study
from tests.factories import make_user
from tests.web.conftest import World

CONSENT = "Short questions when a prompt comes. Leave at any time; you choose keep or delete."


def seed_research(w: World) -> None:
    already = set(Notice.objects.values_list("pk", flat=True))
    rhea = make_user("rhea@uni.example", "Rhea")
    services.researcher_profile_save(
        user=rhea, name="Rhea", institution="Couples Lab", contact="rhea@uni.example"
    )
    rowan = make_user("rowan@uni.example", "Rowan")
    services.researcher_profile_save(
        user=rowan, name="Rowan", institution="Other Lab", contact="rowan@uni.example"
    )
    now = timezone.now().replace(second=0, microsecond=0)
    # A prompt time one minute ago today (the world's people live in UTC), so one is open now.
    start = max(now - dt.timedelta(minutes=1), now.replace(hour=0, minute=0))
    study = services.study_create(
        researcher=rhea,
        title="Moods through the day",
        description="How two people's moods move together.",
        consent_text=CONSENT,
        items=[
            ItemSpec("mood", "checkin"),
            ItemSpec("calm", "scale", "How calm are you?", "not at all", "very"),
            ItemSpec("note", "text", "Anything to add?"),
        ],
        schedule={"kind": "fixed", "times": [f"{start:%H:%M}"]},
        duration_days=7,
        window_minutes=30,
        grace_minutes=5,
    )
    services.study_set_status(study=study, status=Study.Status.RECRUITING)
    with time_machine.travel(now - dt.timedelta(days=1), tick=False):
        services.study_consent(user=w.alice, study=study, consent_version=1)
        services.study_consent(user=w.bob, study=study, consent_version=1)
    services.prompts_tick(now=timezone.now(), deliver=False)  # no email: the world is about access
    other = services.study_create(
        researcher=rowan,
        title="Evening diary",
        description="One question at the end of the day.",
        consent_text=CONSENT,
        items=[ItemSpec("close", "scale", "How close do you feel?")],
        schedule={"kind": "diary", "time": "21:00"},
        duration_days=14,
    )
    alice = Participant.objects.get(study=study, user=w.alice)
    bob = Participant.objects.get(study=study, user=w.bob)
    w.objects.update(
        {
            "person:R": rhea,
            "person:R_other": rowan,
            "study": study,
            "study_other": other,
            "participant_alice": alice,
            "participant_bob": bob,
            "prompt_alice": Prompt.objects.get(participant=alice, day=1, beep=1),
            "prompt_bob": Prompt.objects.get(participant=bob, day=1, beep=1),
        }
    )
    # The world is about access; research notices are tested in tests/web/research/.
    Notice.objects.exclude(pk__in=already).delete()
