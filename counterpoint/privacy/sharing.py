"""Taking one shared item back: it becomes "Only me" again, silently (issue 10)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet

from counterpoint.operations.versions import person_scope, shared_scopes, versions_bump
from counterpoint.privacy.models import PersonalRecord, Visibility

if TYPE_CHECKING:
    from counterpoint.accounts.models import User


def record_make_private(
    *, user: User, record: PersonalRecord, along: Iterable[QuerySet[PersonalRecord]] = ()
) -> None:
    """Make ``record`` (and the author's own records in ``along``, such as a boundary's history)
    private. Only its author may. No notice, no email, and ``updated_at`` is left alone, so the
    partner's view is as if it had never been shared."""
    if record.author_id != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        shared = ~Q(visibility=Visibility.PRIVATE)
        # shared with someone who reads it now: not with a partner of a couple that has ended
        # (such an item is already, in effect, "Only me")
        read_now = shared & Q(couple__isnull=False, couple__ended_at__isnull=True)
        querysets = [type(record)._default_manager.filter(pk=record.pk)]
        querysets += [queryset.filter(author=user) for queryset in along]
        seen = sum(q.filter(read_now).update(visibility=Visibility.PRIVATE) for q in querysets)
        changed = seen + sum(
            q.filter(shared).update(visibility=Visibility.PRIVATE) for q in querysets
        )
        # update() sends no signal: what the partner may read changed, so their caches must go;
        # when nobody read it nothing changed for them, and their kept pages stay (a private
        # boundary set aside, or one shared with a former partner, must not end a partner's
        # kept pages: the partner could time that)
        if seen:
            versions_bump(scopes=shared_scopes(user_id=user.pk, couple_id=record.couple_id))
        elif changed:
            versions_bump(scopes=[person_scope(user.pk)])
    record.visibility = Visibility.PRIVATE
