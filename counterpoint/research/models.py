"""Research mode: studies that researchers run with couples, and the prompts partners answer.

A ``ResearcherProfile`` grants nothing by itself. A researcher's ``Study`` has versioned consent
texts (``ConsentVersion``), its measures (``Item``), a schedule (``schedules.py``), a duration, a
response window, a grace period and a reminder inside the window. A couple joins through the
study's link: each partner consents separately (a ``Participant`` row records the consent version
and time); once both have, the couple's ``Enrolment`` is complete and each partner's ``Prompt`` rows
are planned for the whole study in their own time zone. Every state change of a prompt is a
``PromptEvent`` (what, why, when). An answer is a ``Response``: a private ``PersonalRecord`` of the
participant (never the partner's to read); the researcher reads it only through
``selectors.study_responses`` (built on ``privacy.access.study_readable``).

How one row of the long-format export (one row per person per prompt) maps to these models::

    study        Study.pk                       (one export per study)
    dyad         Enrolment.number               1, 2, … in the order couples began to enrol;
                                                 never a name or an email
    person       Participant.person_code        number and role, e.g. "3A"
    role         Participant.role               "A" = the partner who consented first, "B" = the other
    day          Prompt.day                     study day, 1-based, in the participant's own zone
    beep         Prompt.beep                    prompt of that day, 1-based
    scheduled    Prompt.scheduled_at            UTC instant (local: Prompt.local_date/local_time,
                                                 zone: Prompt.time_zone)
    sent         Prompt.sent_at                 null when never sent
    opened       Prompt.opened_at               null when never opened
    submitted    Prompt.submitted_at            null unless status is "submitted"
    status       Prompt.state                   scheduled|sent|opened|submitted|expired|cancelled
    closes       Prompt.closes_at               end of the response window (grace not included)
    <item name>  Response.answers[item.name]    per Item of the study, in Item.position order;
                                                 scale: int, choice: int code 1..k (Item.choices
                                                 holds the labels), text: str; null = not answered

The delivery log (one row per transition): ``PromptEvent`` (prompt, from_state, to_state, reason,
at = when it took effect, logged_at = when the system wrote it). A withdrawn participant has
``Participant.withdrawn_at`` and ``withdrawal_choice``; with "delete" their prompts, events and
responses are gone and only the consent/withdrawal record remains.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counterpoint.numbers import RandomlyNumbered
from counterpoint.privacy.models import PersonalRecord
from counterpoint.research import schedules

TEXT_ANSWER_MAX = 500
GRACE_MAX = 120  # minutes


def new_study_code() -> str:
    return secrets.token_urlsafe(9)


def new_seed() -> str:
    return secrets.token_hex(8)


class ResearcherProfile(RandomlyNumbered):
    """A person who runs studies. Being a researcher grants no access to anyone's app data."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="researcher_profile"
    )
    name = models.CharField(_("your name as participants see it"), max_length=120)
    institution = models.CharField(_("university or organisation"), max_length=160)
    contact = models.CharField(_("how participants reach you (email)"), max_length=160)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.name} ({self.institution})"


class Study(RandomlyNumbered):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (not open to couples yet)")
        RECRUITING = "recruiting", _("Open: couples can join through the link")
        CLOSED = "closed", _("Closed to new couples")

    researcher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="studies"
    )
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("what the study is about (participants read this)"))
    schedule = models.JSONField(default=dict)  # see schedules.parse
    duration_days = models.PositiveSmallIntegerField(
        _("duration in days"), validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    compliance_threshold = models.FloatField(
        _("compliance threshold (share of prompts answered)"),
        default=0.8,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
    )
    window_minutes = models.PositiveSmallIntegerField(
        _("response window (minutes)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    grace_minutes = models.PositiveSmallIntegerField(
        _("grace period for a form opened in time (minutes)"),
        default=5,
        validators=[MaxValueValidator(GRACE_MAX)],
    )
    reminder_minutes = models.PositiveSmallIntegerField(
        _("reminder after (minutes, inside the window; empty for none)"), null=True, blank=True
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    code = models.CharField(max_length=20, unique=True, default=new_study_code)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "studies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(compliance_threshold__gte=0)
                & models.Q(compliance_threshold__lte=1),
                name="study_threshold_is_a_share",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def parsed_schedule(self) -> schedules.Schedule:
        return schedules.parse(self.schedule)

    def current_consent(self) -> ConsentVersion | None:
        return self.consent_versions.order_by("-version").first()


class ConsentVersion(RandomlyNumbered):
    """One wording of the consent text. Changing the text makes a new version; a consent records
    the version it was given to."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="consent_versions")
    version = models.PositiveSmallIntegerField()
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["study", "version"]
        constraints = [
            models.UniqueConstraint(fields=["study", "version"], name="one_consent_per_version")
        ]

    def __str__(self) -> str:
        return f"consent v{self.version} of study {self.study_id}"


class Item(RandomlyNumbered):
    """One measure asked at every prompt: a 0–10 scale, a choice, a short text, or one of the
    check-in's items by name (asked with the check-in's own scale)."""

    class Kind(models.TextChoices):
        SCALE = "scale", _("0–10 scale")
        CHOICE = "choice", _("choice")
        TEXT = "text", _("short text")
        CHECKIN = "checkin", _("check-in item")

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    name = models.SlugField(max_length=40)  # the column name in the export
    kind = models.CharField(max_length=10, choices=Kind.choices)
    label = models.CharField(max_length=300)
    low_label = models.CharField(max_length=60, blank=True)
    high_label = models.CharField(max_length=60, blank=True)
    choices = models.JSONField(default=list, blank=True)  # labels of codes 1..k

    class Meta:
        ordering = ["study", "position"]
        constraints = [
            models.UniqueConstraint(fields=["study", "name"], name="one_item_per_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scale_range(self) -> tuple[int, int] | None:
        """(low, high) for the numeric items; None for choices and text."""
        if self.kind == self.Kind.SCALE:
            return (0, 10)
        if self.kind == self.Kind.CHECKIN:
            from counterpoint.research.measures import CHECKIN_ITEMS

            spec = CHECKIN_ITEMS.get(self.name)
            return (spec.low, spec.high) if spec else None
        return None


class Enrolment(RandomlyNumbered):
    """A couple in a study: begun when the first partner consents, complete when both have."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="enrolments")
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField()  # the pseudonymous dyad id: 1, 2, … per study
    created_at = models.DateTimeField(default=timezone.now)
    enrolled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["study", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["study", "couple"], name="one_enrolment_per_couple"),
            models.UniqueConstraint(fields=["study", "number"], name="one_dyad_number_per_study"),
        ]

    def __str__(self) -> str:
        return f"dyad {self.number}"


class Participant(RandomlyNumbered):
    """One partner's consent to one study, their role and time zone, and their withdrawal."""

    class Withdrawal(models.TextChoices):
        KEEP = "keep", _("Keep what I have answered in the study")
        DELETE = "delete", _("Delete everything I have answered")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="participants")
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="study_participations"
    )
    role = models.CharField(max_length=1)  # "A": consented first, "B": the partner
    person_code = models.CharField(max_length=16)  # e.g. "3A"
    # RESTRICT: a consent text someone agreed to cannot be deleted while their record of it
    # stands; it goes only with the whole study (its researcher's account)
    consent_version = models.ForeignKey(ConsentVersion, on_delete=models.RESTRICT, related_name="+")
    consented_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64)  # the zone the prompts are planned in
    first_day = models.DateField(null=True, blank=True)  # study day 1, a local date
    seed = models.CharField(max_length=32, default=new_seed)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_choice = models.CharField(max_length=8, choices=Withdrawal.choices, blank=True)

    class Meta:
        ordering = ["study", "enrolment", "role"]
        constraints = [
            models.UniqueConstraint(fields=["study", "user"], name="one_participation_per_study"),
            models.UniqueConstraint(fields=["enrolment", "role"], name="one_participant_per_role"),
        ]

    def __str__(self) -> str:
        return self.person_code

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class PromptState(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    SENT = "sent", _("sent")
    OPENED = "opened", _("opened")
    SUBMITTED = "submitted", _("submitted")
    EXPIRED = "expired", _("expired")
    CANCELLED = "cancelled", _("cancelled")


OPEN_STATES = (PromptState.SCHEDULED, PromptState.SENT, PromptState.OPENED)


class Prompt(RandomlyNumbered):
    """One beep for one participant, planned at enrolment for the whole study."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="prompts")
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="prompts")
    day = models.PositiveSmallIntegerField()
    beep = models.PositiveSmallIntegerField()
    local_date = models.DateField()
    local_time = models.TimeField()
    time_zone = models.CharField(max_length=64)
    scheduled_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    state = models.CharField(
        max_length=10, choices=PromptState.choices, default=PromptState.SCHEDULED
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scheduled_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "day", "beep"], name="one_prompt_per_beep"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "scheduled_at"]),
            models.Index(fields=["study", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} day {self.day} beep {self.beep}"

    def grace_ends_at(self) -> dt.datetime:
        return self.closes_at + dt.timedelta(minutes=self.study.grace_minutes)

    def answer_by(self, now: dt.datetime) -> dt.datetime | None:
        """What the answer page counts down to: the window's end; once that has passed, the end
        of the grace period for a form opened in time; None when it is over."""
        if now < self.closes_at:
            return self.closes_at
        if self.opened_at is not None and self.opened_at < self.closes_at:
            end = self.grace_ends_at()
            return end if now < end else None
        return None

    def seconds_left(self, now: dt.datetime) -> int:
        end = self.answer_by(now)
        return max(int((end - now).total_seconds()), 0) if end else 0


# Reasons of moves that follow someone else's act, so their time is the partner's as much as the
# participant's: the second consent enrols the couple and plans both partners' prompts; an unpairing
# (by either) cancels them within a minute. A participant's export gives these as days.
REASON_PLANNED = "planned at enrolment"
REASON_UNPAIRED = "the couple unpaired"
REASONS_TIMED_BY_OTHERS = frozenset({REASON_PLANNED, REASON_UNPAIRED})


class PromptEvent(RandomlyNumbered):
    """One transition of one prompt: the delivery log."""

    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)  # a PromptState, or "reminded"/"rescheduled"
    reason = models.CharField(max_length=200)
    at = models.DateTimeField()
    logged_at = models.DateTimeField(default=timezone.now)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "logged_at", "id"]

    def __str__(self) -> str:
        return f"{self.prompt_id}: {self.from_state}→{self.to_state}"


class Response(PersonalRecord):
    """One participant's answers to one prompt. Private: only its author and, through the
    study's selectors, the researcher of the study it was given to."""

    prompt = models.OneToOneField(Prompt, on_delete=models.CASCADE, related_name="response")
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"response to prompt {self.prompt_id}"

    def value(self, name: str) -> Any:
        return self.answers.get(name)
