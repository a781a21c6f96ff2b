"""The visibility model every piece of personal data carries."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Only me")
    PARTNER = "partner", _("Shared with my partner")
    COUPLE = "couple", _("Ours (co-owned)")


# Said wherever a person chooses "Only me" (docs/privacy.md, "Who can read the stored data").
ONLY_ME_HELP = _(
    '"Only me" means nobody else in Counterpoint — not your partner. It is stored unencrypted, '
    "so whoever runs this server can read it."
)


# Rows people see the numbers of are numbered at random below 2**53 (a JavaScript number holds
# it exactly).
RECORD_NUMBER_LIMIT = 2**53


def new_record_number() -> int:
    """A number for a new row. Numbers show in addresses (``/journal/<number>/``), JSON and the
    export; given in turn across everyone, the gap between two of one's own rows would tell how
    many others made meanwhile (on a household installation, the partner's private entries,
    reminders or sign-ins). Drawn at random, a gap says nothing. With a million rows of a kind, a
    new number meets a used one about once in ten billion (that save fails like any other)."""
    return secrets.randbelow(RECORD_NUMBER_LIMIT - 1) + 1


class RandomlyNumbered(models.Model):
    """A model whose new rows are numbered at random (:func:`new_record_number`), never the next
    in turn: every personal record, and the rows about a person whose numbers they see (notices,
    sign-ins, passkeys, notification devices)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and self.pk is None:
            self.pk = new_record_number()
            kwargs["force_insert"] = True  # a new number: nothing to update first
        super().save(*args, **kwargs)


class PersonalRecord(RandomlyNumbered):
    """Base for anything a person writes.

    ``author`` is who wrote it; ``couple`` is the couple the author was in when writing it (none if
    single). Who may read it is decided in one place: :mod:`counterpoint.privacy.access`.
    """

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    couple = models.ForeignKey(
        "couples.Couple", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    visibility = models.CharField(
        _("who can see this"), max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any
    ) -> Self:
        """Remembers the visibility as loaded: a save or delete of a record that was and stays
        private moves only its author's data version (``operations.versions``)."""
        instance = super().from_db(db, field_names, values, **kwargs)
        if "visibility" in instance.__dict__:
            instance.__dict__["_loaded_visibility"] = instance.__dict__["visibility"]
        return instance

    @property
    def by_former_partner(self) -> bool:
        """A co-owned item whose author deleted their account but chose to leave it in the archive."""
        return self.author_id is None
