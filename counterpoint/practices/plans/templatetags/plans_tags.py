from __future__ import annotations

from django import template

from counterpoint.accounts.models import User
from counterpoint.practices.plans.models import Memory
from counterpoint.practices.plans.selectors import on_this_day

register = template.Library()


@register.simple_tag
def memory_on_this_day(user: User) -> Memory | None:
    """A shared memory from this day in an earlier month or year, for the home page."""
    return on_this_day(user, user.local_today())
