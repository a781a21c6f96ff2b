"""Partner-facing times are days: "today", "yesterday" or a date, never a time of day.

Knowing to the minute when a partner wrote, answered or signed in lets a controlling partner track
them; a day is enough to follow a conversation. Exact times stay for the person's own records
(their security page, their export).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from counterpoint.accounts.models import User


def day_of(moment: dt.datetime | dt.date | None, viewer: User) -> dt.date | None:
    """The viewer's local day of a moment."""
    if moment is None:
        return None
    if isinstance(moment, dt.datetime):
        return moment.astimezone(viewer.tzinfo).date()
    return moment


def day_iso(moment: dt.datetime | dt.date | None, viewer: User) -> str | None:
    """A moment as a day for JSON: ``"2026-11-30"``."""
    day = day_of(moment, viewer)
    return day.isoformat() if day else None


def day_label(moment: dt.datetime | dt.date | None, viewer: User) -> str:
    """A moment as a day for people: "today", "yesterday" or a date."""
    day = day_of(moment, viewer)
    if day is None:
        return ""
    today = viewer.local_today()
    if day == today:
        return _("today")
    if day == today - dt.timedelta(days=1):
        return _("yesterday")
    return formats.date_format(day, "j M Y")


def day_age(moment: dt.datetime | dt.date | None, viewer: User) -> str:
    """How long ago, in days: "today", "yesterday", "4 days ago" (for what has been waiting)."""
    day = day_of(moment, viewer)
    if day is None:
        return ""
    days = (viewer.local_today() - day).days
    if days <= 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    return ngettext("%(n)d day ago", "%(n)d days ago", days) % {"n": days}
