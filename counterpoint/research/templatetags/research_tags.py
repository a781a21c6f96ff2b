from __future__ import annotations

from django import template
from django.utils import timezone

from counterpoint.accounts.models import User
from counterpoint.research.models import Prompt
from counterpoint.research.selectors import open_prompts

register = template.Library()


@register.simple_tag
def study_prompts_waiting(user: User) -> list[Prompt]:
    """The person's study prompts that can be answered now (for the home page's card)."""
    now = timezone.now()
    return [p for p in open_prompts(user, now) if p.seconds_left(now) > 0]
