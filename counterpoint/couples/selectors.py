"""Reads about couples that other modules need: who is my partner, which couples was I in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from counterpoint.couples.models import Couple, Membership
from counterpoint.operations.memo import in_read_only_request, memoized

if TYPE_CHECKING:
    from counterpoint.accounts.models import User


def _couples_memberships(user: User) -> list[Membership]:
    """Every membership of every couple the person has been in (theirs and their partners'), with
    its couple and person: one query per read-only request answers both "which couples" and "who
    is my partner"."""
    return memoized(
        ("couples_memberships", user.pk),
        lambda: list(
            Membership.objects.select_related("couple", "user").filter(
                couple_id__in=Membership.objects.filter(user=user).values("couple_id")
            )
        ),
    )


def _memberships(user: User) -> list[Membership]:
    """Every membership the person has had, with its couple (read once per read-only request)."""
    return [m for m in _couples_memberships(user) if m.user_id == user.pk]


def active_membership(user: User) -> Membership | None:
    if not user.is_authenticated:
        return None
    if in_read_only_request():  # the same rows answer couple_ids_ever: one query for both
        return next(
            (m for m in _memberships(user) if m.left_at is None and m.couple.ended_at is None),
            None,
        )
    return (
        Membership.objects.select_related("couple")
        .filter(user=user, left_at__isnull=True, couple__ended_at__isnull=True)
        .first()
    )


def active_couple(user: User) -> Couple | None:
    membership = active_membership(user)
    return membership.couple if membership else None


def partner_of(user: User) -> User | None:
    """The person's current partner, or None when they are not paired."""
    return memoized(("partner_of", user.pk), lambda: _partner_of(user))


def _partner_of(user: User) -> User | None:
    couple = active_couple(user)
    if couple is None:
        return None
    if in_read_only_request():  # from the memberships already read (ordered by joining, as below)
        return next(
            (
                m.user
                for m in _couples_memberships(user)
                if m.couple_id == couple.pk and m.left_at is None and m.user_id != user.pk
            ),
            None,
        )
    other = (
        Membership.objects.select_related("user")
        .filter(couple=couple, left_at__isnull=True)
        .exclude(user=user)
        .first()
    )
    return other.user if other else None


def couples_ever(user: User) -> QuerySet[Couple]:
    """Every couple the person has been in, current and ended (the archive)."""
    if not user.is_authenticated:
        return Couple.objects.none()
    return Couple.objects.filter(memberships__user=user).distinct()


def couple_ids_ever(user: User) -> QuerySet[Membership, Any] | list[int]:
    """The ids of every couple the person has been in, for ``couple__in`` filters.

    Inside a read-only request they come from the memberships read once, with the active one (a
    page filters by them many times, and a list is a cheaper filter than a subquery); elsewhere it
    is a subquery, so a write always sees the memberships as they are at that moment.
    """
    if not user.is_authenticated:
        return []
    if not in_read_only_request():
        return Membership.objects.filter(user=user).values("couple_id")
    return sorted({m.couple_id for m in _memberships(user)})
