"""Making a commitment, marking it kept or missed, and the partner confirming."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from counterpoint.accounts.models import User
from counterpoint.activity.services import notice_send, notices_answered
from counterpoint.couples.selectors import partner_of
from counterpoint.practices.commitments.models import (
    TEXT_MAX,
    Commitment,
    Outcome,
    PartnerView,
    promise_checked,
)
from counterpoint.privacy import access
from counterpoint.privacy.models import Visibility
from counterpoint.submissions import save_once


def commitment_make(
    *, user: User, promise: str, due_on: dt.date, submission_key: str = ""
) -> tuple[Commitment, bool]:
    """Make a commitment to the partner. Returns (commitment, created)."""
    partner = partner_of(user)
    if partner is None:
        raise ValidationError(_("Commitments are made to your partner; pair with them first."))
    promise = promise_checked(promise)
    if len(promise) > TEXT_MAX:
        raise ValidationError(_("Keep it shorter — at most %(n)d characters.") % {"n": TEXT_MAX})
    if due_on < user.local_today():
        raise ValidationError(_("Pick today or a day ahead — that date has already passed."))

    def create() -> Commitment:
        item = Commitment(
            promise=promise,
            due_on=due_on,
            visibility=Visibility.PARTNER,
            submission_key=submission_key,
        )
        access.stamp_new_record(user, item)
        item.save()
        return item

    item, created = save_once(
        user=user,
        model=Commitment,
        key=submission_key,
        create=create,
        same={
            "promise": promise,
            "due_on": due_on,
            "outcome": Outcome.OPEN,
            "visibility": Visibility.PARTNER,
        },
    )
    if not created:
        return item, False
    notice_send(
        recipient=partner,
        kind="commitment_made",
        message=_("%(name)s made you a commitment.") % {"name": user.display_name},
        link=reverse("commitments:detail", args=[item.pk]),
        about=item,
    )
    return item, True


def commitment_mark(
    *, user: User, commitment: Commitment, outcome: str, note: str = ""
) -> Commitment:
    """The maker marks their commitment kept, missed, or released (no longer needed)."""
    if commitment.author_id != user.pk:
        raise PermissionDenied
    if outcome not in (Outcome.KEPT, Outcome.MISSED, Outcome.RELEASED):
        raise ValidationError(_("Choose kept, missed or released."))
    with transaction.atomic():
        locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if not locked.is_open:
            raise ValidationError(
                _("This commitment was already marked %(outcome)s.")
                % {"outcome": locked.get_outcome_display().lower()}
            )
        locked.outcome = outcome
        locked.outcome_note = note.strip()
        locked.marked_at = timezone.now()
        locked.save(update_fields=["outcome", "outcome_note", "marked_at", "updated_at"])
    partner = partner_of(user)
    if partner is not None and locked.is_marked and access.can_read(partner, locked):
        notice_send(
            recipient=partner,
            kind="commitment_marked",
            message=_("%(name)s updated a commitment they made you.") % {"name": user.display_name},
            link=reverse("commitments:detail", args=[locked.pk]),
            needs_answer=True,
            about=locked,
        )
    return locked


def commitment_confirm(*, user: User, commitment: Commitment, view: str) -> Commitment:
    """The partner confirms how they saw it, once the maker has marked it."""
    if not access.is_partners_item(user, commitment):
        raise PermissionDenied
    if view not in PartnerView.values:
        raise ValidationError(_("Choose how you saw it."))
    with transaction.atomic():
        locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if not locked.is_marked:
            raise ValidationError(_("There is nothing to confirm until it has been marked."))
        if locked.confirmed_at is not None:
            raise ValidationError(_("You have already confirmed this one."))
        locked.partner_view = view
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["partner_view", "confirmed_at", "updated_at"])
    notices_answered(user=user, about=locked)
    return locked
