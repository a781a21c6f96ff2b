"""``{% load days %}{{ when|day_label:user }}``: a partner-facing time as a day (privacy/days.py)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django import template

from counterpoint.privacy import days

if TYPE_CHECKING:
    from counterpoint.accounts.models import User

register = template.Library()


@register.filter
def day_label(moment: dt.datetime | dt.date | None, viewer: User) -> str:
    if not getattr(viewer, "is_authenticated", False):
        return ""
    return days.day_label(moment, viewer)


@register.filter
def day_age(moment: dt.datetime | dt.date | None, viewer: User) -> str:
    if not getattr(viewer, "is_authenticated", False):
        return ""
    return days.day_age(moment, viewer)
