"""Stopping all sharing at once: one atomic service that the safety center's flows reuse.

Silent by design: no notice, no email, no timestamp the partner can see. Afterwards the partner's
view is the same as if the person had never shared anything (co-owned items excepted: they belong
to both, and only unpairing ends the couple's access to change them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from counterpoint.accounts.models import User
from counterpoint.activity.services import notices_moot
from counterpoint.checkins.models import SHAREABLE_FIELDS, CheckInSettings
from counterpoint.couples.selectors import partner_of
from counterpoint.operations.versions import (
    has_partner_view,
    partner_reads_something,
    person_scope,
    shared_scopes,
    versions_bump,
)
from counterpoint.privacy.access import personal_record_models
from counterpoint.privacy.models import Visibility


@dataclass(frozen=True)
class SharingStopped:
    """How many records of each kind went back to "Only me" (shown to the person only)."""

    records: dict[str, int] = field(default_factory=dict)
    checkin_fields: int = 0

    @property
    def total(self) -> int:
        return sum(self.records.values()) + self.checkin_fields


def sharing_stop_all(*, user: User) -> SharingStopped:
    """Make every partner-shared record of ``user`` private and share no check-in field. All or
    nothing. ``QuerySet.update`` leaves ``updated_at`` alone, so nothing records when it happened."""
    counts: dict[str, int] = {}
    seen = 0
    taken_back: list[object] = []  # what the partner read until now
    with transaction.atomic():
        for model in personal_record_models():
            rows = model._default_manager.filter(author=user, visibility=Visibility.PARTNER)
            # shared with the partner of a couple still together: what someone reads now (one
            # shared with a former partner is already, in effect, "Only me")
            reading = rows.filter(couple__isnull=False, couple__ended_at__isnull=True)
            if hasattr(model, "get_absolute_url"):
                taken_back += list(reading.only("pk"))
            # a row marked shared of which the partner reads nothing (a check-in while no field is
            # shared, a skipped answer: operations.versions.partner_view) tells them nothing
            # taken back either
            if has_partner_view(model):
                read_by_partner = sum(partner_reads_something(row) for row in reading)
            else:
                read_by_partner = reading.count()
            read_now = reading.update(visibility=Visibility.PRIVATE)
            changed = read_now + rows.update(visibility=Visibility.PRIVATE)
            seen += read_by_partner
            if changed:
                counts[model._meta.label] = changed
        # update() sends no signal: what the partner may read changed, so their caches must go;
        # with nothing shared with them nothing changed for them, and nothing may tell them it
        # was pressed (not even that something shared with a former partner was taken back)
        if seen:
            versions_bump(scopes=shared_scopes(user_id=user.pk, couple_id=None))
            partner = partner_of(user)
            if partner is not None:  # what waited for them about those items can't be answered
                notices_moot(user=partner, about=taken_back)
        elif counts:
            versions_bump(scopes=[person_scope(user.pk)])
        settings_row, _ = CheckInSettings.objects.select_for_update().get_or_create(user=user)
        was_shared = sum(bool(getattr(settings_row, name)) for name in SHAREABLE_FIELDS)
        if was_shared:  # the save moves the partner's version (operations.versions.partner_view)
            for name in SHAREABLE_FIELDS:
                setattr(settings_row, name, False)
            settings_row.save(update_fields=list(SHAREABLE_FIELDS))
    return SharingStopped(records=counts, checkin_fields=was_shared)
