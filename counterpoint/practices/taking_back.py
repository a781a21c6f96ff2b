"""Taking a shared item back: "Only me" again, silently (support requests, commitments)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from counterpoint.activity.services import notices_moot
from counterpoint.couples.selectors import partner_of
from counterpoint.privacy import access
from counterpoint.privacy.sharing import record_make_private

if TYPE_CHECKING:
    from counterpoint.accounts.models import User
    from counterpoint.privacy.models import PersonalRecord


def item_make_private(*, user: User, item: PersonalRecord) -> None:
    """Make ``item`` private again. What waited for the partner about it ("Sam could use some
    support") goes too: it would lead to a page they can no longer open, for good. Only when the
    partner could read the item until now, so this tells them nothing its vanishing does not."""
    partner = partner_of(user)
    reading = partner if partner is not None and access.can_read(partner, item) else None
    with transaction.atomic():
        record_make_private(user=user, record=item)
        if reading is not None:
            notices_moot(user=reading, about=[item])
