"""The visibility model every piece of personal data carries."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counterpoint.numbers import RandomlyNumbered


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Only me")
    PARTNER = "partner", _("Shared with my partner")
    COUPLE = "couple", _("Ours (co-owned)")


# Said wherever a person chooses "Only me" (docs/privacy.md, "Who can read the stored data").
ONLY_ME_HELP = _(
    '"Only me" means nobody else in Counterpoint — not your partner. It is stored unencrypted, '
    "so whoever runs this server can read it."
)
# Said when a person leaves "who can see this" unchosen.
WHO_SEES_EMPTY = _("Choose who can see this.")


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
        """Remembers the visibility (and couple) as loaded: a save or delete of a record that was
        and stays private, or in effect private (shared with a former partner), moves only its
        author's data version (``operations.versions``)."""
        instance = super().from_db(db, field_names, values, **kwargs)
        if "visibility" in instance.__dict__:
            instance.__dict__["_loaded_visibility"] = instance.__dict__["visibility"]
            if "couple_id" in instance.__dict__:
                instance.__dict__["_loaded_couple_id"] = instance.__dict__["couple_id"]
        return instance

    @property
    def by_former_partner(self) -> bool:
        """A co-owned item whose author deleted their account but chose to leave it in the archive."""
        return self.author_id is None


class KeptRow(RandomlyNumbered):
    """A row someone wrote on another's item, kept for them when that item was deleted by someone
    else, as their export showed it (:mod:`counterpoint.privacy.kept`). Only the export reads it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    section = models.CharField(max_length=80)
    row = models.JSONField()  # [column, value] pairs, in the export's order (privacy.kept)

    class Meta:
        indexes = [models.Index(fields=["owner", "section"], name="kept_row_by_owner")]

    def __str__(self) -> str:
        return f"kept {self.section} row of {self.owner_id}"
