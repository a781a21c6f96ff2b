"""The repair flow's steps. Each checks the stage so that a stale tab gets a clear message."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from counterpoint.accounts.models import User
from counterpoint.activity.services import notice_send, notices_answered, notices_moot
from counterpoint.couples.selectors import active_couple, partner_of
from counterpoint.practices.repair.models import (
    Repair,
    RepairClosing,
    RepairReflection,
    RepairShare,
)
from counterpoint.practices.repair.selectors import stage_of
from counterpoint.privacy import access
from counterpoint.privacy.models import Visibility
from counterpoint.submissions import save_once


def _link(repair: Repair) -> str:
    return reverse("repair:detail", args=[repair.pk])


def _tell_partner(
    user: User, repair: Repair, kind: str, message: str, *, needs_answer: bool
) -> None:
    # Whatever this person was asked about this repair, they have now acted on it.
    notices_answered(user=user, about=repair)
    partner = partner_of(user)
    if partner is not None:
        notice_send(
            recipient=partner,
            kind=kind,
            message=message % {"name": user.display_name},
            link=_link(repair),
            needs_answer=needs_answer,
            about=repair,
        )


def _lock(repair: Repair, expected_stage: str) -> Repair:
    locked = Repair.objects.select_for_update().get(pk=repair.pk)
    if stage_of(locked) != expected_stage:
        raise ValidationError(
            _("This repair has moved on (perhaps from another tab). Here is where it stands now.")
        )
    return locked


def repair_start(*, user: User, topic: str, submission_key: str = "") -> tuple[Repair, bool]:
    if active_couple(user) is None:
        raise ValidationError(_("A repair takes two. Pair with your partner first."))

    def create() -> Repair:
        repair = Repair(topic=topic, visibility=Visibility.COUPLE, submission_key=submission_key)
        access.stamp_new_record(user, repair)
        repair.save()
        return repair

    repair, created = save_once(user=user, model=Repair, key=submission_key, create=create)
    if not created:
        return repair, False
    _tell_partner(
        user,
        repair,
        "repair_started",
        _("%(name)s would like to repair things with you, when you're ready."),
        needs_answer=True,
    )
    return repair, True


def repair_share(*, user: User, repair: Repair, feeling: str, need: str) -> RepairShare:
    with transaction.atomic():
        locked = _lock(repair, "share")
        if RepairShare.objects.filter(repair=locked, author=user).exists():
            raise ValidationError(_("You have already written your side; it is kept as it was."))
        try:
            with transaction.atomic():
                share = RepairShare.objects.create(
                    repair=locked, author=user, feeling=feeling, need=need
                )
        except IntegrityError as exc:
            raise ValidationError(
                _("You have already written your side; it is kept as it was.")
            ) from exc
        both = RepairShare.objects.filter(repair=locked).count() >= 2
    if both:
        _tell_partner(
            user,
            locked,
            "repair_revealed",
            _("You have both written your side. You can read each other's now."),
            needs_answer=True,
        )
    else:
        _tell_partner(
            user,
            locked,
            "repair_shared",
            _("%(name)s has written their side. It stays hidden until you've written yours."),
            needs_answer=True,
        )
    return share


def repair_reflect(*, user: User, repair: Repair, text: str) -> RepairReflection:
    with transaction.atomic():
        locked = _lock(repair, "reflect")
        mine = RepairReflection.objects.filter(repair=locked, author=user)
        if mine.filter(answer=RepairReflection.Answer.CONFIRMED).exists():
            raise ValidationError(_("Your partner already confirmed you heard them."))
        if mine.filter(answer=RepairReflection.Answer.PENDING).exists():
            raise ValidationError(_("You already sent this; your partner hasn't answered yet."))
        try:
            with transaction.atomic():
                reflection = RepairReflection.objects.create(repair=locked, author=user, text=text)
        except IntegrityError as exc:
            raise ValidationError(
                _("You already sent this; your partner hasn't answered yet.")
            ) from exc
    _tell_partner(
        user,
        locked,
        "repair_reflected",
        _("%(name)s put into words what they heard from you. Is that it?"),
        needs_answer=True,
    )
    return reflection


def repair_reflection_answer(
    *, user: User, reflection: RepairReflection, confirmed: bool, correction: str = ""
) -> RepairReflection:
    """The person who was heard says "yes, that's it" or corrects it."""
    if reflection.author_id == user.pk:
        raise ValidationError(_("Your partner is the one to say whether you heard them right."))
    if not confirmed and not correction.strip():
        raise ValidationError(_("Say what you'd put differently, so your partner can try again."))
    with transaction.atomic():
        locked = RepairReflection.objects.select_for_update().get(pk=reflection.pk)
        if locked.answer != RepairReflection.Answer.PENDING:
            raise ValidationError(_("You already answered this one."))
        locked.answer = (
            RepairReflection.Answer.CONFIRMED if confirmed else RepairReflection.Answer.CORRECTED
        )
        locked.correction = "" if confirmed else correction.strip()
        locked.answered_at = timezone.now()
        locked.save()
    message = (
        _("%(name)s says you heard them: yes, that's it.")
        if confirmed
        else _("%(name)s added something to what you heard.")
    )
    _tell_partner(
        user, locked.repair, "repair_reflection_answered", message, needs_answer=not confirmed
    )
    return locked


def repair_next_step_propose(*, user: User, repair: Repair, text: str) -> Repair:
    with transaction.atomic():
        locked = _lock(repair, "next_step")
        locked.next_step = text
        locked.next_step_by = user
        locked.save(update_fields=["next_step", "next_step_by", "updated_at"])
    _tell_partner(
        user,
        locked,
        "repair_next_step",
        _("%(name)s suggested a next step. Does it work for you?"),
        needs_answer=True,
    )
    return locked


def repair_next_step_agree(*, user: User, repair: Repair, seen_text: str) -> Repair:
    """Agree to the step as the person saw it; if it changed meanwhile, nothing is agreed."""
    with transaction.atomic():
        locked = _lock(repair, "next_step")
        if not locked.next_step or locked.next_step_by_id == user.pk:
            raise ValidationError(_("Your partner is the one to agree to your suggestion."))
        if locked.next_step.strip() != seen_text.strip():
            raise ValidationError(
                _("The suggestion changed while you were reading. Have a look at the new one.")
            )
        locked.next_step_agreed_at = timezone.now()
        locked.save(update_fields=["next_step_agreed_at", "updated_at"])
    _tell_partner(
        user,
        locked,
        "repair_next_step_agreed",
        _("%(name)s agreed to the next step."),
        needs_answer=True,
    )
    return locked


def repair_close(*, user: User, repair: Repair, feeling_now: str, note: str) -> RepairClosing:
    with transaction.atomic():
        locked = _lock(repair, "close")
        try:
            with transaction.atomic():
                closing = RepairClosing.objects.create(
                    repair=locked, author=user, feeling_now=feeling_now, note=note
                )
        except IntegrityError as exc:
            raise ValidationError(_("You already said how you feel now.")) from exc
        if RepairClosing.objects.filter(repair=locked).count() >= 2:
            locked.closed_at = timezone.now()
            locked.save(update_fields=["closed_at", "updated_at"])
    if locked.closed_at:
        partner = partner_of(user)
        if partner is not None:
            notices_moot(user=partner, about=[locked])
        _tell_partner(
            user,
            locked,
            "repair_closed",
            _("You have both closed the repair. Thank you for doing it together."),
            needs_answer=False,
        )
    else:
        _tell_partner(
            user,
            locked,
            "repair_closing",
            _("%(name)s has said how they feel now. Yours is the last step."),
            needs_answer=True,
        )
    return closing
