"""Writes for check-ins, the daily question, weekly reflections, settings and reminders."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from counterpoint.accounts.models import User
from counterpoint.activity.services import notice_send
from counterpoint.checkins.models import (
    CLOSENESS_MAX,
    CLOSENESS_MIN,
    MINUTES_MAX,
    SCALE_MAX,
    SCALE_MIN,
    CheckIn,
    CheckInSettings,
    DailyQuestion,
    QuestionAnswer,
    Slot,
    SoughtSupport,
    WeeklyReflection,
    week_start_of,
)
from counterpoint.checkins.questions import question_for
from counterpoint.checkins.selectors import (
    get_couple_question_or_none,
    question_view,
    settings_for,
)
from counterpoint.couples.selectors import active_couple, partner_of
from counterpoint.privacy import access
from counterpoint.privacy.models import Visibility
from counterpoint.submissions import submitted_before

CHECKIN_VALUE_FIELDS = (
    "mood",
    "energy",
    "stress",
    "closeness",
    "sought_support",
    "gave_support",
    "me_minutes",
    "we_minutes",
    "note",
    "journal_line",
)
_RANGES = {
    "mood": (SCALE_MIN, SCALE_MAX),
    "energy": (SCALE_MIN, SCALE_MAX),
    "stress": (SCALE_MIN, SCALE_MAX),
    "closeness": (CLOSENESS_MIN, CLOSENESS_MAX),
    "me_minutes": (0, MINUTES_MAX),
    "we_minutes": (0, MINUTES_MAX),
}


class StaleEdit(ValidationError):
    """An edit made (offline) before the saved version it would replace."""


def allowed_days(user: User) -> tuple[dt.date, dt.date]:
    """Check-ins are for today or yesterday (the person's local days): missed days stay missed."""
    today = user.local_today()
    return today - dt.timedelta(days=1), today


def _check_day(user: User, day: dt.date) -> None:
    first, last = allowed_days(user)
    if day > last:
        raise ValidationError(_("You can't check in for a day that hasn't happened yet."))
    if day < first:
        raise ValidationError(
            _("Check-ins can only be made for today or yesterday, so your history stays honest.")
        )


def _check_values(values: dict[str, Any]) -> None:
    """Every answer is optional (None, or "" for support, is "not answered"); a given one must fit."""
    for field, (low, high) in _RANGES.items():
        value = values.get(field)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise ValidationError(
                _("%(field)s must be a whole number from %(low)s to %(high)s.")
                % {"field": field.replace("_", " "), "low": low, "high": high}
            )
    if values.get("sought_support") not in ("", None, *SoughtSupport.values):
        raise ValidationError(_("Choose one of the support answers."))


def checkin_is_empty(values: dict[str, Any]) -> bool:
    """True when nothing at all was answered or written (such a check-in is not saved)."""
    return all(values.get(f) in (None, "", False) for f in CHECKIN_VALUE_FIELDS)


@transaction.atomic
def checkin_submit(
    *,
    user: User,
    day: dt.date,
    values: dict[str, Any],
    slot: int = Slot.DAY,
    submission_key: str = "",
    edited_at: dt.datetime | None = None,
) -> CheckIn:
    """Save the person's check-in for ``day`` (today or yesterday); a second one for the same day
    and slot edits the first. All or nothing. The same form sent again (``submission_key`` seen
    before for this check-in: a double tap, an offline queue replaying) changes nothing.

    ``edited_at``: when the person made this edit, if earlier than now (an offline queue sending
    it later). When the check-in was saved after that, this older edit is refused
    (:class:`StaleEdit`): a phone coming back online never overwrites what was saved since."""
    replayed = submitted_before(user=user, model=CheckIn, key=submission_key)
    if replayed is not None:
        return replayed
    _check_day(user, day)
    if slot not in Slot.values:
        raise ValidationError(_("Unknown check-in time."))
    if slot == Slot.EVENING and not settings_for(user).twice_daily:
        raise ValidationError(_("Evening check-ins are off; turn them on in check-in settings."))
    _check_values(values)
    checkin = CheckIn.objects.select_for_update().filter(author=user, day=day, slot=slot).first()
    if checkin is not None and edited_at is not None and checkin.updated_at > edited_at:
        raise StaleEdit(
            _(
                "This check-in was written on this device before the one saved since "
                "(%(saved)s), so it was not applied. Nothing was lost: the newer one stays."
            )
            % {"saved": formats.time_format(timezone.localtime(checkin.updated_at))}
        )
    if checkin is None:
        checkin = CheckIn(day=day, slot=slot, visibility=Visibility.PARTNER)
        access.stamp_new_record(user, checkin)
    for field in CHECKIN_VALUE_FIELDS:
        setattr(checkin, field, values.get(field, getattr(checkin, field)))
    checkin.sought_support = checkin.sought_support or ""
    checkin.note = (checkin.note or "").strip()
    checkin.journal_line = (checkin.journal_line or "").strip()
    if checkin.pk is None:
        checkin.submission_key = submission_key  # the form that made it; edits keep it
    checkin.save()
    return checkin


# -- the daily question ---------------------------------------------------------------------------
def daily_question_get(*, user: User, day: dt.date | None = None) -> DailyQuestion | None:
    """The couple's question for the person's day (created on first ask); None when not paired."""
    couple = active_couple(user)
    if couple is None:
        return None
    day = day or user.local_today()
    found = DailyQuestion.objects.filter(couple=couple, day=day).first()
    if found is not None:
        return found
    recent = set(
        DailyQuestion.objects.filter(couple=couple)
        .order_by("-day")
        .values_list("question_key", flat=True)[:120]
    )
    question = question_for(couple.pk, day.toordinal(), recent)
    try:
        with transaction.atomic():
            return DailyQuestion.objects.create(couple=couple, day=day, question_key=question.key)
    except IntegrityError:  # the partner asked at the same moment
        return DailyQuestion.objects.get(couple=couple, day=day)


@transaction.atomic
def question_answer(
    *, user: User, question_pk: int, text: str, skip: bool = False
) -> QuestionAnswer:
    """Answer (or skip) one of the couple's daily questions, from today or yesterday. An answer can
    be changed until both answers are revealed."""
    daily = get_couple_question_or_none(user, question_pk)
    if daily is None:
        raise ValidationError(_("That question isn't one of yours, so nothing was saved."))
    first, last = allowed_days(user)
    if not first <= daily.day <= last + dt.timedelta(days=1):
        raise ValidationError(_("That question is closed now; you can read it in the history."))
    text = (text or "").strip()
    if not skip and not text:
        raise ValidationError(_("Write an answer first, or choose to skip today's question."))
    before = question_view(user, daily)
    if before.revealed:
        raise ValidationError(_("Both answers are already shown, so yours can't change now."))
    answer = before.mine
    if answer is None:
        answer = QuestionAnswer(question=daily, visibility=Visibility.PARTNER)
        access.stamp_new_record(user, answer)
    answer.text = "" if skip else text
    answer.skipped = skip
    answer.save()
    partner = partner_of(user)
    if partner is not None and not skip and before.partner_answered:
        notice_send(
            recipient=partner,
            kind="question_revealed",
            message=_("%(name)s answered today's question too: both answers are showing.")
            % {"name": user.display_name},
            link=reverse("checkins:question"),
        )
    return answer


# -- the whole day in one form ---------------------------------------------------------------------
@transaction.atomic
def checkin_day_submit(
    *,
    user: User,
    day: dt.date,
    values: dict[str, Any],
    slot: int = Slot.DAY,
    question_pk: int | None = None,
    answer: str = "",
    skip_question: bool = False,
    submission_key: str = "",
    edited_at: dt.datetime | None = None,
) -> tuple[CheckIn | None, QuestionAnswer | None]:
    """Save the check-in and today's answer together, all or nothing, so that saving one never
    discards words typed in the other. An untouched check-in is not saved at all (no made-up
    values); nothing answered anywhere is refused with a message. The same form sent again (an
    offline queue replaying, a double tap) changes nothing."""
    replayed = submitted_before(user=user, model=CheckIn, key=submission_key)
    if replayed is not None:
        return replayed, None
    checkin = None
    existing = CheckIn.objects.filter(author=user, day=day, slot=slot).exists()
    if existing or not checkin_is_empty(values):
        checkin = checkin_submit(
            user=user,
            day=day,
            values=values,
            slot=slot,
            submission_key=submission_key,
            edited_at=edited_at,
        )
    saved_answer = None
    if question_pk is not None and ((answer or "").strip() or skip_question):
        saved_answer = question_answer(
            user=user, question_pk=question_pk, text=answer, skip=skip_question
        )
    if checkin is None and saved_answer is None:
        raise ValidationError(
            _(
                "Nothing was saved: every question is still unanswered. Answer any one, or write a note."
            )
        )
    return checkin, saved_answer


# -- weekly reflection ----------------------------------------------------------------------------
@transaction.atomic
def reflection_submit(
    *,
    user: User,
    week_start: dt.date,
    life_satisfaction: int,
    relationship_satisfaction: int,
    helped: str = "",
) -> WeeklyReflection:
    """Save this week's (or last week's) reflection; a second one for the same week edits it."""
    this_week = week_start_of(user.local_today())
    if week_start not in (this_week, this_week - dt.timedelta(days=7)):
        raise ValidationError(_("Reflections are for this week or last week only."))
    for value in (life_satisfaction, relationship_satisfaction):
        if not isinstance(value, int) or not SCALE_MIN <= value <= SCALE_MAX:
            raise ValidationError(_("Ratings go from 0 to 10."))
    found = WeeklyReflection.objects.select_for_update().filter(author=user, week_start=week_start)
    reflection = found.first()
    if reflection is None:
        reflection = WeeklyReflection(week_start=week_start, visibility=Visibility.PARTNER)
        access.stamp_new_record(user, reflection)
    reflection.life_satisfaction = life_satisfaction
    reflection.relationship_satisfaction = relationship_satisfaction
    reflection.helped = (helped or "").strip()
    reflection.save()
    return reflection


# -- settings and reminders -----------------------------------------------------------------------
@transaction.atomic
def checkin_settings_update(*, user: User, values: dict[str, Any]) -> CheckInSettings:
    current, _created = CheckInSettings.objects.get_or_create(user=user)
    for field, value in values.items():
        setattr(current, field, value)
    if current.reminder_time is None:
        current.reminder_email = False  # no reminder, so none by email (docs/conventions.md)
    current.save()
    return current
