"""Stating, revising and setting aside a boundary; the partner acknowledging or asking to talk."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from counterpoint.accounts.models import User
from counterpoint.activity.services import notice_send, notices_answered, notices_moot
from counterpoint.couples.selectors import partner_of
from counterpoint.practices.boundaries.models import Boundary, BoundaryEvent, EventKind
from counterpoint.privacy import access
from counterpoint.privacy.models import Visibility
from counterpoint.privacy.sharing import record_make_private
from counterpoint.submissions import save_once


def _event(
    user: User, boundary: Boundary, kind: str, note: str = "", **extra: Any
) -> BoundaryEvent:
    event = BoundaryEvent(
        boundary=boundary,
        kind=kind,
        version=boundary.version,
        note=note,
        visibility=Visibility.PARTNER,
        **extra,
    )
    access.stamp_new_record(user, event)
    event.couple = boundary.couple
    event.visibility = boundary.visibility
    event.save()
    return event


def _snapshot(boundary: Boundary) -> dict[str, str]:
    return {"what": boundary.what, "why": boundary.why, "what_helps": boundary.what_helps}


def _clean(what: str, why: str) -> tuple[str, str]:
    what, why = what.strip(), why.strip()
    if not what:
        raise ValidationError(_("Say what the boundary is."))
    if not why:
        raise ValidationError(_("Say a few words about why it matters to you."))
    return what, why


def _tell(
    recipient: User | None,
    boundary: Boundary,
    kind: str,
    message: str,
    *,
    needs_answer: bool = False,
) -> None:
    if recipient is not None and access.can_read(recipient, boundary):
        notice_send(
            recipient=recipient,
            kind=kind,
            message=message,
            link=reverse("boundaries:detail", args=[boundary.pk]),
            needs_answer=needs_answer,
            about=boundary,
        )


def boundary_state(
    *, user: User, what: str, why: str, what_helps: str = "", submission_key: str = ""
) -> tuple[Boundary, bool]:
    partner = partner_of(user)
    if partner is None:
        raise ValidationError(_("Boundaries are shared with your partner; pair with them first."))
    what, why = _clean(what, why)

    def create() -> Boundary:
        boundary = Boundary(
            what=what,
            why=why,
            what_helps=what_helps.strip(),
            visibility=Visibility.PARTNER,
            submission_key=submission_key,
        )
        access.stamp_new_record(user, boundary)
        boundary.save()
        _event(user, boundary, EventKind.STATED, **_snapshot(boundary))
        return boundary

    boundary, created = save_once(
        user=user,
        model=Boundary,
        key=submission_key,
        create=create,
        same={"what": what, "retired_at__isnull": True, "visibility": Visibility.PARTNER},
    )
    if not created:
        return boundary, False
    _tell(
        partner,
        boundary,
        "boundary_stated",
        _("%(name)s shared a boundary with you.") % {"name": user.display_name},
        needs_answer=True,
    )
    return boundary, True


def boundary_revise(
    *, user: User, boundary: Boundary, what: str, why: str, what_helps: str = "", note: str = ""
) -> Boundary:
    """The author rewords their boundary: a new version the partner reads afresh."""
    if boundary.author_id != user.pk:
        raise PermissionDenied
    what, why = _clean(what, why)
    with transaction.atomic():
        locked = Boundary.objects.select_for_update().get(pk=boundary.pk)
        if not locked.is_active:
            raise ValidationError(_("This boundary was set aside; state a new one instead."))
        if (locked.what, locked.why, locked.what_helps) == (what, why, what_helps.strip()):
            raise ValidationError(_("Nothing changed."))
        locked.what, locked.why, locked.what_helps = what, why, what_helps.strip()
        locked.version += 1
        locked.save()
        _event(user, locked, EventKind.REVISED, note=note.strip(), **_snapshot(locked))
    _tell(
        partner_of(user),
        locked,
        "boundary_revised",
        _("%(name)s revisited a boundary.") % {"name": user.display_name},
        needs_answer=True,
    )
    return locked


def boundary_retire(*, user: User, boundary: Boundary, note: str = "") -> Boundary:
    if boundary.author_id != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        locked = Boundary.objects.select_for_update().get(pk=boundary.pk)
        if not locked.is_active:
            raise ValidationError(_("This boundary is already set aside."))
        partner = _partner_reading(user, locked)
        locked.retired_at = timezone.now()
        locked.save()
        _event(user, locked, EventKind.RETIRED, note=note.strip())
        # Set aside is no longer the partner's to see (issue 10).
        record_make_private(
            user=user, record=locked, along=[BoundaryEvent.objects.filter(boundary=locked)]
        )
    if partner is not None:
        notices_moot(user=partner, about=[locked])  # set aside: nothing left to answer
    return locked


def _partner_reading(user: User, boundary: Boundary) -> User | None:
    """The partner, if they may read ``boundary`` now: only then may taking it back answer what
    waits for them. One already taken back (by "stop sharing everything", which leaves their
    feed as it was) is the author's alone: setting it aside must change nothing of theirs."""
    partner = partner_of(user)
    return partner if partner is not None and access.can_read(partner, boundary) else None


def _check_partner(user: User, boundary: Boundary) -> None:
    if not access.is_partners_item(user, boundary):
        raise PermissionDenied


def boundary_acknowledge(*, user: User, boundary: Boundary, version: int) -> BoundaryEvent:
    """The partner says "I've read and understood" for the version they read."""
    _check_partner(user, boundary)
    with transaction.atomic():
        locked = Boundary.objects.select_for_update().get(pk=boundary.pk)
        if not locked.is_active:
            raise ValidationError(_("This boundary was set aside."))
        if version != locked.version:
            raise ValidationError(
                _("It was reworded since you opened it. Please read the new version first.")
            )
        if BoundaryEvent.objects.filter(
            boundary=locked, version=locked.version, author=user, kind=EventKind.ACKNOWLEDGED
        ).exists():
            raise ValidationError(_("You have already said you've read and understood this."))
        try:
            with transaction.atomic():
                event = _event(user, locked, EventKind.ACKNOWLEDGED)
        except IntegrityError as exc:
            raise ValidationError(
                _("You have already said you've read and understood this.")
            ) from exc
    notices_answered(user=user, about=locked)
    _tell(
        locked.author,
        locked,
        "boundary_acknowledged",
        _("%(name)s read and understood your boundary.") % {"name": user.display_name},
    )
    return event


def boundary_ask_to_talk(
    *, user: User, boundary: Boundary, note: str, submission_key: str = ""
) -> tuple[BoundaryEvent, bool]:
    """The partner would like to talk about it (or revisit it) before, or after, acknowledging."""
    _check_partner(user, boundary)
    note = note.strip()
    if not note:
        raise ValidationError(_("Say a few words about what you'd like to talk about."))

    def create() -> BoundaryEvent:
        locked = Boundary.objects.select_for_update().get(pk=boundary.pk)
        if not locked.is_active:
            raise ValidationError(_("This boundary was set aside."))
        return _event(
            user, locked, EventKind.ASKED_TO_TALK, note=note, submission_key=submission_key
        )

    event, created = save_once(user=user, model=BoundaryEvent, key=submission_key, create=create)
    if not created:
        return event, False
    locked = event.boundary
    notices_answered(user=user, about=locked)
    _tell(
        locked.author,
        locked,
        "boundary_talk",
        _("%(name)s would like to talk about a boundary.") % {"name": user.display_name},
    )
    return event, True


def boundary_make_private(*, user: User, boundary: Boundary) -> Boundary:
    """Take a shared boundary (and its history) back to "Only me", silently."""
    partner = _partner_reading(user, boundary)
    record_make_private(
        user=user, record=boundary, along=[BoundaryEvent.objects.filter(boundary=boundary)]
    )
    if partner is not None:  # nothing left for them to answer, and they read nothing
        notices_moot(user=partner, about=[boundary])
    return boundary
