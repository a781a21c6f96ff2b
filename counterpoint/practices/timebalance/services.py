"""Planning and logging me-time and we-time."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from counterpoint.accounts.models import User
from counterpoint.activity.services import notice_send
from counterpoint.couples.selectors import active_couple, partner_of
from counterpoint.practices.timebalance.models import TimeBlock, TimeKind
from counterpoint.practices.timebalance.selectors import PLAN_AHEAD
from counterpoint.privacy import access
from counterpoint.privacy.models import Visibility
from counterpoint.submissions import save_once


def time_block_add(
    *,
    user: User,
    kind: str,
    day: dt.date,
    minutes: int,
    done: bool,
    note: str,
    visibility: str = Visibility.PARTNER,
    submission_key: str = "",
) -> tuple[TimeBlock, bool]:
    if kind == TimeKind.WE:
        if active_couple(user) is None:
            raise ValidationError(_("We-time is for two. Pair with your partner first."))
        visibility = Visibility.COUPLE
    elif visibility not in (Visibility.PRIVATE, Visibility.PARTNER):
        visibility = Visibility.PARTNER
    if done and day > user.local_today():
        raise ValidationError(_("That day hasn't come yet — plan it instead of logging it."))
    if day > user.local_today() + PLAN_AHEAD:
        raise ValidationError(_("Plan up to a year ahead; that day is further off."))
    if not done and day < user.local_today():
        raise ValidationError(_("That day has passed — log it as something that already happened."))

    def create() -> TimeBlock:
        block = TimeBlock(
            kind=kind,
            day=day,
            minutes=minutes,
            done=done,
            note=note,
            visibility=visibility,
            submission_key=submission_key,
        )
        access.stamp_new_record(user, block)
        block.save()
        return block

    block, created = save_once(user=user, model=TimeBlock, key=submission_key, create=create)
    if not created:
        return block, False
    partner = partner_of(user)
    if partner is not None and kind == TimeKind.WE and not done:
        notice_send(
            recipient=partner,
            kind="we_time_planned",
            message=_("%(name)s planned some time together.") % {"name": user.display_name},
            link=reverse("timebalance:week") + f"?week={day.isoformat()}",
            about=block,
        )
    return block, True


def time_block_mark_done(*, user: User, block: TimeBlock) -> TimeBlock:
    if not access.can_edit(user, block):
        raise ValidationError(_("Only the person whose time it is can tick it off."))
    if block.day > user.local_today():
        raise ValidationError(_("That day hasn't come yet."))
    block.done = True
    with transaction.atomic():
        # a save, not update(): the partner's kept pages count what is done (data versions)
        block.save(update_fields=["done", "updated_at"])
    return block


def time_block_delete(*, user: User, block: TimeBlock) -> None:
    if not access.can_edit(user, block):
        raise ValidationError(_("Only the person whose time it is can remove it."))
    with transaction.atomic():
        block.delete()
