"""Creating and changing goals, progress check-ins, completion, and encouragement.

Each write checks who is acting again (``access.can_edit``), so the autonomy rule holds even for
code that skips the views."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from counterpoint.accounts.models import User
from counterpoint.activity.services import notice_send, notices_answered, notices_moot
from counterpoint.couples.selectors import active_couple, partner_of
from counterpoint.practices.goals.models import Encouragement, EncouragementKind, Goal, GoalProgress
from counterpoint.privacy import access
from counterpoint.privacy.models import Visibility
from counterpoint.submissions import save_once, submitted_before


def _check_can_change(user: User, goal: Goal) -> None:
    if not access.can_edit(user, goal):
        raise PermissionDenied
    if goal.is_shared and active_couple(user) is None:
        raise PermissionDenied


def _tell_partner(
    user: User, goal: Goal, kind: str, message: str, *, needs_answer: bool = False
) -> None:
    partner = partner_of(user)
    if partner is not None and access.can_read(partner, goal):
        notice_send(
            recipient=partner,
            kind=kind,
            message=message,
            link=reverse("goals:detail", args=[goal.pk]),
            needs_answer=needs_answer,
            about=goal,
        )


def goal_create(
    *, user: User, title: str, why: str, visibility: str, submission_key: str = ""
) -> tuple[Goal, bool]:
    title = title.strip()
    if not title:
        raise ValidationError(_("Name the goal first."))
    if visibility == Visibility.COUPLE and active_couple(user) is None:
        raise ValidationError(_("A shared goal needs a partner; pair with them first."))

    def create() -> Goal:
        goal = Goal(
            title=title, why=why.strip(), visibility=visibility, submission_key=submission_key
        )
        access.stamp_new_record(user, goal)
        goal.save()
        return goal

    goal, created = save_once(
        user=user,
        model=Goal,
        key=submission_key,
        create=create,
        same={"title": title, "visibility": visibility},
    )
    if not created:
        return goal, False
    if goal.is_shared:
        _tell_partner(
            user,
            goal,
            "goal_shared_created",
            _("%(name)s started a goal for you both.") % {"name": user.display_name},
        )
    elif goal.visibility == Visibility.PARTNER:
        _tell_partner(
            user,
            goal,
            "goal_shared",
            _("%(name)s shared a goal with you.") % {"name": user.display_name},
        )
    return goal, True


def goal_edit(
    *, user: User, goal: Goal, title: str, why: str, visibility: str | None = None
) -> Goal:
    _check_can_change(user, goal)
    title = title.strip()
    if not title:
        raise ValidationError(_("Name the goal first."))
    goal.title = title
    goal.why = why.strip()
    if visibility is not None and not goal.is_shared:
        if visibility == Visibility.COUPLE:
            raise ValidationError(_("A personal goal stays yours; start a shared one instead."))
        access.visibility_change(user, goal, visibility=visibility)
    with transaction.atomic():
        goal.save()
        # Check-ins follow their goal's visibility.
        GoalProgress.objects.filter(goal=goal).update(
            visibility=goal.visibility, couple=goal.couple
        )
    return goal


def goal_progress_add(
    *, user: User, goal: Goal, percent: int, note: str = "", submission_key: str = ""
) -> tuple[GoalProgress, bool]:
    """A progress check-in by the owner (individual) or either partner (shared)."""
    _check_can_change(user, goal)
    if not 0 <= percent <= 100:
        raise ValidationError(_("Progress is between 0 and 100 percent."))
    with transaction.atomic():
        locked = Goal.objects.select_for_update().get(pk=goal.pk)
        if locked.is_complete:
            raise ValidationError(_("This goal is already complete."))
        existing = submitted_before(user=user, model=GoalProgress, key=submission_key)
        if existing is not None:
            return existing, False
        checkin = GoalProgress(
            goal=locked,
            percent=percent,
            note=note.strip(),
            visibility=locked.visibility,
            submission_key=submission_key,
        )
        access.stamp_new_record(user, checkin)
        checkin.couple = locked.couple
        checkin.visibility = locked.visibility
        checkin.save()
        locked.progress = percent
        locked.save(update_fields=["progress", "updated_at"])
    if locked.is_shared:
        _tell_partner(
            user,
            locked,
            "goal_progress",
            _("%(name)s checked in on a goal you share.") % {"name": user.display_name},
        )
    return checkin, True


def goal_complete(*, user: User, goal: Goal) -> Goal:
    """Complete an individual goal (owner only), or confirm completion of a shared one: the first
    partner proposes, the second confirms; only then is it complete."""
    _check_can_change(user, goal)
    with transaction.atomic():
        locked = Goal.objects.select_for_update().get(pk=goal.pk)
        if locked.is_complete:
            raise ValidationError(_("This goal is already complete."))
        if not locked.is_shared:
            locked.completed_at = timezone.now()
            locked.progress = 100
        elif locked.completion_proposed_by_id is None:
            locked.completion_proposed_by = user
        elif locked.completion_proposed_by_id == user.pk:
            raise ValidationError(
                _("You've already said it's done; it completes when your partner agrees.")
            )
        else:
            locked.completed_at = timezone.now()
            locked.progress = 100
        locked.save()
    if locked.is_complete:
        notices_answered(user=user, about=locked)  # agreeing is the answer that was asked for
    if locked.is_shared:
        if locked.is_complete:
            msg = _("%(name)s agreed: your shared goal is complete.")
        else:
            msg = _("%(name)s thinks a shared goal is done. Do you agree?")
        _tell_partner(
            user,
            locked,
            "goal_completion",
            msg % {"name": user.display_name},
            needs_answer=not locked.is_complete,
        )
    return locked


def goal_completion_withdraw(*, user: User, goal: Goal) -> Goal:
    """Either partner says "not yet" to a proposed completion of a shared goal."""
    _check_can_change(user, goal)
    with transaction.atomic():
        locked = Goal.objects.select_for_update().get(pk=goal.pk)
        if locked.is_complete or locked.completion_proposed_by_id is None:
            raise ValidationError(_("There is no completion waiting to be confirmed."))
        locked.completion_proposed_by = None
        locked.save()
    # "Not yet" answers the question; if the proposer takes it back, nothing is left to answer.
    notices_answered(user=user, about=locked)
    partner = partner_of(user)
    if partner is not None:
        notices_moot(user=partner, about=[locked])
    return locked


def goal_encourage(
    *, user: User, goal: Goal, kind: str, note: str = "", submission_key: str = ""
) -> tuple[Encouragement, bool]:
    """The partner cheers or leaves a note on an individual goal that was shared with them."""
    if goal.is_shared or not access.is_partners_item(user, goal):
        raise PermissionDenied
    note = note.strip()
    if kind == EncouragementKind.NOTE and not note:
        raise ValidationError(_("Write your note first, or send a cheer instead."))

    def create() -> Encouragement:
        item = Encouragement(
            goal=goal,
            kind=kind,
            note=note if kind == EncouragementKind.NOTE else "",
            visibility=Visibility.PARTNER,
            submission_key=submission_key,
        )
        access.stamp_new_record(user, item)
        item.save()
        return item

    item, created = save_once(user=user, model=Encouragement, key=submission_key, create=create)
    if not created:
        return item, False
    if goal.author is not None:
        notice_send(
            recipient=goal.author,
            kind="goal_encouraged",
            message=_("%(name)s is cheering you on.") % {"name": user.display_name},
            link=reverse("goals:detail", args=[goal.pk]),
            about=goal,
        )
    return item, True
