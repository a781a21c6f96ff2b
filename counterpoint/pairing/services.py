"""Pairing and unpairing."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counterpoint.activity.services import notice_send, notices_couple_ending
from counterpoint.couples.models import Couple, Invite, Membership
from counterpoint.couples.selectors import active_couple, partner_of

if TYPE_CHECKING:
    from counterpoint.accounts.models import User


class PairingError(Exception):
    """A pairing step that cannot be done; the message is for the person."""


def invite_create(*, inviter: User) -> Invite:
    """A fresh invitation. Earlier open invitations from the same person are revoked."""
    if active_couple(inviter) is not None:
        raise PairingError(_("You are already paired. Unpair first to invite someone else."))
    now = timezone.now()
    with transaction.atomic():
        Invite.objects.filter(
            inviter=inviter, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        return Invite.objects.create(
            inviter=inviter,
            expires_at=now + dt.timedelta(hours=settings.INVITE_LIFETIME_HOURS),
        )


def invite_revoke(*, inviter: User) -> int:
    return Invite.objects.filter(
        inviter=inviter, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


def invite_find(*, code_or_token: str) -> Invite | None:
    value = code_or_token.strip()
    if not value:
        return None
    invite = Invite.objects.select_related("inviter").filter(token=value).first()
    if invite is None:
        normalised = value.upper().replace("-", "").replace(" ", "")
        invite = Invite.objects.select_related("inviter").filter(code=normalised).first()
    return invite


def invite_accept(*, user: User, code_or_token: str) -> Couple:
    """Pair ``user`` with the person who made the invitation. All or nothing."""
    with transaction.atomic():
        invite = invite_find(code_or_token=code_or_token)
        if invite is not None:
            invite = Invite.objects.select_for_update().select_related("inviter").get(pk=invite.pk)
        if invite is None:
            raise PairingError(_("That invitation code doesn't exist. Check it and try again."))
        if invite.inviter_id == user.pk:
            raise PairingError(_("That is your own invitation. Send it to your partner instead."))
        if invite.used_at is not None:
            raise PairingError(_("That invitation has already been used. Ask for a new one."))
        if invite.revoked_at is not None:
            raise PairingError(_("That invitation was withdrawn. Ask for a new one."))
        if invite.expires_at <= timezone.now():
            raise PairingError(_("That invitation has expired. Ask for a new one."))
        if active_couple(user) is not None:
            raise PairingError(
                _("You are already paired. Unpair first to accept a new invitation.")
            )
        inviter = invite.inviter
        if not inviter.is_active:
            raise PairingError(_("That invitation is no longer valid."))
        if active_couple(inviter) is not None:
            raise PairingError(_("The person who invited you is already paired with someone else."))
        now = timezone.now()
        couple = Couple.objects.create(created_at=now)
        Membership.objects.create(couple=couple, user=inviter, joined_at=now)
        Membership.objects.create(couple=couple, user=user, joined_at=now)
        invite.used_at = now
        invite.used_by = user
        invite.save(update_fields=["used_at", "used_by"])
        Invite.objects.filter(inviter=user, used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=now
        )
        notice_send(
            recipient=inviter,
            kind="paired",
            message=_("%(name)s accepted your invitation. You are now paired.") % {"name": user},
            link="/couple/",
        )
        return couple


def couple_unpair(*, user: User, notify: bool = True) -> Couple:
    """End the person's couple at once. No consent from the partner is needed, by design.

    Each keeps their own records; partner-shared records stop being visible to the other (the
    access rules tie them to a couple that is together); co-owned items stay as a read-only archive.
    So nothing about the couple's items waits for either of them any more.
    """
    with transaction.atomic():
        couple = active_couple(user)
        if couple is None:
            raise PairingError(_("You are not paired."))
        partner = partner_of(user)
        # nothing of the couple can be answered once it ends: nothing about it waits for either
        members = [user] if partner is None else [user, partner]
        notices_couple_ending(couple_id=couple.pk, members=members)
        now = timezone.now()
        Couple.objects.filter(pk=couple.pk).update(ended_at=now)
        Membership.objects.filter(couple=couple, left_at__isnull=True).update(left_at=now)
        if notify and partner is not None:
            notice_send(
                recipient=partner,
                kind="unpaired",
                message=_("Your couple in Counterpoint has ended. Your own data is still yours."),
                link="/couple/",
            )
        couple.refresh_from_db()
        return couple
