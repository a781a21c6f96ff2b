"""Starting a decision, entering a view blind, recording the joint decision, revisiting."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from counterpoint.accounts.models import User
from counterpoint.activity.services import notice_send, notices_answered, notices_moot
from counterpoint.couples.selectors import active_couple, partner_of
from counterpoint.practices.decisions.models import Decision, DecisionOutcome, DecisionView
from counterpoint.practices.decisions.selectors import round_for
from counterpoint.privacy import access
from counterpoint.privacy.models import Visibility
from counterpoint.submissions import save_once


def _link(decision: Decision) -> str:
    return reverse("decisions:detail", args=[decision.pk])


def decision_start(
    *, user: User, title: str, context: str, submission_key: str = ""
) -> tuple[Decision, bool]:
    if active_couple(user) is None:
        raise ValidationError(_("Decisions here are made by two. Pair with your partner first."))

    def create() -> Decision:
        decision = Decision(
            title=title,
            context=context,
            visibility=Visibility.COUPLE,
            submission_key=submission_key,
        )
        access.stamp_new_record(user, decision)
        decision.save()
        return decision

    decision, created = save_once(
        user=user,
        model=Decision,
        key=submission_key,
        create=create,
        same={"title": title, "status": Decision.Status.OPEN, "visibility": Visibility.COUPLE},
    )
    if not created:
        return decision, False
    partner = partner_of(user)
    if partner is not None:
        notice_send(
            recipient=partner,
            kind="decision_started",
            message=_("%(name)s asked for your view on a decision.") % {"name": user.display_name},
            link=_link(decision),
            needs_answer=True,
            about=decision,
        )
    return decision, True


def decision_view_enter(
    *, user: User, decision: Decision, preference: str, reasons: str, importance: int
) -> DecisionView:
    """Enter one's own view for the current round. It cannot be changed once entered (the other
    may already have seen it), and a second submission is refused with a clear message."""
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        if locked.status != Decision.Status.OPEN:
            raise ValidationError(_("This decision is already made. Revisit it to reopen it."))
        if DecisionView.objects.filter(decision=locked, author=user, round=locked.round).exists():
            raise ValidationError(_("You have already entered your view; it is kept as it was."))
        try:
            with transaction.atomic():
                view = DecisionView.objects.create(
                    decision=locked,
                    author=user,
                    round=locked.round,
                    preference=preference,
                    reasons=reasons,
                    importance=importance,
                )
        except IntegrityError as exc:
            raise ValidationError(
                _("You have already entered your view; it is kept as it was.")
            ) from exc
        both_in = DecisionView.objects.filter(decision=locked, round=locked.round).count() >= 2
    notices_answered(user=user, about=locked)
    partner = partner_of(user)
    if partner is not None:
        if both_in:
            for person in (partner, user):
                notice_send(
                    recipient=person,
                    kind="decision_revealed",
                    message=_("Both views are in on a decision — see them side by side."),
                    link=_link(locked),
                    needs_answer=person == partner,
                    about=locked,
                )
        else:
            notice_send(
                recipient=partner,
                kind="decision_view_entered",
                message=_(
                    "%(name)s has entered their view on a decision. Theirs stays hidden "
                    "until you add yours."
                )
                % {"name": user.display_name},
                link=_link(locked),
                needs_answer=True,
                about=locked,
            )
    return view


def decision_record(*, user: User, decision: Decision, text: str, reasons: str) -> DecisionOutcome:
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        if not round_for(user, locked).revealed:
            raise ValidationError(_("Both views need to be in before you decide together."))
        if DecisionOutcome.objects.filter(decision=locked, round=locked.round).exists():
            raise ValidationError(
                _("The decision was already recorded (perhaps from another tab); here it is.")
            )
        try:
            with transaction.atomic():
                outcome = DecisionOutcome.objects.create(
                    decision=locked,
                    round=locked.round,
                    text=text,
                    reasons=reasons,
                    recorded_by=user,
                )
        except IntegrityError as exc:
            raise ValidationError(_("The decision was already recorded; here it is.")) from exc
        locked.status = Decision.Status.DECIDED
        locked.save(update_fields=["status", "updated_at"])
    notices_answered(user=user, about=locked)
    partner = partner_of(user)
    if partner is not None:
        notices_moot(user=partner, about=[locked])  # decided: nothing left to answer
        notice_send(
            recipient=partner,
            kind="decision_recorded",
            message=_("%(name)s recorded what you decided together.") % {"name": user.display_name},
            link=_link(locked),
        )
    return outcome


def decision_revisit(*, user: User, decision: Decision) -> Decision:
    """Reopen a made decision for a new round of blind views; earlier rounds stay as history."""
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        if locked.status != Decision.Status.DECIDED:
            raise ValidationError(_("This decision is already open."))
        locked.round += 1
        locked.status = Decision.Status.OPEN
        locked.save(update_fields=["round", "status", "updated_at"])
    partner = partner_of(user)
    if partner is not None:
        notice_send(
            recipient=partner,
            kind="decision_revisited",
            message=_("%(name)s would like to revisit a decision.") % {"name": user.display_name},
            link=_link(locked),
            needs_answer=True,
            about=locked,
        )
    return locked
