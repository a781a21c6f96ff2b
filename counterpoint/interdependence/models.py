"""The interdependence map: a person's answers (always private) and their scored position
(private until they choose to share it with their partner)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from counterpoint.privacy.models import PersonalRecord


class Taking(PersonalRecord):
    """One time a person answers one instrument version. Its answers never leave its author:
    ``visibility`` stays private (enforced in services)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        COMPLETE = "complete", _("Complete")

    instrument_key = models.CharField(max_length=60)
    instrument_version = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    answers = models.JSONField(default=dict)  # item id -> answer on the instrument's scale
    subscale_scores = models.JSONField(default=dict)  # key -> {"score", "se"}, once complete
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.instrument_key} v{self.instrument_version} ({self.status})"


class Position(PersonalRecord):
    """Where a completed taking puts its author on the connection × autonomy map."""

    taking = models.OneToOneField(Taking, on_delete=models.CASCADE, related_name="position")
    instrument_key = models.CharField(max_length=60)
    instrument_version = models.CharField(max_length=20)
    taken_on = models.DateField()
    connection = models.FloatField()
    autonomy = models.FloatField()
    se_connection = models.FloatField()
    se_autonomy = models.FloatField()
    cutoff_connection = models.FloatField(default=4.0)
    cutoff_autonomy = models.FloatField(default=4.0)
    region = models.CharField(max_length=20)
    between = models.BooleanField(default=False)
    plausible_regions = models.JSONField(default=list)
    # The published reference parameters (reliability and SD) behind the SEs: their version, never
    # anything estimated from other people's answers on this installation.
    parameters_version = models.CharField(max_length=40, default="")

    class Meta:
        ordering = ["-taken_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.region} on {self.taken_on}"

    @property
    def is_shared(self) -> bool:
        return self.visibility != "private"
