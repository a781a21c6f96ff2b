"""Plain functions that make real rows in the real test database (no mocks)."""

from __future__ import annotations

from django.utils import timezone

from counterpoint.accounts.models import User
from counterpoint.couples.models import Couple, Membership
from counterpoint.journal.models import JournalEntry


def make_user(email: str, name: str, *, password: str | None = None, tz: str = "UTC") -> User:
    """A person. Without a password the account has an unusable one (fast: no hashing)."""
    return User.objects.create_user(email, password, display_name=name, time_zone=tz)


def make_couple(a: User, b: User) -> Couple:
    couple = Couple.objects.create()
    Membership.objects.create(couple=couple, user=a)
    Membership.objects.create(couple=couple, user=b)
    return couple


def make_journal(
    author: User, body: str, *, visibility: str, couple: Couple | None
) -> JournalEntry:
    return JournalEntry.objects.create(
        author=author,
        couple=couple,
        visibility=visibility,
        body=body,
        written_on=timezone.localdate(),
    )
