"""Asking for support, answering, and saying how it landed."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from counterpoint.accounts.models import User
from counterpoint.activity.services import notice_send
from counterpoint.couples.selectors import active_couple, partner_of
from counterpoint.practices.support.models import SupportKind, SupportRequest, SupportResponse
from counterpoint.privacy import access
from counterpoint.privacy.models import Visibility

DUPLICATE_MINUTES = 10


def support_request_create(
    *, user: User, kind: str, details: str, submission: uuid.UUID | None = None
) -> tuple[SupportRequest, bool]:
    """Ask the partner for support. Returns (request, created); a repeated submission token
    returns the request it already made."""
    partner = partner_of(user)
    if partner is None:
        raise ValidationError(_("Support requests go to your partner; pair with them first."))
    details = details.strip()
    if kind == SupportKind.OTHER and not details:
        raise ValidationError(_("Say a few words about what you could use."))
    if submission is not None:
        existing = SupportRequest.objects.filter(author=user, submission=submission).first()
        if existing is not None:
            return existing, False
    # The same request sent from two tabs (two forms, two tokens) within a few minutes is one.
    duplicate = SupportRequest.objects.filter(
        author=user,
        kind=kind,
        details=details,
        landed="",
        created_at__gte=timezone.now() - dt.timedelta(minutes=DUPLICATE_MINUTES),
    ).first()
    if duplicate is not None and not SupportResponse.objects.filter(request=duplicate).exists():
        return duplicate, False
    item = SupportRequest(
        kind=kind, details=details, visibility=Visibility.PARTNER, submission=submission
    )
    access.stamp_new_record(user, item)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        return SupportRequest.objects.get(author=user, submission=submission), False
    notice_send(
        recipient=partner,
        kind="support_requested",
        message=_("%(name)s could use some support.") % {"name": user.display_name},
        link=reverse("support:detail", args=[item.pk]),
        needs_answer=True,
        about=item,
    )
    return item, True


def support_request_answer(
    *, user: User, support_request: SupportRequest, offer: str, message: str, when: str = ""
) -> SupportResponse:
    """The partner answers with what they can offer and when. One answer per request."""
    couple = active_couple(user)
    if support_request.author_id == user.pk or couple is None:
        raise PermissionDenied
    if support_request.couple_id != couple.pk or not access.can_read(user, support_request):
        raise PermissionDenied
    message = message.strip()
    if not message:
        raise ValidationError(_("Write a few words about what you can offer."))
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().get(pk=support_request.pk)
        if SupportResponse.objects.filter(request=locked).exists():
            raise ValidationError(_("You have already answered this request."))
        response = SupportResponse(
            request=locked,
            offer=offer,
            message=message,
            when=when.strip(),
            visibility=Visibility.PARTNER,
        )
        access.stamp_new_record(user, response)
        try:
            with transaction.atomic():
                response.save()
        except IntegrityError as exc:
            raise ValidationError(_("You have already answered this request.")) from exc
    if locked.author is not None:
        notice_send(
            recipient=locked.author,
            kind="support_answered",
            message=_("%(name)s answered your request for support.") % {"name": user.display_name},
            link=reverse("support:detail", args=[locked.pk]),
            about=locked,
        )
    return response


def support_request_land(
    *, user: User, support_request: SupportRequest, landed: str, note: str = ""
) -> SupportRequest:
    """The requester says how the answer landed (once)."""
    if support_request.author_id != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().get(pk=support_request.pk)
        response = SupportResponse.objects.filter(request=locked).first()
        if response is None:
            raise ValidationError(_("Your partner hasn't answered yet."))
        if locked.landed:
            raise ValidationError(_("You already said how this landed."))
        locked.landed = landed
        locked.landed_note = note.strip()
        locked.landed_at = timezone.now()
        locked.save(update_fields=["landed", "landed_note", "landed_at", "updated_at"])
    partner = partner_of(user)
    if partner is not None and response.author_id == partner.pk:
        notice_send(
            recipient=partner,
            kind="support_landed",
            message=_("%(name)s said how your support landed.") % {"name": user.display_name},
            link=reverse("support:detail", args=[locked.pk]),
            about=locked,
        )
    return locked
