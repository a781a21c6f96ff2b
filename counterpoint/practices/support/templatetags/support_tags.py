from __future__ import annotations

from django import template

from counterpoint.accounts.models import User
from counterpoint.practices.support.models import SupportRequest
from counterpoint.practices.support.selectors import support_waiting_for

register = template.Library()


@register.simple_tag
def support_waiting(user: User) -> list[SupportRequest]:
    """Requests the partner made of ``user`` that still wait for an answer."""
    return support_waiting_for(user)
