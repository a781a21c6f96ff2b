"""Writes for research mode: studies, consent and enrolment, planning, answering, withdrawing.

Every prompt transition goes through :func:`_move`, which locks the prompt, checks the state it
comes from and writes one ``PromptEvent``: two overlapping task runs, or a participant answering
while the task expires the prompt, can never both win. The rules of the windows are in
docs/research.md ("When a prompt expires").
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from counterpoint.accounts.models import User
from counterpoint.activity.services import notice_send
from counterpoint.couples.selectors import active_couple, partner_of
from counterpoint.operations.versions import person_scope, versions_bump
from counterpoint.privacy.kept import deleting_as
from counterpoint.research import schedules
from counterpoint.research.delivery import deliver_prompt
from counterpoint.research.measures import (
    ItemSpec,
    MeasureError,
    check_items,
    clean_answer,
)
from counterpoint.research.models import (
    OPEN_STATES,
    REASON_PLANNED,
    REASON_UNPAIRED,
    ConsentVersion,
    Enrolment,
    Item,
    Participant,
    Prompt,
    PromptEvent,
    PromptState,
    ResearcherProfile,
    Response,
    Study,
)

log = logging.getLogger("counterpoint.research")
S = PromptState


class PromptClosed(ValidationError):
    """The prompt can no longer be opened or answered (its window, or grace period, is over)."""


# -- researchers and studies ------------------------------------------------------------------------
def researcher_profile_save(
    *, user: User, name: str, institution: str, contact: str
) -> ResearcherProfile:
    """Create or update the person's researcher profile. It grants nothing by itself."""
    with transaction.atomic():
        profile, _created = ResearcherProfile.objects.update_or_create(
            user=user, defaults={"name": name, "institution": institution, "contact": contact}
        )
    return profile


def _check_settings(
    *,
    schedule: dict[str, Any],
    duration_days: int,
    window_minutes: int,
    grace_minutes: int,
    reminder_minutes: int | None,
    compliance_threshold: float,
) -> dict[str, Any]:
    try:
        parsed = schedules.parse(schedule)
    except schedules.ScheduleError as exc:
        raise ValidationError(str(exc)) from exc
    if not 1 <= duration_days <= 366:
        raise ValidationError(_("A study lasts from 1 to 366 days."))
    if not 1 <= window_minutes <= 24 * 60:
        raise ValidationError(_("The response window is from 1 minute to 24 hours."))
    if not 0 <= grace_minutes <= 120:
        raise ValidationError(_("The grace period is from 0 to 120 minutes."))
    if reminder_minutes is not None and not 0 < reminder_minutes < window_minutes:
        raise ValidationError(
            _("A reminder goes inside the window: after 1 minute, before it ends.")
        )
    if not 0.0 <= compliance_threshold <= 1.0:
        raise ValidationError(_("The compliance threshold is a share from 0 to 1."))
    return {
        "schedule": schedules.as_json(parsed),
        "duration_days": duration_days,
        "window_minutes": window_minutes,
        "grace_minutes": grace_minutes,
        "reminder_minutes": reminder_minutes,
        "compliance_threshold": compliance_threshold,
    }


def _items_save(study: Study, items: list[ItemSpec]) -> None:
    try:
        checked = check_items(items)
    except MeasureError as exc:
        raise ValidationError(str(exc)) from exc
    study.items.all().delete()
    Item.objects.bulk_create(
        Item(
            study=study,
            position=i,
            name=spec.name,
            kind=spec.kind,
            label=spec.label.strip(),
            low_label=spec.low_label,
            high_label=spec.high_label,
            choices=list(spec.choices),
        )
        for i, spec in enumerate(checked, start=1)
    )


def study_create(
    *,
    researcher: User,
    title: str,
    description: str,
    consent_text: str,
    items: list[ItemSpec],
    schedule: dict[str, Any],
    duration_days: int,
    compliance_threshold: float = 0.8,
    window_minutes: int = 30,
    grace_minutes: int = 5,
    reminder_minutes: int | None = None,
) -> Study:
    """A new study in draft, with consent version 1. Only people with a researcher profile."""
    if not ResearcherProfile.objects.filter(user=researcher).exists():
        raise ValidationError(_("Set up your researcher profile first."))
    if not consent_text.strip():
        raise ValidationError(_("Write the consent text participants agree to."))
    fields = _check_settings(
        schedule=schedule,
        duration_days=duration_days,
        window_minutes=window_minutes,
        grace_minutes=grace_minutes,
        reminder_minutes=reminder_minutes,
        compliance_threshold=compliance_threshold,
    )
    with transaction.atomic():
        study = Study.objects.create(
            researcher=researcher, title=title.strip(), description=description.strip(), **fields
        )
        ConsentVersion.objects.create(study=study, version=1, text=consent_text.strip())
        _items_save(study, items)
    return study


def study_has_enrolments(study: Study) -> bool:
    return study.participants.exists()


def study_update(
    *,
    study: Study,
    title: str,
    description: str,
    consent_text: str,
    items: list[ItemSpec] | None = None,
    schedule: dict[str, Any] | None = None,
    duration_days: int | None = None,
    compliance_threshold: float | None = None,
    window_minutes: int | None = None,
    grace_minutes: int | None = None,
    reminder_minutes: int | None = None,
) -> Study:
    """Change a study. Title, description, consent text and threshold can always change (a changed
    consent text is a new version); the measures, schedule, duration and windows only until the
    first partner consents (after that they would change a study people agreed to)."""
    with transaction.atomic():
        study = Study.objects.select_for_update().get(pk=study.pk)
        started = study_has_enrolments(study)
        fields = _check_settings(
            schedule=schedule if schedule is not None else study.schedule,
            duration_days=duration_days if duration_days is not None else study.duration_days,
            window_minutes=window_minutes if window_minutes is not None else study.window_minutes,
            grace_minutes=grace_minutes if grace_minutes is not None else study.grace_minutes,
            reminder_minutes=reminder_minutes,
            compliance_threshold=(
                compliance_threshold
                if compliance_threshold is not None
                else study.compliance_threshold
            ),
        )
        if started:
            # the schedule compared as what it plans: prompts were planned from it at enrolment
            changed = [
                name
                for name in ("duration_days", "window_minutes", "grace_minutes")
                if fields[name] != getattr(study, name)
            ]
            if schedules.parse(fields["schedule"]) != _stored_schedule(study):
                changed.append("schedule")
            if items is not None and check_items_or_error(items) != _item_specs(study):
                changed.append("items")
            if changed:
                raise ValidationError(
                    _(
                        "Couples have already consented to this study: its measures, schedule, "
                        "duration and windows can no longer change."
                    )
                )
        shown_before = (study.title, study.description)
        study.title = title.strip()
        study.description = description.strip()
        for name, value in fields.items():
            setattr(study, name, value)
        study.save()
        if (study.title, study.description) != shown_before:
            # participants' own pages show the title (home's waiting question, "my studies"):
            # the study row names only its researcher, so say it to each participant here
            users = Participant.objects.filter(study=study).values_list("user_id", flat=True)
            versions_bump(scopes=[person_scope(pk) for pk in users])
        consent_text_update(study=study, text=consent_text)
        if items is not None and not started:
            _items_save(study, items)
    return study


def _stored_schedule(study: Study) -> schedules.Schedule | None:
    try:
        return study.parsed_schedule()
    except schedules.ScheduleError:
        return None


def check_items_or_error(items: list[ItemSpec]) -> list[ItemSpec]:
    try:
        return check_items(items)
    except MeasureError as exc:
        raise ValidationError(str(exc)) from exc


def _item_specs(study: Study) -> list[ItemSpec]:
    return [
        ItemSpec(i.name, i.kind, i.label, i.low_label, i.high_label, tuple(i.choices))
        for i in study.items.all()
    ]


def consent_text_update(*, study: Study, text: str) -> ConsentVersion:
    """The current consent version; a new one when the text changed."""
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the consent text participants agree to."))
    with transaction.atomic():
        current = study.consent_versions.select_for_update().order_by("-version").first()
        if current is not None and current.text == text:
            return current
        return ConsentVersion.objects.create(
            study=study, version=(current.version + 1) if current else 1, text=text
        )


def studies_end_with_researcher(*, researcher: User) -> int:
    """The researcher's account is being deleted, and their studies with it. Each participant
    still taking part is told, once per study; what they gave the study stays theirs in their
    export (``privacy.kept``: the deletion keeps their consents, prompts, log and answers for
    them). Their pages stop showing the study. Returns how many were told."""
    told = 0
    participants = (
        Participant.objects.filter(study__researcher=researcher, withdrawn_at__isnull=True)
        .exclude(user=researcher)
        .select_related("user", "study")
    )
    for participant in participants:
        notice_send(
            recipient=participant.user,
            kind="study_ended",
            message=_(
                "The study \u201c%(title)s\u201d has ended: its researcher closed their "
                "Counterpoint account, and the study went with it. Nothing more will be asked of "
                "you. What you answered stays yours: it is in your export, under My data."
            )
            % {"title": participant.study.title},
            link=reverse("accounts:my_data"),
        )
        told += 1
    users = Participant.objects.filter(study__researcher=researcher).values_list(
        "user_id", flat=True
    )
    versions_bump(scopes=[person_scope(pk) for pk in set(users)])
    return told


# A researcher's account with more prompts than settings.ACCOUNT_DELETE_IN_REQUEST_ROWS is deleted
# by the task runner, this many couples' participations to a transaction (accounts/deletion.py).
ENROLMENTS_PER_BATCH = 10


def studies_size(researcher: User) -> int:
    """How much deleting the researcher's studies deletes, counted in prompts (each with its log
    rows and, answered, an answer)."""
    return Prompt.objects.filter(study__researcher=researcher).count()


def studies_stop(researcher: User) -> None:
    """The researcher closed their account and their studies are about to be deleted by the task
    runner: each participant still taking part is told now, nothing more is sent, and no couple
    can join."""
    studies_end_with_researcher(researcher=researcher)
    Study.objects.filter(researcher=researcher).update(status=Study.Status.CLOSED)


def studies_batches(researcher: User) -> Iterator[QuerySet[Enrolment]]:
    """What is left of the researcher's studies, a few couples' participations at a time (each
    with its participants' consents, prompts, log and answers). Each batch is read when it is
    deleted, so a batch someone else deleted meanwhile is simply empty."""
    for study_pk in Study.objects.filter(researcher=researcher).values_list("pk", flat=True):
        enrolments = list(
            Enrolment.objects.filter(study_id=study_pk).order_by("pk").values_list("pk", flat=True)
        )
        for start in range(0, len(enrolments), ENROLMENTS_PER_BATCH):
            yield Enrolment.objects.filter(pk__in=enrolments[start : start + ENROLMENTS_PER_BATCH])


def study_set_status(*, study: Study, status: str) -> Study:
    if status not in Study.Status.values:
        raise ValidationError(_("Choose draft, open or closed."))
    Study.objects.filter(pk=study.pk).update(status=status)
    study.status = status
    # what participants' pages show of the study (their prompts) changes with its status
    users = Participant.objects.filter(study=study).values_list("user_id", flat=True)
    versions_bump(scopes=[person_scope(pk) for pk in users])
    return study


# -- consent and enrolment --------------------------------------------------------------------------
def study_consent(
    *, user: User, study: Study, consent_version: int, now: dt.datetime | None = None
) -> Participant:
    """One partner's consent to the version of the text they read. The couple is enrolled (and both
    partners' prompts planned) when the second partner consents."""
    now = now or timezone.now()
    couple = active_couple(user)
    if couple is None:
        raise ValidationError(_("Studies here are for couples. Pair with your partner first."))
    if user.pk == study.researcher_id:
        raise ValidationError(_("You run this study, so you can't take part in it."))
    with transaction.atomic():
        study = Study.objects.select_for_update().get(pk=study.pk)
        if study.status != Study.Status.RECRUITING:
            raise ValidationError(_("This study is not taking new couples."))
        current = study.current_consent()
        if current is None or current.version != consent_version:
            raise ValidationError(
                _("The consent text changed while you were reading. Please read it again.")
            )
        if Participant.objects.filter(study=study, user=user).exists():
            raise ValidationError(_("You have already answered this study's invitation."))
        enrolment = Enrolment.objects.filter(study=study, couple=couple).first()
        if enrolment is None:
            number = Enrolment.objects.filter(study=study).count() + 1
            enrolment = Enrolment.objects.create(
                study=study, couple=couple, number=number, created_at=now
            )
        others = list(enrolment.participants.all())
        if len(others) >= 2:
            raise ValidationError(_("Both places for your couple are taken."))
        role = "B" if others else "A"
        participant = Participant.objects.create(
            enrolment=enrolment,
            study=study,
            user=user,
            role=role,
            person_code=f"{enrolment.number}{role}",
            consent_version=current,
            consented_at=now,
            time_zone=user.tzinfo.key,  # a zone name that is not a zone counts as UTC
        )
        if others:
            enrolment.enrolled_at = now
            enrolment.save(update_fields=["enrolled_at"])
            for member in [*others, participant]:
                if member.active:
                    prompts_plan(participant=member, now=now)
    partner = partner_of(user)
    if partner is not None and not others:
        notice_send(
            recipient=partner,
            kind="study_invited",
            message=_(
                "%(name)s agreed to take part in a study, “%(title)s”. It starts once you agree "
                "too; whether you do is your own choice."
            )
            % {"name": user.display_name, "title": study.title},
            link=reverse("research:join", args=[study.code]),
        )
    elif others:
        # The one who consents now hears the same whether the partner is still in or has left
        # (leaving tells the partner nothing); the one who consented first hears that both are
        # in, unless they have left since (then they hear nothing of the study).
        told = [(user, _("You are in “%(title)s”. The first prompts come tomorrow."))]
        told += [
            (m.user, _("You are both in “%(title)s”. The first prompts come tomorrow."))
            for m in others
            if m.active
        ]
        for recipient, message in told:
            notice_send(
                recipient=recipient,
                kind="study_enrolled",
                message=message % {"title": study.title},
                link=reverse("research:mine"),
            )
    return participant


def prompts_plan(*, participant: Participant, now: dt.datetime) -> int:
    """Plan every prompt of the study for one participant, in their zone; day 1 is tomorrow."""
    study = participant.study
    tz = ZoneInfo(participant.time_zone)
    first_day = now.astimezone(tz).date() + dt.timedelta(days=1)
    participant.first_day = first_day
    participant.save(update_fields=["first_day"])
    window = dt.timedelta(minutes=study.window_minutes)
    beeps = schedules.plan(
        study.parsed_schedule(),
        first_day=first_day,
        days=study.duration_days,
        tz=tz,
        seed=participant.seed,
    )
    prompts = Prompt.objects.bulk_create(
        Prompt(
            participant=participant,
            study=study,
            day=b.day,
            beep=b.beep,
            local_date=b.local_date,
            local_time=b.local_time,
            time_zone=participant.time_zone,
            scheduled_at=b.at,
            closes_at=b.at + window,
        )
        for b in beeps
    )
    PromptEvent.objects.bulk_create(
        PromptEvent(
            prompt=p,
            from_state="",
            to_state=S.SCHEDULED,
            reason=REASON_PLANNED,
            at=now,
            detail={"time_zone": participant.time_zone},
        )
        for p in prompts
    )
    return len(prompts)


def participant_time_zone_sync(*, participant: Participant, now: dt.datetime) -> int:
    """After the participant changed their time zone: move the prompts still ahead to the same
    wall-clock times in the new zone (a prompt whose new time would already have passed keeps its
    old one). Returns how many moved."""
    new_zone = participant.user.tzinfo.key
    if new_zone == participant.time_zone:
        return 0
    tz = ZoneInfo(new_zone)
    window = dt.timedelta(minutes=participant.study.window_minutes)
    moved = 0
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        if locked.time_zone == new_zone:
            return 0
        ahead = list(
            Prompt.objects.select_for_update().filter(
                participant=locked, state=S.SCHEDULED, scheduled_at__gt=now
            )
        )
        beeps = {
            p.pk: schedules.Beep(p.day, p.beep, p.local_date, p.local_time, p.scheduled_at)
            for p in ahead
        }
        new_at = {
            b.day * 1000 + b.beep: at
            for b, at in schedules.replan(list(beeps.values()), tz=tz, now=now)
        }
        for prompt in ahead:
            at = new_at.get(prompt.day * 1000 + prompt.beep)
            if at is None:
                continue
            old = prompt.scheduled_at
            prompt.scheduled_at, prompt.closes_at, prompt.time_zone = at, at + window, new_zone
            prompt.save(update_fields=["scheduled_at", "closes_at", "time_zone"])
            PromptEvent.objects.create(
                prompt=prompt,
                from_state=S.SCHEDULED,
                to_state="rescheduled",
                reason=f"time zone changed from {locked.time_zone} to {new_zone}",
                at=now,
                detail={"old": old.isoformat(), "new": at.isoformat()},
            )
            moved += 1
        locked.time_zone = new_zone
        locked.save(update_fields=["time_zone"])
    participant.time_zone = new_zone
    return moved


def participant_withdraw(
    *, participant: Participant, choice: str, now: dt.datetime | None = None
) -> Participant:
    """Leave the study at once. Prompts stop (open ones are cancelled); with "delete", every prompt,
    event and answer of this participant is removed, and only the consent record remains."""
    now = now or timezone.now()
    if choice not in Participant.Withdrawal.values:
        raise ValidationError(_("Choose whether to keep or delete what you answered."))
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        if locked.withdrawn_at is not None:
            return locked
        locked.withdrawn_at, locked.withdrawal_choice = now, choice
        locked.save(update_fields=["withdrawn_at", "withdrawal_choice"])
        if choice == Participant.Withdrawal.DELETE:
            with deleting_as(locked.user):  # their own: nothing of it is kept (privacy.kept)
                Response.objects.filter(prompt__participant=locked).delete()
                Prompt.objects.filter(participant=locked).delete()  # events go with them
        else:
            for pk in Prompt.objects.filter(participant=locked, state__in=OPEN_STATES).values_list(
                "pk", flat=True
            ):
                _move(pk, OPEN_STATES, S.CANCELLED, "participant withdrew", now)
    return locked


# -- the life of a prompt ---------------------------------------------------------------------------
def _move(
    pk: int,
    sources: Iterable[str],
    to_state: str,
    reason: str,
    at: dt.datetime,
    *,
    set_state: bool = True,
    **fields: Any,
) -> Prompt | None:
    """Lock one prompt; when its state is one of ``sources``, apply the change and log it.
    Returns the prompt when it moved, None when it was not in a source state (someone else won)."""
    with transaction.atomic():
        prompt = Prompt.objects.select_for_update().filter(pk=pk).first()
        if prompt is None or prompt.state not in set(sources):
            return None
        before = prompt.state
        if set_state:
            prompt.state = to_state
            fields["state"] = to_state
        for name, value in fields.items():
            setattr(prompt, name, value)
        prompt.save(update_fields=list(fields))
        PromptEvent.objects.create(
            prompt=prompt, from_state=before, to_state=to_state, reason=reason, at=at
        )
    return prompt


def _expire_if_over(prompt: Prompt, now: dt.datetime) -> bool:
    """Expire a prompt whose time is up; True when it is (now or already) expired."""
    if prompt.state == S.EXPIRED:
        return True
    if prompt.state in (S.SCHEDULED, S.SENT) and now >= prompt.closes_at:
        reason = (
            "window closed before it could be sent"
            if prompt.state == S.SCHEDULED
            else "window closed, not opened"
        )
        _move(
            prompt.pk,
            (prompt.state,),
            S.EXPIRED,
            reason,
            prompt.closes_at,
            expired_at=prompt.closes_at,
        )
        return True
    if prompt.state == S.OPENED and now >= prompt.grace_ends_at():
        end = prompt.grace_ends_at()
        _move(
            prompt.pk,
            (S.OPENED,),
            S.EXPIRED,
            "opened in time, not submitted within the grace period",
            end,
            expired_at=end,
        )
        return True
    return False


def prompt_open(*, prompt: Prompt, now: dt.datetime | None = None) -> Prompt:
    """The participant opened the form. Allowed from the scheduled time until the window closes;
    opening again changes nothing. Raises PromptClosed once it is over."""
    now = now or timezone.now()
    if prompt.participant.enrolment.couple.ended_at is not None:
        prompts_stop_for_ended_couples(now=now)
        raise PromptClosed(_("This study has stopped for you: you are no longer paired."))
    if prompt.state in (S.OPENED,):
        if _expire_if_over(prompt, now):
            raise PromptClosed(_("The time to answer this prompt is over."))
        return prompt
    if prompt.state not in (S.SENT, S.SCHEDULED) or _expire_if_over(prompt, now):
        raise PromptClosed(_("The time to answer this prompt is over."))
    if now < prompt.scheduled_at:
        raise PromptClosed(_("This prompt is not open yet."))
    if prompt.state == S.SCHEDULED:
        # The participant got there before the task did (e.g. from "my studies"): record both.
        _move(
            prompt.pk, (S.SCHEDULED,), S.SENT, "shown in the app before delivery", now, sent_at=now
        )
    moved = _move(prompt.pk, (S.SENT,), S.OPENED, "form opened", now, opened_at=now)
    if moved is None:
        prompt.refresh_from_db()
        if prompt.state != S.OPENED:
            raise PromptClosed(_("The time to answer this prompt is over."))
        return prompt
    return moved


def prompt_submit(
    *, prompt: Prompt, answers: dict[str, Any], now: dt.datetime | None = None
) -> Response:
    """Record the participant's answers. In time: before the window closes, or, for a form opened
    before it closed, within the grace period after. Raises PromptClosed after that, and
    ValidationError (nothing saved) for an answer out of range."""
    now = now or timezone.now()
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for item in prompt.study.items.all():
        try:
            cleaned[item.name] = clean_answer(
                kind=item.kind,
                name=item.name,
                raw=answers.get(item.name),
                choices=len(item.choices),
            )
        except ValueError as exc:
            errors[item.name] = str(exc)
    if errors:
        raise ValidationError(errors)
    if prompt.state in (S.SCHEDULED, S.SENT):
        prompt = prompt_open(prompt=prompt, now=now)
    if prompt.state != S.OPENED or _expire_if_over(prompt, now):
        raise PromptClosed(_("The time to answer this prompt is over."))
    participant = prompt.participant
    with transaction.atomic():
        moved = _move(
            prompt.pk, (S.OPENED,), S.SUBMITTED, _submit_reason(prompt, now), now, submitted_at=now
        )
        if moved is None:
            raise PromptClosed(_("This prompt was already answered or has closed."))
        response = Response(
            prompt=moved,
            study=moved.study,
            answers=cleaned,
            author=participant.user,
            created_at=now,
        )
        response.couple = participant.enrolment.couple
        response.save()
    return response


def _submit_reason(prompt: Prompt, now: dt.datetime) -> str:
    return "submitted in the window" if now < prompt.closes_at else "submitted in the grace period"


def prompts_expire(*, now: dt.datetime) -> int:
    """Expire every prompt whose time is up (idempotent)."""
    count = 0
    due = (
        Prompt.objects.filter(
            Q(state__in=(S.SCHEDULED, S.SENT), closes_at__lte=now) | Q(state=S.OPENED)
        )
        # a closed account's studies wait, as they are, for the task runner to delete them
        .filter(study__researcher__is_active=True)
        .select_related("study")
    )
    for prompt in due:
        if prompt.state == S.OPENED and now < prompt.grace_ends_at():
            continue
        if _expire_if_over(prompt, now):
            count += 1
    return count


def prompts_send_due(*, now: dt.datetime, deliver: bool = True) -> int:
    """Send every prompt whose time has come and whose window is still open (idempotent).
    ``deliver=False`` records the sending without a push or email (the demo's history)."""
    sent = 0
    due = Prompt.objects.filter(
        state=S.SCHEDULED,
        scheduled_at__lte=now,
        closes_at__gt=now,
        participant__withdrawn_at__isnull=True,
        participant__enrolment__couple__ended_at__isnull=True,
        study__researcher__is_active=True,  # a closed account's studies have ended
    ).select_related("participant__user", "study")
    for prompt in due:
        moved = _move(prompt.pk, (S.SCHEDULED,), S.SENT, "sent", now, sent_at=now)
        if moved is None:
            continue
        if deliver:
            deliver_prompt(prompt=moved, reminder=False, now=now)
        sent += 1
    return sent


def prompts_remind(*, now: dt.datetime, deliver: bool = True) -> int:
    """One reminder for a sent prompt not yet opened, ``reminder_minutes`` into its window."""
    reminded = 0
    due = Prompt.objects.filter(
        state=S.SENT,
        reminded_at__isnull=True,
        closes_at__gt=now,
        study__reminder_minutes__isnull=False,
        participant__withdrawn_at__isnull=True,
        participant__enrolment__couple__ended_at__isnull=True,
        study__researcher__is_active=True,  # a closed account's studies have ended
    ).select_related("study")
    for prompt in due:
        assert prompt.study.reminder_minutes is not None
        if now < prompt.scheduled_at + dt.timedelta(minutes=prompt.study.reminder_minutes):
            continue
        with transaction.atomic():
            claimed = Prompt.objects.filter(
                pk=prompt.pk, state=S.SENT, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            PromptEvent.objects.create(
                prompt=prompt,
                from_state=S.SENT,
                to_state="reminded",
                reason="reminder in the window",
                at=now,
            )
        if deliver:
            deliver_prompt(prompt=prompt, reminder=True, now=now)
        reminded += 1
    return reminded


def prompts_stop_for_ended_couples(*, now: dt.datetime) -> int:
    """A couple that unpaired gets no more prompts (asking about a partner after a parting would
    hurt). What they answered stays as it is; each may still leave and choose keep or delete."""
    stopped = 0
    pending = Prompt.objects.filter(
        state__in=OPEN_STATES, participant__enrolment__couple__ended_at__isnull=False
    ).values_list("pk", flat=True)
    for pk in list(pending):
        if _move(pk, OPEN_STATES, S.CANCELLED, REASON_UNPAIRED, now):
            stopped += 1
    return stopped


def time_zones_sync(*, now: dt.datetime) -> int:
    moved = 0
    changed = (
        Participant.objects.filter(
            withdrawn_at__isnull=True, first_day__isnull=False, study__researcher__is_active=True
        )
        .exclude(time_zone=F("user__time_zone"))
        .select_related("user", "study")
    )
    for participant in changed:
        moved += participant_time_zone_sync(participant=participant, now=now)
    return moved


def prompts_tick(*, now: dt.datetime | None = None, deliver: bool = True) -> dict[str, int]:
    """What the task runner does every minute: stop the prompts of couples that unpaired, follow
    time-zone changes, expire what is over, send what is due, remind inside windows. Safe to run
    twice, or two at once."""
    now = now or timezone.now()
    result = {
        "stopped": prompts_stop_for_ended_couples(now=now),
        "rescheduled": time_zones_sync(now=now),
        "expired": prompts_expire(now=now),
        "sent": prompts_send_due(now=now, deliver=deliver),
        "reminded": prompts_remind(now=now, deliver=deliver),
    }
    if any(result.values()):
        log.info("research prompts at %s: %s", now.isoformat(), result)
    return result
