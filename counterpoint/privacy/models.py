"""The visibility model every piece of personal data carries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Only me")
    PARTNER = "partner", _("Shared with my partner")
    COUPLE = "couple", _("Ours (co-owned)")


class PersonalRecord(models.Model):
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

    @property
    def by_former_partner(self) -> bool:
        """A co-owned item whose author deleted their account but chose to leave it in the archive."""
        return self.author_id is None
