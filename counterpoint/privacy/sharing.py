"""Taking one shared item back: it becomes "Only me" again, silently (issue 10)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet

from counterpoint.operations.versions import shared_scopes, versions_bump
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
        changed = (
            type(record)
            ._default_manager.filter(shared, pk=record.pk)
            .update(visibility=Visibility.PRIVATE)
        )
        for queryset in along:
            changed += queryset.filter(shared, author=user).update(visibility=Visibility.PRIVATE)
        # update() sends no signal: what the partner may read changed, so their caches must go;
        # when nothing was shared nothing changed for them, and their kept pages stay (a private
        # boundary set aside must not end them: the partner could time that)
        if changed:
            versions_bump(scopes=shared_scopes(user_id=user.pk, couple_id=record.couple_id))
    record.visibility = Visibility.PRIVATE
