"""Reads for research mode. A researcher reaches a study's rows only through
``privacy.access.study_readable`` (their own studies); a participant reaches their own
participations and prompts, and their answers through ``privacy.access.readable``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from counterpoint.privacy import access
from counterpoint.research.models import (
    GRACE_MAX,
    Enrolment,
    Participant,
    Prompt,
    PromptEvent,
    PromptState,
    ResearcherProfile,
    Response,
    Study,
)

if TYPE_CHECKING:
    from counterpoint.accounts.models import User


def researcher_profile(user: User) -> ResearcherProfile | None:
    if not user.is_authenticated:
        return None
    return ResearcherProfile.objects.filter(user=user).first()


# -- the researcher's side --------------------------------------------------------------------------
def studies_run_by(user: User) -> QuerySet[Study]:
    return access.study_readable(user, Study, researcher_lookup="researcher")


def study_for_researcher_or_404(user: User, pk: int) -> Study:
    """A study this person runs; 404 for anyone else (another researcher, a participant)."""
    study = studies_run_by(user).filter(pk=pk).first()
    if study is None:
        raise Http404
    return study


def study_enrolments(user: User, study: Study) -> QuerySet[Enrolment]:
    return access.study_readable(
        user, Enrolment.objects.filter(study=study), researcher_lookup="study__researcher"
    ).prefetch_related(
        Prefetch(
            "participants",
            queryset=Participant.objects.select_related("consent_version").order_by("role"),
        )
    )


def study_participants(user: User, study: Study) -> QuerySet[Participant]:
    return access.study_readable(
        user, Participant.objects.filter(study=study), researcher_lookup="study__researcher"
    ).select_related("enrolment", "consent_version")


def study_prompts(user: User, study: Study) -> QuerySet[Prompt]:
    """Every prompt of the study (the long format's rows), for its researcher."""
    return access.study_readable(
        user, Prompt.objects.filter(study=study), researcher_lookup="study__researcher"
    ).select_related("participant__enrolment")


def study_events(user: User, study: Study) -> QuerySet[PromptEvent]:
    return access.study_readable(
        user,
        PromptEvent.objects.filter(prompt__study=study),
        researcher_lookup="prompt__study__researcher",
    )


def study_responses(user: User, study: Study) -> QuerySet[Response]:
    """The answers given to the study, for its researcher: nothing but what participants submitted."""
    return access.study_readable(
        user, Response.objects.filter(study=study), researcher_lookup="study__researcher"
    )


# -- the participant's side -------------------------------------------------------------------------
def participations(user: User) -> QuerySet[Participant]:
    if not user.is_authenticated:
        return Participant.objects.none()
    # a study whose researcher closed their account has ended, though the task runner may still
    # be deleting it (accounts/deletion.py)
    return Participant.objects.filter(user=user, study__researcher__is_active=True).select_related(
        "study", "enrolment__couple", "consent_version"
    )


@dataclass(frozen=True)
class Progress:
    participant: Participant
    answered: int  # prompts the person answered
    next_at: dt.datetime | None  # when their next planned prompt opens


def participations_with_progress(user: User, now: dt.datetime) -> list[Progress]:
    """The person's participations with how far each has gone, read in one query."""
    mine = Prompt.objects.filter(participant=OuterRef("pk")).order_by()
    answered = (
        mine.filter(state=PromptState.SUBMITTED)
        .values("participant")
        .annotate(n=Count("id"))
        .values("n")
    )
    upcoming = (
        mine.filter(state=PromptState.SCHEDULED, scheduled_at__gt=now)
        .order_by("scheduled_at")
        .values("scheduled_at")[:1]
    )
    rows = participations(user).annotate(
        answered=Coalesce(Subquery(answered), 0), next_at=Subquery(upcoming)
    )
    return [Progress(p, p.answered, p.next_at) for p in rows]


def participation_or_404(user: User, pk: int) -> Participant:
    found = participations(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def open_prompts(user: User, now: dt.datetime) -> QuerySet[Prompt]:
    """The person's prompts that can be answered now (sent or opened, window or grace not over)."""
    return (
        Prompt.objects.filter(
            participant__user=user,
            participant__withdrawn_at__isnull=True,
            participant__enrolment__couple__ended_at__isnull=True,
            study__researcher__is_active=True,  # a closed researcher's studies have ended
            state__in=(PromptState.SCHEDULED, PromptState.SENT, PromptState.OPENED),
            scheduled_at__lte=now,
            closes_at__gt=now - dt.timedelta(minutes=GRACE_MAX),
        )
        .select_related("study")
        .order_by("scheduled_at")
    )


def next_prompt_at(user: User, now: dt.datetime) -> dt.datetime | None:
    """When the person's next study prompt opens (None when none is planned). A couple that has
    ended has none: none of its prompts opens (as in :func:`open_prompts`), even before the task
    runner cancels them."""
    return (
        Prompt.objects.filter(
            participant__user=user,
            participant__withdrawn_at__isnull=True,
            participant__enrolment__couple__ended_at__isnull=True,
            study__researcher__is_active=True,  # a closed researcher's studies have ended
            state__in=(PromptState.SCHEDULED, PromptState.SENT, PromptState.OPENED),
            scheduled_at__gt=now,
        )
        .order_by("scheduled_at")
        .values_list("scheduled_at", flat=True)
        .first()
    )


def prompt_of_participant_or_404(user: User, pk: int) -> Prompt:
    """One of the person's own prompts (never the partner's)."""
    if not user.is_authenticated:
        raise Http404
    found = (
        Prompt.objects.filter(pk=pk, participant__user=user, study__researcher__is_active=True)
        .select_related("study", "participant__enrolment")
        .first()
    )
    if found is None:
        raise Http404
    return found


def own_response(user: User, prompt: Prompt) -> Response | None:
    return access.readable(user, Response).filter(prompt=prompt).first()
