"""Writing and editing journal entries (the one path the views and the tests use)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from counterpoint.accounts.models import User
from counterpoint.journal.models import JournalEntry
from counterpoint.privacy import access
from counterpoint.submissions import save_once


def journal_entry_create(
    *, user: User, title: str, body: str, visibility: str, submission_key: str = ""
) -> tuple[JournalEntry, bool]:
    """A new entry, saved once per form: a resent form (a retry after a dropped connection, a
    double tap) returns the entry the first send made."""

    def create() -> JournalEntry:
        entry = JournalEntry(
            title=title, body=body, visibility=visibility, submission_key=submission_key
        )
        access.stamp_new_record(user, entry)
        entry.written_on = user.local_today()
        entry.save()
        return entry

    return save_once(user=user, model=JournalEntry, key=submission_key, create=create)


@transaction.atomic
def journal_entry_write(
    *, user: User, body: str, visibility: str, title: str = "", written_on: dt.date | None = None
) -> JournalEntry:
    """A new entry by ``user`` (for worlds and imports: no form key), on their own local day."""
    entry = JournalEntry(title=title, body=body, visibility=visibility)
    access.stamp_new_record(user, entry)
    entry.written_on = written_on or user.local_today()
    entry.save()
    return entry


@transaction.atomic
def journal_entry_edit(
    *, user: User, entry: JournalEntry, title: str, body: str, visibility: str, **_form: object
) -> JournalEntry:
    """Change an entry; a shared entry stays with the couple it was shared in."""
    entry.title = title
    entry.body = body
    access.visibility_change(user, entry, visibility=visibility)
    entry.save()
    return entry
