"""Plain functions that make real rows in the real test database (no mocks)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core import mail
from django.utils import timezone

from counterpoint.accounts.models import User
from counterpoint.couples.models import Couple
from counterpoint.journal.models import JournalEntry
from counterpoint.journal.services import journal_entry_write
from counterpoint.pairing.services import invite_accept, invite_create
from counterpoint.privacy.models import Visibility


def make_user(email: str, name: str, *, password: str | None = None, tz: str = "UTC") -> User:
    """A person. Without a password the account has an unusable one (fast: no hashing)."""
    return User.objects.create_user(email, password, display_name=name, time_zone=tz)


def make_couple(a: User, b: User) -> Couple:
    """Pair two people as they would: ``a`` invites, ``b`` accepts the link."""
    invite = invite_create(inviter=a)
    return invite_accept(user=b, code_or_token=invite.token)


def make_journal(
    author: User, body: str, *, visibility: str, couple: Couple | None = None
) -> JournalEntry:
    """A journal entry written through the journal's service (``couple`` is the author's own)."""
    if visibility == Visibility.COUPLE:
        # Co-owned journal entries have no form; the account-deletion tests need one.
        return JournalEntry.objects.create(
            author=author,
            couple=couple,
            visibility=visibility,
            body=body,
            written_on=timezone.localdate(),
        )
    return journal_entry_write(user=author, body=body, visibility=visibility)


SIGNUP_LINK = re.compile(r"https?://\S+/account/signup/confirm/\S+/")


def signup_link_path(email: str) -> str:
    """The path of the newest sign-up link emailed to ``email`` (the outbox tests read)."""
    for message in reversed(mail.outbox):
        if message.to == [email]:
            found = SIGNUP_LINK.search(str(message.body))
            if found:
                return urlsplit(found.group(0)).path
    raise AssertionError(f"no sign-up link was emailed to {email}")
