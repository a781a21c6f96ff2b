"""Reads about couples that other modules need: who is my partner, which couples was I in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from counterpoint.couples.models import Couple, Membership
from counterpoint.operations.memo import memoized

if TYPE_CHECKING:
    from counterpoint.accounts.models import User


def active_membership(user: User) -> Membership | None:
    if not user.is_authenticated:
        return None
    return memoized(
        ("active_membership", user.pk),
        lambda: (
            Membership.objects.select_related("couple")
            .filter(user=user, left_at__isnull=True, couple__ended_at__isnull=True)
            .first()
        ),
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
