"""Adding plans, answering them blind, making them memories, and keeping photos."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counterpoint.accounts.models import User
from counterpoint.activity.services import notice_send, notices_answered, notices_moot
from counterpoint.couples.selectors import active_couple, partner_of
from counterpoint.practices.plans import photos
from counterpoint.practices.plans.models import Memory, MemoryWords, Plan, PlanInterest
from counterpoint.practices.timebalance.models import TimeKind
from counterpoint.practices.timebalance.services import time_block_add
from counterpoint.privacy import access
from counterpoint.privacy.kept import deleting_as
from counterpoint.privacy.models import Visibility
from counterpoint.submissions import save_once

NEED_A_PARTNER = _(
    "Shared plans are for two. Pair with your partner first, or keep it on your own list."
)


def _check_editable(user: User, record: Plan | Memory) -> None:
    if not access.can_edit(user, record):
        raise ValidationError(_("This is in your archive now and can no longer be changed."))


def plan_add(
    *,
    user: User,
    title: str,
    kind: str,
    details: str = "",
    when_date: dt.date | None = None,
    when_text: str = "",
    shared: bool = True,
    submission_key: str = "",
) -> tuple[Plan, bool]:
    """Add a plan: shared with the couple (the partner is asked how they feel about it), or kept
    on one's own private "someday" list."""
    if shared and active_couple(user) is None:
        raise ValidationError(NEED_A_PARTNER)
    visibility = Visibility.COUPLE if shared else Visibility.PRIVATE

    def create() -> Plan:
        plan = Plan(
            title=title,
            kind=kind,
            details=details,
            when_date=when_date,
            when_text=when_text,
            visibility=visibility,
            submission_key=submission_key,
        )
        access.stamp_new_record(user, plan)
        plan.save()
        return plan

    plan, created = save_once(
        user=user,
        model=Plan,
        key=submission_key,
        create=create,
        same={"title": title, "visibility": visibility},
    )
    if not created:
        return plan, False
    partner = partner_of(user)
    if shared and partner is not None:
        notice_send(
            recipient=partner,
            kind="plan_suggested",
            message=_("%(name)s suggested something to do together. How do you feel about it?")
            % {"name": user.display_name},
            needs_answer=True,
            about=plan,
        )
    return plan, True


def plan_update(
    *,
    user: User,
    plan: Plan,
    title: str,
    kind: str,
    details: str,
    when_date: dt.date | None,
    when_text: str,
) -> Plan:
    _check_editable(user, plan)
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        locked.title, locked.kind, locked.details = title, kind, details
        locked.when_date, locked.when_text = when_date, when_text
        locked.save(
            update_fields=["title", "kind", "details", "when_date", "when_text", "updated_at"]
        )
    return locked


def plan_interest_answer(*, user: User, plan: Plan, answer: str) -> PlanInterest:
    """Say how much one would like a shared plan. The partner sees it only once they have
    answered too; until then it can be changed freely."""
    if plan.visibility != Visibility.COUPLE:
        raise ValidationError(_("Only shared plans ask both of you."))
    _check_editable(user, plan)
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        already = PlanInterest.objects.filter(plan=locked).exclude(author=user).exists()
        interest, created = PlanInterest.objects.update_or_create(
            plan=locked,
            author=user,
            defaults={"answer": answer, "answered_at": timezone.now()},
        )
    notices_answered(user=user, about=locked)
    partner = partner_of(user)
    if partner is not None and created and already:
        notice_send(
            recipient=partner,
            kind="plan_interest_revealed",
            message=_("You've both said how you feel about a plan — see it together."),
            link=locked.get_absolute_url(),
            about=locked,
        )
    return interest


def plan_done(
    *,
    user: User,
    plan: Plan,
    happened_on: dt.date,
    minutes_together: int = 0,
) -> Memory:
    """A plan happened: it becomes a memory (co-owned if the plan was). Time spent on a shared
    plan is logged as we-time, so the me/we balance counts it once."""
    _check_editable(user, plan)
    if happened_on > user.local_today():
        raise ValidationError(_("That day hasn't come yet. Mark it done once it has happened."))
    shared = plan.visibility == Visibility.COUPLE
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if locked.status == Plan.Status.DONE:
            raise ValidationError(_("This plan is already a memory (perhaps from another tab)."))
        memory = Memory(
            title=locked.title,
            happened_on=happened_on,
            plan=locked,
            minutes_together=minutes_together if shared else 0,
            visibility=Visibility.COUPLE if shared else Visibility.PRIVATE,
        )
        access.stamp_new_record(user, memory)
        memory.save()
        locked.status = Plan.Status.DONE
        locked.save(update_fields=["status", "updated_at"])
        if shared and minutes_together:
            time_block_add(
                user=user,
                kind=TimeKind.WE,
                day=happened_on,
                minutes=minutes_together,
                done=True,
                note=locked.title[:200],
            )
    notices_answered(user=user, about=locked)
    partner = partner_of(user)
    if shared and partner is not None:
        notices_moot(user=partner, about=[locked])  # done: nothing left to answer
        notice_send(
            recipient=partner,
            kind="memory_made",
            message=_("%(name)s marked a plan as done. Add a few words about it?")
            % {"name": user.display_name},
            needs_answer=True,
            about=memory,
        )
    return memory


def plan_delete(*, user: User, plan: Plan) -> None:
    _check_editable(user, plan)
    # the partner's answer stays theirs (privacy.kept)
    with transaction.atomic(), deleting_as(user):
        Plan.objects.filter(pk=plan.pk).delete()
    notices_answered(user=user, about=plan)
    partner = partner_of(user)
    if partner is not None:
        notices_moot(user=partner, about=[plan])


def memory_add(
    *,
    user: User,
    title: str,
    happened_on: dt.date,
    shared: bool = True,
    submission_key: str = "",
) -> tuple[Memory, bool]:
    """Keep something that happened, without a plan before it."""
    if shared and active_couple(user) is None:
        raise ValidationError(
            _("Shared memories are for two. Pair with your partner first, or keep it for yourself.")
        )
    if happened_on > user.local_today():
        raise ValidationError(_("A memory is something that has happened. Choose a past day."))
    visibility = Visibility.COUPLE if shared else Visibility.PRIVATE

    def create() -> Memory:
        memory = Memory(
            title=title,
            happened_on=happened_on,
            visibility=visibility,
            submission_key=submission_key,
        )
        access.stamp_new_record(user, memory)
        memory.save()
        return memory

    memory, created = save_once(
        user=user,
        model=Memory,
        key=submission_key,
        create=create,
        same={"title": title, "happened_on": happened_on, "visibility": visibility},
    )
    if not created:
        return memory, False
    partner = partner_of(user)
    if shared and partner is not None:
        notice_send(
            recipient=partner,
            kind="memory_made",
            message=_("%(name)s kept a memory of you two. Add a few words about it?")
            % {"name": user.display_name},
            needs_answer=True,
            about=memory,
        )
    return memory, True


def memory_words_write(*, user: User, memory: Memory, text: str) -> MemoryWords:
    """Write (or rewrite) one's own words about a memory; the partner's show once both wrote."""
    _check_editable(user, memory)
    with transaction.atomic():
        locked = Memory.objects.select_for_update().get(pk=memory.pk)
        already = MemoryWords.objects.filter(memory=locked).exclude(author=user).exists()
        words, created = MemoryWords.objects.update_or_create(
            memory=locked, author=user, defaults={"text": text, "written_at": timezone.now()}
        )
    notices_answered(user=user, about=locked)
    partner = partner_of(user)
    if partner is not None and created and already and locked.visibility == Visibility.COUPLE:
        notice_send(
            recipient=partner,
            kind="memory_words_revealed",
            message=_("You've both written about a memory — read each other's words."),
            link=locked.get_absolute_url(),
            about=locked,
        )
    return words


def memory_photo_set(*, user: User, memory: Memory, upload: UploadedFile) -> Memory:
    """Check, clean and keep a photo for a memory, replacing the one it had."""
    _check_editable(user, memory)
    cleaned = photos.photo_clean(upload)
    stored = photos.photo_store(cleaned)
    try:
        with transaction.atomic():
            locked = Memory.objects.select_for_update().get(pk=memory.pk)
            old = locked.photo
            photos.photo_keep_for_uploader(locked, by=user.pk)  # the partner's stays theirs
            locked.photo = stored.name
            locked.photo_by = user
            locked.photo_width, locked.photo_height = stored.width, stored.height
            locked.save(
                update_fields=["photo", "photo_by", "photo_width", "photo_height", "updated_at"]
            )
            transaction.on_commit(lambda: photos.photo_files_remove(old), robust=True)
    except Exception:
        photos.photo_files_remove(stored.name)  # or the sweep, an hour on
        raise
    return locked


def memory_photo_remove(*, user: User, memory: Memory) -> Memory:
    _check_editable(user, memory)
    with transaction.atomic():
        locked = Memory.objects.select_for_update().get(pk=memory.pk)
        old = locked.photo
        photos.photo_keep_for_uploader(locked, by=user.pk)  # the partner's stays theirs
        locked.photo, locked.photo_by = "", None
        locked.photo_width = locked.photo_height = 0
        locked.save(
            update_fields=["photo", "photo_by", "photo_width", "photo_height", "updated_at"]
        )
        transaction.on_commit(lambda: photos.photo_files_remove(old), robust=True)
    return locked


def memory_delete(*, user: User, memory: Memory) -> None:
    """Remove a memory, its words and its photo (the file goes once the deletion is committed)."""
    _check_editable(user, memory)
    # the partner's words stay theirs (privacy.kept)
    with transaction.atomic(), deleting_as(user):
        Memory.objects.filter(pk=memory.pk).delete()  # photo file: see apps.py (post_delete)
    notices_answered(user=user, about=memory)
    partner = partner_of(user)
    if partner is not None:
        notices_moot(user=partner, about=[memory])
