"""One analysis in place: which item, which options, and the engine's numbers once it has run."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from counterpoint.numbers import RandomlyNumbered


class AnalysisRun(RandomlyNumbered):
    class State(models.TextChoices):
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    study = models.ForeignKey("research.Study", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    var = models.CharField(max_length=40)
    min_occasions = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.RUNNING)
    rows = models.PositiveIntegerField(default=0)  # long-format rows the fits read
    result = models.JSONField(default=dict, blank=True)  # {"var": {...}, "couple_var": {...}, ...}
    error = models.TextField(blank=True)
    seconds = models.FloatField(null=True, blank=True)  # time to read the data and fit
    created_at = models.DateTimeField(default=timezone.now)
    # each time a worker takes it up; a worker killed mid-fit leaves it "running" with these set,
    # and analysis_runs_requeue starts it again (docs/tasks.md)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"analysis of {self.var} in study {self.study_id}"
