from __future__ import annotations

from django import template
from django.utils import timezone

from counterpoint.accounts.models import User
from counterpoint.privacy.page_cache import changes_at
from counterpoint.research.models import Prompt
from counterpoint.research.selectors import next_prompt_at, open_prompts

register = template.Library()


@register.simple_tag
def study_prompts_waiting(user: User) -> list[Prompt]:
    """The person's study prompts that can be answered now (for the home page's card)."""
    now = timezone.now()
    waiting = [p for p in open_prompts(user, now) if p.seconds_left(now) > 0]
    # the card changes when one of these closes or the next prompt opens
    for prompt in waiting:
        end = prompt.answer_by(now)
        if end is not None:
            changes_at(end)
    upcoming = next_prompt_at(user, now)
    if upcoming is not None:
        changes_at(upcoming)
    return waiting
