"""``{% answer_reactions qv as r %}``: the reactions on a revealed pair of answers that the viewer
may read, as {"mine": ..., "theirs": ...}; ``{% reaction_kinds as kinds %}`` for the form."""

from __future__ import annotations

from typing import Any

from django import template

from counterpoint.checkins.models import ReactionKind
from counterpoint.checkins.reactions import reactions_to
from counterpoint.checkins.selectors import QuestionView

register = template.Library()


@register.simple_tag(takes_context=True)
def answer_reactions(context: template.Context, qv: QuestionView) -> dict[str, Any]:
    """My reaction to the partner's answer and theirs to mine (only once both are revealed)."""
    user = context["request"].user
    if not qv.revealed or qv.mine is None or qv.partner_answer is None:
        return {"mine": None, "theirs": None}
    reactions = reactions_to(user, answers=[qv.mine.pk, qv.partner_answer.pk])
    return {
        "mine": next(
            (
                r
                for r in reactions
                if r.author_id == user.pk and r.answer_id == qv.partner_answer.pk
            ),
            None,
        ),
        "theirs": next(
            (r for r in reactions if r.author_id != user.pk and r.answer_id == qv.mine.pk), None
        ),
    }


@register.simple_tag
def reaction_kinds() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in ReactionKind.choices]
