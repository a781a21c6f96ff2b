"""Writing journal entries."""

from __future__ import annotations

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
