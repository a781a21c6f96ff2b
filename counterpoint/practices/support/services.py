"""Asking for support, answering, and saying how it landed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from counterpoint.accounts.models import User
from counterpoint.activity.services import notice_send, notices_answered
from counterpoint.couples.selectors import partner_of
from counterpoint.practices.support.models import SupportKind, SupportRequest, SupportResponse
from counterpoint.privacy import access
from counterpoint.privacy.models import Visibility
from counterpoint.submissions import save_once


def support_request_create(
    *, user: User, kind: str, details: str, submission_key: str = ""
) -> tuple[SupportRequest, bool]:
    """Ask the partner for support. Returns (request, created); a repeated submission token
    returns the request it already made."""
    partner = partner_of(user)
    if partner is None:
        raise ValidationError(_("Support requests go to your partner; pair with them first."))
    details = details.strip()
    if kind == SupportKind.OTHER and not details:
        raise ValidationError(_("Say a few words about what you could use."))

    def create() -> SupportRequest:
        item = SupportRequest(
            kind=kind, details=details, visibility=Visibility.PARTNER, submission_key=submission_key
        )
        access.stamp_new_record(user, item)
        item.save()
        return item

    # A request already answered is not the same one asked again.
    same = {"kind": kind, "details": details, "landed": "", "response__isnull": True}
    same["visibility"] = Visibility.PARTNER
    item, created = save_once(
        user=user, model=SupportRequest, key=submission_key, create=create, same=same
    )
    if not created:
        return item, False
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
    if not access.is_partners_item(user, support_request):
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
    notices_answered(user=user, about=locked)
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
