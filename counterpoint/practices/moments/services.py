"""Sharing a win or a struggle, and responding to one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from counterpoint.accounts.models import User
from counterpoint.activity.services import notice_send, notices_answered, notices_moot
from counterpoint.couples.selectors import partner_of
from counterpoint.practices.moments.models import Moment, MomentKind, MomentResponse
from counterpoint.privacy import access
from counterpoint.privacy.kept import deleting_as
from counterpoint.privacy.models import Visibility
from counterpoint.submissions import save_once


def moment_share(
    *, user: User, kind: str, text: str, visibility: str, submission_key: str = ""
) -> tuple[Moment, bool]:
    """Save a moment; returns (moment, created). The same form sent twice saves it once."""

    def create() -> Moment:
        moment = Moment(kind=kind, text=text, visibility=visibility, submission_key=submission_key)
        access.stamp_new_record(user, moment)
        moment.save()
        return moment

    moment, created = save_once(
        user=user,
        model=Moment,
        key=submission_key,
        create=create,
        same={"kind": kind, "text": text, "visibility": visibility},
    )
    if not created:
        return moment, False
    partner = partner_of(user)
    if partner is not None:
        message = (
            _("%(name)s shared a win with you.")
            if kind == MomentKind.WIN
            else _("%(name)s shared something hard with you.")
        )
        notice_send(
            recipient=partner,
            kind="moment_shared",
            message=message % {"name": user.display_name},
            link=reverse("moments:detail", args=[moment.pk]),
            needs_answer=True,
            about=moment,
        )
    return moment, True


def moment_respond(*, user: User, moment: Moment, reaction: str, note: str) -> MomentResponse:
    """The partner responds, once. Raises ValidationError for one's own moment or a second reply."""
    if moment.author_id == user.pk:
        raise ValidationError(_("This is your own moment; your partner is the one to respond."))
    if not access.can_read(user, moment):
        raise ValidationError(_("This moment is not shared with you."))
    try:
        with transaction.atomic():
            response = MomentResponse.objects.create(
                moment=moment,
                responder=user,
                reaction=reaction,
                note=note,
                responded_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("You already responded to this — your first response is the one kept.")
        ) from exc
    notices_answered(user=user, about=moment)
    if moment.author is not None:
        notice_send(
            recipient=moment.author,
            kind="moment_answered",
            message=_("%(name)s responded to what you shared.") % {"name": user.display_name},
            link=reverse("moments:detail", args=[moment.pk]),
        )
    return response


def moment_delete(*, user: User, moment: Moment) -> None:
    if moment.author_id != user.pk:
        raise ValidationError(_("Only the person who shared it can delete it."))
    partner = partner_of(user)
    with transaction.atomic():
        if partner is not None:  # only a moment they could read asked them anything
            notices_moot(user=partner, about=[moment])  # gone: nothing left to answer
        with deleting_as(user):  # the response stays its writer's (privacy.kept)
            moment.delete()


SHAREABLE = (Visibility.PARTNER, Visibility.PRIVATE)
