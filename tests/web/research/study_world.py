"""Researchers, studies and enrolled couples for research tests, made through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from counterpoint.accounts.models import User
from counterpoint.research import services
from counterpoint.research.measures import ItemSpec
from counterpoint.research.models import Participant, Prompt, PromptState, Study
from tests.factories import make_user

CONSENT = (
    "You answer a few short questions when a prompt comes. You may leave at any time; when you "
    "leave you choose whether what you answered is kept or deleted."
)
ITEMS = [
    ItemSpec("mood", "checkin"),
    ItemSpec("calm", "scale", "How calm do you feel?", "not at all", "very"),
    ItemSpec("where", "choice", "Where are you?", choices=("home", "work", "elsewhere")),
    ItemSpec("note", "text", "Anything to add?"),
]


def make_researcher(email: str, name: str, **kwargs: Any) -> User:
    user = make_user(email, name, **kwargs)
    services.researcher_profile_save(user=user, name=name, institution=f"{name} Lab", contact=email)
    return user


def make_study(researcher: User, *, open_now: bool = True, **overrides: Any) -> Study:
    fields: dict[str, Any] = {
        "title": "Daily moods together",
        "description": "How two people's moods move through the day.",
        "consent_text": CONSENT,
        "items": ITEMS,
        "schedule": {"kind": "fixed", "times": ["09:00", "13:00", "20:00"]},
        "duration_days": 14,
        "window_minutes": 30,
        "grace_minutes": 5,
        "reminder_minutes": 15,
    }
    fields.update(overrides)
    study = services.study_create(researcher=researcher, **fields)
    if open_now:
        services.study_set_status(study=study, status=Study.Status.RECRUITING)
    return study


def enrol(
    study: Study, first: User, second: User, *, now: dt.datetime | None = None
) -> tuple[Participant, Participant]:
    """Both partners consent to the current text, ``first`` before ``second``."""
    version = study.current_consent().version  # type: ignore[union-attr]
    a = services.study_consent(user=first, study=study, consent_version=version, now=now)
    b = services.study_consent(user=second, study=study, consent_version=version, now=now)
    a.refresh_from_db()
    return a, b


def couples_take_part(study: Study, numbers: range, start: dt.datetime) -> None:
    """Couples ``a{n}``/``b{n}`` sign up, pair and both consent at ``start``."""
    from tests.factories import make_couple

    for n in numbers:
        a, b = make_user(f"a{n}@example.org", f"A{n}"), make_user(f"b{n}@example.org", f"B{n}")
        make_couple(a, b)
        enrol(study, a, b, now=start)


def days_go_by(
    study: Study,
    start: dt.datetime,
    answer: Callable[[Prompt, int], dict[str, Any] | None],
    *,
    days: int = 4,
) -> None:
    """The task runner's tick at each prompt time of the first ``days`` days from ``start``; each
    sent prompt is answered with ``answer(prompt, i)`` (``i``: the prompt time's number), or left
    to expire when it gives None."""
    times = sorted(
        set(
            Prompt.objects.filter(
                study=study, scheduled_at__lt=start + dt.timedelta(days=days)
            ).values_list("scheduled_at", flat=True)
        )
    )
    for i, at in enumerate(times):
        services.prompts_tick(now=at + dt.timedelta(minutes=1), deliver=False)
        for prompt in Prompt.objects.filter(study=study, scheduled_at=at, state=PromptState.SENT):
            answers = answer(prompt, i)
            if answers is not None:
                services.prompt_submit(
                    prompt=prompt, answers=answers, now=at + dt.timedelta(minutes=5)
                )
    services.prompts_tick(now=times[-1] + dt.timedelta(hours=2), deliver=False)
