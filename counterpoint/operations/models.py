"""Version numbers of people's and couples' data, so derived results can be cached safely."""

from __future__ import annotations

from django.db import models


class DataVersion(models.Model):
    """Bumped in the same transaction as every write to a person's (``u:<id>``) or a couple's
    (``c:<id>``) data, and the same scope's part for the app written (``u:<id>@checkins``,
    ``operations.versions``); a cached result keyed by these numbers is stale as soon as one moves."""

    scope = models.CharField(max_length=100, primary_key=True)
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.scope} = {self.version}"


class Heartbeat(models.Model):
    """The last time a long-running process (the task runner: ``tasks``) showed it was working."""

    name = models.CharField(max_length=40, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"


class PutOffPhotoRemoval(models.Model):
    """A photo file whose removal was put off while a backup or restore held the photos: the next
    removal or sweep removes it without waiting out the sweep's grace, unless a memory names it
    (again), and this row with it (``photo_lock.py``)."""

    name = models.CharField(max_length=100, primary_key=True)  # as Memory.photo
    put_off_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name}, put off at {self.put_off_at:%Y-%m-%d %H:%M:%S}"
