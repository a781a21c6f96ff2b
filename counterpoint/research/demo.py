"""A demo researcher, Riley, whose study Alex and Sam joined ten days ago (``make run``)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from counterpoint.accounts.models import User
from counterpoint.couples.demo import DemoCouple
from counterpoint.research import services
from counterpoint.research.measures import ItemSpec
from counterpoint.research.models import Prompt, PromptState, Study

RESEARCHER_EMAIL = "riley@example.com"
STUDY_DAYS = 14
JOINED_DAYS_AGO = 10
CONSENT = (
    "Three times a day for two weeks you get a short prompt (under a minute). Each stays open for "
    "30 minutes. Only the research team sees your answers, never your partner, and never under "
    "your name: you are a number in the data. You can leave at any time from My studies, and "
    "choose then whether what you answered is kept for the study or deleted."
)


def seed_research(demo: DemoCouple, *, password: str = "counterpoint-demo") -> None:
    """Riley (same password as the demo couple) runs "Moods through the day"; Alex and Sam joined
    ten days ago and answered most prompts since."""
    riley = User.objects.create_user(
        RESEARCHER_EMAIL, password, display_name="Riley", time_zone="Europe/London"
    )
    services.researcher_profile_save(
        user=riley, name="Dr Riley Moreau", institution="Couples Lab", contact=RESEARCHER_EMAIL
    )
    study = services.study_create(
        researcher=riley,
        title="Moods through the day",
        description=(
            "How two partners' moods and calm move together over a day, and whether one "
            "partner's stress carries over to the other a few hours later."
        ),
        consent_text=CONSENT,
        items=[
            ItemSpec("mood", "checkin"),
            ItemSpec("stress", "checkin"),
            ItemSpec("calm", "scale", "How calm do you feel right now?", "not at all", "very"),
            ItemSpec("together", "choice", "Are you with your partner?", choices=("yes", "no")),
        ],
        schedule={"kind": "fixed", "times": ["09:00", "13:30", "20:00"]},
        duration_days=STUDY_DAYS,
        window_minutes=30,
        grace_minutes=5,
        reminder_minutes=15,
        compliance_threshold=0.7,
    )
    services.study_set_status(study=study, status=Study.Status.RECRUITING)
    now = timezone.now()
    joined = now - dt.timedelta(days=JOINED_DAYS_AGO)
    services.study_consent(user=demo.alex, study=study, consent_version=1, now=joined)
    services.study_consent(
        user=demo.sam, study=study, consent_version=1, now=joined + dt.timedelta(hours=3)
    )
    rng = random.Random(16)
    past = Prompt.objects.filter(study=study, scheduled_at__lte=now - dt.timedelta(hours=1))
    for at in sorted(set(past.values_list("scheduled_at", flat=True))):
        services.prompts_tick(now=at, deliver=False)
        for prompt in Prompt.objects.filter(study=study, scheduled_at=at, state=PromptState.SENT):
            if rng.random() < 0.18:
                continue  # missed: it expires at the next tick
            mood = rng.randint(3, 9)
            services.prompt_submit(
                prompt=prompt,
                answers={
                    "mood": mood,
                    "stress": max(0, min(10, 10 - mood + rng.randint(-2, 2))),
                    "calm": max(0, min(10, mood + rng.randint(-2, 1))),
                    "together": rng.choice([1, 2]),
                },
                now=at + dt.timedelta(minutes=rng.randint(1, 25)),
            )
    services.prompts_tick(now=now - dt.timedelta(hours=1), deliver=False)
