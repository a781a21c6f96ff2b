"""Researchers, studies and enrolled couples for research tests, made through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from counterpoint.accounts.models import User
from counterpoint.research import services
from counterpoint.research.measures import ItemSpec
from counterpoint.research.models import Participant, Study
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
